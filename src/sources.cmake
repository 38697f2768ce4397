# SPDX-License-Identifier: MIT
# Core sources added by later capabilities (included by CMakeLists.txt).
list(APPEND COH_CORE_SOURCES
  ${COH_ROOT}/src/stream.c
  ${COH_ROOT}/src/check.c
)
