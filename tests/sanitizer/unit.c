/* SPDX-License-Identifier: MIT */
/* The simulator itself: addressing, bad input, snooping, reports, replay. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"
#include "sim_dmac.h"

TH_DEFINE_COUNTERS;

static struct sim_report last;
static unsigned long nhook;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	last = *r;
	nhook++;
}

static int up(size_t line, uint64_t seed, unsigned evict, unsigned refill)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.ram_size = 64 << 10;
	cfg.line = line;
	cfg.seed = seed;
	cfg.evict_permille = evict;
	cfg.refill_permille = refill;
	/* these tests drive the cache model with raw device accesses */
	cfg.flags |= SIM_F_NO_DEVICE_CHECKS;
	nhook = 0;
	memset(&last, 0, sizeof(last));
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	return 0;
}

static void t_init_and_areas(void)
{
	struct sim_config cfg;
	void *c, *u;
	uint64_t p0, p1;
	size_t s0, s1;

	sim_config_default(&cfg);
	cfg.line = 48;
	CHECK_EQ(sim_init(&cfg), -COH_EINVAL);
	for (size_t l = 32; l <= 128; l *= 2) {
		CHECK_EQ(up(l, 1, 0, 0), 0);
		CHECK_EQ(sim_init(&cfg), -COH_EBUSY);
		CHECK_EQ(coh_cache_line_size(), l);
		CHECK_EQ(sim_area(0, &c, &p0, &s0), 0);
		CHECK_EQ(sim_area(1, &u, &p1, &s1), 0);
		CHECK_EQ(sim_area(2, &u, &p1, &s1), -COH_ERANGE);
		CHECK(p0 == 0x80000000u);
		CHECK(p1 >= p0 + s0);
		CHECK(sim_virt_to_phys((char *)c + 100) == p0 + 100);
		CHECK(sim_phys_to_virt(p1 + 8) == (char *)u + 8);
		CHECK(sim_phys_to_virt(p0 + s0) == NULL || s0 == 0);
		CHECK(sim_virt_to_phys(&cfg) == ~(uint64_t)0);
		CHECK(strcmp(coh_backend_name(), "sim") == 0);
		sim_fini();
	}
}

static void t_outside_memory(void)
{
	struct coh_device dev;
	unsigned char host[64], buf[16];
	void *c;
	uint64_t p0;

	CHECK_EQ(up(64, 1, 0, 0), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, &c, &p0, NULL);
	/* maintenance outside simulated memory: a clear error, nothing done */
	CHECK_EQ(coh_release(&dev, host, sizeof(host)), -COH_EFAULT);
	CHECK_EQ(coh_acquire(&dev, host, sizeof(host)), -COH_EFAULT);
	CHECK_EQ(coh_give(&dev, host, 8, COH_TO_DEVICE), -COH_EFAULT);
	CHECK_EQ(coh_arch_range_check((uintptr_t)host, (uintptr_t)host + 8), -COH_EFAULT);
	CHECK_EQ(coh_release(&dev, c, 64), 0);
	CHECK_EQ(dev.stats.lines_cleaned, 1);
	/* device access outside RAM or above the mask: error status and a report */
	CHECK_EQ(sim_dev_read(&dev, 0x10, buf, sizeof(buf)), -COH_EFAULT);
	CHECK_EQ(sim_reports(SIM_BAD_BUS_ADDRESS), 1);
	CHECK_EQ(last.cls, SIM_BAD_BUS_ADDRESS);
	CHECK(last.bus == 0x10);
	CHECK_EQ(sim_dev_write(&dev, p0 + (64 << 10) - 8, buf, 16), -COH_EFAULT);
	CHECK_EQ(sim_dev_write(&dev, ~(uint64_t)0 - 4, buf, 16), -COH_EFAULT);
	dev.dma_mask = p0 + 0xff;
	CHECK_EQ(sim_dev_read(&dev, p0 + 0xf8, buf, 16), -COH_EFAULT);
	CHECK_EQ(sim_dev_read(&dev, p0 + 0xf0, buf, 16), 0);
	CHECK_EQ(sim_reports(SIM_BAD_BUS_ADDRESS), 4);
	CHECK_EQ(sim_reports(-1), 4);
	sim_fini();
}

static void t_mmio_fallback(void)
{
	uint32_t reg = 0;

	CHECK_EQ(up(64, 1, 0, 0), 0);
	coh_mmio_write32(&reg, 0x12345678u);
	CHECK_EQ(coh_mmio_read32(&reg), 0x12345678u);
	coh_mmio_write8((volatile uint8_t *)&reg, 0x5a);
	CHECK_EQ(coh_mmio_read8((volatile uint8_t *)&reg), 0x5a);
	sim_fini();
}

/* the cache model in slow motion, one device access at a time */
static void t_model_basics(void)
{
	struct coh_device dev;
	uint8_t *c, v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, got[8];
	uint64_t p0;

	CHECK_EQ(up(64, 1, 0, 0), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	/* CPU write not cleaned: the device sees RAM (zeros) and it is reported */
	memcpy(c, v, 8);
	CHECK_EQ(sim_dev_read(&dev, p0, got, 8), 0);
	CHECK_EQ(got[0], 0);
	CHECK_EQ(sim_reports(SIM_STALE_DEVICE_READ), 1);
	CHECK_EQ(coh_release(&dev, c, 8), 0);
	CHECK_EQ(sim_dev_read(&dev, p0, got, 8), 0);
	CHECK(memcmp(got, v, 8) == 0);
	/* device write to a cached line: the CPU copy is stale until acquired */
	CHECK_EQ(sim_dev_write(&dev, p0 + 64, v, 8), 0);
	CHECK_EQ(c[64], 0);
	CHECK_EQ(coh_consume(&dev, c + 64, 8), -COH_EPROTO);
	CHECK_EQ(sim_reports(SIM_STALE_CPU_READ), 1);
	CHECK_EQ(coh_acquire(&dev, c + 64, 8), 0);
	CHECK_EQ(c[64], 1);
	CHECK_EQ(coh_consume(&dev, c + 64, 8), 0);
	/* after an invalidate (and no refill: refill 0) the CPU sees device writes */
	CHECK_EQ(sim_dev_write(&dev, p0 + 64, got, 8), 0);
	CHECK(memcmp(c + 64, got, 8) == 0);
	CHECK_EQ(sim_reports(-1), 2);
	/* an acquire of a partial line keeps the CPU's neighbouring writes */
	c[128] = 0x77;
	CHECK_EQ(coh_acquire(&dev, c + 130, 10), 0);
	CHECK_EQ(c[128], 0x77);
	/* the careless invalidate loses them, and says so */
	c[192] = 0x77;
	sim_raw_invalidate(c + 194, 10);
	CHECK_EQ(c[192], 0);
	CHECK_EQ(sim_reports(SIM_PARTIAL_LINE_LOSS), 1);
	CHECK_EQ(sim_reports(-1), 3);
	sim_fini();
}

static void t_coherent_snoops(void)
{
	struct coh_device dev;
	uint8_t *c, v[4] = { 9, 8, 7, 6 }, got[4];
	uint64_t p0;

	CHECK_EQ(up(32, 1, 500, 500), 0);
	coh_device_init(&dev, "c", COH_DEV_COHERENT);
	sim_area(0, (void **)&c, &p0, NULL);
	memcpy(c + 32, v, 4);
	CHECK_EQ(sim_dev_read(&dev, p0 + 32, got, 4), 0);
	CHECK(memcmp(got, v, 4) == 0);
	CHECK_EQ(sim_dev_write(&dev, p0 + 96, v, 4), 0);
	CHECK(memcmp(c + 96, v, 4) == 0);
	CHECK_EQ(coh_consume(&dev, c + 96, 4), 0);
	CHECK_EQ(sim_quiesce(), 0);
	sim_fini();
}

static void t_report_fields(void)
{
	struct coh_device dev;
	uint8_t *c;
	uint64_t p0;
	int give_line;

	CHECK_EQ(up(64, 42, 0, 0), 0);
	coh_device_init(&dev, "eth0", 0);
	dev.bus_offset = 0x100000000ull;
	dev.dma_mask = ~0ull;
	sim_area(0, (void **)&c, &p0, NULL);
	sim_name(c + 0x40, 128, "rx[3]");
	give_line = __LINE__ + 1;
	CHECK_EQ(coh_give(&dev, c + 0x40, 128, COH_FROM_DEVICE), 0);
	c[0x41] = 1; /* CPU writes the device's buffer */
	CHECK_EQ(coh_take(&dev, c + 0x40, 128, COH_FROM_DEVICE), 0);
	CHECK_EQ(sim_reports(SIM_CPU_WRITE_DEVICE_OWNED), 1);
	CHECK_EQ(last.cls, SIM_CPU_WRITE_DEVICE_OWNED);
	CHECK(last.bus == p0 + 0x40 + 0x100000000ull);
	CHECK(strcmp(last.buf, "rx[3]") == 0);
	CHECK(last.seed == 42);
	CHECK(last.file && strcmp(last.file, "unit.c") == 0);
	CHECK_EQ(last.line, give_line);
	CHECK(strcmp(last.change, "coh_give FROM_DEVICE") == 0);
	CHECK(strcmp(sim_class_name(SIM_SPECULATIVE_STALE), "SPECULATIVE_STALE") == 0);
	CHECK(strcmp(sim_class_name(99), "?") == 0);
	sim_fini();
}

/*
 * Memory freed while the device owns bytes of it.  A debug build of the
 * library refuses the free before the simulator sees it; the simulator's
 * own check is driven through the op hook coh_free uses (COH_OP_UNSHARE),
 * as a release build of the library would.
 */
static void t_free_device_owned(void)
{
	struct coh_device dev;
	struct coh_region reg;
	COH_SHARED(uint8_t) h;
	uint8_t *c, *rx;
	uint64_t p0;
	int give_line, free_line;

	CHECK_EQ(up(64, 5, 0, 0), 0);
	coh_device_init(&dev, "eth0", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	CHECK_EQ(coh_region_add(&reg, c + 32768, p0 + 32768, 16384, 0), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 512, 0), 0);
	rx = coh_raw(&h);
	sim_name(rx, 512, "rxbuf");
	give_line = __LINE__ + 1;
	CHECK_EQ(coh_give(&dev, rx + 0x140, 64, COH_FROM_DEVICE), 0);
#if COH_DEBUG
	CHECK_EQ(coh_free(&h), -COH_EBUSY);	/* refused: nothing freed */
	CHECK_EQ(sim_reports(-1), 0);
#endif
	free_line = __LINE__ + 1;
	CHECK_EQ(coh_arch_op(COH_OP_UNSHARE, &dev, rx, 512, -1, COH_HERE), 0);
	coh_arch_op_end(COH_OP_UNSHARE);
	CHECK_EQ(sim_reports(SIM_FREE_DEVICE_OWNED), 1);
	CHECK_EQ(sim_reports(-1), 1);
	CHECK_EQ(last.cls, SIM_FREE_DEVICE_OWNED);
	CHECK(last.bus == sim_virt_to_phys(rx + 0x140));
	CHECK(strcmp(last.buf, "rxbuf") == 0);
	CHECK(last.file && strcmp(last.file, "unit.c") == 0);
	CHECK_EQ(last.line, give_line);	/* the give that was never taken back */
	CHECK(strcmp(last.change, "coh_give FROM_DEVICE") == 0);
	{
		char at[32];

		snprintf(at, sizeof(at), "unit.c:%d", free_line);
		CHECK(strstr(last.msg, at) != NULL);	/* ... and the free */
		CHECK(strstr(last.msg, "64 byte(s)") != NULL);
	}
	CHECK(strcmp(sim_class_name(SIM_FREE_DEVICE_OWNED), "FREE_DEVICE_OWNED") == 0);
	/* the free ended device ownership: nothing more to report */
	CHECK_EQ(sim_quiesce(), 1);
	/* given and taken back: a clean free */
	CHECK_EQ(coh_give(&dev, rx, 512, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_take(&dev, rx, 512, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(sim_reports(-1), 1);
	CHECK_EQ(coh_region_remove(&reg), 0);
	sim_fini();
}

/* evictions and refills are random but replay exactly from the seed */
static unsigned long chaos(uint64_t seed, uint64_t *bus_first)
{
	struct coh_device dev;
	uint8_t *c, v[512];
	uint64_t p0;
	unsigned long n;

	if (up(64, seed, 300, 300))
		return ~0ul;
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	memset(v, 0x33, sizeof(v));
	*bus_first = 0;
	for (int round = 0; round < 20; round++) {
		memset(c + 1024, round + 1, 512); /* dirty, never cleaned */
		for (int k = 0; k < 4; k++) {
			sim_dev_write(&dev, p0 + 1024 + 128u * (unsigned)k, v, 128);
			sim_step();
			if (sim_reports(-1) && !*bus_first)
				*bus_first = last.bus;
		}
		coh_acquire(&dev, c + 1024, 512);
	}
	n = sim_reports(-1);
	sim_fini();
	return n;
}

static void t_replay(void)
{
	uint64_t b1, b2, b3;
	unsigned long n1 = chaos(7, &b1), n2 = chaos(7, &b2), n3;
	int differ = 0;

	CHECK(n1 != ~0ul && n1 > 0);
	CHECK_EQ(n1, n2);
	CHECK(b1 == b2);
	for (uint64_t s = 8; s < 40 && !differ; s++) {
		n3 = chaos(s, &b3);
		differ = n3 != n1 || b3 != b1;
	}
	CHECK(differ); /* and the seed does matter */
}

/* cost follows the lines touched: a 256 MiB region costs what 64 KiB does */
static void t_cost_independent_of_size(void)
{
	struct sim_config cfg;
	struct coh_device dev;
	uint8_t *c;
	uint64_t p0;
	struct timespec t0, t1;
	double ms;

	sim_config_default(&cfg);
	cfg.ram_size = 256u << 20;
	cfg.line = 128;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(sim_init(&cfg), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	for (int k = 0; k < 1000; k++) {
		uint8_t *b = c + ((size_t)k * 4096 * 61) % (cfg.ram_size - 4096);

		b[0] = (uint8_t)k;
		coh_give(&dev, b, 256, COH_TO_DEVICE);
		coh_take(&dev, b, 256, COH_TO_DEVICE);
	}
	sim_quiesce();
	sim_fini();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	CHECK(ms < 500.0);
}

static int irqs;

static void on_irq(void *arg)
{
	(void)arg;
	irqs++;
}

/* the DMA controller: interrupt as a callback, error status on a bad address */
static void t_dmac_irq_and_error(void)
{
	struct coh_device dev;
	volatile uint8_t *r;
	uint8_t *u;
	uint64_t p1;
	int spins = 0;

	CHECK_EQ(up(64, 3, 0, 0), 0);
	coh_device_init(&dev, "dma", 0);
	r = sim_dmac_create(&dev);
	CHECK(r != NULL);
	CHECK_EQ(sim_irq_connect((void *)(uintptr_t)r, on_irq, NULL), 0);
	sim_area(1, (void **)&u, &p1, NULL);
	memset(u, 0x11, 1000);
	irqs = 0;
	coh_mmio_write32(r + DMAC_SRC_LO, (uint32_t)p1);
	coh_mmio_write32(r + DMAC_DST_LO, (uint32_t)p1 + 2048);
	coh_mmio_write32(r + DMAC_LEN, 1000);
	coh_mmio_write32(r + DMAC_CTRL, DMAC_CTRL_START | DMAC_CTRL_IRQ_EN);
	while (!irqs && ++spins < 100)
		sim_step();
	CHECK_EQ(irqs, 1);
	CHECK(spins > 1); /* 1000 bytes take several steps */
	CHECK_EQ(u[2048 + 999], 0x11);
	CHECK(coh_mmio_read32(r + DMAC_STATUS) & DMAC_ST_DONE);
	CHECK_EQ(coh_mmio_read32(r + DMAC_DONE_COUNT), 1);
	/* a destination outside RAM: ERR status, a report, no crash */
	coh_mmio_write32(r + DMAC_STATUS, DMAC_ST_DONE);
	coh_mmio_write32(r + DMAC_DST_LO, 0x1000);
	coh_mmio_write32(r + DMAC_CTRL, DMAC_CTRL_START);
	for (spins = 0; spins < 100 && !(coh_mmio_read32(r + DMAC_STATUS) & DMAC_ST_DONE); spins++)
		;
	CHECK(coh_mmio_read32(r + DMAC_STATUS) & DMAC_ST_ERR);
	CHECK_EQ(coh_mmio_read32(r + DMAC_ERR_COUNT), 1);
	CHECK_EQ(sim_reports(SIM_BAD_BUS_ADDRESS), 1);
	CHECK_EQ(irqs, 1); /* IRQ_EN was not set the second time */
	sim_fini();
}

/*
 * Store ordering: two typed stores to uncached memory, read by a device.
 * With coh_dma_wmb() (or an ordered MMIO write) between or after them
 * nothing is reported; without, the device soon sees the second without
 * the first, and the report names both lines.
 */
static void t_store_order(void)
{
	struct pair {
		uint32_t a, b;
	};
	struct coh_device dev;
	struct coh_region reg;
	COH_SHARED(struct pair) h;
	volatile uint32_t fake_reg = 0;	/* outside every window: a plain access */
	struct pair got;
	uint8_t *u;
	uint64_t p1;
	int line_a = 0, line_b = 0;

	CHECK_EQ(up(64, 9, 0, 0), 0);
	coh_device_init(&dev, "dmac", 0);
	dev.dma_mask = ~0ull;
	sim_area(1, (void **)&u, &p1, NULL);
	CHECK_EQ(coh_region_add(&reg, u, p1, 16384, COH_REGION_UNCACHED), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, COH_ATTR_UNCACHED), 0);
	for (uint32_t i = 1; i <= 200; i++) {
		coh_write(&h, [0].a, i);
		coh_dma_wmb();
		coh_write(&h, [0].b, i);
		CHECK_EQ(sim_dev_read(&dev, coh_bus(&h), &got, sizeof(got)), 0);
		CHECK(got.a == i && (got.b == i || got.b == (i > 1 ? i + 999 : 0)));
		coh_write(&h, [0].a, i + 1000);
		coh_write(&h, [0].b, i + 1000);
		coh_mmio_write32(&fake_reg, i);	/* ordered: the doorbell orders them */
		CHECK_EQ(sim_dev_read(&dev, coh_bus(&h), &got, sizeof(got)), 0);
		CHECK(got.a == i + 1000 && got.b == i + 1000);
	}
	CHECK_EQ(sim_reports(-1), 0);
	for (uint32_t i = 1; i <= 200 && !sim_reports(-1); i++) {
		line_a = __LINE__ + 1;
		coh_write(&h, [0].a, 5000 + i);
		line_b = __LINE__ + 1;
		coh_write(&h, [0].b, 5000 + i);
		CHECK_EQ(sim_dev_read(&dev, coh_bus(&h), &got, sizeof(got)), 0);
		coh_dma_wmb();
	}
	CHECK_EQ(sim_reports(SIM_UNORDERED_STORES), 1);
	CHECK_EQ(last.cls, SIM_UNORDERED_STORES);
	CHECK(last.bus == coh_bus(&h) + 4);
	CHECK(strcmp(sim_class_name(SIM_UNORDERED_STORES), "UNORDERED_STORES") == 0);
	{
		char at[32];

		snprintf(at, sizeof(at), "unit.c:%d", line_b);
		CHECK(strstr(last.msg, at) != NULL);
		snprintf(at, sizeof(at), "unit.c:%d", line_a);
		CHECK(strstr(last.msg, at) != NULL);
		CHECK(strstr(last.msg, "missing coh_dma_wmb()") != NULL);
	}
	/* more stores than the table holds: the oldest retire, a barrier orders the rest */
	{
		struct pair many[64];

		CHECK_EQ(coh_free(&h), 0);
		CHECK_EQ(coh_alloc_shared(&h, &dev, 64, COH_ATTR_UNCACHED), 0);
		for (uint32_t k = 0; k < 64; k++)
			coh_write(&h, [k].a, k + 1);
		coh_dma_wmb();
		CHECK_EQ(sim_dev_read(&dev, coh_bus(&h), many, sizeof(many)), 0);
		for (uint32_t k = 0; k < 64; k++)
			CHECK(many[k].a == k + 1);
		CHECK_EQ(sim_reports(-1), 1);
	}
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_region_remove(&reg), 0);
	sim_fini();
}

/*
 * Load ordering: the device writes b, then a (its owner word).  A CPU that
 * read a new and then b without a read barrier may get b old: reported,
 * and only then given the old value.
 */
struct lpair {
	uint32_t a, b;
};
typedef COH_SHARED(struct lpair) lpair_t;

static void dev_put32(const struct coh_device *dev, coh_bus_t bus, uint32_t v)
{
	CHECK_EQ(sim_dev_write(dev, bus, &v, sizeof(v)), 0);
}

/* trials of the race with `between` device writes between b and a: *n reported */
static void load_race(const struct coh_device *dev, lpair_t *h, unsigned between,
		      unsigned trials, unsigned long *n)
{
	unsigned long before = sim_reports(SIM_UNORDERED_LOADS);

	*n = 0;

	for (uint32_t i = 1; i <= trials; i++) {
		uint32_t b;

		dev_put32(dev, coh_bus(h) + 4, 7000 + i);
		for (unsigned k = 0; k < between; k++)
			dev_put32(dev, coh_bus(h) + (k + 1) * sizeof(struct lpair), k);
		dev_put32(dev, coh_bus(h), 7000 + i);
		CHECK_EQ(coh_read(h, [0].a), 7000 + i);
		b = coh_read(h, [0].b);
		CHECK(b == 7000 + i || sim_reports(SIM_UNORDERED_LOADS) > before);
		coh_dma_rmb();
	}
	*n = sim_reports(SIM_UNORDERED_LOADS) - before;
}

static void t_load_order(void)
{
	struct coh_device dev, cdev;
	struct coh_region reg, reg0;
	lpair_t h;
	unsigned long n = 0;
	volatile uint32_t fake_reg = 0;	/* outside every window: a plain access */
	uint8_t *u, *c;
	uint64_t p0, p1;
	int line_a = 0, line_b = 0;
	uint32_t got_b = 0, want_b = 0;

	CHECK_EQ(up(64, 11, 0, 0), 0);
	coh_device_init(&dev, "dmac", 0);
	dev.dma_mask = ~0ull;
	sim_area(1, (void **)&u, &p1, NULL);
	CHECK_EQ(coh_region_add(&reg, u, p1, 16384, COH_REGION_UNCACHED), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 64, COH_ATTR_UNCACHED), 0);
	/* each read-ordering point clears the history: b is read new, unreported */
	for (uint32_t i = 1; i <= 200; i++) {
		dev_put32(&dev, coh_bus(&h) + 4, i);
		dev_put32(&dev, coh_bus(&h), i);
		CHECK_EQ(coh_read(&h, [0].a), i);
		switch (i % 4) {
		case 0: coh_dma_rmb(); break;
		case 1: coh_mb(); break;
		case 2: (void)coh_mmio_read32(&fake_reg); break;	/* ordered: includes a read barrier */
		default: sim_quiesce(); break;
		}
		CHECK_EQ(coh_read(&h, [0].b), i);
	}
	/* b read before a: no later write seen, nothing to report (and no barrier at all) */
	for (uint32_t i = 1; i <= 200; i++) {
		dev_put32(&dev, coh_bus(&h) + 4, 3000 + i);
		dev_put32(&dev, coh_bus(&h), 3000 + i);
		CHECK_EQ(coh_read(&h, [0].b), 3000 + i);
		CHECK_EQ(coh_read(&h, [0].a), 3000 + i);
	}
	coh_dma_rmb();
	CHECK_EQ(sim_reports(-1), 0);
	/* a over b without a read barrier: reported once the coin says early */
	for (uint32_t i = 1; i <= 200 && !sim_reports(-1); i++) {
		dev_put32(&dev, coh_bus(&h) + 4, 5000 + i);
		dev_put32(&dev, coh_bus(&h), 5000 + i);
		line_a = __LINE__ + 1;
		CHECK_EQ(coh_read(&h, [0].a), 5000 + i);
		coh_dma_wmb();	/* a write barrier orders no load */
		line_b = __LINE__ + 1;
		got_b = coh_read(&h, [0].b);
		want_b = sim_reports(-1) ? (i > 1 ? 5000 + i - 1 : 3200) : 5000 + i;
		CHECK_EQ(got_b, want_b);	/* the old value only when reported */
		coh_dma_rmb();
	}
	CHECK_EQ(sim_reports(SIM_UNORDERED_LOADS), 1);
	CHECK_EQ(last.cls, SIM_UNORDERED_LOADS);
	CHECK(last.bus == coh_bus(&h) + 4);
	CHECK_EQ(last.line, line_b);
	CHECK(strcmp(sim_class_name(SIM_UNORDERED_LOADS), "UNORDERED_LOADS") == 0);
	{
		char at[32];

		snprintf(at, sizeof(at), "unit.c:%d", line_a);
		CHECK(strstr(last.msg, at) != NULL);
		CHECK(strstr(last.msg, "CPU read +4 (device wrote it before +0") != NULL);
		CHECK(strstr(last.msg, "without a coh_dma_rmb()") != NULL);
	}
	/*
	 * The table holds 32 writes, the oldest retired first: with 30 between
	 * b and a, b is still known (reported in some trials); with 31 it is
	 * retired and can no longer be reported.
	 */
	/* coh_get and coh_try_read are library loads too */
	for (uint32_t i = 1; i <= 200 && sim_reports(-1) == 1; i++) {
		struct lpair got;

		dev_put32(&dev, coh_bus(&h) + 4, 6000 + i);
		dev_put32(&dev, coh_bus(&h), 6000 + i);
		CHECK_EQ(coh_read(&h, [0].a), 6000 + i);
		CHECK_EQ(coh_get(&h, 0, 1, &got), 0);
		CHECK(got.a == 6000 + i);
		CHECK(got.b == 6000 + i || sim_reports(-1) == 2);
		coh_dma_rmb();
	}
	CHECK_EQ(sim_reports(SIM_UNORDERED_LOADS), 2);
	for (uint32_t i = 1; i <= 200 && sim_reports(-1) == 2; i++) {
		uint32_t a = 0, b = 0;

		dev_put32(&dev, coh_bus(&h) + 4, 6500 + i);
		dev_put32(&dev, coh_bus(&h), 6500 + i);
		CHECK_EQ(coh_try_read(&h, [0].a, &a), 0);
		CHECK_EQ(coh_try_read(&h, [0].b, &b), 0);
		CHECK(a == 6500 + i && (b == 6500 + i || sim_reports(-1) == 3));
		coh_dma_rmb();
	}
	CHECK_EQ(sim_reports(SIM_UNORDERED_LOADS), 3);
	load_race(&dev, &h, 30, 100, &n);
	CHECK(n > 0);
	load_race(&dev, &h, 31, 100, &n);
	CHECK_EQ(n, 0);
	load_race(&dev, &h, 0, 100, &n);
	CHECK(n > 0);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_region_remove(&reg), 0);
	sim_fini();

	/* a coherent device: cached memory is read directly too */
	CHECK_EQ(up(64, 12, 0, 0), 0);
	coh_device_init(&cdev, "snoop", COH_DEV_COHERENT);
	cdev.dma_mask = ~0ull;
	sim_area(0, (void **)&c, &p0, NULL);
	CHECK_EQ(coh_region_add(&reg0, c, p0, 16384, 0), 0);
	CHECK_EQ(coh_alloc_shared(&h, &cdev, 64, 0), 0);
	load_race(&cdev, &h, 0, 100, &n);
	CHECK(n > 0);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_region_remove(&reg0), 0);
	sim_fini();
}

int main(void)
{
	RUN(t_init_and_areas);
	RUN(t_outside_memory);
	RUN(t_mmio_fallback);
	RUN(t_model_basics);
	RUN(t_coherent_snoops);
	RUN(t_report_fields);
	RUN(t_free_device_owned);
	RUN(t_replay);
	RUN(t_cost_independent_of_size);
	RUN(t_dmac_irq_and_error);
	RUN(t_store_order);
	RUN(t_load_order);
	return th_finish("sim");
}
