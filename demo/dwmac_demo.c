/* SPDX-License-Identifier: MIT */
/*
 * coh-dwmac-demo (`make demo`) - the DWMAC QoS driver (drivers/dwmac/) on
 * the simulated non-coherent SoC: two MACs on a wire, thousands of frames
 * of random sizes both ways, every payload checked, for each ring layout.
 * Then one line per layout:
 *
 *   dwmac-qos: <N> frames, <E> errors, <X> line ops per frame (minimum <Y>),
 *              <B> barriers per frame, <R> sanitizer reports, seed <S>
 *
 * X is what the driver did (the device's coh_stats: lines cleaned,
 * invalidated and flushed, over the traffic); Y is the minimum derived in
 * docs/dwmac.md, computed here from each frame's buffers independently of
 * the driver; B counts the fence calls (each ends in exactly one barrier).
 *
 * This file is the board: the SoC, its memory, two controller models, the
 * "network stack" that builds and checks frames.  The driver is untouched
 * by it except through drivers/dwmac/dwmac.h.
 *
 * --inject <bug> (coh-dwmac-demo-inject) runs a test copy of the driver
 * with one planted bug (demo/dwmac_bug.h, demo/dwmac_inject.txt), with the
 * options the bug needs to show, and shows the simulator's report.
 * --trace FILE records the run as Chrome trace-event JSON (docs/trace.md);
 * with --frames 8 --layout uncached it stays small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "dwmac.h"
#include "dwmac_bug.h"
#include "sim.h"
#include "sim_dwmac.h"

#define TX_SLOTS 64
#define RX_SLOTS 64
#define RX_BUF 512		/* default: frames above it span several RX descriptors */
#define PIECE 1536		/* a TX piece's pool block */
#define PIECES (TX_SLOTS * 2)
#define INFLIGHT 8		/* frames per direction on the wire at once */
#define ETHERTYPE 0x88b5	/* IEEE local experimental */

/* classes of the simulator's access observer, where it has one (sim.h) */
#if defined(SIM_DEV_READS_ANY)
#define DW_NOT_OWNED SIM_DEVICE_WRITE_NOT_OWNED
#else
#define DW_NOT_OWNED SIM_EVICT_OVER_DEVICE
#endif

static const struct {
	const char *name;
	int bug;
	int cls;		/* the report expected */
	const char *what;
	int cls2;		/* or this one (0: none) */
} injects[] = {
	{ "rx-no-give", DWMAC_INJ_RX_NO_GIVE, DW_NOT_OWNED,
	  "RX buffer re-armed without giving back the bytes taken: the device writes memory "
	  "the CPU owns", 0 },
	{ "rx-read-before-take", DWMAC_INJ_RX_READ_BEFORE_TAKE, SIM_SPECULATIVE_STALE,
	  "RX bytes copied out before coh_take invalidated them", SIM_STALE_CPU_READ },
	{ "tx-write-after-give", DWMAC_INJ_TX_WRITE_AFTER_GIVE, SIM_CPU_WRITE_DEVICE_OWNED,
	  "a TX byte changed after the buffer was mapped for the device", 0 },
	{ "own-before-addr", DWMAC_INJ_OWN_BEFORE_ADDR, SIM_BAD_BUS_ADDRESS,
	  "TX descriptor OWN stored (and the slot published) before its buffer address", 0 },
	{ "kick-before-release", DWMAC_INJ_KICK_BEFORE_RELEASE, SIM_STALE_DEVICE_READ,
	  "TX doorbell rung before the descriptors were released", 0 },
	{ "rx-trust-len", DWMAC_INJ_RX_TRUST_LEN, DW_NOT_OWNED,
	  "RX length from a lying device trusted beyond the buffer: bytes past it taken and "
	  "given back as if the driver's", SIM_CPU_WRITE_DEVICE_OWNED },
};

enum layout_id { L_CACHED, L_UNCACHED, L_BATCHED, L_COUNT };
static const char *layout_names[L_COUNT] = { "cached", "uncached", "batched" };
static const enum dwmac_layout layout_vals[L_COUNT] = {
	DWMAC_LAYOUT_CACHED_SKIP, DWMAC_LAYOUT_UNCACHED, DWMAC_LAYOUT_CACHED_BATCHED,
};

struct opts {
	unsigned long frames;
	uint64_t seed;
	size_t line;
	size_t rx_buf;		/* bytes per RX buffer */
	int inject;		/* index into injects[], -1 none */
	bool flush_only, irq, loopback, quiet;
};

/* one MAC and its "stack" */
struct port {
	struct coh_device dev;
	struct coh_stream st;
	struct coh_map_rec recs[256];
	struct dwmac d;
	void *regs, *mem;
	struct coh_pool pieces;		/* TX buffers the stack builds frames in */
	struct coh_sg sg[TX_SLOTS][3];	/* lists in flight, by sg_slot */
	bool sg_busy[TX_SLOTS];
	unsigned long sent, recvd, next_tx_seq, next_rx_seq;
	/* bytes each reaped RX slot will give back when re-armed, in ring order */
	size_t rearm[2 * RX_SLOTS];
	size_t rearm_head, rearm_n;
	unsigned long refills_seen;	/* driver re-arms accounted for */
	uint8_t mac[6];
	volatile unsigned irqs;		/* interrupts taken (--irq) */
	unsigned irqs_seen;
};

struct run {
	struct port p[2];
	struct opts o;
	unsigned long errors, ymin, frames;
	size_t line;
	enum layout_id lay;
	uint8_t rxbuf[2048];
};

/* ---- frames: size and contents from (seed, direction, sequence) alone ---- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static size_t frame_len(uint64_t seed, int dir, unsigned long seq)
{
	return 60 + (size_t)(mix(seed ^ ((uint64_t)dir << 62) ^ seq) % (1514 - 60 + 1));
}

static unsigned frame_pieces(uint64_t seed, int dir, unsigned long seq, size_t len)
{
	unsigned n = 1 + (unsigned)(mix(seed + 7 + ((uint64_t)dir << 62) + seq) % 3);

	return len < 3 * 64 ? 1 : n;
}

static uint8_t frame_byte(uint64_t seed, int dir, unsigned long seq, size_t i)
{
	return (uint8_t)(mix(seed ^ seq * 131 ^ (uint64_t)dir << 61) >> (i % 7 * 8)) ^ (uint8_t)i;
}

static void frame_fill(uint8_t *f, size_t len, const struct port *src, const struct port *dst,
		       uint64_t seed, int dir, unsigned long seq)
{
	memcpy(f, dst->mac, 6);
	memcpy(f + 6, src->mac, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	memcpy(f + 14, &seq, 4);
	for (size_t i = 18; i < len; i++)
		f[i] = frame_byte(seed, dir, seq, i);
}

static size_t lines_of(const void *p, size_t len, size_t line)
{
	uintptr_t s = (uintptr_t)p & ~(uintptr_t)(line - 1);
	uintptr_t e = ((uintptr_t)p + len + line - 1) & ~(uintptr_t)(line - 1);

	return (e - s) / line;
}

/* ---- the stack ------------------------------------------------------------ */

static void tx_done(void *ctx, void *cookie, int status)
{
	struct port *p = ctx;
	size_t k = (size_t)(uintptr_t)cookie;

	(void)status;
	for (int i = 0; i < 3 && p->sg[k][i].ptr; i++) {
		coh_pool_free(&p->pieces, p->sg[k][i].ptr);
		p->sg[k][i].ptr = NULL;
	}
	p->sg_busy[k] = false;
}

/*
 * Descriptor line operations per layout (docs/dwmac.md): a cached TX
 * descriptor is cleaned at post and invalidated at reap; a cached RX one is
 * invalidated at reap and cleaned at re-arm, except batched, where one clean
 * covers a whole line of re-armed descriptors (counted in account_rearms).
 * Uncached descriptors, and batched-layout TX ones (uncached), cost none.
 */
static unsigned tx_desc_lines(const struct run *r)
{
	return r->lay == L_CACHED ? 1 : 0;
}

static unsigned desc_lines(const struct run *r)
{
	return r->lay == L_UNCACHED ? 0 : 1;
}

static unsigned rearm_desc_lines(const struct run *r)
{
	return r->lay == L_CACHED ? 1 : 0;
}

static int send_one(struct run *r, int dir)
{
	struct port *src = &r->p[dir], *dst = &r->p[r->o.loopback ? dir : !dir];
	unsigned long seq = src->next_tx_seq;
	size_t len = frame_len(r->o.seed, dir, seq), off = 0, k;
	unsigned n = frame_pieces(r->o.seed, dir, seq, len);
	uint8_t frame[1514];
	int rc;

	for (k = 0; k < TX_SLOTS && src->sg_busy[k]; k++)
		;
	if (k == TX_SLOTS || dwmac_tx_space(&src->d) < n)
		return -COH_EAGAIN;
	frame_fill(frame, len, src, dst, r->o.seed, dir, seq);
	for (unsigned i = 0; i < n; i++) {
		size_t part = i + 1 == n ? len - off : len / n;
		coh_bus_t unused;
		void *b = coh_pool_alloc(&src->pieces, &unused);

		if (!b)
			return -COH_ENOMEM;
		memcpy(b, frame + off, part);
		src->sg[k][i] = (struct coh_sg){ .ptr = b, .len = part };
		/* TX: the piece's lines cleaned at map, one descriptor each */
		r->ymin += lines_of(b, part, r->line) + 2 * tx_desc_lines(r);
		off += part;
	}
	rc = n == 1 ? dwmac_xmit(&src->d, src->sg[k][0].ptr, len, (void *)(uintptr_t)k)
		    : dwmac_xmit_sg(&src->d, src->sg[k], (int)n, (void *)(uintptr_t)k);
	if (rc) {
		fprintf(stderr, "dwmac-demo: xmit: %s\n", coh_strerror(rc));
		for (unsigned i = 0; i < n; i++) {
			coh_pool_free(&src->pieces, src->sg[k][i].ptr);
			src->sg[k][i].ptr = NULL;
		}
		return rc;
	}
	src->sg_busy[k] = true;
	src->next_tx_seq++;
	src->sent++;
	return 0;
}

static void check_rx(struct run *r, int port, size_t len)
{
	struct port *me = &r->p[port];
	int dir = r->o.loopback ? port : !port;	/* the sender's index */
	unsigned long seq = me->next_rx_seq, got;
	size_t want = frame_len(r->o.seed, dir, seq);
	const uint8_t *f = r->rxbuf;
	bool bad = len != want;

	memcpy(&got, f + 14, 4);
	got &= 0xffffffffu;
	bad |= got != (seq & 0xffffffffu) || memcmp(f, me->mac, 6);
	for (size_t i = 18; !bad && i < len; i++)
		bad = f[i] != frame_byte(r->o.seed, dir, seq, i);
	if (bad && r->errors < 5)
		fprintf(stderr, "dwmac-demo: port %d frame %lu: %zu bytes (want %zu), payload %s\n",
			port, seq, len, want, "differs");
	r->errors += bad;
	/* RX: each fragment's received lines invalidated at take, one reap each */
	for (size_t off = 0; off < len; off += r->o.rx_buf) {
		size_t n = len - off < r->o.rx_buf ? len - off : r->o.rx_buf;

		r->ymin += (n + r->line - 1) / r->line + desc_lines(r);
		/* and when its slot is re-armed, the same bytes given back */
		me->rearm[(me->rearm_head + me->rearm_n++) % (2 * RX_SLOTS)] = n;
	}
	me->next_rx_seq++;
	me->recvd++;
	r->frames++;
}

/* the slots the driver re-armed since last time: their bytes given back, their line cleaned */
static void account_rearms(struct run *r, struct port *p)
{
	size_t group = r->line / sizeof(struct dwmac_desc);

	for (; p->refills_seen < p->d.stats.rx_refills && p->rearm_n; p->refills_seen++) {
		/* batched: the post completing a line's group hands it over, one clean
		   (rx_refills counts every post since open, the first ones included) */
		if (r->lay == L_BATCHED && (p->refills_seen + 1) % group == 0)
			r->ymin++;
		r->ymin += lines_of(NULL, p->rearm[p->rearm_head], r->line) + rearm_desc_lines(r);
		p->rearm_head = (p->rearm_head + 1) % (2 * RX_SLOTS);
		p->rearm_n--;
	}
}

static void isr(void *arg)
{
	struct port *p = arg;

	p->irqs++;
	(void)dwmac_interrupt(&p->d);
}

/* ---- one layout, start to end ---------------------------------------------------- */

static int port_open(struct run *r, int i, void *ram_cpu, uint64_t ram_phys, size_t bounce)
{
	struct port *p = &r->p[i];
	struct dwmac_config cfg = {
		.ops = &dwmac_qos_ops,
		.layout = layout_vals[r->lay],
		.tx_count = TX_SLOTS, .rx_count = RX_SLOTS, .rx_buf_size = r->o.rx_buf,
		.rx_batch = 8, .phy_addr = SIM_DWMAC_PHY_ADDR, .irq = r->o.irq,
		.tx_done = tx_done, .tx_done_ctx = p,
	};
	static const char *names[2] = { "eth0", "eth1" };
	size_t msize;
	int rc;

	coh_device_init(&p->dev, names[i], 0);
	p->dev.dma_mask = COH_DMA_MASK(32);	/* the JH7110 GMAC addresses 32 bits */
	coh_stream_init(&p->st, p->recs, 256, 0);
	coh_stream_bounce(&p->st, (uint8_t *)ram_cpu + (size_t)i * bounce,
			  ram_phys + (uint64_t)i * bounce, bounce);
	coh_device_set_stream(&p->dev, &p->st);
	p->regs = sim_dwmac_create(&p->dev);
	cfg.regs = p->regs;
	cfg.dev = &p->dev;
	if (r->o.irq)
		sim_irq_connect(p->regs, isr, p);
	p->mac[0] = 0x02;	/* locally administered, unicast */
	p->mac[5] = (uint8_t)(i + 1);
	msize = dwmac_mem_size(&cfg);
	p->mem = calloc(1, msize);
	rc = dwmac_open(&p->d, &cfg, p->mac, p->mem, msize);
	if (rc)
		return rc;
	/* the one slot left unarmed at open: its buffer was given whole already */
	p->rearm[0] = 0;
	p->rearm_n = 1;
#if defined(DWMAC_INJECT)
	/* planted from here on: open itself runs as written */
	dwmac_bug = r->o.inject >= 0 ? (unsigned)injects[r->o.inject].bug : 0;
#endif
	rc = coh_pool_create(&p->pieces, &p->dev, "tx-pieces", PIECE, 1, 0, PIECES);
	if (rc)
		return rc;
	/* names for the simulator's reports (board code may look inside the driver) */
	{
		char nm[32];

		snprintf(nm, sizeof(nm), "%s.txring", p->dev.name);
		sim_name((void *)p->d.tx.mem.cpu_, p->d.tx.mem.size, nm);
		snprintf(nm, sizeof(nm), "%s.rxring", p->dev.name);
		sim_name((void *)p->d.rx.mem.cpu_, p->d.rx.mem.size, nm);
		snprintf(nm, sizeof(nm), "%s.txbufs", p->dev.name);
		sim_name((void *)p->pieces.chunk.cpu_, p->pieces.chunk.size, nm);
		for (size_t k = 0; k < RX_SLOTS; k++) {
			snprintf(nm, sizeof(nm), "%s.rx[%zu]", p->dev.name, k);
			sim_name(p->d.rxs[k].buf, r->o.rx_buf, nm);
		}
	}
	/* the planted length bug needs a device that lies about lengths (within the MTU) */
	if (r->o.inject >= 0 && injects[r->o.inject].bug == DWMAC_INJ_RX_TRUST_LEN)
		sim_dwmac_fault(p->regs, SIM_DWMAC_F_RX_LEN_OVER, 50);
	sim_dwmac_set_link(p->regs, true);
	if (r->o.loopback)
		return dwmac_set_loopback(&p->d, true);
	rc = dwmac_link(&p->d);
	return rc == 1 ? 0 : rc < 0 ? rc : -COH_ENOLINK;
}

static void port_close(struct run *r, int i)
{
	struct port *p = &r->p[i];

	if (p->d.open)
		dwmac_close(&p->d);
	if (p->pieces.nblocks && coh_pool_destroy(&p->pieces)) {
		fprintf(stderr, "dwmac-demo: %s: TX buffers not returned\n", p->dev.name);
		r->errors++;
	}
	if (coh_device_leaks(&p->dev) || coh_device_teardown(&p->dev)) {
		fprintf(stderr, "dwmac-demo: %s: memory or mappings leaked\n", p->dev.name);
		r->errors++;
	}
	free(p->mem);
}

static unsigned shown;

static void show(const struct sim_report *rep, void *ctx)
{
	(void)ctx;
	if (shown++ < 3)
		sim_print_report(rep, stdout);
}

static int run_layout(struct opts *o, enum layout_id lay)
{
	static struct run r;
	struct sim_config cfg;
	struct coh_region ram, unc;
	struct coh_stats st0, st1, a, b;
	void *cpu, *ucpu;
	uint64_t phys, uphys;
	size_t size, usize, bounce = 128u << 10;
	unsigned long x, barriers, stall = 0, reports;
	struct timespec t0, t1;
	int rc, ports;
	double secs;

	memset(&r, 0, sizeof(r));
	r.o = *o;
	r.lay = lay;
	sim_config_default(&cfg);
	cfg.ram_size = 4u << 20;
	cfg.uncached_size = 64u << 10;
	cfg.seed = o->seed;
	cfg.line = o->line;
	cfg.evict_permille = 20;
	cfg.refill_permille = 20;
#if defined(SIM_F_FLUSH_ONLY)
	if (o->flush_only)
		cfg.flags |= SIM_F_FLUSH_ONLY;
#endif
	if (sim_init(&cfg)) {
		fprintf(stderr, "dwmac-demo: bad simulator configuration\n");
		return 2;
	}
	r.line = sim_line();
	shown = 0;
	sim_set_report_hook(show, NULL);
	/* the first 2 x 128 KiB of RAM are the bounce pools, the rest a region */
	sim_area(0, &cpu, &phys, &size);
	sim_area(1, &ucpu, &uphys, &usize);
	if (coh_region_add(&ram, (uint8_t *)cpu + 2 * bounce, phys + 2 * bounce,
			   size - 2 * bounce, 0) ||
	    coh_region_add(&unc, ucpu, uphys, usize, COH_REGION_UNCACHED)) {
		fprintf(stderr, "dwmac-demo: cannot register memory\n");
		return 2;
	}
	ports = o->loopback ? 1 : 2;
	for (int i = 0; i < ports; i++) {
		rc = port_open(&r, i, cpu, phys, bounce);
		if (rc) {
			printf("dwmac-demo: layout %s: open: %s\n", layout_names[lay], coh_strerror(rc));
			for (int k = 0; k <= i; k++)
				port_close(&r, k);
			coh_region_remove(&unc);
			coh_region_remove(&ram);
			sim_fini();
			return rc == -COH_ENOTSUP ? 3 : 1;
		}
	}
	if (!o->loopback && sim_dwmac_connect(r.p[0].regs, r.p[1].regs)) {
		fprintf(stderr, "dwmac-demo: cannot connect the MACs\n");
		return 2;
	}
	/* measure the traffic only: set-up (arming every RX buffer) is not per frame */
	coh_stats_get(&r.p[0].dev, &st0);
	if (ports > 1)
		coh_stats_get(&r.p[1].dev, &st1);
	{
		for (int i = 0; i < ports; i++)
			r.p[i].refills_seen = r.p[i].d.stats.rx_refills;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (r.frames < o->frames && stall < 200000) {
			unsigned long before = r.frames + r.p[0].sent + r.p[1].sent;

			for (int i = 0; i < ports; i++) {
				struct port *p = &r.p[i];
				unsigned long total_sent = r.p[0].sent + r.p[1].sent;
				struct port *peer = &r.p[o->loopback ? i : !i];

				if (total_sent < o->frames && p->sent - peer->recvd < INFLIGHT)
					send_one(&r, i);
				if (!o->irq) {
					(void)dwmac_interrupt(&p->d);
				} else {
					/* interrupt-driven: work only when the handler ran */
					sim_step();
					if (p->irqs == p->irqs_seen)
						continue;
					p->irqs_seen = p->irqs;
				}
				dwmac_tx_reclaim(&p->d);
				for (;;) {
					int len = dwmac_recv(&p->d, r.rxbuf, sizeof(r.rxbuf));

					if (len < 0)
						break;
					check_rx(&r, i, (size_t)len);
				}
				account_rearms(&r, p);
			}
			stall = r.frames + r.p[0].sent + r.p[1].sent == before ? stall + 1 : 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		for (int i = 0; i < ports; i++) {
			/* the last completions */
			for (int k = 0; k < 1000 && coh_ring_pending(&r.p[i].d.tx); k++) {
				(void)dwmac_interrupt(&r.p[i].d);
				dwmac_tx_reclaim(&r.p[i].d);
			}
		}
	}
	coh_stats_get(&r.p[0].dev, &a);
	memset(&b, 0, sizeof(b));
	if (ports > 1)
		coh_stats_get(&r.p[1].dev, &b);
	else
		st1 = b;
	x = a.lines_cleaned + a.lines_invalidated + a.lines_flushed - st0.lines_cleaned -
	    st0.lines_invalidated - st0.lines_flushed + b.lines_cleaned + b.lines_invalidated +
	    b.lines_flushed - st1.lines_cleaned - st1.lines_invalidated - st1.lines_flushed;
	barriers = a.release_calls + a.acquire_calls + a.flush_calls - st0.release_calls -
		   st0.acquire_calls - st0.flush_calls + b.release_calls + b.acquire_calls +
		   b.flush_calls - st1.release_calls - st1.acquire_calls - st1.flush_calls;
	if (r.frames < o->frames) {
		fprintf(stderr, "dwmac-demo: stalled after %lu frames\n", r.frames);
		r.errors += o->frames - r.frames;
	}
	for (int i = 0; i < ports; i++) {
		struct dwmac_stats s;

		dwmac_get_stats(&r.p[i].d, &s);
		if (o->inject < 0 && (s.rx_errors || s.rx_length_errors || s.rx_proto_errors ||
				      s.tx_errors || s.irq_fatal)) {
			fprintf(stderr, "dwmac-demo: %s: driver counted errors\n", r.p[i].dev.name);
			r.errors++;
		}
	}
	for (int i = 0; i < ports; i++)
		port_close(&r, i);
	reports = sim_quiesce();
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (shown > 3)
		printf("coherent-sim: ... %u more report(s)\n", shown - 3);
	if (!o->quiet)
		printf("layout %s: %s, line %zu, %.0f frames/s%s%s", layout_names[lay],
		       lay == L_CACHED	 ? "one descriptor per line, DSL skip"
		       : lay == L_UNCACHED ? "packed descriptors in uncached memory"
					   : "packed in cached memory, re-armed a line at a time",
		       r.line, secs > 0 ? (double)r.frames / secs : 0.0,
		       o->flush_only ? ", flush-only caches" : "", o->irq ? ", interrupt-driven" : "");
	if (!o->quiet && o->irq)
		printf(" (%u interrupts)", r.p[0].irqs + r.p[1].irqs);
	if (!o->quiet)
		printf("\n");
	printf("dwmac-qos: %lu frames, %lu errors, %.2f line ops per frame (minimum %.2f), "
	       "%.2f barriers per frame, %lu sanitizer reports, seed %llu\n",
	       r.frames, r.errors, r.frames ? (double)x / (double)r.frames : 0.0,
	       r.frames ? (double)r.ymin / (double)r.frames : 0.0,
	       r.frames ? (double)barriers / (double)r.frames : 0.0, reports,
	       (unsigned long long)o->seed);
	coh_region_remove(&unc);
	coh_region_remove(&ram);
	if (o->inject >= 0) {
		int cls = injects[o->inject].cls;
		unsigned long n = sim_reports(cls);

		if (!n && injects[o->inject].cls2 && sim_reports(injects[o->inject].cls2)) {
			cls = injects[o->inject].cls2;
			n = sim_reports(cls);
		}
		printf("inject %s (%s): %s%s, %lu report(s) of that class\n", injects[o->inject].name,
		       injects[o->inject].what, n ? "caught as " : "NOT caught as ",
		       sim_class_name(cls), n);
		sim_fini();
		return n ? 0 : 1;
	}
	sim_fini();
	if (r.errors || reports)
		return 1;
	if (x != r.ymin) {
		printf("dwmac-demo: line ops %lu, documented minimum %lu: differ\n", x, r.ymin);
		return 1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: coh-dwmac-demo [--layout cached|uncached|batched|all] [--frames N]\n"
		"                      [--seed N] [--line 32|64|128] [--flush-only] [--irq]\n"
		"                      [--loopback] [--rx-buf BYTES] [--inject BUG] [--trace FILE]\n"
		"bugs:");
	for (size_t i = 0; i < sizeof(injects) / sizeof(injects[0]); i++)
		fprintf(stderr, " %s", injects[i].name);
	fprintf(stderr, "\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = { .frames = 10000, .seed = 1, .line = 64, .rx_buf = RX_BUF, .inject = -1 };
	int which = -1, rc = 0;
	bool rx_buf_set = false;

	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--frames") && k + 1 < argc)
			o.frames = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			o.seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--line") && k + 1 < argc)
			o.line = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--rx-buf") && k + 1 < argc) {
			o.rx_buf = strtoul(argv[++k], NULL, 0);
			rx_buf_set = true;
		}
		else if (!strcmp(argv[k], "--flush-only"))
			o.flush_only = true;
		else if (!strcmp(argv[k], "--irq"))
			o.irq = true;
		else if (!strcmp(argv[k], "--loopback"))
			o.loopback = true;
		else if (!strcmp(argv[k], "--trace") && k + 1 < argc) {
			/* the one call: the run lands in a Chrome trace-event file */
			if (sim_trace_start(argv[++k])) {
				fprintf(stderr, "coh-dwmac-demo: cannot write %s\n", argv[k]);
				return 2;
			}
		}
		else if (!strcmp(argv[k], "--layout") && k + 1 < argc) {
			const char *l = argv[++k];

			which = -2;
			for (int i = 0; i < L_COUNT; i++)
				if (!strcmp(l, layout_names[i]))
					which = i;
			if (!strcmp(l, "all"))
				which = -1;
			if (which == -2)
				return usage();
		} else if (!strcmp(argv[k], "--inject") && k + 1 < argc) {
			const char *b = argv[++k];

			for (size_t i = 0; i < sizeof(injects) / sizeof(injects[0]); i++)
				if (!strcmp(b, injects[i].name))
					o.inject = (int)i;
			if (o.inject < 0)
				return usage();
		} else
			return usage();
	}
	/*
	 * The device lies about lengths within the MTU only with small buffers
	 * (the model's over-long length is 4 x RBSZ + 100): the bug needs them.
	 */
	if (o.inject >= 0 && injects[o.inject].bug == DWMAC_INJ_RX_TRUST_LEN && !rx_buf_set)
		o.rx_buf = 256;
#if !defined(DWMAC_INJECT)
	if (o.inject >= 0) {
		fprintf(stderr, "coh-dwmac-demo: built without DWMAC_INJECT: use coh-dwmac-demo-inject\n");
		return 2;
	}
#endif
#if !defined(SIM_F_FLUSH_ONLY)
	if (o.flush_only) {
		fprintf(stderr, "coh-dwmac-demo: this simulator has no flush-only mode\n");
		return 2;
	}
#endif
	for (int i = 0; i < L_COUNT; i++) {
		int one;

		if (which >= 0 && i != which)
			continue;
		one = run_layout(&o, (enum layout_id)i);
		if (one == 3 && which < 0)
			continue;	/* a layout this library cannot lay out yet: said above */
		if (one)
			rc = one;
	}
	return rc;
}
