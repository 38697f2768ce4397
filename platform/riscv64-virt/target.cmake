# SPDX-License-Identifier: MIT
# QEMU 7.2 riscv64 virt has no Zicbom (-cpu rv64,zicbom=true: "Property not
# found") and no XTheadCMO: trap.S + cmo_trap.c decode and skip those
# instructions in M-mode and count them, so the real backend code runs.
set(COH_BACKEND riscv64-zicbom)
set(COH_EXPECT_LINE 64)      # not discoverable: COH_DEFAULT_LINE
set(COH_PLATFORM_SOURCES ${COH_PLATFORM_DIR}/trap.S ${COH_PLATFORM_DIR}/cmo_trap.c)
set(COH_LINK_OPTIONS --oslib=semihost --crt0=semihost
  -Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x200000
  -Wl,--defsym=__ram=0x80200000,--defsym=__ram_size=0x1000000)
set(COH_QEMU qemu-system-riscv64 -M virt -bios none -m 128M -nographic
  -monitor none -nic none -semihosting -kernel)

set(rv ${COH_PLATFORM_DIR})
coh_qemu_test(riscv64-virt-cmo LABELS core
  SOURCES ${rv}/test_cmo.c LIBS coherent DEFS RV_FAMILY_ZICBOM)

# The other two RISC-V backends on the same machine: core suite + counts.
coh_add_library(coherent_thead ${COH_ROOT}/arch/riscv64-thead)
coh_qemu_test(riscv64-virt-thead LABELS core
  SOURCES ${COH_CORE_TESTS} LIBS coherent_thead DEFS COH_TEST_EXPECT_LINE=64)
coh_qemu_test(riscv64-virt-thead-cmo LABELS core
  SOURCES ${rv}/test_cmo.c LIBS coherent_thead DEFS RV_FAMILY_THEAD)

coh_add_library(coherent_sifive ${COH_ROOT}/arch/riscv64-sifive-ccache)
coh_qemu_test(riscv64-virt-sifive LABELS core
  SOURCES ${COH_CORE_TESTS} ${rv}/sifive_setup.c LIBS coherent_sifive
  DEFS COH_TEST_EXPECT_LINE=64)
coh_qemu_test(riscv64-virt-sifive-cmo LABELS core
  SOURCES ${rv}/test_cmo.c ${rv}/sifive_setup.c LIBS coherent_sifive
  DEFS RV_FAMILY_SIFIVE)

# NVMe over PCIe against QEMU's nvme controller (issue 21).
include(${COH_ROOT}/tests/nvme/qemu.cmake)
