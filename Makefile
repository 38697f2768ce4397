# SPDX-License-Identifier: MIT
# User-facing verbs.  The build itself is CMake; this file only drives it.
#   make test    host tests (core, sanitizer, ...) then every cross target under QEMU
#   make demo    the DWMAC QoS Ethernet driver on the simulated non-coherent SoC, every ring layout
#   make bench   benchmarks (release build), ratios against in-run baselines
#   make qemu-dwmac  the DWMAC driver on QEMU's Allwinner sun8i EMAC (orangepi-pc),
#                frames exchanged with tools/netpeer, output as it runs

TARGETS ?= aarch64-virt armv7a-virt armv7m-mps2 riscv64-virt orangepi-pc
BUILD   ?= build
JOBS    ?= 2
CMAKE_FLAGS ?= -DCOH_WERROR=ON

.PHONY: all deps host test test-host test-cross demo bench qemu-dwmac clean $(TARGETS)

all: host

deps:
	@sh tools/deps.sh

host: deps
	@cmake -S . -B $(BUILD)/host $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/host -j$(JOBS)

test-host: host
	ctest --test-dir $(BUILD)/host --output-on-failure -j$(JOBS)

$(TARGETS): deps
	@cmake -S . -B $(BUILD)/$@ -DCOH_TARGET=$@ \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/$@/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/$@ -j$(JOBS)
	ctest --test-dir $(BUILD)/$@ --output-on-failure

test-cross: $(TARGETS)

test: test-cross test-host

demo: host
	@$(BUILD)/host/demo/coh-dwmac-demo
	@$(BUILD)/host/demo/coh-dwmac-demo --flush-only

bench: deps
	@cmake -S . -B $(BUILD)/bench -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/bench -j$(JOBS) --target bench_progs
	@sh bench/run.sh $(BUILD)/bench

qemu-dwmac: deps
	@cmake -S . -B $(BUILD)/orangepi-pc -DCOH_TARGET=orangepi-pc \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/orangepi-pc/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/orangepi-pc -j$(JOBS) --target sun8i-emac netpeer
	ctest --test-dir $(BUILD)/orangepi-pc -R '^sun8i-emac$$' -V

clean:
	rm -rf $(BUILD)
