/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_internal.h - state and helpers shared by the simulator's files
 * (not for device models or tests: they use sim.h).
 *
 *   core.c         state, PRNG, lines touched, sim_init/sim_fini, addresses
 *   report.c       report classes, names, dedup, hook, printing
 *   cache.c        the write-back cache model of area 0, sched, sim_quiesce
 *   own.c          ownership tracking: coh_arch_op / coh_arch_op_end
 *   store_order.c  the store ordering model (coh_arch_store, pend_*)
 *   load_order.c   the load ordering model (coh_arch_load, hist_*)
 *   device.c       device reads and writes (sim_dev_*)
 *   mmio.c         MMIO windows, interrupts, sim_step
 *   access.c       the observer of instrumented driver code (__asan_* entry points)
 *   libc.c         checked twins of memcpy, memcmp, strlen, ... (sim_instrument.h)
 *   symbol.c       return address -> file:line, for reports at an access
 *   diag.c         the default diagnostic handler (stderr)
 *   trace.c        the trace (sim_trace_start): Chrome trace-event JSON
 */
#ifndef COHERENT_SIM_SIM_INTERNAL_H
#define COHERENT_SIM_SIM_INTERNAL_H

#include <stdint.h>
#include <string.h>

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
	bm_t devin;	/* given FROM_DEVICE or BIDIRECTIONAL: the device may write them */
	bm_t dnoacq;	/* a non-coherent device wrote them since the line was last invalidated */
	bm_t dok;	/* device access is the driver's business: shared, or maintained with release/acquire/flush */
	bm_t dshared;	/* shared allocation live (SHARE .. UNSHARE) */
	bm_t dtaken;	/* given, then taken back (unmapped) */
	bm_t dfree;	/* freed back to an allocator while not given */
	const struct coh_where *where;	/* last library call on the line */
	const struct coh_device *dev;
	uint32_t rep;	/* classes already reported since the last reset */
	uint8_t invalid;	/* the CPU cache cannot hold the line (0: may hold it) */
	uint8_t spec;	/* valid because of a speculative refill after an invalidate */
	uint8_t dirty_at_dev;	/* CPU writes were pending when the device wrote */
	uint8_t tracked;
	uint8_t last_op;
	int8_t last_dir;
	uint8_t stored;	/* an observed CPU store since the last fill: dirty whatever the values */
	uint8_t stale_loaded;	/* an observed load read stale bytes: a clean eviction may drop it */
};

/* where an access happened: a library call site, or a return address in instrumented code */
struct site {
	const struct coh_where *w;
	uintptr_t pc;
	uintptr_t up[3];	/* callers' return addresses, when pc may be inside the library's code (0: none) */
};

struct win {
	uintptr_t base;
	size_t size;
	const struct sim_mmio_ops *ops;
	void *ctx;
	void (*irq)(void *);
	void *irq_arg;
	void *mem;
	struct site kick_at;	/* the last doorbell (or register) write: what started the model's work */
	int kick_doorbell;	/* the model calls sim_dev_doorbell: only doorbells are kicks */
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
	struct site at;
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
	struct site seen_at;	/* that load */
	const struct coh_device *dev;
	uint8_t prev[HIST_BYTES];	/* the bytes before the write */
	uint8_t now[HIST_BYTES];	/* the bytes written */
};

/* a descriptor a device fetched (sim_dev_fetch) in memory it reads directly */
struct dwin {
	uintptr_t p;
	uint16_t len, flag_off;
	uint32_t mask;
	uint8_t acted;		/* the device acted on it (flag set) since the CPU last stored or saw the flag clear */
};

#define DWIN_MAX 64

struct sim_state {
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
	int op_dir;
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
	struct site mmio_at;	/* the MMIO access being dispatched */
	struct site kick_at;	/* the register write that started what the running model does (pc 0: none) */
	int map_pending;	/* a COH_OP_MAP notice: the GIVE that follows is that map */
	const struct coh_where *map_where;
	struct win *cur_win;	/* the window whose write handler runs */
	int in_dev;
	/*
	 * The observer's one-line cache, per kind (0 load, 1 store): the base of
	 * the last area-0 line whose access needed nothing but the fast path.
	 * Valid until the next scheduling point or state change (sim__fast_reset),
	 * which is the only time a line's ownership or cache state can move.
	 */
	uintptr_t fast[2];		/* inside sim_dev_read/fetch/write: reports name kick_at */
	struct dwin dwin[DWIN_MAX];	/* descriptors seen fetched, round robin */
	unsigned ndwin, dwin_pos;
	/* the access observer */
	int in_access;		/* a report hook running inside an observed access */
	int coherent_seen;	/* a coherent device was seen: area 0 stores may be pending */
	uintptr_t lib_st_a;	/* coh_arch_store just announced this store: not a plain one */
	size_t lib_st_n;
	uintptr_t ld_a;		/* the last observed plain load, for the coh_arch_load after it */
	size_t ld_n;
	int ld_given;		/* the load was reported: coh_arch_load hands out ld_val */
	uint8_t ld_val[16];
	const struct coh_device *dev_opt[8];	/* devices with SIM_DEV_* options */
	unsigned dev_optf[8], ndev_opt;
};

/* the areas of the last sim_fini, kept mapped (core.c): not in S, which sim_fini clears */
struct sim_dead {
	uintptr_t s[2];
	size_t n[2];
};
extern struct sim_dead sim__dead_areas;

static inline int sim__is_dead(uintptr_t a)
{
	return a - sim__dead_areas.s[0] < sim__dead_areas.n[0] ||
	       a - sim__dead_areas.s[1] < sim__dead_areas.n[1];
}

/* the one simulated SoC: every sim/ file names it S */
extern struct sim_state sim__s;
#define S sim__s

/* ------------------------------------------------------------ helpers */

static inline uint64_t word_range(size_t lo, size_t hi)
{
	uint64_t top, bot;

	if (lo >= hi || lo >= 64)
		return 0;
	top = hi >= 64 ? ~0ull : (1ull << hi) - 1;
	bot = (1ull << lo) - 1;
	return top & ~bot;
}

static inline bm_t bm_range(size_t lo, size_t hi)
{
	size_t lo1 = lo > 64 ? lo - 64 : 0, hi1 = hi > 64 ? hi - 64 : 0;

	return (bm_t){ { word_range(lo, hi < 64 ? hi : 64), word_range(lo1, hi1) } };
}

static inline bm_t bm_and(bm_t a, bm_t b)
{
	return (bm_t){ { a.w[0] & b.w[0], a.w[1] & b.w[1] } };
}

static inline bm_t bm_or(bm_t a, bm_t b)
{
	return (bm_t){ { a.w[0] | b.w[0], a.w[1] | b.w[1] } };
}

static inline bm_t bm_andnot(bm_t a, bm_t b)
{
	return (bm_t){ { a.w[0] & ~b.w[0], a.w[1] & ~b.w[1] } };
}

static inline int bm_any(bm_t a)
{
	return (a.w[0] | a.w[1]) != 0;
}

static inline unsigned bm_count(bm_t a)
{
	return (unsigned)(__builtin_popcountll(a.w[0]) +
			  __builtin_popcountll(a.w[1]));
}

static inline unsigned bm_first(bm_t a)
{
	return a.w[0] ? (unsigned)__builtin_ctzll(a.w[0])
		      : 64u + (unsigned)__builtin_ctzll(a.w[1]);
}

static inline void bm_set(bm_t *m, size_t i, int v)
{
	if (v)
		m->w[i >> 6] |= 1ull << (i & 63);
	else
		m->w[i >> 6] &= ~(1ull << (i & 63));
}

static inline bm_t diff_mask(const uint8_t *a, const uint8_t *b, size_t n)
{
	bm_t m = { { 0, 0 } };

	if (memcmp(a, b, n) == 0)
		return m;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			m.w[i >> 6] |= 1ull << (i & 63);
	return m;
}

static inline uint8_t *CPU(size_t i) { return S.cpu + i * S.line; }
static inline uint8_t *RAM(size_t i) { return S.ram + i * S.line; }
static inline uint8_t *SHD(size_t i) { return S.shadow + i * S.line; }

static inline int dirty(size_t i)
{
	return S.meta[i].stored || memcmp(CPU(i), SHD(i), S.line) != 0;
}

static inline int in_area0(uintptr_t s, uintptr_t e)
{
	return S.cpu && s >= (uintptr_t)S.cpu && e <= (uintptr_t)S.cpu + S.size &&
	       s <= e;
}

static inline int in_area1(uintptr_t s, uintptr_t e)
{
	return S.ucpu && s >= (uintptr_t)S.ucpu &&
	       e <= (uintptr_t)S.ucpu + S.usize && s <= e;
}


static inline void line_span(uintptr_t s, uintptr_t e, size_t *a, size_t *b)
{
	*a = (s - (uintptr_t)S.cpu) / S.line;
	*b = (e - (uintptr_t)S.cpu + S.line - 1) / S.line;
}
static inline bm_t line_part(size_t i, uintptr_t s, uintptr_t e)
{
	uintptr_t ls = (uintptr_t)CPU(i);
	size_t lo = s > ls ? s - ls : 0;
	size_t hi = e < ls + S.line ? e - ls : S.line;

	return lo < hi ? bm_range(lo, hi) : (bm_t){ { 0, 0 } };
}
/*
 * The next entry of a bounded table kept in order (pend, hist): when it is
 * full the oldest entry is retired first, which keeps the order and so can
 * only miss a report, never invent one.
 */
static inline void *table_push(void *tab, unsigned *n, unsigned max, size_t size)
{
	if (*n == max) {
		memmove(tab, (char *)tab + size, (max - 1) * size);
		(*n)--;
	}
	return (char *)tab + (size_t)(*n)++ * size;
}
/* the observer's cache is void: something may have changed a line's state */
static inline void sim__fast_reset(void)
{
	S.fast[0] = 0;
	S.fast[1] = 0;
}
/* ------------------------------------------------- across the files */

/* core.c */
uint64_t sim__rnd(void);
int sim__chance(unsigned permille);
void sim__touch(size_t i);

/* report.c; i: line index or SIZE_MAX; dev: the device involved, if known */
void __attribute__((format(printf, 6, 7)))
sim__report_at(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
	       struct site at, const char *fmt, ...);
void __attribute__((format(printf, 5, 6)))
sim__report(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
	    const char *fmt, ...);
void sim__emit(struct sim_report *r, const struct coh_device *dev);
void sim__report_access(int cls, const struct coh_device *dev, uint64_t bus,
			uintptr_t a, struct site at, const char *change,
			const char *msg);
const char *sim__name_of(uintptr_t p);
const char *sim__name_range(uintptr_t p, uintptr_t *start);	/* and where the named range starts */
const char *sim__op_name(int op);	/* "coh_give", ...; NULL if unknown */
const char *sim__dir_name(int dir);	/* " TO_DEVICE", ...; "" if none */
const char *sim__base_name(const char *f);
void sim__where_str(char *buf, size_t n, const struct coh_where *w);
void sim__site_str(char *buf, size_t n, struct site at);
/* file and line of a site (file NULL if unknown) */
void sim__site_loc(struct site at, const char **file, int *line);

/*
 * symbol.c: "file.c", line of the instruction before the return address pc;
 * 0 found, 1 found but only inside the library's headers, -1 unknown
 */
int sim__symbolize(uintptr_t pc, const char **file, int *line);

/* cache.c */
void sim__clean_evict(size_t i);
void sim__writeback(size_t i, int evict);
void sim__invalidate(size_t i, uintptr_t keep_s, uintptr_t keep_e);
void sim__sched(void);

/* store_order.c */
void sim__pend_add(uintptr_t a, size_t n, struct site at);
void sim__doorbell(const struct coh_device *dev);
void sim__desc_fetched(const struct coh_device *dev, uintptr_t p, size_t len,
		       size_t flag_off, uint32_t mask, const uint8_t *view);
void sim__desc_store(uintptr_t a, size_t n, struct site at);
void sim__desc_load(uintptr_t a, size_t n, const uint8_t *v);
void sim__pend_drop(uintptr_t p, size_t len);
void sim__pend_view(const struct coh_device *dev, coh_bus_t bus, uintptr_t p,
		    size_t len, uint8_t *out, size_t flag_off, uint32_t flag_mask);

/* access.c: one access of instrumented code, kind 0 load / 1 store, pc its return address */
void sim__observe(uintptr_t a, size_t n, int kind, uintptr_t pc);
/* access.c: coh_arch_load after an observed plain load of the same bytes: 1, val set */
int sim__plain_load_done(uintptr_t a, size_t n, uint8_t *val);
/* load_order.c: a load of [p, p+n) that got v (may be replaced); 1 if reported */
int sim__load_check(uintptr_t p, size_t n, uint8_t *v, struct site at);
/* mmio.c: one step of every device model (no cache scheduling) */
void sim__step_devices(void);
/* core.c: a pointer into the areas of the last sim_fini */
int sim__dead(uintptr_t a);
unsigned sim__dev_flags(const struct coh_device *dev);
/* load_order.c */
void sim__hist_add(const struct coh_device *dev, uintptr_t p,
		   const uint8_t *in, size_t len);

/* diag.c: sim_init installs the default diagnostic handler */
void sim__diag_install(void);

/* trace.c: each returns at once unless sim_trace_start() is on */
void sim__trace_op(int op, const struct coh_device *dev, uintptr_t p, size_t len,
		   int dir, const struct coh_where *where);
void sim__trace_line(const char *what, size_t i, const struct coh_device *dev);
void sim__trace_dev(const char *what, const struct coh_device *dev, uintptr_t p,
		    size_t len);
void sim__trace_report(const struct sim_report *r);

#endif /* COHERENT_SIM_SIM_INTERNAL_H */
