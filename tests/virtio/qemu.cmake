# SPDX-License-Identifier: MIT
# virtio drivers against QEMU's own devices (included by
# platform/aarch64-virt/target.cmake).  Seconds per run are printed by
# tools/virtio-blk.sh ("QEMU ran N s").
set(VIO ${COH_ROOT}/drivers/virtio)
set(TV ${COH_ROOT}/tests/virtio)
add_library(virtio_drv STATIC ${VIO}/virtio_mmio.c ${VIO}/virtqueue.c ${VIO}/virtio_blk.c
  ${VIO}/virtio_net.c)
target_link_libraries(virtio_drv PUBLIC coherent)
target_compile_options(virtio_drv PRIVATE ${COH_CORE_WARN})

set(VIO_ENV ${TV}/qemu_env.c ${TV}/sha256.c)
foreach(m read write legacy)
  string(TOUPPER ${m} M)
  if(m STREQUAL "read")
    set(elf qemu-virtio-blk)
  else()
    set(elf qemu-virtio-blk-${m})
  endif()
  add_executable(${elf} ${TV}/qemu_blk.c ${VIO_ENV} ${COH_PLATFORM_SOURCES})
  set_target_properties(${elf} PROPERTIES SUFFIX ".elf")
  target_include_directories(${elf} PRIVATE ${COH_ROOT}/tests ${COH_PLATFORM_DIR})
  target_link_libraries(${elf} PRIVATE virtio_drv coherent)
  target_compile_options(${elf} PRIVATE ${COH_WARN})
  target_compile_definitions(${elf} PRIVATE COH_TEST_TARGET="${elf}" VBLK_${M})
  target_link_options(${elf} PRIVATE ${COH_LINK_OPTIONS})
endforeach()

set(VBS sh ${COH_ROOT}/tools/virtio-blk.sh)
add_test(NAME virtio_blk_1m COMMAND ${VBS} random $<TARGET_FILE:qemu-virtio-blk> 1)
add_test(NAME virtio_blk_16m COMMAND ${VBS} random $<TARGET_FILE:qemu-virtio-blk> 16)
# images of any whole-sector count: odd, below and just above the 2 MiB prefix
add_test(NAME virtio_blk_odd_sectors COMMAND ${VBS} sectors $<TARGET_FILE:qemu-virtio-blk> 4099)
add_test(NAME virtio_blk_odd_small COMMAND ${VBS} sectors $<TARGET_FILE:qemu-virtio-blk> 13)
add_test(NAME virtio_blk_access_platform COMMAND ${VBS} random-ap $<TARGET_FILE:qemu-virtio-blk> 1)
add_test(NAME virtio_blk_write COMMAND ${VBS} write $<TARGET_FILE:qemu-virtio-blk-write> 768)
add_test(NAME virtio_blk_legacy COMMAND ${VBS} legacy $<TARGET_FILE:qemu-virtio-blk-legacy>)
set_tests_properties(virtio_blk_1m virtio_blk_16m virtio_blk_odd_sectors virtio_blk_odd_small
  virtio_blk_access_platform virtio_blk_write
  virtio_blk_legacy
  PROPERTIES LABELS virtio TIMEOUT 300)

# virtio-net against tools/netpeer (sun8i's generic peer) through run-netpeer.sh;
# NETPEER_NIC attaches the virtio-mmio NIC instead of the board's default.
add_executable(qemu-virtio-net ${TV}/qemu_net.c ${VIO_ENV} ${COH_PLATFORM_SOURCES})
set_target_properties(qemu-virtio-net PROPERTIES SUFFIX ".elf")
target_include_directories(qemu-virtio-net PRIVATE ${COH_ROOT}/tests ${COH_ROOT}/tools
  ${COH_PLATFORM_DIR})
target_link_libraries(qemu-virtio-net PRIVATE virtio_drv coherent)
target_compile_options(qemu-virtio-net PRIVATE ${COH_WARN})
target_link_options(qemu-virtio-net PRIVATE ${COH_LINK_OPTIONS})
add_dependencies(qemu-virtio-net netpeer)
add_test(NAME virtio_net COMMAND sh ${COH_ROOT}/tools/run-netpeer.sh virtio-net 90
  ${COH_NETPEER} qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M -nographic
  -monitor none -semihosting -global virtio-mmio.force-legacy=false
  -kernel $<TARGET_FILE:qemu-virtio-net>)
set_tests_properties(virtio_net PROPERTIES LABELS virtio TIMEOUT 300
  ENVIRONMENT "NETPEER_NIC=-device virtio-net-device,netdev=n0,mac=52:54:00:12:34:56")
