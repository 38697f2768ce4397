# SPDX-License-Identifier: MIT
# Host build: the real x86_64 backend, the generic backend, the recording
# backend for exact-maintenance tests, and (when present) the simulator.

include(${COH_ROOT}/cmake/sim_instrument.cmake)   # coh_sim_instrument(target)

coh_add_library(coherent_x86_64 ${COH_ROOT}/arch/x86_64)
coh_add_library(coherent_generic ${COH_ROOT}/arch/generic)
coh_add_library(coherent_record ${COH_ROOT}/tests/record)
if(NOT COH_TESTS) # a subproject (add_subdirectory): the libraries only
  add_subdirectory(${COH_ROOT}/sim ${CMAKE_CURRENT_BINARY_DIR}/sim)
  return()
endif()

file(GLOB COH_CORE_TESTS ${COH_ROOT}/tests/core/*.c)
coh_add_test(core_x86_64 LABELS core
  SOURCES ${COH_CORE_TESTS} LIBS coherent_x86_64 DEFS COH_TEST_TARGET="x86_64")
# The same suite with the debug checker compiled out (what a release build
# ships): every error code must hold without the diagnostics.
coh_add_library(coherent_x86_64_ndebug ${COH_ROOT}/arch/x86_64)
target_compile_definitions(coherent_x86_64_ndebug PRIVATE COH_DEBUG=0)
coh_add_test(core_x86_64_ndebug LABELS core
  SOURCES ${COH_CORE_TESTS} LIBS coherent_x86_64_ndebug
  DEFS COH_TEST_TARGET="x86_64-ndebug" COH_DEBUG=0)
coh_add_test(fence_record LABELS core
  SOURCES ${COH_ROOT}/tests/host/test_record.c LIBS coherent_record)
coh_add_test(linesize_x86_64 LABELS core
  SOURCES ${COH_ROOT}/tests/host/test_linesize_x86.c LIBS coherent_x86_64)
coh_add_test(generic_backend LABELS core
  SOURCES ${COH_ROOT}/tests/host/test_generic.c LIBS coherent_generic)

# Every folder that adds host tests or tools hooks in here.
# (one per line: several changes add folders at once)
foreach(sub
    sim
    tests/sim
    drivers/dwmac
    tests/dwmac
    tests/sanitizer
    tests/host
    tests/install
    tests/compat
    tests/trace
    tests/api
    tests/tutorial
    tests/typed
    tests/stream
    demo
    bench
    tests/encoding
    tests/policy
    tests/virtio
    tests/nvme
    tests/sdhost
    tests/fb
    tools/netpeer
    bindings/rust
    )
  if(EXISTS ${COH_ROOT}/${sub}/CMakeLists.txt)
    add_subdirectory(${COH_ROOT}/${sub} ${CMAKE_BINARY_DIR}/${sub})
  endif()
endforeach()
