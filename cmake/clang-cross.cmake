# SPDX-License-Identifier: MIT
# Toolchain file: a cross target of platform/<COH_TARGET>/ built with Clang.
#   cmake -DCOH_TARGET=aarch64-virt -DCMAKE_TOOLCHAIN_FILE=cmake/clang-cross.cmake
# (make test-cross-clang).  Clang compiles and assembles everything with
# --target=<COH_CLANG_TARGET> against Debian's picolibc headers; the link
# goes through the platform's GCC driver, because Debian's picolibc ships
# its startup files, multilib layout and memory-map linker script as GCC
# specs only.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES COH_TARGET)
include(${CMAKE_CURRENT_LIST_DIR}/../platform/${COH_TARGET}/toolchain.cmake)
if(NOT DEFINED COH_CLANG_TARGET)
  message(FATAL_ERROR "platform/${COH_TARGET}/toolchain.cmake sets no COH_CLANG_TARGET")
endif()
set(coh_gcc ${CMAKE_C_COMPILER})
string(REGEX REPLACE "-gcc$" "" coh_triple ${coh_gcc})
set(coh_gcc_flags ${CMAKE_C_FLAGS_INIT})
string(REPLACE "--specs=picolibc.specs" "" coh_clang_flags "${coh_gcc_flags}")
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "arm")
  # arm-none-eabi GCC (and the picolibc it built) uses the AAPCS
  # variable-size enums; Clang's none-eabi default is 32-bit enums.
  string(APPEND coh_clang_flags " -fshort-enums")
endif()
set(CMAKE_C_COMPILER clang)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${COH_CLANG_TARGET})
set(CMAKE_ASM_COMPILER_TARGET ${COH_CLANG_TARGET})
set(CMAKE_C_FLAGS_INIT "${coh_clang_flags} -isystem /usr/lib/picolibc/${coh_triple}/include")
set(CMAKE_ASM_FLAGS_INIT "${coh_clang_flags}")
set(CMAKE_C_LINK_EXECUTABLE
  "${coh_gcc} ${coh_gcc_flags} <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
