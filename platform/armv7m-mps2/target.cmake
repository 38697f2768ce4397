# SPDX-License-Identifier: MIT
# mps2-an500: 4 MiB SSRAM at 0 (the vector table picolibc's crt0 provides
# must be there: the M7 fetches SP and reset PC from address 0), 4 MiB at
# 0x20000000 for data and stack.
set(COH_BACKEND armv7m)
# QEMU 7.2 models no M7 cache: CLIDR and CCSIDR read 0 and the SCB
# maintenance registers are write-ignored.  With no L1 D-cache in CLIDR the
# backend reports 0 (unknown) and the core falls back to COH_DEFAULT_LINE.
set(COH_EXPECT_LINE 64)
set(COH_LINK_OPTIONS --oslib=semihost --crt0=semihost
  -Wl,--defsym=__flash=0x0,--defsym=__flash_size=0x400000
  -Wl,--defsym=__ram=0x20000000,--defsym=__ram_size=0x400000)
set(COH_QEMU qemu-system-arm -M mps2-an500 -nographic -monitor none -nic none
  -semihosting -kernel)
