/* SPDX-License-Identifier: MIT */
/*
 * The NVMe driver against the simulated controller (sim/nvme.c) on the
 * simulated non-coherent SoC, the driver's own loads and stores observed.
 *
 *   nvme_sim <cached|uncached> <noncoherent|coherent> <seeds> <clean|evil|caught CLASS>
 *
 * clean:  every seed x line 32/64/128: a random workload (reads, writes,
 *         flushes of 1 to 256 blocks, buffers at any alignment so some
 *         bounce, up to depth - 1 in flight, completions out of order, queue
 *         depth 2 to 8 so every queue wraps) must give exact data, no
 *         sanitizer report, nothing malformed at the controller, no driver
 *         refusal, a clean shutdown.
 * evil:   every hostile behaviour of the controller at a random completion
 *         of every seed: the driver returns the documented code, bumps the
 *         documented counter, recovers (nvme_recover) and the rest of the
 *         workload is exact; built with ASan and UBSan.
 * caught: (a test copy of the driver with one planted bug) some seed must
 *         raise a report of CLASS (sim_class_name, e.g. STALE_DEVICE_READ)
 *         naming drivers/nvme/nvme.c; prints it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "../sim_rig.h"
#include "sim_nvme.h"
#include "../../drivers/nvme/nvme.h"

#define SECTORS 2048u
#define REGION 256u		/* blocks each in-flight slot owns: no two overlap */
#define NREQ 40
#define SLOTS 7
#define BUFSZ ((128u << 10) + 8192u)

static unsigned long reports;
static int want_cls = -1;
static unsigned long want_hits;
static char first[600], first_want[600];

static void hook(const struct sim_report *r, void *ctx)
{
	char *dst = NULL;

	(void)ctx;
	if (!reports++)
		dst = first;
	if (r->cls == want_cls && !want_hits++)
		dst = first_want;
	if (dst)
		rig_report_line(dst, sizeof(first), r);
}

COH_DECLARE_BOX(bytes_h, uint8_t);

struct rig {
	struct coh_region r0, r1;
	struct coh_device dev;
	struct coh_stream st;
	struct coh_map_rec recs[64];
	struct bytes_h data, pool;
	uint8_t disk[SECTORS * 512], shadow[SECTORS * 512];
	void *regs;
	struct nvme nv;
	unsigned depth;
};

static struct rig R;

static void relax(void *ctx)
{
	(void)ctx;
	sim_step();
}

static int up(uint64_t seed, size_t line, int coherent)
{
	struct sim_config cfg;
	void *c;
	uint64_t p;
	size_t n;
	uint32_t s = (uint32_t)seed * 2654435761u;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 2u << 20;
	cfg.uncached_size = 256u << 10;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &c, &p, &n) || coh_region_add(&R.r0, c, p, n, 0))
		return -1;
	if (sim_area(1, &c, &p, &n) || coh_region_add(&R.r1, c, p, n, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&R.dev, "nvme", coherent ? COH_DEV_COHERENT : 0);
	R.dev.dma_mask = ~0ull;
	if (coh_box_alloc(&R.data, &R.dev, SLOTS * BUFSZ, 0) ||
	    coh_box_alloc(&R.pool, &R.dev, 256u << 10, 0) ||
	    coh_stream_init(&R.st, R.recs, 64, 0) ||
	    coh_stream_bounce(&R.st, coh_box_ptr(&R.pool),
			      sim_virt_to_phys(coh_box_ptr(&R.pool)), 256u << 10) ||
	    coh_device_set_stream(&R.dev, &R.st))
		return -1;
	for (size_t i = 0; i < sizeof(R.disk); i++)
		R.disk[i] = (uint8_t)rig_rnd(&s);
	memcpy(R.shadow, R.disk, sizeof(R.disk));
	R.regs = sim_nvme_create(&R.dev, R.disk, SECTORS);
	return R.regs ? 0 : -1;
}

static int nvme_up(unsigned int attrs, unsigned depth)
{
	int rc;

	R.depth = depth;
	memset(&R.nv, 0, sizeof(R.nv));
	rc = nvme_init(&R.nv, R.regs, &R.dev, depth, attrs, 3000, relax, NULL);
	return rc;
}

static void down(void)
{
	if (R.nv.regs)
		(void)nvme_shutdown(&R.nv);
	coh_device_set_stream(&R.dev, NULL);
	coh_free(&R.pool);
	coh_free(&R.data);
	sim_quiesce();
	coh_region_remove(&R.r1);
	coh_region_remove(&R.r0);
	sim_fini();
}

struct req {
	int busy;
	enum nvme_op op;
	uint64_t lba;
	uint32_t nlb;
	uint8_t *p;
};

static struct req rq[SLOTS];

/* Start one random request in a free slot.  Returns the driver's code. */
static int start(uint32_t *s, unsigned slot)
{
	struct req *r = &rq[slot];
	unsigned op = rig_rnd(s) % 10;
	uint32_t nlb = rig_rnd(s) % 8 == 0 ? 1 + rig_rnd(s) % 256 : 1 + rig_rnd(s) % 24;
	size_t off = rig_rnd(s) % 3 == 0 ? rig_rnd(s) % 4096 : (rig_rnd(s) % 2) * 4096;
	int rc;

	*r = (struct req){ .op = op == 9 ? NVME_OP_FLUSH : op < 5 ? NVME_OP_READ : NVME_OP_WRITE,
			   .lba = slot * REGION + rig_rnd(s) % (REGION - nlb + 1),
			   .nlb = nlb, .p = coh_box_ptr(&R.data) + slot * BUFSZ + off };
	if (r->op == NVME_OP_FLUSH) {
		rc = nvme_submit(&R.nv, NVME_OP_FLUSH, 0, NULL, 0, r);
	} else {
		if (r->op == NVME_OP_WRITE)
			for (size_t k = 0; k < (size_t)nlb * 512; k++)
				r->p[k] = (uint8_t)rig_rnd(s);
		else
			memset(r->p, 0xee, (size_t)nlb * 512);
		rc = nvme_submit(&R.nv, r->op, r->lba, r->p, nlb, r);
	}
	if (rc >= 0)
		r->busy = 1;
	return rc < 0 ? rc : 0;
}

/* A completed request: reads checked, writes into the shadow. */
static void finish(struct req *r, int rc, int *bad)
{
	size_t len = (size_t)r->nlb * 512;

	r->busy = 0;
	if (r->op == NVME_OP_FLUSH)
		return;
	if (rc) {
		/* failed: the shadow follows whatever the controller did */
		memcpy(R.shadow + r->lba * 512, R.disk + r->lba * 512, len);
		return;
	}
	if (r->op == NVME_OP_READ) {
		coh_consume(&R.dev, r->p, len);
		if (memcmp(r->p, R.shadow + r->lba * 512, len))
			*bad = 1;
	} else {
		memcpy(R.shadow + r->lba * 512, r->p, len);
	}
}

static void fail_all(void)
{
	for (unsigned i = 0; i < SLOTS; i++)
		if (rq[i].busy) {
			if (rq[i].op == NVME_OP_WRITE)
				memcpy(R.shadow + rq[i].lba * 512, R.disk + rq[i].lba * 512,
				       (size_t)rq[i].nlb * 512);
			rq[i].busy = 0;
		}
}

/* The workload: NREQ requests, up to depth - 1 in flight.  Returns the
 * first driver error (after failing the requests it took). */
static int workload(uint32_t *s, int *bad, int *errs)
{
	unsigned started = 0, inflight = 0;

	memset(rq, 0, sizeof(rq));
	while (started < NREQ || inflight) {
		unsigned want = 1 + rig_rnd(s) % (R.depth - 1);
		struct nvme_done d;
		int rc;

		while (started < NREQ && inflight < want) {
			unsigned slot = 0;

			while (rq[slot].busy)
				slot++;
			rc = start(s, slot);
			if (rc) {
				fail_all();
				return rc;
			}
			started++;
			inflight++;
		}
		rc = nvme_wait(&R.nv, &d);
		if (rc) {
			fail_all();
			return rc;
		}
		if (d.rc)
			(*errs)++;
		finish(d.tag, d.rc, bad);
		inflight--;
	}
	return 0;
}

static int run_clean(uint64_t seed, size_t line, int coherent, unsigned int attrs)
{
	uint32_t s = (uint32_t)(seed * 7919u + line);
	struct sim_nvme_stats ms;
	int bad = 0, errs = 0, rc = 0;
	unsigned depth = 2 + (unsigned)(seed % 7);
	struct nvme_counters c;
	unsigned long laps;

	reports = 0;
	if (up(seed, line, coherent) || (rc = nvme_up(attrs, depth)) != 0) {
		printf("seed %llu line %zu: setup failed (%s) %s\n", (unsigned long long)seed,
		       line, coh_strerror(rc), first);
		return 1;
	}
	rc = workload(&s, &bad, &errs);
	if (!rc && !bad && memcmp(R.disk, R.shadow, sizeof(R.disk)))
		bad = 2;
	c = R.nv.cnt;
	laps = c.completed / depth;
	if (!rc)
		rc = nvme_shutdown(&R.nv);
	sim_nvme_stats(R.regs, &ms);
	down();
	if (rc || bad || errs || reports || ms.malformed || ms.bad_doorbells || !ms.shutdowns ||
	    laps < 4 || c.bad_cid + c.bad_sqid + c.bad_sqhd + c.timeouts + c.fatal) {
		printf("seed %llu line %zu depth %u: rc %s, data %s, %d errors, %lu report(s)%s%s, "
		       "%lu malformed, %lu bad doorbells, %lu shutdowns, %lu laps\n",
		       (unsigned long long)seed, line, depth, coh_strerror(rc),
		       bad ? "WRONG" : "ok", errs, reports, reports ? ": " : "", first,
		       ms.malformed, ms.bad_doorbells, ms.shutdowns, laps);
		return 1;
	}
	return 0;
}

struct expect {
	int rc;
	size_t cnt;	/* offset of the counter in struct nvme_counters, or -1 */
	int dies;
};

#define CNT(f) __builtin_offsetof(struct nvme_counters, f)

static const struct expect EXPECT[SIM_NVME_NEVALS] = {
	[SIM_NVME_BAD_CID] = { -COH_EPROTO, CNT(bad_cid), 1 },
	[SIM_NVME_BAD_SQID] = { -COH_EPROTO, CNT(bad_sqid), 1 },
	[SIM_NVME_BAD_SQHD] = { -COH_EPROTO, CNT(bad_sqhd), 1 },
	[SIM_NVME_PHASE_FLIP] = { -COH_ETIMEDOUT, CNT(timeouts), 1 },
	[SIM_NVME_SILENT] = { -COH_ETIMEDOUT, CNT(timeouts), 1 },
	[SIM_NVME_BAD_STATUS] = { 0, CNT(errors), 0 },
	[SIM_NVME_FATAL] = { -COH_EIO, CNT(fatal), 1 },
};

static unsigned long counter(const struct nvme_counters *c, size_t off)
{
	unsigned long v;

	memcpy(&v, (const char *)c + off, sizeof(v));
	return v;
}

/* evil: one behaviour at one random completion (after init's admin
 * commands); the driver's answer checked, then recovery and an exact run. */
static int run_evil(uint64_t seed, size_t line, int coherent, unsigned int attrs, int e)
{
	const struct expect *x = &EXPECT[e];
	uint32_t s = (uint32_t)(seed * 104729u + (uint32_t)e);
	unsigned at = rig_rnd(&s) % (NREQ / 2);
	int bad = 0, errs = 0, rc, fail;
	unsigned long before;

	coh_set_diag_handler(rig_quiet);
	if (up(seed, line, coherent) || nvme_up(attrs, 2 + (unsigned)(seed % 7)))
		return 1;
	before = counter(&R.nv.cnt, x->cnt);
	sim_nvme_evil(R.regs, (enum sim_nvme_evil)e, at);
	rc = workload(&s, &bad, &errs);
	fail = rc != x->rc || counter(&R.nv.cnt, x->cnt) != before + 1 ||
	       R.nv.dead != x->dies || (!x->dies && errs != 1);
	if (x->dies)
		fail |= nvme_recover(&R.nv) != 0 || R.nv.cnt.resets != 1 || nvme_inflight(&R.nv);
	/* the rest is exact: the stream holds nothing, a fresh workload runs */
	fail |= coh_stream_live(&R.st) != 0;
	errs = 0;
	rc = workload(&s, &bad, &errs);
	fail |= rc != 0 || bad || errs || memcmp(R.disk, R.shadow, sizeof(R.disk));
	down();
	if (fail)
		printf("seed %llu line %zu %s at %u: rc %s, data %s\n", (unsigned long long)seed,
		       line, sim_nvme_evil_name(e), at, coh_strerror(rc), bad ? "WRONG" : "ok");
	coh_set_diag_handler(NULL);
	return fail;
}

/* caught: a planted bug must raise want_cls naming the driver's source
 * (or, for BAD_CID, make the driver refuse a completion it did not expect). */
#define WANT_BAD_CID 1000
static unsigned long R_bad_cid;

static int run_caught(uint64_t seed, size_t line, int coherent, unsigned int attrs)
{
	uint32_t s = (uint32_t)(seed * 7919u + line);
	int bad = 0, errs = 0;

	coh_set_diag_handler(rig_quiet);
	reports = 0;
	if (up(seed, line, coherent))
		return 0;
	/* a controller that takes freed completion slots back at once */
	sim_nvme_reuse_slots(R.regs, 1);
	if (nvme_up(attrs, 2 + (unsigned)(seed % 7)) == 0)
		(void)workload(&s, &bad, &errs);
	R_bad_cid = R.nv.cnt.bad_cid;
	down();
	coh_set_diag_handler(NULL);
	if (want_cls == WANT_BAD_CID && R_bad_cid) {
		snprintf(first_want, sizeof(first_want),
			 "the driver refused %lu completion(s) with a command id not in flight "
			 "(bad_cid, -COH_EPROTO) seed=%llu line=%zu", R_bad_cid,
			 (unsigned long long)seed, line);
		return 1;
	}
	return want_hits && strstr(first_want, " last=nvme.c:") ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 };
	unsigned int attrs;
	int coherent, seeds, fails = 0, runs = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: %s cached|uncached noncoherent|coherent SEEDS "
			"clean|evil|caught CLASS\n", argv[0]);
		return 2;
	}
	attrs = strcmp(argv[1], "uncached") == 0 ? COH_ATTR_UNCACHED : 0;
	coherent = strcmp(argv[2], "coherent") == 0;
	seeds = atoi(argv[3]);
	if (strcmp(argv[4], "caught") == 0) {
		if (argc < 6)
			return 2;
		for (int c = 0; c < SIM_NCLASSES; c++)
			if (strcmp(sim_class_name(c), argv[5]) == 0)
				want_cls = c;
		if (strcmp(argv[5], "BAD_CID") == 0)
			want_cls = WANT_BAD_CID;
		if (want_cls < 0) {
			fprintf(stderr, "unknown class %s\n", argv[5]);
			return 2;
		}
		for (int sd = 1; sd <= seeds; sd++)
			for (int l = 0; l < 3; l++)
				if (run_caught((uint64_t)sd, lines[l], coherent, attrs)) {
					printf("nvme_sim: planted bug caught: %s\n", first_want);
					return 0;
				}
		printf("nvme_sim: planted bug NOT caught as %s in %d seeds (first report: %s)\n",
		       argv[5], seeds, reports ? first : "none");
		return 1;
	}
	for (int sd = 1; sd <= seeds; sd++) {
		for (int l = 0; l < 3; l++) {
			if (strcmp(argv[4], "evil") == 0) {
				for (int e = 1; e < SIM_NVME_NEVALS; e++, runs++)
					fails += run_evil((uint64_t)sd, lines[l], coherent, attrs, e);
			} else {
				runs++;
				fails += run_clean((uint64_t)sd, lines[l], coherent, attrs);
			}
		}
	}
	printf("nvme_sim %s %s %s: %d passed, %d failed\n", argv[1], argv[2], argv[4],
	       runs - fails, fails);
	return fails != 0;
}
