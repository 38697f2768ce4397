# SPDX-License-Identifier: MIT
# QEMU orangepi-pc (Allwinner H3, Cortex-A7): RAM at 0x40000000, image
# linked at 0x40080000 like the virt boards.  mmu.c turns the MMU and the
# caches on before main(), so every run here has the D-cache enabled.
set(COH_BACKEND armv7a)
set(COH_EXPECT_LINE 64)      # QEMU cortex-a7 CTR = 0x84448003, DminLine 4
set(COH_PLATFORM_SOURCES ${COH_PLATFORM_DIR}/mmu.c ${COH_PLATFORM_DIR}/timer.c)
set(COH_LINK_OPTIONS --oslib=semihost --crt0=semihost
  -Wl,--defsym=__flash=0x40080000,--defsym=__flash_size=0x200000
  -Wl,--defsym=__ram=0x40300000,--defsym=__ram_size=0x1000000)
set(COH_QEMU qemu-system-arm -M orangepi-pc -nographic
  -monitor none -nic none -semihosting -kernel)

# The platform itself: caches on, table attributes as documented.
coh_qemu_test(orangepi-pc-mmu LABELS core
  SOURCES ${COH_PLATFORM_DIR}/test_mmu.c LIBS coherent)

