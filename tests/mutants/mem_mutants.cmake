# SPDX-License-Identifier: MIT
# coh_add_mem_mutant_library(<name> <backend dir> <mutant>): the library of
# coh_add_library() with src/mem.c replaced by its test copy carrying mutant
# <mutant> of tests/mutants/mem.txt (generated at build time; a hunk that no
# longer matches the clean source fails the build).  Other COH_TEST_MUTATE
# mutants (ring.c, queue.c) are not touched: the copy is the only change.
include(${COH_ROOT}/tests/mutants/mutant.cmake)
function(coh_add_mem_mutant_library name backend_dir m)
  coh_mutant_sources(msrc ${COH_ROOT}/tests/mutants/mem.txt ${m} ${name} ${COH_ROOT}/src/mem.c)
  # coh_add_library() reads COH_CORE_SOURCES from this scope
  list(REMOVE_ITEM COH_CORE_SOURCES ${COH_ROOT}/src/mem.c)
  list(APPEND COH_CORE_SOURCES ${msrc})
  coh_add_library(${name} ${backend_dir})
  target_include_directories(${name} PRIVATE ${COH_ROOT}/src)
endfunction()
