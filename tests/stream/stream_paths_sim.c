/* SPDX-License-Identifier: MIT */
/*
 * Streaming paths on the simulated SoC that need it to be seen:
 *  - a bounced unmap whose invalidate fails (a range check made to fail
 *    through a linker wrap: a test-only hook, nothing in src/) ends every
 *    operation it began, frees its slot and leaves no byte given: the
 *    teardown finds nothing;
 *  - two live mappings of one buffer (a header and the frame holding it,
 *    both TO_DEVICE, in place and bounced): each is seen by the device
 *    with its own bytes, each unmaps on its own, nothing is reported;
 *  - a FROM_DEVICE bounce whose device writes part of the buffer: the
 *    rest keeps what the CPU had put there.
 * Link: -Wl,--wrap=coh_arch_range_check,--wrap=coh_arch_op,--wrap=coh_arch_op_end.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[64];
static unsigned char *ram, *pool, *area;
static uint64_t ram_phys;
static unsigned long nreports;

/* ---- the test-only hooks */

int __real_coh_arch_range_check(uintptr_t s, uintptr_t e);
int __wrap_coh_arch_range_check(uintptr_t s, uintptr_t e);
int __real_coh_arch_op(int op, struct coh_device *d, const void *p, size_t len,
		       int dir, const struct coh_where *w);
int __wrap_coh_arch_op(int op, struct coh_device *d, const void *p, size_t len,
		       int dir, const struct coh_where *w);
void __real_coh_arch_op_end(int op);
void __wrap_coh_arch_op_end(int op);

static int fail_pool;		/* maintenance of bounce-pool lines fails */
static int open_ops;		/* GIVE/TAKE begun and not ended */

int __wrap_coh_arch_range_check(uintptr_t s, uintptr_t e)
{
	if (fail_pool && s >= (uintptr_t)pool && e <= (uintptr_t)pool + (256u << 10))
		return -COH_EIO;
	return __real_coh_arch_range_check(s, e);
}

int __wrap_coh_arch_op(int op, struct coh_device *d, const void *p, size_t len,
		       int dir, const struct coh_where *w)
{
	int rc = __real_coh_arch_op(op, d, p, len, dir, w);

	if (!rc && (op == COH_OP_GIVE || op == COH_OP_TAKE))
		open_ops++;
	return rc;
}

void __wrap_coh_arch_op_end(int op)
{
	if (op == COH_OP_GIVE || op == COH_OP_TAKE)
		open_ops--;
	__real_coh_arch_op_end(op);
}

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (nreports++ < 5)
		sim_print_report(r, NULL);
}

static void quiet(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
}

static int setup(unsigned int sflags)
{
	struct sim_config cfg;
	size_t size;

	sim_fini();
	sim_config_default(&cfg);
	cfg.ram_size = 1u << 20;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	coh_set_diag_handler(quiet);
	sim_area(0, (void **)&ram, &ram_phys, &size);
	pool = ram;
	area = ram + (512u << 10);
	nreports = 0;
	open_ops = 0;
	fail_pool = 0;
	coh_device_init(&dev, "dma", 0);
	coh_stream_init(&st, recs, 64, sflags);
	coh_stream_bounce(&st, pool, ram_phys, 256u << 10);
	return coh_device_set_stream(&dev, &st);
}

static void t_failed_bounced_unmap(void)
{
	unsigned char *buf;
	coh_bus_t b;

	CHECK_EQ(setup(COH_STREAM_FORCE_BOUNCE), 0);
	buf = area;
	memset(buf, 0x5a, 512);
	b = coh_map_single(&dev, buf, 512, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	fail_pool = 1;
	CHECK_EQ(coh_unmap_single(&dev, b, 512, COH_FROM_DEVICE), -COH_EIO);
	fail_pool = 0;
	CHECK_EQ(open_ops, 0);			/* every begun op ended */
	CHECK_EQ(st.b_free, st.b_ngran);	/* the slot is back */
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(buf[0], 0x5a);			/* nothing copied from an unreliable slot */
	CHECK_EQ(coh_device_teardown(&dev), 0);
	CHECK_EQ(nreports, 0);			/* nothing left given to the device */
	/* and the pool works on: a new mapping of the same slot is clean */
	CHECK_EQ(coh_device_set_stream(&dev, &st), 0);
	b = coh_map_single(&dev, buf, 512, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(coh_unmap_single(&dev, b, 512, COH_TO_DEVICE), 0);
	CHECK_EQ(open_ops, 0);
	CHECK_EQ(nreports, 0);
}

/* the device reads [bus, bus+len) and finds want */
static int dev_sees(coh_bus_t bus, const unsigned char *want, size_t len)
{
	static unsigned char got[4096];

	if (sim_dev_read(&dev, bus, got, len))
		return 0;
	return !memcmp(got, want, len);
}

static void two_mappings(unsigned int sflags)
{
	unsigned char *frame;
	coh_bus_t hdr, all;

	CHECK_EQ(setup(sflags), 0);
	frame = area + 4096;
	for (int i = 0; i < 1536; i++)
		frame[i] = (unsigned char)i;
	all = coh_map_single(&dev, frame, 1536, COH_TO_DEVICE);
	hdr = coh_map_single(&dev, frame, 64, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, all) && !coh_mapping_error(&dev, hdr));
	CHECK(sflags ? hdr != all : hdr == all);
	CHECK(dev_sees(hdr, frame, 64));
	CHECK(dev_sees(all, frame, 1536));
	/*
	 * The header ends first: the frame mapping is untouched.  (In place,
	 * the simulator keeps one owner bit per byte, so the device reads only
	 * the bytes no longer shared.)
	 */
	CHECK_EQ(coh_unmap_single(&dev, hdr, 64, COH_TO_DEVICE), 0);
	if (sflags)
		CHECK(dev_sees(all, frame, 1536));
	else
		CHECK(dev_sees(all + 64, frame + 64, 1536 - 64));
	CHECK_EQ(coh_stream_live(&st), sflags ? 1 : (COH_DEBUG ? 1 : 0));
	CHECK_EQ(coh_unmap_single(&dev, all, 1536, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
	CHECK_EQ(dev.stats.reports, 0);
	CHECK_EQ(open_ops, 0);
	CHECK_EQ(coh_device_teardown(&dev), 0);
	CHECK_EQ(nreports, 0);
}

static void t_two_mappings_in_place(void)
{
	two_mappings(0);
}

static void t_two_mappings_bounced(void)
{
	two_mappings(COH_STREAM_FORCE_BOUNCE);
}

/* FROM_DEVICE, bounced, the device writes [100, 200) of 512: the rest is the CPU's */
static void t_partial_device_write(void)
{
	unsigned char *buf, dw[100];
	coh_bus_t b;

	CHECK_EQ(setup(COH_STREAM_FORCE_BOUNCE), 0);
	buf = area + 8192;
	memset(buf, 0x55, 100);		/* a header the CPU placed in front */
	memset(buf + 100, 0, 412);
	buf[511] = 0x77;		/* a status sentinel */
	b = coh_map_single(&dev, buf, 512, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	memset(dw, 0xd0, sizeof(dw));
	CHECK_EQ(sim_dev_write(&dev, b + 100, dw, sizeof(dw)), 0);
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 512, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[0], 0x55);
	CHECK_EQ(buf[99], 0x55);
	CHECK_EQ(buf[100], 0xd0);
	CHECK_EQ(buf[199], 0xd0);
	CHECK_EQ(buf[200], 0);
	CHECK_EQ(buf[511], 0x77);
	/* the CPU re-arms the sentinel and gives it back; the device writes elsewhere */
	buf[511] = 0x78;
	CHECK_EQ(coh_sync_for_device(&dev, b, 0, 512, COH_FROM_DEVICE), 0);
	CHECK_EQ(sim_dev_write(&dev, b + 300, dw, 10), 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 512, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[300], 0xd0);
	CHECK_EQ(buf[511], 0x78);
	CHECK_EQ(buf[0], 0x55);
	CHECK_EQ(open_ops, 0);
	CHECK_EQ(coh_device_teardown(&dev), 0);
	CHECK_EQ(nreports, 0);
}

int main(void)
{
	RUN(t_failed_bounced_unmap);
	RUN(t_two_mappings_in_place);
	RUN(t_two_mappings_bounced);
	RUN(t_partial_device_write);
	sim_fini();
	return th_finish("stream_paths_sim");
}
