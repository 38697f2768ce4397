/* SPDX-License-Identifier: MIT */
/*
 * sim/sim.c - memory, cache model, ownership tracking and the sanitizer.
 *
 * Per line of area 0 the model keeps three copies: the CPU view (what
 * driver code reads and writes with plain C), RAM (what devices reach) and
 * a shadow (the CPU view as it was at the last fill, clean or device
 * update).  A line is dirty when its CPU view differs from its shadow: CPU
 * stores need no instrumentation, dirtiness is computed when a line is
 * looked at.  A line is "valid" when the CPU cache may hold it; a device
 * write to an invalid line also updates the CPU view (the CPU would miss
 * and read RAM), to a valid one it reaches RAM only and the CPU copy is
 * stale for those bytes (dstale).  Work is per line touched; nothing ever
 * walks the whole region except sim_init's allocation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "coherent/backend.h"
#include "sim.h"

#define RECENT 64
#define NAMES 512
#define MAXWIN 16
#define PRINT_MAX 20
#define AREA1_GAP 0x100000u
#define PEND_MAX 32	/* pending stores remembered; when full the oldest is retired */
#define PEND_BYTES 64	/* bytes per entry; a larger store takes several, one sequence number */
#define HIST_MAX 32	/* device writes remembered for the load model; full: the oldest retired */
#define HIST_BYTES 64	/* bytes per entry; a larger write takes several, one sequence number */

typedef struct {
	uint64_t w[2];
} bm_t;

struct sline {
	bm_t devown;	/* bytes between coh_give and coh_take */
	bm_t dstale;	/* device wrote RAM, the CPU copy still has old bytes */
	const struct coh_where *where;	/* last library call on the line */
	const struct coh_device *dev;
	uint32_t rep;	/* classes already reported since the last reset */
	uint8_t invalid;	/* the CPU cache cannot hold the line (0: may hold it) */
	uint8_t spec;	/* valid because of a speculative refill after an invalidate */
	uint8_t dirty_at_dev;	/* CPU writes were pending when the device wrote */
	uint8_t tracked;
	uint8_t last_op;
	int8_t last_dir;
};

struct win {
	uintptr_t base;
	size_t size;
	const struct sim_mmio_ops *ops;
	void *ctx;
	void (*irq)(void *);
	void *irq_arg;
	void *mem;
};

struct name {
	uintptr_t s, e;
	char name[32];
};

/* a library store not yet ordered by a barrier: devices may or may not see it */
struct pend {
	uintptr_t a;
	uint32_t seq;		/* program order: one number per coh_arch_store */
	uint16_t n;
	uint8_t seen;		/* shown new once: visible from then on */
	uint8_t reported;
	const struct coh_where *where;
	uint8_t prev[PEND_BYTES];	/* the bytes before the store */
};

/*
 * A device write the CPU reads directly (area 1, or a coherent device),
 * since the last read-ordering point: a CPU load may still see prev.
 */
struct hist {
	uintptr_t a;		/* CPU address */
	uint32_t seq;		/* the device's write order: one number per sim_dev_write */
	uint16_t n;
	uint8_t seen;		/* a hooked load was given the new bytes */
	uint8_t reported;
	const struct coh_where *seen_at;	/* that load */
	const struct coh_device *dev;
	uint8_t prev[HIST_BYTES];	/* the bytes before the write */
	uint8_t now[HIST_BYTES];	/* the bytes written */
};

static struct {
	int up;
	struct sim_config cfg;
	size_t line;
	uint8_t *cpu, *ram, *shadow;
	size_t size;
	uint64_t phys;
	uint8_t *ucpu;
	size_t usize;
	uint64_t uphys;
	struct sline *meta;
	size_t nlines;
	uint32_t *tracked;
	size_t ntracked, captracked;
	uint32_t recent[RECENT];
	unsigned nrecent, recent_pos;
	uint64_t rng;
	/* the library call in progress */
	int op;
	uintptr_t op_s, op_e;
	const struct coh_device *op_dev;
	/* reports */
	sim_report_fn hook;
	void *hook_ctx;
	unsigned long counts[SIM_NCLASSES];
	unsigned long total, printed;
	struct name names[NAMES];
	unsigned nnames;
	struct win wins[MAXWIN];
	unsigned nwins;
	int in_step;
	/* store ordering: pend[0, npend) in program order */
	struct pend pend[PEND_MAX];
	unsigned npend;
	uint32_t seq;
	/* load ordering: hist[0, nhist) in the device's write order */
	struct hist hist[HIST_MAX];
	unsigned nhist;
	uint32_t dseq;
} S;

/* ---------------------------------------------------------------- utils */

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (S.rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int chance(unsigned permille)
{
	return permille && rnd() % 1000 < permille;
}

/* bits [lo, hi) of one 64-bit word, lo and hi clamped to [0, 64] */
static uint64_t word_range(size_t lo, size_t hi)
{
	uint64_t top, bot;

	if (lo >= hi || lo >= 64)
		return 0;
	top = hi >= 64 ? ~0ull : (1ull << hi) - 1;
	bot = (1ull << lo) - 1;
	return top & ~bot;
}

static bm_t bm_range(size_t lo, size_t hi)
{
	size_t lo1 = lo > 64 ? lo - 64 : 0, hi1 = hi > 64 ? hi - 64 : 0;

	return (bm_t){ { word_range(lo, hi < 64 ? hi : 64), word_range(lo1, hi1) } };
}

static bm_t bm_and(bm_t a, bm_t b)
{
	return (bm_t){ { a.w[0] & b.w[0], a.w[1] & b.w[1] } };
}

static bm_t bm_andnot(bm_t a, bm_t b)
{
	return (bm_t){ { a.w[0] & ~b.w[0], a.w[1] & ~b.w[1] } };
}

static int bm_any(bm_t a)
{
	return (a.w[0] | a.w[1]) != 0;
}

static unsigned bm_count(bm_t a)
{
	return (unsigned)(__builtin_popcountll(a.w[0]) +
			  __builtin_popcountll(a.w[1]));
}

static unsigned bm_first(bm_t a)
{
	return a.w[0] ? (unsigned)__builtin_ctzll(a.w[0])
		      : 64u + (unsigned)__builtin_ctzll(a.w[1]);
}

static void bm_set(bm_t *m, size_t i, int v)
{
	if (v)
		m->w[i >> 6] |= 1ull << (i & 63);
	else
		m->w[i >> 6] &= ~(1ull << (i & 63));
}

static bm_t diff_mask(const uint8_t *a, const uint8_t *b, size_t n)
{
	bm_t m = { { 0, 0 } };

	if (memcmp(a, b, n) == 0)
		return m;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			m.w[i >> 6] |= 1ull << (i & 63);
	return m;
}

static uint8_t *CPU(size_t i) { return S.cpu + i * S.line; }
static uint8_t *RAM(size_t i) { return S.ram + i * S.line; }
static uint8_t *SHD(size_t i) { return S.shadow + i * S.line; }

static int dirty(size_t i)
{
	return memcmp(CPU(i), SHD(i), S.line) != 0;
}

static int in_area0(uintptr_t s, uintptr_t e)
{
	return S.cpu && s >= (uintptr_t)S.cpu && e <= (uintptr_t)S.cpu + S.size &&
	       s <= e;
}

static int in_area1(uintptr_t s, uintptr_t e)
{
	return S.ucpu && s >= (uintptr_t)S.ucpu &&
	       e <= (uintptr_t)S.ucpu + S.usize && s <= e;
}

static void touch(size_t i)
{
	struct sline *m = &S.meta[i];

	if (!m->tracked) {
		if (S.ntracked == S.captracked) {
			size_t n = S.captracked ? 2 * S.captracked : 256;
			uint32_t *t = realloc(S.tracked, n * sizeof(*t));

			if (!t)
				return;
			S.tracked = t;
			S.captracked = n;
		}
		S.tracked[S.ntracked++] = (uint32_t)i;
		m->tracked = 1;
	}
	if (S.nrecent && S.recent[(S.recent_pos + RECENT - 1) % RECENT] == i)
		return;
	S.recent[S.recent_pos] = (uint32_t)i;
	S.recent_pos = (S.recent_pos + 1) % RECENT;
	if (S.nrecent < RECENT)
		S.nrecent++;
}

/* -------------------------------------------------------------- reports */

static const char *const class_names[SIM_NCLASSES] = {
	"STALE_DEVICE_READ",   "STALE_CPU_READ",	  "PARTIAL_LINE_LOSS",
	"EVICT_OVER_DEVICE",   "CPU_WRITE_DEVICE_OWNED", "SPECULATIVE_STALE",
	"BAD_BUS_ADDRESS",     "FREE_DEVICE_OWNED",	  "UNORDERED_STORES",
	"UNORDERED_LOADS",
};

const char *sim_class_name(int cls)
{
	return cls >= 0 && cls < SIM_NCLASSES ? class_names[cls] : "?";
}

static const char *op_name(int op)
{
	switch (op) {
	case COH_OP_RELEASE: return "coh_release";
	case COH_OP_ACQUIRE: return "coh_acquire";
	case COH_OP_FLUSH: return "coh_flush";
	case COH_OP_GIVE: return "coh_give";
	case COH_OP_TAKE: return "coh_take";
	case COH_OP_CONSUME: return "coh_consume";
	case COH_OP_SHARE: return "coh_share";
	case COH_OP_UNSHARE: return "coh_unshare";
	default: return NULL;
	}
}

static const char *dir_name(int dir)
{
	switch (dir) {
	case COH_TO_DEVICE: return " TO_DEVICE";
	case COH_FROM_DEVICE: return " FROM_DEVICE";
	case COH_BIDIRECTIONAL: return " BIDIRECTIONAL";
	default: return "";
	}
}

static const char *name_of(uintptr_t p)
{
	for (unsigned k = S.nnames; k-- > 0;)
		if (p >= S.names[k].s && p < S.names[k].e)
			return S.names[k].name;
	return NULL;
}

void sim_name(const void *p, size_t len, const char *name)
{
	struct name *n;

	if (!S.up || !p || !name)
		return;
	for (unsigned k = 0; k < S.nnames; k++)
		if (S.names[k].s == (uintptr_t)p) {
			n = &S.names[k];
			goto set;
		}
	if (S.nnames == NAMES)
		return;
	n = &S.names[S.nnames++];
set:
	n->s = (uintptr_t)p;
	n->e = (uintptr_t)p + (len ? len : 1);
	snprintf(n->name, sizeof(n->name), "%s", name);
}

static const char *base_name(const char *f)
{
	const char *s = f ? strrchr(f, '/') : NULL;

	return s ? s + 1 : f;
}

void sim_print_report(const struct sim_report *r, void *file)
{
	FILE *f = file ? file : stderr;

	fprintf(f, "coherent-sim: %s bus=0x%llx buf=%s seed=%llu last-change=",
		sim_class_name(r->cls), (unsigned long long)r->bus,
		r->buf[0] ? r->buf : "-", (unsigned long long)r->seed);
	if (r->file)
		fprintf(f, "%s:%d", r->file, r->line);
	else
		fprintf(f, "-");
	if (r->change[0])
		fprintf(f, " (%s)", r->change);
	fprintf(f, " dev=%s: %s\n", r->dev ? r->dev : "-", r->msg);
}

/* count and deliver a report whose class, address and message are set */
static void emit(struct sim_report *r, const struct coh_device *dev)
{
	r->seed = S.cfg.seed;
	r->dev = dev ? dev->name : NULL;
	S.counts[r->cls]++;
	S.total++;
	if (dev)
		__atomic_fetch_add(&((struct coh_device *)(uintptr_t)dev)->stats.reports,
				   1ul, __ATOMIC_RELAXED);
	if (S.hook) {
		S.hook(r, S.hook_ctx);
	} else if (S.printed++ < PRINT_MAX) {
		sim_print_report(r, stderr);
		if (S.printed == PRINT_MAX)
			fprintf(stderr, "coherent-sim: further reports counted, not printed\n");
	}
}

/* i: line index or SIZE_MAX; dev: the device involved, if known */
static void __attribute__((format(printf, 5, 6)))
report(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
       const char *fmt, ...)
{
	struct sim_report r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	if (i != SIZE_MAX) {
		struct sline *m = &S.meta[i];
		const char *on = op_name(m->last_op);

		if (m->rep & (1u << cls))
			return; /* once per class per line until its state is reset */
		m->rep |= 1u << cls;
		if (!dev)
			dev = m->dev;
		bus = S.phys + i * S.line + (dev ? dev->bus_offset : 0);
		const char *nm = NULL;

		/* a name covering any byte of the line */
		for (size_t b = 0; b < S.line && !nm; b++)
			nm = name_of((uintptr_t)CPU(i) + b);
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		if (m->where) {
			r.file = base_name(m->where->file);
			r.line = m->where->line;
		}
		if (on) {
			snprintf(r.change, sizeof(r.change), "%s%s", on,
				 dir_name(m->last_dir));
		}
	}
	r.cls = cls;
	r.bus = bus;
	va_start(ap, fmt);
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	va_end(ap);
	emit(&r, dev);
}

void sim_set_report_hook(sim_report_fn fn, void *ctx)
{
	S.hook = fn;
	S.hook_ctx = ctx;
}

unsigned long sim_reports(int cls)
{
	if (cls < 0)
		return S.total;
	return cls < SIM_NCLASSES ? S.counts[cls] : 0;
}

/* ---------------------------------------------------------- cache model */

/*
 * Write a dirty line back, whole, as hardware does.  Device data in RAM
 * that the CPU copy does not hold is overwritten: reported.
 */
static void writeback(size_t i, int evict)
{
	struct sline *m = &S.meta[i];
	uint8_t *c = CPU(i), *r = RAM(i);
	bm_t d, lost;

	if (!dirty(i))
		return;
	d = diff_mask(c, SHD(i), S.line);
	if (bm_any(bm_and(d, m->devown)))
		report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, NULL,
		       "CPU wrote %u byte(s) the device owns (first at +%u), now written back",
		       bm_count(bm_and(d, m->devown)),
		       bm_first(bm_and(d, m->devown)));
	lost = bm_and(m->dstale, diff_mask(c, r, S.line));
	if (bm_any(lost)) {
		int cls = m->dirty_at_dev ? SIM_EVICT_OVER_DEVICE
			  : m->spec	  ? SIM_SPECULATIVE_STALE
					  : SIM_STALE_CPU_READ;
		report(cls, i, 0, NULL,
		       "%s wrote back %u byte(s) over device data (first at +%u)%s",
		       evict ? "eviction" : "clean", bm_count(lost),
		       bm_first(lost),
		       m->dirty_at_dev ? ": line was dirty before the DMA"
				       : ": stale CPU copy was modified");
	}
	memcpy(r, c, S.line);
	memcpy(SHD(i), c, S.line);
	m->dstale = (bm_t){ { 0, 0 } };
	m->dirty_at_dev = 0;
	m->invalid = (uint8_t)evict;
	if (evict)
		m->spec = 0;
}

/* Drop the line: CPU writes in it are lost, the CPU view becomes RAM. */
static void invalidate(size_t i, uintptr_t keep_s, uintptr_t keep_e)
{
	struct sline *m = &S.meta[i];
	uintptr_t ls = (uintptr_t)CPU(i);
	bm_t d = diff_mask(CPU(i), SHD(i), S.line);

	if (bm_any(d)) {
		size_t lo = keep_s > ls ? keep_s - ls : 0;
		size_t hi = keep_e < ls + S.line ? keep_e - ls : S.line;
		bm_t in = lo < hi ? bm_range(lo, hi) : (bm_t){ { 0, 0 } };
		bm_t out = bm_andnot(d, in);

		if (bm_any(out))
			report(SIM_PARTIAL_LINE_LOSS, i, 0, NULL,
			       "invalidate discarded %u CPU-written byte(s) outside the range (first at +%u)",
			       bm_count(out), bm_first(out));
		if (bm_any(bm_and(bm_and(d, in), m->devown)))
			report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, NULL,
			       "CPU wrote %u byte(s) the device owns (first at +%u); invalidate discarded them",
			       bm_count(bm_and(bm_and(d, in), m->devown)),
			       bm_first(bm_and(bm_and(d, in), m->devown)));
	}
	memcpy(CPU(i), RAM(i), S.line);
	memcpy(SHD(i), RAM(i), S.line);
	m->invalid = 1;
	m->spec = 0;
	m->dirty_at_dev = 0;
	m->dstale = (bm_t){ { 0, 0 } };
	m->rep = 0;
}

static void sched(void)
{
	size_t i;

	if (!S.up || !S.nrecent || (S.cfg.flags & SIM_F_NO_SANITIZER))
		return;
	if (chance(S.cfg.evict_permille)) {
		i = S.recent[rnd() % S.nrecent];
		if (dirty(i))
			writeback(i, 1);
	}
	if (chance(S.cfg.refill_permille)) {
		i = S.recent[rnd() % S.nrecent];
		if (S.meta[i].invalid && !dirty(i)) {
			S.meta[i].invalid = 0;
			S.meta[i].spec = 1;
		}
	}
}

/* line index range of [s, e) in area 0 (s < e) */
static void line_span(uintptr_t s, uintptr_t e, size_t *a, size_t *b)
{
	*a = (s - (uintptr_t)S.cpu) / S.line;
	*b = (e - (uintptr_t)S.cpu + S.line - 1) / S.line;
}

size_t sim__line_size(void)
{
	return S.line;
}

static int maint_span(uintptr_t s, uintptr_t e, size_t *a, size_t *b)
{
	if (!S.up || s >= e || (S.cfg.flags & SIM_F_NO_SANITIZER) ||
	    !in_area0(s, e))
		return 0; /* area 1 is uncached: nothing to do */
	line_span(s, e, a, b);
	return 1;
}

void sim__clean_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;

	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		touch(i);
		writeback(i, 0);
	}
}

void sim__inval_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;
	int ranged = S.op == COH_OP_ACQUIRE || S.op == COH_OP_TAKE;

	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		touch(i);
		invalidate(i, ranged ? S.op_s : s, ranged ? S.op_e : e);
	}
}

void sim__flush_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;

	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		touch(i);
		writeback(i, 0);
		invalidate(i, s, e);
	}
}

void sim_raw_invalidate(const void *p, size_t len)
{
	uintptr_t s = (uintptr_t)p, e = s + len;
	size_t a, b;

	sched();
	if (!len || !maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		touch(i);
		invalidate(i, s, e);
	}
}

unsigned long sim_quiesce(void)
{
	S.npend = 0;	/* the end of a test orders everything */
	S.nhist = 0;
	if (S.up && !(S.cfg.flags & SIM_F_NO_SANITIZER))
		for (size_t k = 0; k < S.ntracked; k++)
			writeback(S.tracked[k], 1);
	return S.total;
}

/* ------------------------------------------------------ library hooks */

int coh_arch_range_check(uintptr_t start, uintptr_t end)
{
	return in_area0(start, end) || in_area1(start, end) ? 0 : -COH_EFAULT;
}

/* bytes [lo, hi) of line i that lie in [s, e) */
static bm_t line_part(size_t i, uintptr_t s, uintptr_t e)
{
	uintptr_t ls = (uintptr_t)CPU(i);
	size_t lo = s > ls ? s - ls : 0;
	size_t hi = e < ls + S.line ? e - ls : S.line;

	return lo < hi ? bm_range(lo, hi) : (bm_t){ { 0, 0 } };
}

static int consume_check(const struct coh_device *dev, size_t i, bm_t part)
{
	struct sline *m = &S.meta[i];
	bm_t st = bm_and(m->dstale, part);

	if (!bm_any(st))
		return 0;
	report(m->spec ? SIM_SPECULATIVE_STALE : SIM_STALE_CPU_READ, i, 0, dev,
	       "CPU consumed %u stale byte(s) (first at +%u): %s", bm_count(st),
	       bm_first(st),
	       m->spec ? "line refilled speculatively after the invalidate, before the DMA finished"
		       : "device wrote them, no acquire since");
	return 1;
}

int coh_arch_op(int op, struct coh_device *dev, const void *ptr, size_t len,
		int dir, const struct coh_where *where)
{
	uintptr_t s = (uintptr_t)ptr, e = s + len;
	size_t a, b;
	int stale = 0;

	if (!S.up)
		return -COH_EFAULT;
	if (in_area1(s, e))
		return 0;
	if (!in_area0(s, e))
		return -COH_EFAULT;
	if (S.cfg.flags & SIM_F_NO_SANITIZER)
		return 0;
	sched();
	S.op = op;
	S.op_s = s;
	S.op_e = e;
	S.op_dev = dev;
	line_span(s, e, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		bm_t part = line_part(i, s, e);

		touch(i);
		if (op == COH_OP_CONSUME) {
			stale |= consume_check(dev, i, part);
			continue;
		}
		if (op == COH_OP_TAKE) {
			bm_t w = bm_and(bm_and(diff_mask(CPU(i), SHD(i), S.line),
					       m->devown), part);

			if (bm_any(w))
				report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
				       "CPU wrote %u byte(s) (first at +%u) while the device owned them",
				       bm_count(w), bm_first(w));
		}
		if (op == COH_OP_UNSHARE) {
			/* the allocator may hand these bytes out while the device still uses them */
			bm_t own = bm_and(m->devown, part);

			if (bm_any(own))
				report(SIM_FREE_DEVICE_OWNED, i, 0, dev,
				       "memory freed at %s:%d while the device owns %u byte(s) of the line (first at +%u)",
				       where ? base_name(where->file) : "?",
				       where ? where->line : 0, bm_count(own),
				       bm_first(own));
		}
		m->where = where;
		m->dev = dev;
		m->last_op = (uint8_t)op;
		m->last_dir = (int8_t)dir;
		switch (op) {
		case COH_OP_GIVE:
			m->rep = 0;
			break;
		case COH_OP_TAKE:
		case COH_OP_SHARE:
		case COH_OP_UNSHARE:
			m->devown = bm_andnot(m->devown, part);
			m->rep = 0;
			break;
		default:
			break;
		}
	}
	if (op == COH_OP_CONSUME)
		S.op = 0;
	return stale ? -COH_EPROTO : 0;
}

/* ownership moves once the body has cleaned the lines, so its write-back is not a violation */
static void give_done(void)
{
	size_t a, b;

	line_span(S.op_s, S.op_e, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		bm_t part = line_part(i, S.op_s, S.op_e);

		m->devown.w[0] |= part.w[0];
		m->devown.w[1] |= part.w[1];
		if (S.op_dev && coh_device_is_coherent(S.op_dev)) {
			/* a snooping device sees the CPU view: sync the model's copies */
			uintptr_t ls = (uintptr_t)CPU(i);
			size_t lo = S.op_s > ls ? S.op_s - ls : 0;
			size_t hi = S.op_e < ls + S.line ? S.op_e - ls : S.line;

			memcpy(RAM(i) + lo, CPU(i) + lo, hi - lo);
			memcpy(SHD(i) + lo, CPU(i) + lo, hi - lo);
			m->dstale = bm_andnot(m->dstale, part);
		}
	}
}

void coh_arch_op_end(int op)
{
	if (op == COH_OP_GIVE && S.op == COH_OP_GIVE)
		give_done();
	S.op = 0;
}

/*
 * The next entry of a bounded table kept in order (pend, hist): when it is
 * full the oldest entry is retired first, which keeps the order and so can
 * only miss a report, never invent one.
 */
static void *table_push(void *tab, unsigned *n, unsigned max, size_t size)
{
	if (*n == max) {
		memmove(tab, (char *)tab + size, (max - 1) * size);
		(*n)--;
	}
	return (char *)tab + (size_t)(*n)++ * size;
}

/* ------------------------------------------------------ store ordering */

/*
 * The library's stores to shared memory (coh_arch_store, called just before
 * the store) are remembered with the bytes they replace until the next
 * barrier that orders stores (sim__order).  Only stores a device can see
 * without maintenance matter - area 1, or any area for a coherent device -
 * but which device will read is known only at the read, so every store
 * inside the areas is remembered and the read decides (pend_view).  The
 * table is bounded: when it is full the oldest store is retired, which
 * keeps program order and so never causes a report, only a missed one.
 */
void sim__order(void)
{
	S.npend = 0;
}

void coh_arch_store(const void *addr, size_t n, const struct coh_where *where)
{
	uintptr_t a = (uintptr_t)addr;

	if (!S.up || !n || (S.cfg.flags & SIM_F_NO_SANITIZER) ||
	    (!in_area0(a, a + n) && !in_area1(a, a + n)))
		return;
	/* a scheduling point: a device may run between two stores */
	sim_step();
	S.seq++;
	for (size_t off = 0; off < n; off += PEND_BYTES) {
		size_t k = n - off < PEND_BYTES ? n - off : PEND_BYTES;
		struct pend *e = table_push(S.pend, &S.npend, PEND_MAX, sizeof(S.pend[0]));

		e->a = a + off;
		e->n = (uint16_t)k;
		e->seq = S.seq;
		e->seen = 0;
		e->reported = 0;
		e->where = where;
		memcpy(e->prev, (const void *)(a + off), k);
	}
}

/* a device wrote [p, p+len): pending stores there are overwritten, forget them */
static void pend_drop(uintptr_t p, size_t len)
{
	unsigned k, j = 0;

	for (k = 0; k < S.npend; k++)
		if (!(S.pend[k].a < p + len && S.pend[k].a + S.pend[k].n > p))
			S.pend[j++] = S.pend[k];
	S.npend = j;
}

/* is byte b covered by a store newer than k that the device is shown new? */
static int pend_hidden(unsigned k, uintptr_t b, const int8_t *shown)
{
	for (unsigned j = k + 1; j < S.npend; j++)
		if (shown[j] == 1 && b >= S.pend[j].a && b < S.pend[j].a + S.pend[j].n)
			return 1;
	return 0;
}

static void where_str(char *buf, size_t n, const struct coh_where *w)
{
	if (w && w->file)
		snprintf(buf, n, "%s:%d", base_name(w->file), w->line);
	else
		snprintf(buf, n, "?");
}

/*
 * What a device reading [p, p+len) (CPU address; the bytes already copied
 * to out) sees of the pending stores there: each store not yet seen is
 * shown new or old at random, an old one by putting back the bytes it
 * replaced (unless a newer store shown new covers them).  If the device
 * acts on the bytes (flag_mask == 0, or the flag word has a bit of it set)
 * and a store is visibly new while an earlier one is visibly old, the
 * device observed them out of program order: reported, naming both.
 */
static void pend_view(const struct coh_device *dev, coh_bus_t bus, uintptr_t p,
		      size_t len, uint8_t *out, size_t flag_off, uint32_t flag_mask)
{
	int8_t shown[PEND_MAX];	/* -1 not in this read, 0 old, 1 new */
	uint8_t visible[PEND_MAX];	/* showing it new or old makes a difference */
	unsigned k, nin = 0;
	int hi = -1, lo = -1;

	for (k = 0; k < S.npend; k++) {
		struct pend *e = &S.pend[k];

		shown[k] = -1;
		visible[k] = 0;
		if (!(e->a < p + len && e->a + e->n > p))
			continue;
		nin++;
		shown[k] = (int8_t)(e->seen || (rnd() & 1));
		if (shown[k])
			e->seen = 1;
	}
	if (!nin)
		return;
	for (k = S.npend; k-- > 0;) {
		struct pend *e = &S.pend[k];
		uintptr_t s = e->a > p ? e->a : p;
		uintptr_t t = e->a + e->n < p + len ? e->a + e->n : p + len;

		if (shown[k] != 0)
			continue;
		for (uintptr_t b = s; b < t; b++) {
			uint8_t v = e->prev[b - e->a];

			if (pend_hidden(k, b, shown) || out[b - p] == v)
				continue;
			out[b - p] = v;
			visible[k] = 1;
		}
	}
	for (k = 0; k < S.npend; k++) {
		struct pend *e = &S.pend[k];
		uintptr_t s = e->a > p ? e->a : p;
		uintptr_t t = e->a + e->n < p + len ? e->a + e->n : p + len;

		if (shown[k] != 1)
			continue;
		for (uintptr_t b = s; b < t && !visible[k]; b++)
			visible[k] = out[b - p] != e->prev[b - e->a];
	}
	if (flag_mask) {
		uint32_t f = 0;

		if (flag_off + 4 > len)
			return;
		for (unsigned b = 0; b < 4; b++)
			f |= (uint32_t)out[flag_off + b] << (8 * b);
		if (!(f & flag_mask))
			return;	/* the device ignores what it does not own */
	}
	/* the newest store seen new, the oldest earlier one seen old */
	for (k = S.npend; k-- > 0 && hi < 0;)
		if (shown[k] == 1 && visible[k] && !S.pend[k].reported)
			hi = (int)k;
	for (k = 0; hi >= 0 && k < (unsigned)hi && lo < 0; k++)
		if (shown[k] == 0 && visible[k] && S.pend[k].seq < S.pend[hi].seq)
			lo = (int)k;
	if (lo < 0)
		return;
	{
		struct pend *n = &S.pend[hi], *o = &S.pend[lo];
		size_t no = n->a > p ? n->a - p : 0, oo = o->a > p ? o->a - p : 0;
		const char *nm = name_of(n->a);
		char wn[48], wo[48], msg[256];
		struct sim_report r;

		n->reported = 1;
		memset(&r, 0, sizeof(r));
		where_str(wn, sizeof(wn), n->where);
		where_str(wo, sizeof(wo), o->where);
		r.cls = SIM_UNORDERED_STORES;
		r.bus = bus + no;
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		if (n->where) {
			r.file = base_name(n->where->file);
			r.line = n->where->line;
		}
		snprintf(r.change, sizeof(r.change), "library store");
		snprintf(msg, sizeof(msg),
			 "device saw +%zu (%u bytes, written at %s) without the earlier +%zu (%u bytes, written at %s): missing coh_dma_wmb() between them",
			 no, (unsigned)n->n, wn, oo, (unsigned)o->n, wo);
		/* long file names are cut, as any message is */
		memcpy(r.msg, msg, sizeof(r.msg) - 1);
		emit(&r, dev);
	}
}

/* ------------------------------------------------------- load ordering */

/*
 * The mirror image for loads.  Device writes to bytes the CPU reads
 * directly (area 1, or any area for a coherent device) are remembered with
 * the bytes they replaced until the next read-ordering point (sim__rorder:
 * rmb, mb, io_rmb, maint_done, sim_quiesce): a CPU load may have been
 * satisfied at any moment since then.  A load the library makes
 * (coh_arch_load, just after it) that gets the new bytes of a write has
 * seen it; a later load that could still get the bytes from before an
 * EARLIER write, while a later one was seen, is the missing dma_rmb: on a
 * seeded coin it is reported and given the old bytes.  Otherwise the value
 * is left alone, so a correct driver never sees altered data.  The table is
 * bounded; retiring the oldest entry forgets a write, which can only miss a
 * report, never invent one.
 */
void sim__rorder(void)
{
	S.nhist = 0;
}

static void hist_add(const struct coh_device *dev, uintptr_t p,
		     const uint8_t *in, size_t len)
{
	S.dseq++;
	for (size_t off = 0; off < len; off += HIST_BYTES) {
		size_t k = len - off < HIST_BYTES ? len - off : HIST_BYTES;
		struct hist *h = table_push(S.hist, &S.nhist, HIST_MAX, sizeof(S.hist[0]));

		h->a = p + off;
		h->n = (uint16_t)k;
		h->seq = S.dseq;
		h->seen = 0;
		h->reported = 0;
		h->seen_at = NULL;
		h->dev = dev;
		memcpy(h->prev, (const void *)(p + off), k);
		memcpy(h->now, in + off, k);
	}
}

static int hist_covers(const struct hist *h, uintptr_t b)
{
	return b >= h->a && b < h->a + h->n;
}

/*
 * The oldest write to byte b a load may still not see (every newer write
 * to b unseen and its bytes still in memory, cur), or -1.
 */
static int hist_oldest(uintptr_t b, uint8_t cur)
{
	int best = -1, last = -1;

	for (unsigned k = 0; k < S.nhist; k++) {
		if (!hist_covers(&S.hist[k], b))
			continue;
		last = (int)k;
		if (S.hist[k].seen)
			best = -1;	/* read-read coherence: never older than a value seen */
		else if (best < 0)
			best = (int)k;
	}
	/* a CPU store since (plain or not) is what the CPU reads, always */
	if (last < 0 || S.hist[last].now[b - S.hist[last].a] != cur)
		return -1;
	return best;
}

/* byte b may be loaded stale although a later device write was seen */
static int hist_stale(uintptr_t b, uint8_t cur, uint32_t seen_max)
{
	int k = hist_oldest(b, cur);

	return k >= 0 && S.hist[k].seq < seen_max && !S.hist[k].reported &&
	       S.hist[k].prev[b - S.hist[k].a] != cur;
}

void coh_arch_load(const void *addr, size_t n, void *val,
		   const struct coh_where *where)
{
	uintptr_t p = (uintptr_t)addr;
	uint8_t *v = val;
	uint32_t seen_max = 0;
	unsigned k;
	int first = -1;	/* entry of the first stale byte */
	uintptr_t fb = 0;

	if (!S.up || !S.nhist || !n || (S.cfg.flags & SIM_F_NO_SANITIZER))
		return;
	for (k = 0; k < S.nhist; k++)
		if (S.hist[k].seen && S.hist[k].seq > seen_max)
			seen_max = S.hist[k].seq;
	for (k = 0; k < S.nhist && first < 0 && seen_max; k++) {
		struct hist *h = &S.hist[k];
		uintptr_t s = h->a > p ? h->a : p;
		uintptr_t t = h->a + h->n < p + n ? h->a + h->n : p + n;

		for (uintptr_t b = s; b < t && first < 0; b++)
			if (hist_stale(b, v[b - p], seen_max)) {
				first = hist_oldest(b, v[b - p]);
				fb = b;
			}
	}
	if (first >= 0 && (rnd() & 1)) {
		struct hist *o = &S.hist[first], *l = NULL;
		uint8_t undone[HIST_MAX] = { 0 };
		uintptr_t base, la;
		char wl[48], msg[256];
		struct sim_report r;
		const char *nm = name_of(fb);

		/* the load was satisfied before the write: every stale byte old */
		for (k = 0; k < S.nhist; k++) {
			struct hist *h = &S.hist[k];
			uintptr_t s = h->a > p ? h->a : p;
			uintptr_t t = h->a + h->n < p + n ? h->a + h->n : p + n;

			for (uintptr_t b = s; b < t; b++) {
				int j = hist_oldest(b, v[b - p]);

				if (j != (int)k || !hist_stale(b, v[b - p], seen_max))
					continue;
				for (unsigned i = (unsigned)j; i < S.nhist; i++)
					if (hist_covers(&S.hist[i], b))
						undone[i] = 1;
				v[b - p] = h->prev[b - h->a];
			}
		}
		/* the write after it that the CPU saw: the nearest one */
		for (k = 0; k < S.nhist; k++)
			if (S.hist[k].seen && S.hist[k].seq > o->seq &&
			    (!l || S.hist[k].seq < l->seq))
				l = &S.hist[k];
		for (k = 0; k < S.nhist; k++)
			if (undone[k])
				S.hist[k].reported = 1;
		la = l ? l->a : fb;
		base = (fb < la ? fb : la) & ~(uintptr_t)(S.line - 1);
		memset(&r, 0, sizeof(r));
		where_str(wl, sizeof(wl), l ? l->seen_at : NULL);
		r.cls = SIM_UNORDERED_LOADS;
		r.bus = sim_virt_to_phys((const void *)fb) +
			(o->dev ? o->dev->bus_offset : 0);
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		if (where) {
			r.file = base_name(where->file);
			r.line = where->line;
		}
		snprintf(r.change, sizeof(r.change), "library load");
		snprintf(msg, sizeof(msg),
			 "CPU read +%zu (device wrote it before +%zu, which the CPU already saw at %s) without a coh_dma_rmb() between: it may see the old value",
			 (size_t)(fb - base), (size_t)(la - base), wl);
		memcpy(r.msg, msg, sizeof(r.msg) - 1);
		emit(&r, o->dev);
		for (k = 0; k < S.nhist; k++) {
			struct hist *h = &S.hist[k];

			if (!undone[k] && !h->seen && h->a < p + n && h->a + h->n > p) {
				h->seen = 1;
				h->seen_at = where;
			}
		}
		return;
	}
	/* the value loaded is the current one: the writes it overlaps are seen */
	for (k = 0; k < S.nhist; k++) {
		struct hist *h = &S.hist[k];

		if (!h->seen && h->a < p + n && h->a + h->n > p) {
			h->seen = 1;
			h->seen_at = where;
		}
	}
}

/* ---------------------------------------------------------- device side */

/* 0 and the area's CPU pointer, or -COH_EFAULT with a report */
static int dev_map(const struct coh_device *dev, coh_bus_t bus, size_t len,
		   const char *what, int *area, uintptr_t *cpu)
{
	uint64_t phys, last;

	if (!S.up || !dev)
		return -COH_EFAULT;
	phys = bus - dev->bus_offset;
	last = bus + len - 1;
	if (last < bus || last > dev->dma_mask) {
		report(SIM_BAD_BUS_ADDRESS, SIZE_MAX, bus, dev,
		       "device %s of %zu byte(s) beyond its DMA mask 0x%llx",
		       what, len, (unsigned long long)dev->dma_mask);
		return -COH_EFAULT;
	}
	if (phys >= S.phys && phys - S.phys < S.size && len <= S.size - (phys - S.phys)) {
		*area = 0;
		*cpu = (uintptr_t)S.cpu + (uintptr_t)(phys - S.phys);
		return 0;
	}
	if (S.usize && phys >= S.uphys && phys - S.uphys < S.usize &&
	    len <= S.usize - (phys - S.uphys)) {
		*area = 1;
		*cpu = (uintptr_t)S.ucpu + (uintptr_t)(phys - S.uphys);
		return 0;
	}
	report(SIM_BAD_BUS_ADDRESS, SIZE_MAX, bus, dev,
	       "device %s of %zu byte(s) outside simulated RAM", what, len);
	return -COH_EFAULT;
}

static int dev_read(const struct coh_device *dev, coh_bus_t bus, void *dst,
		    size_t len, size_t flag_off, uint32_t flag_mask)
{
	uintptr_t p;
	int area, rc;
	uint8_t *out = dst;
	size_t a, b;

	if (!len)
		return 0;
	rc = dev_map(dev, bus, len, "read", &area, &p);
	if (rc)
		return rc;
	if (S.cfg.flags & SIM_F_NO_SANITIZER) {
		memcpy(dst, (void *)p, len);
		return 0;
	}
	if (area == 1) {
		memcpy(dst, (void *)p, len);
		if (S.npend)
			pend_view(dev, bus, p, len, out, flag_off, flag_mask);
		return 0;
	}
	line_span(p, p + len, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		uintptr_t ls = (uintptr_t)CPU(i);
		uintptr_t s = p > ls ? p : ls;
		uintptr_t e = p + len < ls + S.line ? p + len : ls + S.line;
		bm_t part = line_part(i, s, e);
		const uint8_t *from;

		touch(i);
		if (dirty(i)) {
			bm_t d = bm_and(diff_mask(CPU(i), SHD(i), S.line), part);
			bm_t own = bm_and(d, m->devown);

			m->invalid = 0;
			if (bm_any(own))
				report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
				       "device read %u byte(s) the CPU wrote while the device owned them (first at +%u)",
				       bm_count(own), bm_first(own));
			d = bm_andnot(bm_and(d, diff_mask(CPU(i), RAM(i), S.line)),
				      m->devown);
			if (!coh_device_is_coherent(dev) && bm_any(d))
				report(SIM_STALE_DEVICE_READ, i, 0, dev,
				       "device read %u byte(s) whose CPU writes were never cleaned (first at +%u)",
				       bm_count(d), bm_first(d));
		}
		from = coh_device_is_coherent(dev) ? CPU(i) : RAM(i);
		memcpy(out + (s - p), from + (s - ls), e - s);
	}
	/* a snooping device sees CPU stores as they become visible, not at a clean */
	if (S.npend && coh_device_is_coherent(dev))
		pend_view(dev, bus, p, len, out, flag_off, flag_mask);
	return 0;
}

int sim_dev_read(const struct coh_device *dev, coh_bus_t bus, void *dst,
		 size_t len)
{
	return dev_read(dev, bus, dst, len, 0, 0);
}

int sim_dev_fetch(const struct coh_device *dev, coh_bus_t bus, void *dst,
		  size_t len, size_t flag_off, uint32_t flag_mask)
{
	return dev_read(dev, bus, dst, len, flag_off, flag_mask);
}

int sim_dev_write(const struct coh_device *dev, coh_bus_t bus, const void *src,
		  size_t len)
{
	uintptr_t p;
	int area, rc;
	const uint8_t *in = src;
	size_t a, b;

	if (!len)
		return 0;
	rc = dev_map(dev, bus, len, "write", &area, &p);
	if (rc)
		return rc;
	if (S.npend)
		pend_drop(p, len);
	if (!(S.cfg.flags & SIM_F_NO_SANITIZER) &&
	    (area == 1 || coh_device_is_coherent(dev)))
		hist_add(dev, p, in, len);
	if (area == 1 || (S.cfg.flags & SIM_F_NO_SANITIZER)) {
		memcpy((void *)p, src, len);
		return 0;
	}
	line_span(p, p + len, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		uintptr_t ls = (uintptr_t)CPU(i);
		uintptr_t s = p > ls ? p : ls;
		uintptr_t e = p + len < ls + S.line ? p + len : ls + S.line;
		size_t lo = s - ls, n = e - s;
		const uint8_t *v = in + (s - p);
		uint8_t *c = CPU(i), *r = RAM(i), *sh = SHD(i);

		touch(i);
		if (dirty(i)) {
			bm_t own = bm_and(diff_mask(c, sh, S.line), m->devown);

			m->invalid = 0;
			if (bm_any(own))
				report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
				       "CPU wrote %u byte(s) the device owns (first at +%u) before the device wrote the line",
				       bm_count(own), bm_first(own));
			if (!coh_device_is_coherent(dev))
				m->dirty_at_dev = 1;
		}
		if (coh_device_is_coherent(dev)) {
			/* snoop: the CPU view is updated with RAM */
			memcpy(c + lo, v, n);
			memcpy(sh + lo, v, n);
			memcpy(r + lo, v, n);
			m->dstale = bm_andnot(m->dstale, bm_range(lo, lo + n));
			continue;
		}
		if (m->invalid && chance(S.cfg.refill_permille)) {
			/* the CPU prefetched the line before this write landed */
			m->invalid = 0;
			m->spec = 1;
		}
		memcpy(r + lo, v, n);
		if (m->invalid) {
			/* not cached: a later CPU read misses and sees RAM */
			memcpy(c + lo, v, n);
			memcpy(sh + lo, v, n);
			continue;
		}
		for (size_t k = 0; k < n; k++)
			bm_set(&m->dstale, lo + k, c[lo + k] != v[k]);
	}
	return 0;
}

/* ---------------------------------------------------------------- MMIO */

static struct win *win_of(const volatile void *a)
{
	uintptr_t p = (uintptr_t)a;

	for (unsigned k = 0; k < S.nwins; k++)
		if (p >= S.wins[k].base && p - S.wins[k].base < S.wins[k].size)
			return &S.wins[k];
	return NULL;
}

static void step_all(void)
{
	if (S.in_step)
		return; /* an interrupt handler's MMIO does not re-enter the models */
	S.in_step = 1;
	for (unsigned k = 0; k < S.nwins; k++)
		if (S.wins[k].ops->step)
			S.wins[k].ops->step(S.wins[k].ctx);
	S.in_step = 0;
}

void sim_step(void)
{
	sched();
	step_all();
}

uint64_t sim__mmio_read(const volatile void *a, unsigned size)
{
	struct win *w = win_of(a);

	if (!w) {
		switch (size) {
		case 1: return *(const volatile uint8_t *)a;
		case 2: return *(const volatile uint16_t *)a;
		case 4: return *(const volatile uint32_t *)a;
		default: return *(const volatile uint64_t *)a;
		}
	}
	sim_step();
	return w->ops->read(w->ctx, (size_t)((uintptr_t)a - w->base), size);
}

void sim__mmio_write(volatile void *a, uint64_t v, unsigned size)
{
	struct win *w = win_of(a);

	if (!w) {
		switch (size) {
		case 1: *(volatile uint8_t *)a = (uint8_t)v; return;
		case 2: *(volatile uint16_t *)a = (uint16_t)v; return;
		case 4: *(volatile uint32_t *)a = (uint32_t)v; return;
		default: *(volatile uint64_t *)a = v; return;
		}
	}
	sim_step();
	w->ops->write(w->ctx, (size_t)((uintptr_t)a - w->base), v, size);
}

void *sim_mmio_map(size_t size, const struct sim_mmio_ops *ops, void *ctx)
{
	struct win *w;

	if (!S.up || !ops || !ops->read || !ops->write || !size || S.nwins == MAXWIN)
		return NULL;
	w = &S.wins[S.nwins];
	/* a real host allocation, so window addresses never collide with RAM */
	w->mem = calloc(1, size);
	if (!w->mem)
		return NULL;
	w->base = (uintptr_t)w->mem;
	w->size = size;
	w->ops = ops;
	w->ctx = ctx;
	w->irq = NULL;
	S.nwins++;
	return w->mem;
}

int sim_irq_connect(void *regs, void (*fn)(void *arg), void *arg)
{
	struct win *w = win_of(regs);

	if (!w)
		return -COH_EINVAL;
	w->irq = fn;
	w->irq_arg = arg;
	return 0;
}

void sim_irq_raise(void *regs)
{
	struct win *w = win_of(regs);

	if (w && w->irq)
		w->irq(w->irq_arg);
}

/* ------------------------------------------------------------ lifecycle */

void sim_config_default(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.ram_size = 1u << 20,
		.ram_phys = 0x80000000u,
		.uncached_size = 64u << 10,
		.line = 64,
		.seed = 1,
		.evict_permille = 50,
		.refill_permille = 50,
	};
}

/* page-aligned, zeroed on first touch: set-up cost does not grow with the region */
static void *zalloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void zfree(void *p, size_t n)
{
	if (p)
		munmap(p, n);
}

int sim_init(const struct sim_config *cfg)
{
	size_t size, usize;

	if (S.up)
		return -COH_EBUSY;
	if (!cfg || !cfg->ram_size ||
	    (cfg->line != 32 && cfg->line != 64 && cfg->line != 128))
		return -COH_EINVAL;
	size = (cfg->ram_size + 4095) & ~(size_t)4095;
	usize = (cfg->uncached_size + 4095) & ~(size_t)4095;
	memset(&S, 0, sizeof(S));
	S.cfg = *cfg;
	S.line = cfg->line;
	S.size = size;
	S.phys = cfg->ram_phys;
	S.nlines = size / S.line;
	S.cpu = zalloc(size);
	S.ram = zalloc(size);
	S.shadow = zalloc(size);
	S.meta = zalloc(S.nlines * sizeof(*S.meta));
	S.usize = usize;
	if (usize)
		S.ucpu = zalloc(usize);
	if (!S.cpu || !S.ram || !S.shadow || !S.meta || (usize && !S.ucpu)) {
		sim_fini();
		return -COH_ENOMEM;
	}
	S.uphys = S.phys + ((size + AREA1_GAP - 1) & ~(uint64_t)(AREA1_GAP - 1));
	/* meta is zeroed: a warm cache, any line may be held until invalidated */
	S.rng = cfg->seed;
	S.up = 1;
	if (coh_set_cache_line_size(S.line)) {
		sim_fini();
		return -COH_EINVAL;
	}
	return 0;
}

void sim_fini(void)
{
	for (unsigned k = 0; k < S.nwins; k++) {
		if (S.wins[k].ops->destroy)
			S.wins[k].ops->destroy(S.wins[k].ctx);
		free(S.wins[k].mem);
	}
	zfree(S.cpu, S.size);
	zfree(S.ram, S.size);
	zfree(S.shadow, S.size);
	zfree(S.meta, S.nlines * sizeof(*S.meta));
	zfree(S.ucpu, S.usize);
	free(S.tracked);
	memset(&S, 0, sizeof(S));
}

/* ---------------------------------------------------------- addressing */

int sim_area(int idx, void **cpu, uint64_t *phys, size_t *size)
{
	void *c = idx == 0 ? (void *)S.cpu : idx == 1 ? (void *)S.ucpu : NULL;

	if (!S.up || !c)
		return -COH_ERANGE;
	if (cpu)
		*cpu = c;
	if (phys)
		*phys = idx == 0 ? S.phys : S.uphys;
	if (size)
		*size = idx == 0 ? S.size : S.usize;
	return 0;
}

uint64_t sim_virt_to_phys(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (in_area0(a, a + 1))
		return S.phys + (a - (uintptr_t)S.cpu);
	if (in_area1(a, a + 1))
		return S.uphys + (a - (uintptr_t)S.ucpu);
	return ~(uint64_t)0;
}

void *sim_phys_to_virt(uint64_t phys)
{
	if (!S.up)
		return NULL;
	if (phys >= S.phys && phys - S.phys < S.size)
		return S.cpu + (phys - S.phys);
	if (S.usize && phys >= S.uphys && phys - S.uphys < S.usize)
		return S.ucpu + (phys - S.uphys);
	return NULL;
}

size_t sim_line(void)
{
	return S.line;
}

uint64_t sim_seed(void)
{
	return S.cfg.seed;
}
