# SPDX-License-Identifier: MIT
# The sunxi-mmc host + the SD layer against QEMU's allwinner-sdhost-sun5i
# (included by platform/orangepi-pc/target.cmake).  tools/sd.sh prints
# the seconds each run took.
set(SDH ${COH_ROOT}/drivers/sunxi-mmc)
set(SDL ${COH_ROOT}/drivers/sd)
add_library(sunxi_mmc STATIC ${SDH}/sunxi_mmc.c ${SDL}/sd.c)
target_include_directories(sunxi_mmc PUBLIC ${SDH} ${SDL})
target_link_libraries(sunxi_mmc PUBLIC coherent)
target_compile_options(sunxi_mmc PRIVATE ${COH_CORE_WARN})

foreach(m read write nocard)
  string(TOUPPER ${m} M)
  if(m STREQUAL "read")
    set(elf qemu-sd)
  else()
    set(elf qemu-sd-${m})
  endif()
  add_executable(${elf} ${COH_ROOT}/tests/sdhost/qemu_sd.c ${COH_ROOT}/tests/virtio/sha256.c
    ${COH_PLATFORM_SOURCES})
  set_target_properties(${elf} PROPERTIES SUFFIX ".elf")
  target_include_directories(${elf} PRIVATE ${COH_ROOT}/tests ${COH_PLATFORM_DIR})
  target_link_libraries(${elf} PRIVATE sunxi_mmc coherent)
  target_compile_options(${elf} PRIVATE ${COH_WARN})
  target_compile_definitions(${elf} PRIVATE SDH_${M})
  target_link_options(${elf} PRIVATE ${COH_LINK_OPTIONS})
endforeach()

set(SDS sh ${COH_ROOT}/tools/sd.sh)
# SDSC (byte addressing, CSD v1): 1 MiB of random sectors plus an odd tail
add_test(NAME sdhost_read_sdsc COMMAND ${SDS} random $<TARGET_FILE:qemu-sd> 1061)
# SDHC (block addressing, CSD v2): a 4 GiB sparse card
add_test(NAME sdhost_read_sdhc COMMAND ${SDS} random $<TARGET_FILE:qemu-sd> 600 4096)
add_test(NAME sdhost_write COMMAND ${SDS} write $<TARGET_FILE:qemu-sd-write> 300)
add_test(NAME sdhost_nocard COMMAND ${SDS} nocard $<TARGET_FILE:qemu-sd-nocard>)
set_tests_properties(sdhost_read_sdsc sdhost_read_sdhc sdhost_write sdhost_nocard
  PROPERTIES LABELS sdhost TIMEOUT 120)
