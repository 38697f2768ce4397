# SPDX-License-Identifier: MIT
# User-facing verbs.  The build itself is CMake; this file only drives it.
#   make test    host tests (core, sanitizer, ...) then every cross target under QEMU
#   make demo    the DWMAC QoS Ethernet driver on the simulated non-coherent SoC, every ring layout
#   make bench   benchmarks (release build), ratios against in-run baselines
#   make bench-check  two make bench runs in a row, compared (bench/compare.py)
#   make docs    the API reference (Doxygen, build/docs/html); fails on an undocumented symbol
#   make test CC=clang   the same with Clang as the first host compiler
#   make qemu-fb IMAGE=in.ppm OUT=out.ppm [FB=ramfb]  a picture through virtio-gpu or ramfb, screendumped
#   make qemu-dwmac  the DWMAC driver on QEMU's Allwinner sun8i EMAC (orangepi-pc),
#                frames exchanged with tools/netpeer, output as it runs

TARGETS ?= aarch64-virt armv7a-virt armv7m-mps2 riscv64-virt orangepi-pc
BUILD   ?= build
JOBS    ?= 2
CMAKE_FLAGS ?= -DCOH_WERROR=ON
# make test runs the host suite with both compilers: $(CC) first, then the other.
CC2 ?= $(if $(findstring clang,$(CC)),gcc,clang)

# the same targets compiled by Clang (cmake/clang-cross.cmake), linked with picolibc
CLANG_TARGETS = $(TARGETS:%=clang-%)

.PHONY: all deps host test test-host test-host-cc2 test-cross test-cross-clang demo bench bench-check docs qemu-dwmac clean qemu-virtio-blk qemu-nvme qemu-fb fuzz \
	$(TARGETS) $(CLANG_TARGETS)

all: host

deps:
	@sh tools/deps.sh

host: deps
	@cmake -S . -B $(BUILD)/host -DCMAKE_C_COMPILER=$(CC) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/host -j$(JOBS)

test-host: host
	ctest --test-dir $(BUILD)/host --output-on-failure -j$(JOBS)

test-host-cc2: deps
	@cmake -S . -B $(BUILD)/host-$(CC2) -DCMAKE_C_COMPILER=$(CC2) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/host-$(CC2) -j$(JOBS)
	ctest --test-dir $(BUILD)/host-$(CC2) --output-on-failure -j$(JOBS)

$(TARGETS): deps
	@cmake -S . -B $(BUILD)/$@ -DCOH_TARGET=$@ \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/$@/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/$@ -j$(JOBS)
	ctest --test-dir $(BUILD)/$@ --output-on-failure

test-cross: $(TARGETS)

$(CLANG_TARGETS): deps
	@cmake -S . -B $(BUILD)/$@ -DCOH_TARGET=$(@:clang-%=%) \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/clang-cross.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/$@ -j$(JOBS)
	ctest --test-dir $(BUILD)/$@ --output-on-failure

test-cross-clang: $(CLANG_TARGETS)

test: test-cross test-cross-clang test-host test-host-cc2

# only what the demo runs, and the -inject twin the README points at
demo: deps
	@cmake -S . -B $(BUILD)/host -DCMAKE_C_COMPILER=$(CC) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/host -j$(JOBS) --target coh-dwmac-demo coh-dwmac-demo-inject
	@$(BUILD)/host/demo/coh-dwmac-demo
	@$(BUILD)/host/demo/coh-dwmac-demo --flush-only

bench: deps
	@cmake -S . -B $(BUILD)/bench -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/bench -j$(JOBS) --target bench_progs
	@sh bench/run.sh $(BUILD)/bench

bench-check: bench
	@sh bench/run.sh $(BUILD)/bench
	@python3 bench/compare.py $(BUILD)/bench/bench/out/rows.prev.txt $(BUILD)/bench/bench/out/rows.txt

docs: deps
	python3 tools/api_check.py $(CURDIR) $(BUILD)/docs
	@echo "docs: $(BUILD)/docs/html/index.html"

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

# make qemu-nvme IMAGE=disk.img: the bare-metal NVMe driver (PCIe on virt)
# reads the whole image under QEMU and prints its sha256 (checked against
# sha256sum); any image of whole 512-byte sectors
qemu-nvme: deps
	@test -n "$(IMAGE)" || { echo "usage: make qemu-nvme IMAGE=<file>"; exit 2; }
	@cmake -S . -B $(BUILD)/aarch64-virt -DCOH_TARGET=aarch64-virt \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/aarch64-virt/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/aarch64-virt -j$(JOBS) --target qemu-nvme >/dev/null
	@sh tools/nvme.sh read $(BUILD)/aarch64-virt/qemu-nvme.elf $(IMAGE)
# make qemu-fb IMAGE=in.ppm OUT=out.ppm [FB=virtio-gpu|ramfb]: the picture (binary
# P6, up to 1280x800) shown by the bare-metal framebuffer driver under QEMU,
# uploaded in several rectangles; OUT gets QEMU's screendump (tools/fb.sh)
FB ?= virtio-gpu
qemu-fb: deps
	@test -n "$(IMAGE)" -a -n "$(OUT)" || { echo "usage: make qemu-fb IMAGE=<in.ppm> OUT=<out.ppm> [FB=virtio-gpu|ramfb]"; exit 2; }
	@cmake -S . -B $(BUILD)/aarch64-virt -DCOH_TARGET=aarch64-virt \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/aarch64-virt/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/aarch64-virt -j$(JOBS) --target qemu-fb-$(FB) >/dev/null
	@sh tools/fb.sh $(FB) $(BUILD)/aarch64-virt/qemu-fb-$(FB).elf $(IMAGE) $(OUT)

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

# make qemu-sd IMAGE=card.img: the sunxi-mmc SD host driver (internal DMA)
# reads the image on QEMU orangepi-pc (padded to a power-of-two card by
# tools/sd.sh, only the image's own sectors hashed) and prints
# "sdhost: sha256 <hex> <sectors> sectors", checked against sha256sum
.PHONY: qemu-sd
qemu-sd: deps
	@test -n "$(IMAGE)" || { echo "usage: make qemu-sd IMAGE=<file>"; exit 2; }
	@cmake -S . -B $(BUILD)/orangepi-pc -DCOH_TARGET=orangepi-pc \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/platform/orangepi-pc/toolchain.cmake $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)/orangepi-pc -j$(JOBS) --target qemu-sd >/dev/null
	@sh tools/sd.sh read $(BUILD)/orangepi-pc/qemu-sd.elf $(IMAGE)
