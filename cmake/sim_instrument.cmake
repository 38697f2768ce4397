# SPDX-License-Identifier: MIT
# coh_sim_instrument(<target>): compile <target>'s own sources so that the
# simulator observes every load and store they make (docs/simulator.md,
# "The access observer").  Call-based instrumentation: Clang's kernel
# address sanitizer (__asan_{load,store}{1,2,4,8,16,N}_noabort before each
# access), GCC's thread sanitizer (__tsan_{read,write}{1,2,4,8,16,_range}:
# GCC's address one misses the store of a read-modify-write), which
# libcoherent_sim defines; no shadow memory, no sanitizer runtime, no stack
# or global checks.  memcpy/memset/memmove are routed to
# the simulator by a forced include.  Link the target against coherent_sim
# (or a variant of it); the library and the simulator stay uninstrumented.
#
#   add_executable(my_driver_test ...)
#   target_link_libraries(my_driver_test PRIVATE coherent_sim)
#   coh_sim_instrument(my_driver_test)
function(coh_sim_instrument target)
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # GCC's address instrumentation checks `x |= v` once, as a load; its
    # thread instrumentation calls a read and a write hook (sim/access.c)
    set(f -fsanitize=thread --param=tsan-instrument-func-entry-exit=0
          --param=tsan-distinguish-volatile=0)
  elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(f -fsanitize=kernel-address
          "SHELL:-mllvm -asan-instrumentation-with-call-threshold=0"
          "SHELL:-mllvm -asan-stack=0" "SHELL:-mllvm -asan-globals=0"
          # check a store even after a load of the same address (x += 1)
          "SHELL:-mllvm -asan-opt-same-temp=0")
  else()
    message(FATAL_ERROR "coh_sim_instrument: GCC or Clang needed, not ${CMAKE_C_COMPILER_ID}")
  endif()
  target_compile_options(${target} PRIVATE ${f}
    "SHELL:-include ${COH_ROOT}/sim/sim_instrument.h")
  # the report names the driver's line: keep line tables
  target_compile_options(${target} PRIVATE -g)
  target_compile_definitions(${target} PRIVATE COH_SIM_INSTRUMENTED=1)
endfunction()
