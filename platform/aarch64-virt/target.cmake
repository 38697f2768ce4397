# SPDX-License-Identifier: MIT
# RAM starts at 0x40000000 and QEMU puts the device tree there for ELF
# boots, so the image is linked at 0x40080000.  picolibc's crt0 with
# semihosting: printf reaches QEMU's stdout and exit(n) its exit status.
set(COH_BACKEND aarch64)
# Every ELF runs with the MMU and caches on (mmu.c, a constructor; map in mmu.h).
set(COH_PLATFORM_SOURCES ${COH_PLATFORM_DIR}/mmu.c)
set(COH_EXPECT_LINE 64)      # QEMU cortex-a53 CTR_EL0 = 0x84448004, DminLine 4
set(COH_LINK_OPTIONS --oslib=semihost --crt0=semihost
  -Wl,--defsym=__flash=0x40080000,--defsym=__flash_size=0x200000
  -Wl,--defsym=__ram=0x40300000,--defsym=__ram_size=0x1000000)
set(COH_QEMU qemu-system-aarch64 -M virt -cpu cortex-a53 -m 128M -nographic
  -monitor none -nic none -semihosting -kernel)

# VirtIO drivers against QEMU's virtio-mmio devices (issue 12).
include(${COH_ROOT}/tests/virtio/qemu.cmake)

# NVMe over PCIe against QEMU's nvme controller (issue 21).
include(${COH_ROOT}/tests/nvme/qemu.cmake)
# Framebuffers: virtio-gpu and ramfb (issue 23).
include(${COH_ROOT}/tests/fb/qemu.cmake)
