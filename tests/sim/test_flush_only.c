/* SPDX-License-Identifier: MIT */
/*
 * SIM_F_FLUSH_ONLY: a cache controller that can only clean+invalidate
 * (JH7110's SiFive L2).  The same acquire that is harmless on Arm - it
 * discards a CPU write the driver did not mean to keep - writes that line
 * back over the device's data here.  Both outcomes are asserted, so the
 * mode is known to change behaviour, and the loss is reported.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct coh_device dev;
static uint8_t *ram;
static uint64_t ram_phys;

static void quiet(const struct sim_report *r, void *ctx)
{
	(void)r;
	(void)ctx;
}

static int setup(unsigned flags, unsigned refill)
{
	struct sim_config cfg;
	size_t size;

	sim_fini();
	sim_config_default(&cfg);
	cfg.flags = flags;
	cfg.evict_permille = 0;		/* only the maintenance under test writes back */
	cfg.refill_permille = refill;
	if (sim_init(&cfg) || sim_area(0, (void **)&ram, &ram_phys, &size))
		return -1;
	sim_set_report_hook(quiet, NULL);
	coh_device_init(&dev, "eqos", 0);
	return 0;
}

/*
 * A status line the CPU wrote (a stale "clear" of a field) after the device
 * already wrote it, then acquired: Arm keeps the device's bytes; flush-only
 * writes the CPU's line back over them.
 */
static unsigned long inval_cpu_data;

static uint8_t after_acquire(unsigned flags, unsigned long *reports)
{
	uint8_t v = 0xd5, out;

	/* the CPU has the line cached when the device writes (a prefetch:
	 * in flush-only mode the release itself dropped the line) */
	if (setup(flags, 1000))
		return 0;
	memset(ram, 0x33, 64);
	coh_release(&dev, ram, 64);		/* clean: the line stays cached */
	sim_dev_write(&dev, ram_phys, &v, 1);	/* the device writes */
	ram[1] = 0;				/* CPU dirties the line */
	coh_acquire(&dev, ram, 64);
	out = ram[0];
	*reports = sim_reports(-1);
	inval_cpu_data = sim_reports(SIM_INVALIDATE_CPU_DATA);
	return out;
}

static void test_arm_like_discards(void)
{
	unsigned long n;

	CHECK_EQ(after_acquire(0, &n), 0xd5);
	/* the device's byte survives; the CPU's own store to byte 1 does not,
	 * and that loss is the one report */
	CHECK_EQ(n, 1);
	CHECK_EQ(inval_cpu_data, 1);
}

static void test_flush_only_writes_back(void)
{
	unsigned long n;

	CHECK_EQ(after_acquire(SIM_F_FLUSH_ONLY, &n), 0x33);
	CHECK(n >= 1);
}

/* a correct give/take of a buffer is clean in both modes, data intact */
static void test_correct_cycle(void)
{
	for (unsigned f = 0; f < 2; f++) {
		uint8_t buf[200];

		CHECK(!setup(f ? SIM_F_FLUSH_ONLY : 0, 0));
		memset(ram, 0x11, 256);
		CHECK_EQ(coh_give(&dev, ram, 256, COH_FROM_DEVICE), 0);
		memset(buf, 0x77, sizeof(buf));
		sim_dev_write(&dev, ram_phys + 10, buf, sizeof(buf));
		CHECK_EQ(coh_take(&dev, ram, 256, COH_FROM_DEVICE), 0);
		CHECK(!memcmp(ram + 10, buf, sizeof(buf)));
		CHECK_EQ(sim_quiesce(), 0);
	}
}

int main(void)
{
	RUN(test_arm_like_discards);
	RUN(test_flush_only_writes_back);
	RUN(test_correct_cycle);
	sim_fini();
	return th_finish("flush_only");
}
