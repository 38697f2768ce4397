# SPDX-License-Identifier: MIT
# QEMU arm virt, Cortex-A15 (ARMv7-A + LPAE), bare metal in SVC mode, picolibc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(COH_CLANG_TARGET armv7a-none-eabi)   # cmake/clang-cross.cmake
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-a15 -mfloat-abi=soft --specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "-mcpu=cortex-a15 -mfloat-abi=soft --specs=picolibc.specs")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
