# SPDX-License-Identifier: MIT
# RAM at 0x40000000 as on aarch64 virt; linked past the device tree slot.
set(COH_BACKEND armv7a)
set(COH_EXPECT_LINE 64)      # QEMU cortex-a15 CTR = 0x8444c004, DminLine 4
set(COH_LINK_OPTIONS --oslib=semihost --crt0=semihost
  -Wl,--defsym=__flash=0x40080000,--defsym=__flash_size=0x200000
  -Wl,--defsym=__ram=0x40300000,--defsym=__ram_size=0x1000000)
set(COH_QEMU qemu-system-arm -M virt -cpu cortex-a15 -m 128M -nographic
  -monitor none -nic none -semihosting -kernel)
