/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V backends' real instructions, counted by the trap handler
 * (cmo_trap.c): every line the library says it maintained is exactly one
 * trapped operation of the right kind on a line-aligned address inside the
 * rounded range, each line once; the barrier is issued once per call where
 * it is visible (th.sync.s); nothing is issued for coherent devices, on
 * errors, or (SiFive) without a controller base.
 * Built once per backend: RV_FAMILY_ZICBOM, RV_FAMILY_THEAD, RV_FAMILY_SIFIVE.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "cmo_trap.h"
#include "harness.h"

#if defined(RV_FAMILY_ZICBOM)
#define K_CLEAN RV_CBO_CLEAN
#define K_INVAL RV_CBO_INVAL
#define K_FLUSH RV_CBO_FLUSH
#define BARRIERS_SEEN 0
#elif defined(RV_FAMILY_THEAD)
#define K_CLEAN RV_TH_CVA
#define K_INVAL RV_TH_IVA
#define K_FLUSH RV_TH_CIVA
#define BARRIERS_SEEN 1	/* th.sync.s traps too */
#elif defined(RV_FAMILY_SIFIVE)
#include "coherent/sifive_ccache.h"
#define K_CLEAN RV_CCACHE_FLUSH64	/* flush-only controller */
#define K_INVAL RV_CCACHE_FLUSH64
#define K_FLUSH RV_CCACHE_FLUSH64
#define BARRIERS_SEEN 0
#else
#error "define RV_FAMILY_ZICBOM, RV_FAMILY_THEAD or RV_FAMILY_SIFIVE"
#endif

TH_DEFINE_COUNTERS;

static unsigned char buf[16 * COH_MAX_LINE] __attribute__((aligned(COH_MAX_LINE)));
static struct coh_device dev, cdev;

enum { OP_RELEASE, OP_ACQUIRE, OP_FLUSH };

/*
 * Run one operation and check the trapped events against the rounded range
 * and the statistics the library kept.  Returns 0 or the failing line.
 */
static int check_op(int op, size_t off, size_t len)
{
	size_t l = coh_cache_line_size();
	uintptr_t start = (uintptr_t)buf + off, end = start + len;
	uintptr_t s = start & ~(uintptr_t)(l - 1);
	uintptr_t e = (end + l - 1) & ~(uintptr_t)(l - 1);
	size_t nlines = (e - s) / l, body = 0, seen = 0, syncs = 0;
	unsigned char hit[16 + 1] = { 0 };
	struct coh_stats b = dev.stats;
	int rc;

	rv_cmo_reset();
	rc = op == OP_RELEASE ? coh_release(&dev, (void *)start, len) :
	     op == OP_ACQUIRE ? coh_acquire(&dev, (void *)start, len) :
				coh_flush(&dev, (void *)start, len);
	if (rc)
		return __LINE__;
	if (rv_cmo.n > RV_CMO_LOG || nlines > 16)
		return __LINE__;
	for (size_t i = 0; i < rv_cmo.n; i++) {
		struct rv_cmo_event ev = rv_cmo.ev[i];
		uintptr_t a = (uintptr_t)ev.addr;
		int edge;

		if (ev.kind == RV_TH_SYNC_S) {
			syncs++;
			if (i + 1 != rv_cmo.n) /* the barrier comes after every line */
				return __LINE__;
			continue;
		}
		if (a & (l - 1) || a < s || a >= e || hit[(a - s) / l]++)
			return __LINE__; /* misaligned, outside, or twice */
		seen++;
		edge = (a == s && (start & (l - 1))) ||
		       (a == e - l && (end & (l - 1)));
		if (op == OP_RELEASE && ev.kind != K_CLEAN)
			return __LINE__;
		if (op == OP_FLUSH && ev.kind != K_FLUSH)
			return __LINE__;
		if (op == OP_ACQUIRE) {
			/* partial edge lines are flushed, never plainly invalidated */
			if (ev.kind != (edge ? K_FLUSH : K_INVAL))
				return __LINE__;
			body += !edge;
		}
	}
	if (seen != nlines)
		return __LINE__;
	if (syncs != (BARRIERS_SEEN ? 1u : 0u))
		return __LINE__;
	/* what the library says it did equals what the CPU executed */
	if (op == OP_RELEASE && dev.stats.lines_cleaned - b.lines_cleaned != seen)
		return __LINE__;
	if (op == OP_FLUSH && dev.stats.lines_flushed - b.lines_flushed != seen)
		return __LINE__;
	if (op == OP_ACQUIRE &&
	    (dev.stats.lines_invalidated - b.lines_invalidated != body ||
	     dev.stats.lines_flushed - b.lines_flushed != seen - body))
		return __LINE__;
	return 0;
}

static void setup(void)
{
	coh_device_init(&dev, "nc", 0);
	coh_device_init(&cdev, "coh", COH_DEV_COHERENT);
}

static void t_backend(void)
{
#if defined(RV_FAMILY_ZICBOM)
	CHECK(strcmp(coh_backend_name(), "riscv64-zicbom") == 0);
#elif defined(RV_FAMILY_THEAD)
	CHECK(strcmp(coh_backend_name(), "riscv64-thead") == 0);
#else
	CHECK(strcmp(coh_backend_name(), "riscv64-sifive-ccache") == 0);
#endif
}

static void t_one_per_line(void)
{
	size_t l = coh_cache_line_size();
	static const size_t offs[] = { 0, 1, 7 };
	static const size_t lens[] = { 1, 2, 63, 64, 65, 200, 640 };

	setup();
	for (int op = OP_RELEASE; op <= OP_FLUSH; op++)
		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
			for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
				size_t off = l + offs[i] * (l / 8 ? l / 8 : 1);

				CHECK_EQ(check_op(op, off, lens[j]), 0);
			}
}

static void t_exact_counts(void)
{
	size_t l = coh_cache_line_size();

	setup();
	rv_cmo_reset();
	CHECK_EQ(coh_release(&dev, buf + 1, 7 * l), 0); /* 8 lines */
	CHECK_EQ(rv_cmo.count[K_CLEAN], 8);
	CHECK_EQ(rv_cmo.n, 8 + BARRIERS_SEEN);
	rv_cmo_reset();
	CHECK_EQ(coh_acquire(&dev, buf + 1, 4 * l), 0); /* 2 edges + 3 body */
	if (K_INVAL != K_FLUSH) {
		CHECK_EQ(rv_cmo.count[K_FLUSH], 2);
		CHECK_EQ(rv_cmo.count[K_INVAL], 3);
	} else {
		CHECK_EQ(rv_cmo.count[K_FLUSH], 5);
	}
	CHECK_EQ(rv_cmo.n, 5 + BARRIERS_SEEN);
}

static void t_nothing_when_not_needed(void)
{
	setup();
	rv_cmo_reset();
	CHECK_EQ(coh_release(&cdev, buf + 3, 500), 0);
	CHECK_EQ(coh_acquire(&cdev, buf + 3, 500), 0);
	CHECK_EQ(coh_flush(&cdev, buf, 500), 0);
	CHECK_EQ(coh_release(&dev, buf, 0), 0);
	CHECK_EQ(coh_release(&dev, (void *)(UINTPTR_MAX - 10), 5), -COH_EOVERFLOW);
	CHECK_EQ(rv_cmo.n, 0);
}

#if defined(RV_FAMILY_SIFIVE)
extern uintptr_t rv_test_ccache_base;

static void t_no_base_refuses(void)
{
	setup();
	CHECK_EQ(coh_sifive_ccache_init(rv_test_ccache_base + 4), -COH_EINVAL);
	CHECK_EQ(coh_sifive_ccache_init(0), 0);
	rv_cmo_reset();
	CHECK_EQ(coh_release(&dev, buf, 64), -COH_ENODEV);
	CHECK_EQ(coh_acquire(&dev, buf + 1, 64), -COH_ENODEV);
	CHECK_EQ(coh_give(&dev, buf, 64, COH_FROM_DEVICE), -COH_ENODEV);
	CHECK_EQ(rv_cmo.n, 0);
	CHECK_EQ(dev.stats.lines_cleaned + dev.stats.lines_flushed, 0);
	CHECK_EQ(coh_sifive_ccache_init(rv_test_ccache_base), 0);
	CHECK_EQ(coh_release(&dev, buf, 64), 0);
	CHECK_EQ(rv_cmo.n, 1);
	CHECK(rv_cmo.ev[0].addr == (uint64_t)(uintptr_t)buf);
}
#endif

int main(void)
{
	RUN(t_backend);
	RUN(t_one_per_line);
	RUN(t_exact_counts);
	RUN(t_nothing_when_not_needed);
#if defined(RV_FAMILY_SIFIVE)
	RUN(t_no_base_refuses);
#endif
	return th_finish(COH_TEST_TARGET);
}
