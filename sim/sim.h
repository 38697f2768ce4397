/* SPDX-License-Identifier: MIT */
/**
 * @file
 * sim/sim.h - the simulated non-coherent SoC and its sanitizer (host only).
 *
 * Context: host programs, one thread (see the last paragraph); device
 * models run inside the MMIO access or sim_step() that advances them.
 *
 * For tests, the demo and device models.  Drivers use only the public
 * coherent/ API; they touch this header for setup alone (sim_init,
 * sim_area, creating device models, naming buffers for reports).
 *
 * Memory: area 0 is cached RAM.  Its CPU view is an ordinary host buffer
 * (plain C loads and stores), RAM is a separate host buffer that devices
 * reach, and a write-back cache model sits between them.  Area 1 is
 * uncached RAM: the CPU view is the RAM, no maintenance is needed.
 * Physical addresses start at cfg.ram_phys (area 0), area 1 follows.
 *
 * Every coh_* library call, every MMIO access to a registered window,
 * every store the library makes to shared memory (coh_write, coh_put,
 * coh_ring_post) and every sim_step() is a scheduling point: with a seeded
 * PRNG the cache may evict a dirty line (writing the whole line back) or
 * speculatively refill a clean one.  Same seed, same run.
 *
 * Store ordering: a library store to memory a device sees directly (area 1,
 * or any area for a coherent device) stays pending until a barrier that
 * orders stores (coh_dma_wmb, coh_mb, an ordered coh_mmio_write, coh_release
 * and the other fence operations, sim_quiesce).  A device read shows each
 * pending store new or old at random; new-without-an-earlier-one is
 * SIM_UNORDERED_STORES.
 *
 * Load ordering, the mirror image: device writes to memory the CPU reads
 * directly are remembered until a barrier that orders loads (coh_dma_rmb,
 * coh_mb, an ordered coh_mmio_read, a fence operation, sim_quiesce).  A
 * library load (coh_read, coh_get, coh_ring_reap) that could still get the
 * bytes from before a device write although the CPU already saw a later
 * one is SIM_UNORDERED_LOADS (on a seeded coin; it is then given them).
 *
 * Nothing here is thread-safe: one simulated CPU.
 */
#ifndef COHERENT_SIM_SIM_H
#define COHERENT_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "coherent/coherent.h"

/** The simulated SoC: sim_config_default() then adjust. */
struct sim_config {
	size_t ram_size;	/**< cached area, bytes (rounded up to 4 KiB) */
	uint64_t ram_phys;	/**< physical base of area 0 */
	size_t uncached_size;	/**< area 1, bytes (0: none) */
	size_t line;		/**< cache line: 32, 64 or 128 */
	uint64_t seed;		/**< PRNG seed, printed in every report */
	unsigned evict_permille;  /**< chance per scheduling point of evicting a dirty line */
	unsigned refill_permille; /**< chance of a speculative refill (per point, per device write to an invalid line) */
	unsigned flags;		/**< SIM_F_* */
};

/* cfg.flags */
#define SIM_F_NO_SANITIZER (1u << 0) /**< no cache model, no checks: devices see the CPU view (a baseline) */
#define SIM_F_NO_DEVICE_CHECKS (1u << 1) /**< device accesses not checked against ownership (a harness driving the cache model with raw device accesses) */
/** sim_init does not install sim_diag_stderr() as the library's diagnostic handler */
#define SIM_F_NO_DIAG (1u << 2)
/**
 * The CPU's cache controller can only clean and invalidate together (the
 * SiFive L2 Flush64 register of the JH7110 and FU740): every clean and every
 * invalidate request flushes.  A line the CPU dirtied is then written back
 * even by an acquire, over whatever the device wrote there.
 */
#define SIM_F_FLUSH_ONLY (1u << 8)

/** @brief Defaults: 1 MiB cached at 0x80000000, 64 KiB uncached, line 64, seed 1, 50/50 permille. */
void sim_config_default(struct sim_config *cfg);

/**
 * @brief The simulator's diagnostic handler: one line on stderr per
 * refused or suspicious library call, "coherent: file:line (func): msg
 * (ECODE)", the caller's site when the library recorded one and a note
 * that it was compiled out (COH_DEBUG=0) when not; the first 100 per
 * process.  sim_init() installs it unless a handler is already installed
 * or cfg.flags has SIM_F_NO_DIAG; replace it with coh_set_diag_handler()
 * (NULL: silent) at any time after sim_init().
 */
void sim_diag_stderr(const struct coh_where *where, const char *msg, int err);

/**
 * @brief Create the simulated SoC (and set the library's line size, and
 * the default diagnostic handler, see sim_diag_stderr()).
 * @retval 0 success
 * @retval -COH_EINVAL bad line size or zero ram_size
 * @retval -COH_ENOMEM host allocation failed
 * @retval -COH_EBUSY already initialised (call sim_fini first)
 */
int sim_init(const struct sim_config *cfg);
/** @brief Free everything, including device models and MMIO windows. */
void sim_fini(void);

/**
 * @brief Area idx (0 cached, 1 uncached): CPU pointer, physical base, size.
 * @retval 0 success
 * @retval -COH_ERANGE no such area (or before sim_init)
 */
int sim_area(int idx, void **cpu, uint64_t *phys, size_t *size);
/** @brief Physical address of a CPU pointer into an area; ~0 if outside. */
uint64_t sim_virt_to_phys(const void *p);
/** @brief CPU pointer for a physical address; NULL if outside. */
void *sim_phys_to_virt(uint64_t phys);
/** @brief The configured line size (0 before sim_init). */
size_t sim_line(void);
/** @brief The seed in use. */
uint64_t sim_seed(void);

/** @brief Name [p, p+len) in reports ("rx[3]"); the string is copied (31 chars). */
void sim_name(const void *p, size_t len, const char *name);

/* ---- device side ---- */

/**
 * @brief A device reads [bus, bus+len) of RAM (snooping the CPU view when
 * dev is COH_DEV_COHERENT).  bus = phys + dev->bus_offset.
 * @retval 0 success
 * @retval -COH_EFAULT outside simulated RAM or above dev->dma_mask (a
 *         SIM_BAD_BUS_ADDRESS report is raised; nothing is read)
 */
int sim_dev_read(const struct coh_device *dev, coh_bus_t bus, void *dst,
		 size_t len);
/**
 * @brief A descriptor fetch: as sim_dev_read(), but the device acts on the
 * bytes only if the 32-bit little-endian word at flag_off has a bit of
 * flag_mask set (OWN).  Stores the device sees out of program order
 * (SIM_UNORDERED_STORES) are reported only then: a device that ignores a
 * descriptor it does not own cannot be hurt by its half-written fields.
 * Errors as sim_dev_read().
 */
int sim_dev_fetch(const struct coh_device *dev, coh_bus_t bus, void *dst,
		  size_t len, size_t flag_off, uint32_t flag_mask);
/** @brief A device writes RAM.  Errors as sim_dev_read(). */
int sim_dev_write(const struct coh_device *dev, coh_bus_t bus, const void *src,
		  size_t len);
/**
 * @brief Called by a device model when a register write tells it to look at
 * memory (a tail pointer, a start bit, a queue notify).  Stores the device
 * reads directly that are still unordered then (a relaxed MMIO doorbell
 * with no coh_dma_wmb before it) are SIM_UNORDERED_DOORBELL.  Optional: a
 * model that never calls it just loses that check.
 */
void sim_dev_doorbell(const struct coh_device *dev);

/* sim_dev_set() flags */
#define SIM_DEV_READS_ANY (1u << 0) /**< the device may read memory never given (no SIM_DEVICE_READ_NOT_GIVEN) */
/**
 * @brief Options of one device (up to 8 devices; replaces earlier flags).
 * @retval 0 success
 * @retval -COH_ENOMEM table full
 * @retval -COH_EINVAL dev NULL or simulator not initialised
 */
int sim_dev_set(const struct coh_device *dev, unsigned flags);

/* ---- MMIO and device models ---- */

/** @brief Write the low (hi = 0) or high half of a 64-bit register from a 32-bit access. */
static inline void sim_reg_half(uint64_t *r, int hi, uint32_t v)
{
	*r = hi ? (*r & 0xffffffffu) | (uint64_t)v << 32
		: (*r & ~(uint64_t)0xffffffffu) | v;
}

/** A device model's register window: what a coh_mmio_* access inside it calls. */
struct sim_mmio_ops {
	uint64_t (*read)(void *ctx, size_t off, unsigned size);	/**< a register read of size bytes at off */
	void (*write)(void *ctx, size_t off, uint64_t val, unsigned size);	/**< a register write */
	void (*step)(void *ctx);	/**< optional: advance the model */
	void (*destroy)(void *ctx);	/**< optional: called by sim_fini */
};

/**
 * @brief Register an MMIO window of `size` bytes.  Returns the host address
 * drivers use as the register base (coh_mmio_* accesses inside it are
 * dispatched to ops), or NULL.  Accesses outside every window are plain
 * volatile accesses.
 */
void *sim_mmio_map(size_t size, const struct sim_mmio_ops *ops, void *ctx);
/**
 * @brief Connect the interrupt of the window at regs to fn(arg).
 * @retval 0 success
 * @retval -COH_EINVAL regs is no window
 */
int sim_irq_connect(void *regs, void (*fn)(void *arg), void *arg);
/** @brief Called by a device model: raise its interrupt (fn runs at once). */
void sim_irq_raise(void *regs);
/** @brief A scheduling point that advances every device model one step. */
void sim_step(void);

/* ---- sanitizer reports ---- */

/** The sanitizer's report classes. */
enum sim_class {
	SIM_STALE_DEVICE_READ = 0,	/**< (a) device read a line with uncleaned CPU writes */
	SIM_STALE_CPU_READ,		/**< (b) CPU consumed / wrote back a stale copy of device data */
	SIM_PARTIAL_LINE_LOSS,		/**< (c) invalidate discarded CPU writes outside its range */
	SIM_EVICT_OVER_DEVICE,		/**< (d) a line dirty before the DMA was written back over device data */
	SIM_CPU_WRITE_DEVICE_OWNED,	/**< (e) CPU wrote bytes between coh_give and coh_take */
	SIM_SPECULATIVE_STALE,		/**< (f) refill after an early invalidate left stale data that was used */
	SIM_BAD_BUS_ADDRESS,		/**< device access outside RAM or above its DMA mask */
	SIM_FREE_DEVICE_OWNED,		/**< memory freed between coh_give and coh_take */
	SIM_UNORDERED_STORES,		/**< device saw a store without an earlier one: missing coh_dma_wmb */
	SIM_UNORDERED_LOADS,		/**< CPU saw a device write, then loaded an earlier one's old bytes: missing coh_dma_rmb */
	/* reported at an access of instrumented code (coh_sim_instrument) */
	SIM_CPU_READ_DEVICE_OWNED,	/**< CPU loaded bytes given FROM_DEVICE/BIDIRECTIONAL, not taken back */
	SIM_CPU_WRITE_STALE_LINE,	/**< CPU stored to a line whose device-written copy in RAM is newer */
	/* device side */
	SIM_DEVICE_WRITE_NOT_OWNED,	/**< device wrote bytes it does not own: never given, TO_DEVICE only, taken back, freed */
	SIM_DEVICE_READ_NOT_GIVEN,	/**< device read bytes never given (SIM_DEV_READS_ANY: allowed) */
	SIM_UNORDERED_DOORBELL,		/**< a doorbell reached the device while stores it may read were unordered */
	/* library events, reported with COH_DEBUG=0 too */
	SIM_LEAK_AT_TEARDOWN,		/**< memory still given / shared allocation live at device teardown */
	SIM_OVERLAPPING_MAP,		/**< a streaming mapping of bytes already given (two live mappings) */
	SIM_USE_AFTER_FINI,		/**< an instrumented access into the areas of the last sim_fini */
	SIM_INVALIDATE_CPU_DATA,	/**< an invalidate discarded bytes the CPU wrote while it owned them, no device write since */
	SIM_NCLASSES
};

/** One sanitizer report, as the report hook receives it. */
struct sim_report {
	int cls;			/**< enum sim_class */
	uint64_t bus;			/**< bus address of the line (or of the access) */
	char buf[32];			/**< sim_name() of the memory, "" if unknown */
	uint64_t seed;			/**< the run's seed: the same seed replays it */
	const char *file;		/**< last ownership change / maintenance call, or NULL */
	int line;			/**< line of file */
	char change[48];		/**< "coh_give FROM_DEVICE", ... "" if none */
	const char *dev;		/**< device name, or NULL */
	char msg[224];			/**< what happened, in words */
};

/** A report hook (sim_set_report_hook()). */
typedef void (*sim_report_fn)(const struct sim_report *r, void *ctx);

/** @brief Install a report hook (NULL: the default, one line on stderr). */
void sim_set_report_hook(sim_report_fn fn, void *ctx);
/** @brief Print one report the default way to a FILE * (stderr if NULL). */
void sim_print_report(const struct sim_report *r, void *file);
/** @brief Reports of class cls so far, or all of them for cls = -1. */
unsigned long sim_reports(int cls);
/** @brief "STALE_DEVICE_READ", ...; "?" for an unknown class (never fails). */
const char *sim_class_name(int cls);

/**
 * @brief End of a test: write back every dirty line touched (so pending
 * eviction-over-device-data bugs are reported).  Returns the report total.
 */
unsigned long sim_quiesce(void);

/**
 * @brief What a careless hand-written driver does: invalidate the lines
 * around [p, p+len), rounding outward, discarding whole lines.  Reports
 * SIM_PARTIAL_LINE_LOSS if CPU writes outside the range are lost.  The
 * library never does this.
 */
void sim_raw_invalidate(const void *p, size_t len);

/* ---- trace ---- */

/**
 * @brief The one call that records a trace: from now on every ownership
 * change and library call per buffer, every cache-line event (clean,
 * invalidate, flush, eviction, speculative refill, device write), every
 * bounce, device access and sanitizer report is written to `path` as Chrome
 * trace-event JSON (chrome://tracing, ui.perfetto.dev, docs/trace/viewer.html).
 * Timestamps are the simulator's event clock (1 us per event), so a seed
 * replays to the same trace.  The file is completed by sim_trace_stop() or
 * at exit; it spans sim_init()/sim_fini() cycles.
 * @retval 0 tracing
 * @retval -COH_EINVAL path is NULL
 * @retval -COH_EBUSY a trace is already being written
 * @retval -COH_EIO the file cannot be created
 */
int sim_trace_start(const char *path);
/** @brief Complete and close the trace file (0, or -COH_EIO on a write error; 0 if none). */
int sim_trace_stop(void);

#endif /* COHERENT_SIM_SIM_H */
