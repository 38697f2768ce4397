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

.PHONY: all deps host test test-host test-cross demo bench qemu-dwmac clean qemu-virtio-blk fuzz $(TARGETS)

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

# make qemu-virtio-blk IMAGE=disk.img: the bare-metal virtio-blk driver reads
# the whole image under QEMU and prints its sha256 (checked against sha256sum)
qemu-virtio-blk: deps
	@test -n "$(IMAGE)" || { echo "usage: make qemu-virtio-blk IMAGE=<file>"; exit 2; }
	@cmake -S . -B $(BUILD)/aarch64-virt -DCOH_TARGET=aarch64-virt \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/aarch64-virt/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/aarch64-virt -j$(JOBS) --target qemu-virtio-blk >/dev/null
	@sh tools/virtio-blk.sh read $(BUILD)/aarch64-virt/qemu-virtio-blk.elf $(IMAGE)

# make fuzz: the virtio drivers under libFuzzer (clang, ASan + UBSan) against a
# device whose every byte comes from the fuzzer; FUZZ_RUNS executions
FUZZ_RUNS ?= 1000000
fuzz:
	@sh tools/deps.sh fuzz
	@cmake -S . -B $(BUILD)/fuzz -DCMAKE_C_COMPILER=clang -DCOH_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/fuzz -j$(JOBS) --target fuzz_virtio >/dev/null
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/tests/virtio/fuzz_virtio -runs=$(FUZZ_RUNS) -seed=1 -max_len=600 \
	  -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus

clean:
	rm -rf $(BUILD)
