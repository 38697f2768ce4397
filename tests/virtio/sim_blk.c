/* SPDX-License-Identifier: MIT */
/*
 * The virtqueue and virtio-blk driver against the simulated virtio-blk
 * device (sim/virtio_blk.c) on the simulated non-coherent SoC.
 *
 *   vio_sim <cached|uncached> <noncoherent|coherent> <seeds> <clean|evil|caught>
 *
 * clean:  every seed x line 32/64/128: a random workload (reads, writes,
 *         flushes; 1-4 segments; buffers at any alignment, so some bounce)
 *         must give exact data, zero sanitizer reports, zero malformed
 *         requests at the device and zero driver refusals.
 * evil:   every hostile behaviour of the device, armed at a random request
 *         of every seed: the driver must return the documented code, bump
 *         the documented counter, reset the device and recover (the rest
 *         of the workload exact), and stay memory-safe (built with ASan and
 *         UBSan).
 * caught: (a driver built with one barrier or sync deleted) some seed must
 *         fail; prints the first failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "../sim_rig.h"
#include "sim_virtio_blk.h"
#include "../../drivers/virtio/virtio_blk.h"

#define SECTORS 128
#define NREQ 24
#define DATA (64 * 1024)

static unsigned long reports;
static char first[512];

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!reports++)
		rig_report_line(first, sizeof(first), r);
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
	struct virtio_blk blk;
};

static struct rig R;

static void relax(void *ctx)
{
	(void)ctx;
	sim_step();
}

static int up(uint64_t seed, size_t line, int coherent, unsigned int attrs)
{
	struct sim_config cfg;
	void *c;
	uint64_t p;
	size_t n;
	uint32_t s = (uint32_t)seed * 2654435761u;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 512 * 1024;
	cfg.uncached_size = 64 * 1024;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &c, &p, &n) || coh_region_add(&R.r0, c, p, n, 0))
		return -1;
	if (sim_area(1, &c, &p, &n) || coh_region_add(&R.r1, c, p, n, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&R.dev, "virtio-blk", coherent ? COH_DEV_COHERENT : 0);
	R.dev.dma_mask = ~0ull;
	if (coh_box_alloc(&R.data, &R.dev, DATA, 0) || coh_box_alloc(&R.pool, &R.dev, 32768, 0) ||
	    coh_stream_init(&R.st, R.recs, 64, 0) ||
	    coh_stream_bounce(&R.st, coh_box_ptr(&R.pool),
			      sim_virt_to_phys(coh_box_ptr(&R.pool)), 32768) ||
	    coh_device_set_stream(&R.dev, &R.st))
		return -1;
	for (size_t i = 0; i < sizeof(R.disk); i++)
		R.disk[i] = (uint8_t)rig_rnd(&s);
	memcpy(R.shadow, R.disk, sizeof(R.disk));
	R.regs = sim_vblk_create(&R.dev, R.disk, SECTORS);
	(void)attrs;
	return R.regs ? 0 : -1;
}

static int blk_up(unsigned int attrs)
{
	int rc = virtio_blk_init(&R.blk, R.regs, &R.dev, VIRTIO_BLK_WANT, attrs, 2000);

	R.blk.vm.relax = relax;
	return rc;
}

static void down(void)
{
	if (R.blk.sync.ready) {
		(void)virtio_mmio_reset(&R.blk.vm);
		(void)virtio_blk_destroy(&R.blk);
	}
	memset(&R.blk, 0, sizeof(R.blk));
	coh_device_set_stream(&R.dev, NULL);
	coh_free(&R.pool);
	coh_free(&R.data);
	sim_quiesce();
	coh_region_remove(&R.r1);
	coh_region_remove(&R.r0);
	sim_fini();
}

/*
 * One random request.  Returns the driver's code; *what describes it.
 * Reads are checked against the shadow (through coh_consume: a stale byte
 * is a sanitizer report too); writes update the shadow.
 */
static int one(uint32_t *s, int *bad, char *what, size_t wn)
{
	struct virtio_blk_seg sg[4];
	uint8_t *base = coh_box_ptr(&R.data);
	unsigned op = rig_rnd(s) % 10, nseg = 1 + rig_rnd(s) % 4;
	uint64_t sector = rig_rnd(s) % SECTORS, at;
	size_t off = 0;
	int rc;

	if (op == 9) {
		snprintf(what, wn, "flush");
		return virtio_blk_flush(&R.blk);
	}
	at = sector;
	for (unsigned i = 0; i < nseg; i++) {
		size_t n = 1 + rig_rnd(s) % 4;

		if (at + n > SECTORS)
			n = 1;
		if (at + n > SECTORS) {
			nseg = i;
			break;
		}
		/* any alignment: a misaligned one bounces (shared edge lines) */
		off += rig_rnd(s) % 3 == 0 ? rig_rnd(s) % 200 : 0;
		sg[i] = (struct virtio_blk_seg){ base + off, n * 512 };
		off += n * 512 + 64;
		at += n;
	}
	if (nseg == 0)
		return 0;
	snprintf(what, wn, "%s sector %llu, %u segments", op < 5 ? "read" : "write",
		 (unsigned long long)sector, nseg);
	if (op < 5) {
		for (unsigned i = 0; i < nseg; i++)
			memset(sg[i].buf, 0xee, sg[i].len);
		rc = virtio_blk_rw(&R.blk, false, sector, sg, nseg);
		if (rc)
			return rc;
		at = sector;
		for (unsigned i = 0; i < nseg; i++) {
			coh_consume(&R.dev, sg[i].buf, sg[i].len);
			if (memcmp(sg[i].buf, R.shadow + at * 512, sg[i].len))
				*bad = 1;
			at += sg[i].len / 512;
		}
		return 0;
	}
	at = sector;
	for (unsigned i = 0; i < nseg; i++)
		for (size_t k = 0; k < sg[i].len; k++)
			((uint8_t *)sg[i].buf)[k] = (uint8_t)rig_rnd(s);
	rc = virtio_blk_rw(&R.blk, true, sector, sg, nseg);
	/* on success the shadow follows; on failure it follows whatever the device did */
	for (unsigned i = 0; i < nseg; i++) {
		if (rc == 0)
			memcpy(R.shadow + at * 512, sg[i].buf, sg[i].len);
		at += sg[i].len / 512;
	}
	if (rc)
		memcpy(R.shadow + sector * 512, R.disk + sector * 512, (at - sector) * 512);
	return rc;
}

/* clean: 0 if exact and silent, else prints why. */
static int run_clean(uint64_t seed, size_t line, int coherent, unsigned int attrs)
{
	uint32_t s = (uint32_t)(seed * 7919u + line);
	struct sim_vblk_stats vs;
	int bad = 0, rc = 0;
	char what[96] = "init";

	reports = 0;
	if (up(seed, line, coherent, attrs) || (rc = blk_up(attrs)) != 0) {
		printf("seed %llu line %zu: setup failed (%s)\n", (unsigned long long)seed,
		       line, coh_strerror(rc));
		return 1;
	}
	for (int i = 0; i < NREQ && !rc && !bad; i++)
		rc = one(&s, &bad, what, sizeof(what));
	sim_vblk_stats(R.regs, &vs);
	if (!rc && !bad && memcmp(R.disk, R.shadow, sizeof(R.disk)))
		bad = 2;
	{
		struct virtio_counters c = R.blk.vm.cnt;

		down();
		if (rc || bad || reports || vs.malformed || c.errors) {
			printf("seed %llu line %zu: %s: rc %s, data %s, %lu report(s)%s%s, "
			       "%lu malformed, %lu refusals\n",
			       (unsigned long long)seed, line, what, coh_strerror(rc),
			       bad ? "WRONG" : "ok", reports, reports ? ": " : "", first,
			       vs.malformed, c.errors);
			return 1;
		}
	}
	return 0;
}

struct expect {
	int rc;
	size_t cnt;	/* offset of the counter in struct virtio_counters, or -1 */
	int reset;
};

#define CNT(f) __builtin_offsetof(struct virtio_counters, f)

static const struct expect EXPECT[SIM_VBLK_NEVALS] = {
	[SIM_VBLK_ID_RANGE] = { -COH_EPROTO, CNT(bad_used_id), 1 },
	[SIM_VBLK_ID_STALE] = { -COH_EPROTO, CNT(bad_used_id), 1 },
	[SIM_VBLK_LEN_OVER] = { -COH_EPROTO, CNT(bad_used_len), 1 },
	[SIM_VBLK_IDX_JUMP] = { -COH_EPROTO, CNT(bad_used_idx), 1 },
	[SIM_VBLK_SILENT] = { -COH_ETIMEDOUT, CNT(timeouts), 1 },
	[SIM_VBLK_NO_STATUS] = { -COH_EPROTO, CNT(bad_status), 0 },
	[SIM_VBLK_BAD_STATUS] = { -COH_EPROTO, CNT(bad_status), 0 },
	[SIM_VBLK_IOERR] = { -COH_EIO, (size_t)-1, 0 },
	[SIM_VBLK_SCRIBBLE] = { 0, (size_t)-1, 0 },
};

static unsigned long counter(const struct virtio_counters *c, size_t off)
{
	unsigned long v;

	memcpy(&v, (const char *)c + off, sizeof(v));
	return v;
}

/* evil: one behaviour at one random request; the driver's answer checked. */
static int run_evil(uint64_t seed, size_t line, int coherent, unsigned int attrs, int e)
{
	uint32_t s = (uint32_t)(seed * 104729u + (uint32_t)e);
	unsigned at = rig_rnd(&s) % (NREQ / 2);
	int bad = 0, seen = 0, fail = 0, rc;
	char what[96];

	coh_set_diag_handler(rig_quiet);
	if (up(seed, line, coherent, attrs))
		return 1;
	if (e == SIM_VBLK_CONFIG_FLAP || e == SIM_VBLK_CONFIG_MOVE) {
		sim_vblk_evil(R.regs, (enum sim_vblk_evil)e, 0);
		rc = blk_up(attrs);
		if (e == SIM_VBLK_CONFIG_FLAP) {
			fail = rc != -COH_EPROTO || R.blk.vm.cnt.bad_config != 1;
			sim_vblk_evil(R.regs, SIM_VBLK_HONEST, 0);
			memset(&R.blk, 0, sizeof(R.blk));
			rc = blk_up(attrs);
		} else {
			fail = rc || R.blk.capacity != SECTORS || R.blk.vm.cnt.bad_config;
		}
		fail |= rc != 0;
		for (int i = 0; i < NREQ && !fail; i++)
			fail |= one(&s, &bad, what, sizeof(what)) != 0 || bad;
	} else {
		const struct expect *x = &EXPECT[e];

		if (blk_up(attrs))
			return 1;
		sim_vblk_evil(R.regs, (enum sim_vblk_evil)e, at);
		for (int i = 0; i < NREQ && !fail; i++) {
			struct virtio_counters before = R.blk.vm.cnt;

			rc = one(&s, &bad, what, sizeof(what));
			if (bad)
				fail = 1;
			if (rc == 0)
				continue;
			/*
			 * A device that scribbled over the rings it was lent may
			 * stall on what it reads there: the driver times out,
			 * resets and recovers.  (More than once in the simulator:
			 * its cache model takes a store of the value a line
			 * already holds for no store, so the driver's rewrite of
			 * an identical descriptor does not undo the scribble in
			 * RAM, where hardware would write the line back.)
			 */
			if (e == SIM_VBLK_SCRIBBLE && rc == -COH_ETIMEDOUT &&
			    R.blk.vm.cnt.timeouts == before.timeouts + 1 &&
			    R.blk.vm.cnt.resets == before.resets + 1 && !R.blk.dead)
				continue;
			/* the one misbehaviour: its code, its counter, its reset */
			if (seen++ || rc != x->rc ||
			    (x->cnt != (size_t)-1 &&
			     counter(&R.blk.vm.cnt, x->cnt) != counter(&before, x->cnt) + 1) ||
			    R.blk.vm.cnt.resets != before.resets + (unsigned long)x->reset ||
			    R.blk.dead)
				fail = 1;
		}
		/* fired unless the workload ran out first */
		if (!seen && x->rc && at < NREQ - 4)
			fail = 1;
		if (coh_stream_live(&R.st))
			fail = 1;
	}
	if (fail)
		printf("evil %s seed %llu line %zu: at %u: %s -> %s, counters id %lu len %lu "
		       "idx %lu status %lu timeouts %lu config %lu resets %lu\n",
		       sim_vblk_evil_name(e), (unsigned long long)seed, line, at, what,
		       coh_strerror(rc), R.blk.vm.cnt.bad_used_id, R.blk.vm.cnt.bad_used_len,
		       R.blk.vm.cnt.bad_used_idx, R.blk.vm.cnt.bad_status,
		       R.blk.vm.cnt.timeouts, R.blk.vm.cnt.bad_config, R.blk.vm.cnt.resets);
	down();
	return fail;
}

/*
 * The model does not offer ACCESS_PLATFORM: it uses CPU physical addresses,
 * so a device behind a bus offset must be refused at negotiation (FAILED
 * set), and accepted without one.
 */
static int access_platform(void)
{
	int rc, fail = 0;

	coh_set_diag_handler(rig_quiet);
	if (up(1, 64, 0, 0))
		return 1;
	R.dev.bus_offset = 0x100000000ull;
	rc = blk_up(0);
	fail |= rc != -COH_ENOTSUP || !(virtio_mmio_status(&R.blk.vm) & VIRTIO_STATUS_FAILED);
	memset(&R.blk, 0, sizeof(R.blk));
	R.dev.bus_offset = 0;
	fail |= blk_up(0) != 0;
	if (fail)
		printf("access_platform: a bus offset without ACCESS_PLATFORM gave %s\n",
		       coh_strerror(rc));
	down();
	return fail;
}

/*
 * Callbacks, with EVENT_IDX and without: polling (the start), no
 * interrupt but the one used_event 0 lets through under EVENT_IDX;
 * enabled, exactly one per completion (used_event moved on by each get, or
 * NO_INTERRUPT clear); disabled again, at most the one already asked for.
 */
static unsigned long irqs;

static void count_irq(void *arg)
{
	(void)arg;
	irqs++;
}

static int reads(int n)
{
	for (int i = 0; i < n; i++)
		if (virtio_blk_read(&R.blk, (uint64_t)i, coh_box_ptr(&R.data), 1))
			return 1;
	return 0;
}

static int callbacks(void)
{
	int fail = 0;

	for (int ev = 0; ev < 2; ev++) {
		uint64_t want = ev ? VIRTIO_BLK_WANT : VIRTIO_BLK_WANT & ~VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
		struct sim_vblk_stats a, b, c;
		int rc;

		if (up(4, 64, 0, 0))
			return 1;
		if (virtio_blk_init(&R.blk, R.regs, &R.dev, want, 0, 2000)) {
			down();
			return 1;
		}
		R.blk.vm.relax = relax;
		irqs = 0;
		sim_irq_connect(R.regs, count_irq, NULL);
		fail |= reads(10);
		sim_vblk_stats(R.regs, &a);
		rc = virtq_enable_cb(&R.blk.vq);
		fail |= rc != 1;
		fail |= reads(10);
		sim_vblk_stats(R.regs, &b);
		virtq_disable_cb(&R.blk.vq);
		fail |= reads(10);
		sim_vblk_stats(R.regs, &c);
		fail |= a.interrupts > (unsigned long)ev;
		fail |= b.interrupts - a.interrupts != 10;
		fail |= c.interrupts - b.interrupts > 1;
		fail |= irqs != c.interrupts;
		if (fail)
			printf("callbacks (EVENT_IDX %s): enable %d, interrupts %lu polling, %lu of 10 "
			       "enabled, %lu disabled, %lu seen\n", ev ? "on" : "off", rc,
			       a.interrupts, b.interrupts - a.interrupts, c.interrupts - b.interrupts,
			       irqs);
		down();
		if (fail)
			return 1;
	}
	return 0;
}

/*
 * Many requests in flight, completed out of order: the model holds up to 8
 * and answers a random one each step.  Rounds of 8 reads of 2 sectors into
 * separate buffers, then 8 writes; every completion names its own request
 * (cookie), every byte is right, at least one completion overtook an older
 * request, and the depth limit refuses the one too many.
 */
static int in_flight(int coherent, unsigned int attrs)
{
	static struct virtio_blk_req req[8];
	uint8_t *base;
	unsigned long ooo = 0;
	int fail = 0;

	reports = 0;
	if (up(5, 64, coherent, attrs) || blk_up(attrs))
		return 1;
	sim_vblk_reorder(R.regs, 8, 77);
	base = coh_box_ptr(&R.data);
	for (unsigned i = 0; i < 8; i++)
		fail |= virtio_blk_req_init(&R.blk, &req[i]) != 0;
	fail |= virtio_blk_set_depth(&R.blk, 9) != -COH_EINVAL;	/* the model's queue is 8 */
	for (unsigned round = 0; round < 6 && !fail; round++) {
		bool write = round % 2;
		unsigned next = 0, got = 0;

		for (unsigned i = 0; i < 8; i++) {
			uint64_t sector = (uint64_t)(round * 16 + i * 2) % (SECTORS - 2);
			struct virtio_blk_seg sg = { base + i * 2048, 1024 };

			if (write)
				memset(sg.buf, (int)(round * 8 + i + 1), 1024);
			fail |= virtio_blk_submit(&R.blk, &req[i], write, sector, &sg, 1,
						  (void *)(uintptr_t)(i + 1)) != 0;
			if (write)
				memset(R.shadow + sector * 512, (int)(round * 8 + i + 1), 1024);
		}
		{
			struct virtio_blk_seg sg = { base + 8 * 2048, 512 };

			fail |= virtio_blk_submit(&R.blk, &req[0], false, 0, &sg, 1, NULL) != -COH_EBUSY;
		}
		fail |= virtio_blk_kick(&R.blk) != 0;
		for (int spin = 0; got < 8 && spin < 100000 && !fail; spin++) {
			struct virtio_blk_req *d;
			int rc = virtio_blk_complete(&R.blk, &d);
			unsigned i;

			if (rc == -COH_EAGAIN) {
				sim_step();
				continue;
			}
			if (rc || d->status) {
				fail = 1;
				break;
			}
			i = (unsigned)((uintptr_t)d->cookie - 1);
			fail |= d != &req[i];
			if (i != next)
				ooo++;
			while (next < 8 && !req[next].busy)
				next++;
			if (!write) {
				uint64_t sector = (uint64_t)(round * 16 + i * 2) % (SECTORS - 2);

				coh_consume(&R.dev, base + i * 2048, 1024);
				fail |= memcmp(base + i * 2048, R.shadow + sector * 512, 1024) != 0;
			}
			got++;
		}
		fail |= got != 8 || R.blk.inflight != 0;
	}
	/* the depth limit: 2 in flight, the third refused, nothing mapped */
	if (!fail) {
		struct virtio_blk_seg sg[3] = { { base, 512 }, { base + 2048, 512 }, { base + 4096, 512 } };
		struct virtio_blk_req *d;
		int n = 0;

		fail |= virtio_blk_set_depth(&R.blk, 2) != 0;
		fail |= virtio_blk_submit(&R.blk, &req[0], false, 1, &sg[0], 1, NULL) != 0;
		fail |= virtio_blk_submit(&R.blk, &req[1], false, 2, &sg[1], 1, NULL) != 0;
		fail |= virtio_blk_submit(&R.blk, &req[2], false, 3, &sg[2], 1, NULL) != -COH_EAGAIN;
		fail |= coh_stream_live(&R.st) != 2;
		fail |= virtio_blk_kick(&R.blk) != 0;
		for (int spin = 0; n < 2 && spin < 100000; spin++)
			if (virtio_blk_complete(&R.blk, &d) == 0)
				n++;
			else
				sim_step();
		fail |= n != 2;
	}
	fail |= memcmp(R.disk, R.shadow, sizeof(R.disk)) != 0;
	fail |= ooo == 0;
	fail |= R.blk.vm.cnt.errors != 0 || reports != 0;
	if (fail)
		printf("in_flight (%s, %s): failed, %lu out of order, %lu refusals, %lu reports\n",
		       coherent ? "coherent" : "non-coherent", attrs ? "uncached" : "cached", ooo,
		       R.blk.vm.cnt.errors, reports);
	for (unsigned i = 0; i < 8; i++)
		(void)virtio_blk_req_fini(&R.blk, &req[i]);
	down();
	return fail;
}

/*
 * The model, mastering the bus as a non-coherent device, requires
 * ORDER_PLATFORM: the driver accepts it (its ring barriers are the DMA
 * ones), so negotiation succeeds and the bit is in the agreed features.
 */
static int order_platform(void)
{
	int rc, fail = 0;

	if (up(2, 64, 0, 0))
		return 1;
	rc = blk_up(0);
	fail |= rc != 0 || !virtio_has(&R.blk.vm, VIRTIO_F_ORDER_PLATFORM);
	if (fail)
		printf("order_platform: %s, agreed %#llx\n", coh_strerror(rc),
		       (unsigned long long)R.blk.vm.features);
	down();
	return fail;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 };
	unsigned int attrs;
	int coherent;
	unsigned long seeds, runs = 0, failed = 0;
	const char *mode;

	if (argc != 5) {
		fprintf(stderr, "usage: vio_sim <cached|uncached> <noncoherent|coherent> "
				"<seeds> <clean|evil|caught>\n");
		return 2;
	}
	attrs = strcmp(argv[1], "uncached") == 0 ? COH_ATTR_UNCACHED : 0;
	coherent = strcmp(argv[2], "coherent") == 0;
	seeds = strtoul(argv[3], NULL, 0);
	mode = argv[4];
	if (strcmp(mode, "evil") == 0) {
		runs++;
		failed += (unsigned long)access_platform();
		runs++;
		failed += (unsigned long)order_platform();
		runs++;
		failed += (unsigned long)callbacks();
		runs++;
		failed += (unsigned long)in_flight(coherent, attrs);
	}
	for (size_t l = 0; l < 3; l++) {
		for (uint64_t seed = 1; seed <= seeds; seed++) {
			if (strcmp(mode, "evil") == 0) {
				for (int e = 1; e < SIM_VBLK_NEVALS; e++) {
					runs++;
					failed += (unsigned long)run_evil(seed, lines[l], coherent, attrs, e);
				}
				continue;
			}
			runs++;
			if (run_clean(seed, lines[l], coherent, attrs)) {
				failed++;
				if (strcmp(mode, "caught") == 0) {
					printf("caught at seed %llu line %zu\n",
					       (unsigned long long)seed, lines[l]);
					return 0;
				}
			}
		}
	}
	printf("vio_sim %s %s %s: %lu runs, %lu failed\n", argv[1], argv[2], mode, runs, failed);
	if (strcmp(mode, "caught") == 0) {
		printf("NOT caught\n");
		return 1;
	}
	return failed ? 1 : 0;
}
