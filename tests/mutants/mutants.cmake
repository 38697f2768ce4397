# SPDX-License-Identifier: MIT
# coh_mutant_library(<name> <backend dir> <spec>): the library built with
# one of its sources replaced by a mutant (tests/mutants/mutate_src.py applies
# the spec's edits at build time).  The spec names the source on a line
# "file: src/x.c".  Mutants live here, never in src/.
include_guard(GLOBAL)
function(coh_mutant_library name backend_dir spec)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(spec ${COH_ROOT}/tests/mutants/${spec})
  file(STRINGS ${spec} file_line REGEX "^file: ")
  string(REGEX REPLACE "^file: *" "" src "${file_line}")
  set(in ${COH_ROOT}/${src})
  if(NOT src OR NOT EXISTS ${in})
    message(FATAL_ERROR "mutant ${name}: ${spec} names no library source (file: src/...)")
  endif()
  get_filename_component(base ${src} NAME)
  set(out ${CMAKE_BINARY_DIR}/mutants/${name}/${base})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/mutants/${name}
    COMMAND ${Python3_EXECUTABLE} ${COH_ROOT}/tests/mutants/mutate_src.py ${spec} ${in} ${out}
    DEPENDS ${spec} ${in} ${COH_ROOT}/tests/mutants/mutate_src.py
    COMMENT "mutant ${name}: ${src}" VERBATIM)
  set(COH_CORE_SOURCES ${COH_CORE_SOURCES})
  list(REMOVE_ITEM COH_CORE_SOURCES ${in})
  list(APPEND COH_CORE_SOURCES ${out})
  coh_add_library(${name} ${backend_dir})
  target_include_directories(${name} PRIVATE ${COH_ROOT}/src)
endfunction()
