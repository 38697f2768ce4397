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

# The DWMAC driver (dwmac_core.c + dwmac_sun8i.c: the core the simulator
# demo builds, with the sun8i variant) against QEMU's allwinner-sun8i-emac,
# tools/netpeer on the wire; held to the core's warning list, as on the host.
add_library(dwmac_sun8i STATIC ${COH_ROOT}/drivers/dwmac/dwmac_core.c
  ${COH_ROOT}/drivers/dwmac/dwmac_sun8i.c)
target_include_directories(dwmac_sun8i PUBLIC ${COH_ROOT}/drivers/dwmac)
target_link_libraries(dwmac_sun8i PUBLIC coherent)
target_compile_options(dwmac_sun8i PRIVATE ${COH_CORE_WARN})
function(sun8i_run name)
  coh_qemu_net_test(${name} LABELS net RUN_NAME sun8i-emac
    SOURCES ${COH_ROOT}/tests/net/sun8i_emac.c LIBS dwmac_sun8i ${ARGN})
endfunction()
# descriptors one per cache line in cached RAM, packed in the uncached window,
# packed in cached RAM with RX re-armed a line at a time
sun8i_run(sun8i-emac)
sun8i_run(sun8i-emac-uncached DEFS SUN8I_LAYOUT=1)
sun8i_run(sun8i-emac-batched DEFS SUN8I_LAYOUT=2)
# planted bugs: each must fail the run and say why
sun8i_run(sun8i-emac-no-doorbell EXPECT_FAIL "poll demand \\(doorbell\\) missing"
  DEFS SUN8I_BROKEN=1)
sun8i_run(sun8i-emac-own-before-addr EXPECT_FAIL "netpeer: bad frame"
  DEFS SUN8I_BROKEN=2)
sun8i_run(sun8i-emac-no-rx-doorbell EXPECT_FAIL "RX poll demand \\(doorbell\\) missing"
  DEFS SUN8I_BROKEN=3)

# The sunxi-mmc SD host driver against QEMU's allwinner-sdhost-sun5i (issue 22).
include(${COH_ROOT}/tests/sdhost/qemu.cmake)
