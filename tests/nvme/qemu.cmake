# SPDX-License-Identifier: MIT
# The NVMe driver against QEMU's nvme controller on the virt PCIe host
# (included by platform/aarch64-virt/target.cmake and platform/riscv64-virt's).  tools/nvme.sh runs
# QEMU and compares with the host ("QEMU ran N s").
set(NVD ${COH_ROOT}/drivers/nvme)
add_library(nvme_drv STATIC ${NVD}/nvme.c)
target_link_libraries(nvme_drv PUBLIC coherent)
target_compile_options(nvme_drv PRIVATE ${COH_CORE_WARN})
add_library(pcie_plat STATIC ${COH_ROOT}/platform/pcie/pcie.c)
target_link_libraries(pcie_plat PUBLIC coherent)
target_compile_options(pcie_plat PRIVATE ${COH_CORE_WARN})

foreach(m read write)
  string(TOUPPER ${m} M)
  if(m STREQUAL "read")
    set(elf qemu-nvme)
  else()
    set(elf qemu-nvme-${m})
  endif()
  add_executable(${elf} ${COH_ROOT}/tests/nvme/qemu_nvme.c ${COH_ROOT}/tests/virtio/sha256.c
    ${COH_PLATFORM_SOURCES})
  set_target_properties(${elf} PROPERTIES SUFFIX ".elf")
  target_include_directories(${elf} PRIVATE ${COH_ROOT}/tests ${COH_PLATFORM_DIR})
  target_link_libraries(${elf} PRIVATE nvme_drv pcie_plat coherent)
  target_compile_options(${elf} PRIVATE ${COH_WARN})
  target_compile_definitions(${elf} PRIVATE COH_TEST_TARGET="${elf}" NVME_${M})
  target_link_options(${elf} PRIVATE ${COH_LINK_OPTIONS})
endforeach()

set(NVS sh ${COH_ROOT}/tools/nvme.sh)
add_test(NAME nvme_read_1m COMMAND ${NVS} random $<TARGET_FILE:qemu-nvme> 2048)
add_test(NAME nvme_read_odd COMMAND ${NVS} random $<TARGET_FILE:qemu-nvme> 4099)
add_test(NAME nvme_write COMMAND ${NVS} write $<TARGET_FILE:qemu-nvme-write> 1537)
set_tests_properties(nvme_read_1m nvme_read_odd nvme_write PROPERTIES LABELS nvme TIMEOUT 120)
if(COH_TARGET MATCHES "^riscv64")
  set_tests_properties(nvme_read_1m nvme_read_odd nvme_write PROPERTIES
    ENVIRONMENT "NVME_MACHINE=riscv64")
endif()
