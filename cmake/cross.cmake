# SPDX-License-Identifier: MIT
# Cross build for one bare-metal target, platform/<COH_TARGET>/.
#
# target.cmake (included below) sets:
#   COH_BACKEND           folder under arch/ the library is built with
#   COH_EXPECT_LINE       line size the emulated CPU reports (checked by the core suite)
#   COH_LINK_OPTIONS      link flags (C library, memory map)
#   COH_QEMU              QEMU command line, up to (not including) the ELF path
#   COH_PLATFORM_SOURCES  optional startup / trap code linked into every test ELF
#   (CMAKE_C_FLAGS from toolchain.cmake, e.g. --specs, reach the link too)
# and may register extra runs with coh_qemu_test().  Every run is a ctest
# that passes only if QEMU exits 0 and prints "<test name>: N passed, 0 failed".

set(COH_PLATFORM_DIR ${COH_ROOT}/platform/${COH_TARGET})
if(NOT EXISTS ${COH_PLATFORM_DIR}/target.cmake)
  message(FATAL_ERROR "COH_TARGET=${COH_TARGET}: no platform/${COH_TARGET}/target.cmake")
endif()
set(COH_QEMU_TIMEOUT 60)
set(COH_PLATFORM_SOURCES "")
file(GLOB COH_CORE_TESTS ${COH_ROOT}/tests/core/*.c)

# coh_qemu_test(<name> LABELS <l...> SOURCES <s...> LIBS <l...> DEFS <d...>)
# <name> is the ELF (<name>.elf), the ctest and the name the run must print.
function(coh_qemu_test name)
  cmake_parse_arguments(T "" "" "LABELS;SOURCES;LIBS;DEFS" ${ARGN})
  add_executable(${name} ${T_SOURCES} ${COH_PLATFORM_SOURCES})
  set_target_properties(${name} PROPERTIES SUFFIX ".elf")
  target_include_directories(${name} PRIVATE ${COH_ROOT}/tests ${COH_PLATFORM_DIR})
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  target_compile_options(${name} PRIVATE ${COH_WARN})
  target_compile_definitions(${name} PRIVATE COH_TEST_TARGET="${name}" ${T_DEFS})
  target_link_options(${name} PRIVATE ${COH_LINK_OPTIONS})
  add_test(NAME ${name}
    COMMAND sh ${COH_ROOT}/tools/run-qemu.sh ${name} ${COH_QEMU_TIMEOUT}
            ${COH_QEMU} $<TARGET_FILE:${name}>)
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}"
    TIMEOUT ${COH_QEMU_TIMEOUT}0)
endfunction()

# Network runs: tools/netpeer built for the host (a cross build has no host
# compiler of its own), and coh_qemu_net_test(<name> [EXPECT_FAIL <regex>]
# LABELS .. SOURCES .. LIBS .. DEFS ..): the ELF runs under
# tools/run-netpeer.sh, QEMU's first NIC on a -netdev dgram unix-socket
# pair with the peer on the other end.  EXPECT_FAIL: the run must fail with
# output matching <regex> (a planted bug).
find_program(COH_HOST_CC NAMES cc gcc clang)
set(COH_NETPEER ${CMAKE_BINARY_DIR}/netpeer-host)
add_custom_command(OUTPUT ${COH_NETPEER}
  COMMAND ${COH_HOST_CC} -std=gnu11 -O2 -Wall -Wextra -Werror
          -o ${COH_NETPEER} ${COH_ROOT}/tools/netpeer/netpeer.c
  DEPENDS ${COH_ROOT}/tools/netpeer/netpeer.c ${COH_ROOT}/tools/netpeer/netproto.h
  COMMENT "netpeer (host)")
add_custom_target(netpeer ALL DEPENDS ${COH_NETPEER})
set(COH_QEMU_NET_TIMEOUT 90)

function(coh_qemu_net_test name)
  cmake_parse_arguments(T "" "EXPECT_FAIL;RUN_NAME" "LABELS;SOURCES;LIBS;DEFS" ${ARGN})
  if(NOT T_RUN_NAME)
    set(T_RUN_NAME ${name})
  endif()
  add_executable(${name} ${T_SOURCES} ${COH_PLATFORM_SOURCES})
  set_target_properties(${name} PROPERTIES SUFFIX ".elf")
  target_include_directories(${name} PRIVATE ${COH_ROOT}/tests ${COH_ROOT}/tools
                             ${COH_PLATFORM_DIR})
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  target_compile_options(${name} PRIVATE ${COH_WARN})
  target_compile_definitions(${name} PRIVATE COH_TEST_TARGET="${T_RUN_NAME}" ${T_DEFS})
  target_link_options(${name} PRIVATE ${COH_LINK_OPTIONS})
  add_dependencies(${name} netpeer)
  set(expect "")
  if(T_EXPECT_FAIL)
    set(expect --expect-fail ${T_EXPECT_FAIL})
  endif()
  add_test(NAME ${name}
    COMMAND sh ${COH_ROOT}/tools/run-netpeer.sh ${expect} ${T_RUN_NAME}
            ${COH_QEMU_NET_TIMEOUT} ${COH_NETPEER} ${COH_QEMU} $<TARGET_FILE:${name}>)
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}"
    TIMEOUT ${COH_QEMU_NET_TIMEOUT}0)
endfunction()

include(${COH_PLATFORM_DIR}/target.cmake)

foreach(v COH_BACKEND COH_EXPECT_LINE COH_LINK_OPTIONS COH_QEMU)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "platform/${COH_TARGET}/target.cmake must set ${v}")
  endif()
endforeach()

coh_add_library(coherent ${COH_ROOT}/arch/${COH_BACKEND})
coh_qemu_test(${COH_TARGET} LABELS core
  SOURCES ${COH_CORE_TESTS} LIBS coherent
  DEFS COH_TEST_EXPECT_LINE=${COH_EXPECT_LINE})

