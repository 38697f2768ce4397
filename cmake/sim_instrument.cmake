# SPDX-License-Identifier: MIT
# coh_sim_instrument(<target>): compile <target>'s own sources so that the
# simulator observes every load and store they make (docs/simulator.md,
# "The access observer").  Call-based instrumentation: Clang's kernel
# address sanitizer (__asan_{load,store}{1,2,4,8,16,N}_noabort before each
# access), GCC's thread sanitizer (__tsan_{read,write}{1,2,4,8,16,_range}:
# GCC's address one misses the store of a read-modify-write), which
# libcoherent_sim defines; no shadow memory, no sanitizer runtime, no stack
# or global checks.  The libc routines that touch memory (memcpy, memcmp,
# strlen, ...) are routed to the simulator by a forced include,
# sim_instrument.h.  Link the target against coherent_sim (coherent::sim);
# the library and the simulator stay uninstrumented.
#
#   add_executable(my_driver_test ...)
#   target_link_libraries(my_driver_test PRIVATE coherent::sim)
#   coh_sim_instrument(my_driver_test)
#
# This file is used in the source tree and installed with the package
# (find_package(coherent COMPONENTS sim) defines coh_sim_instrument too);
# the forced-include header is found through a global property, so the
# function works from any directory of the caller's project.
if(NOT COH_SIM_INSTRUMENT_H)
  # the source tree: sim/ beside cmake/
  set(COH_SIM_INSTRUMENT_H ${CMAKE_CURRENT_LIST_DIR}/../sim/sim_instrument.h)
endif()
get_filename_component(COH_SIM_INSTRUMENT_H ${COH_SIM_INSTRUMENT_H} ABSOLUTE)
set_property(GLOBAL PROPERTY COH_SIM_INSTRUMENT_H ${COH_SIM_INSTRUMENT_H})

# coh_sim_instrument_flags(<var> <compiler id>): the compile options, one
# list element per option ("-mllvm x" pairs are kept together); also the
# source of the Cflags in coherent-sim.pc (cmake/install.cmake)
function(coh_sim_instrument_flags var id)
  get_property(h GLOBAL PROPERTY COH_SIM_INSTRUMENT_H)
  if(id STREQUAL "GNU")
    # GCC's address instrumentation checks `x |= v` once, as a load; its
    # thread instrumentation calls a read and a write hook (sim/access.c)
    set(f -fsanitize=thread --param=tsan-instrument-func-entry-exit=0
          --param=tsan-distinguish-volatile=0)
  elseif(id MATCHES "Clang")
    set(f -fsanitize=kernel-address
          "-mllvm -asan-instrumentation-with-call-threshold=0"
          "-mllvm -asan-stack=0" "-mllvm -asan-globals=0"
          # check a store even after a load of the same address (x += 1)
          "-mllvm -asan-opt-same-temp=0")
  else()
    set(${var} "" PARENT_SCOPE)
    return()
  endif()
  # the report names the driver's line: keep line tables
  list(APPEND f "-include ${h}" -g -DCOH_SIM_INSTRUMENTED=1)
  set(${var} ${f} PARENT_SCOPE)
endfunction()

function(coh_sim_instrument target)
  coh_sim_instrument_flags(f "${CMAKE_C_COMPILER_ID}")
  if(NOT f)
    message(FATAL_ERROR "coh_sim_instrument: GCC or Clang needed, not ${CMAKE_C_COMPILER_ID}")
  endif()
  foreach(o ${f})
    if(o MATCHES " ")
      target_compile_options(${target} PRIVATE "SHELL:${o}")
    else()
      target_compile_options(${target} PRIVATE ${o})
    endif()
  endforeach()
endfunction()
