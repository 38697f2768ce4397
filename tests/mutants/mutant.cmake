# SPDX-License-Identifier: MIT
# coh_mutant_sources(<out-var> <spec> <name> <tag> <src>...): test copies of driver
# sources with the mutation <name> of <spec> applied (tests/mutants/mutate.py),
# generated at build time into the build tree.  Each hunk must still match
# the clean source exactly once, or the build fails.  <tag> (the consuming
# target) keeps each target's copy its own: no two rules for one file.

find_package(Python3 REQUIRED COMPONENTS Interpreter)

function(coh_mutant_sources out spec name tag)
  set(res "")
  foreach(src ${ARGN})
    get_filename_component(base ${src} NAME)
    set(o ${CMAKE_CURRENT_BINARY_DIR}/mutants/${tag}/${name}/${base})
    add_custom_command(OUTPUT ${o}
      COMMAND ${Python3_EXECUTABLE} ${COH_ROOT}/tests/mutants/mutate.py ${spec} ${name} ${src} ${o}
      DEPENDS ${spec} ${src} ${COH_ROOT}/tests/mutants/mutate.py
      COMMENT "mutant ${name}: ${base}" VERBATIM)
    list(APPEND res ${o})
  endforeach()
  set(${out} ${res} PARENT_SCOPE)
endfunction()
