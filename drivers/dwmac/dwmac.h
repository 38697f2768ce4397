/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac.h - a Synopsys DesignWare Ethernet MAC driver on
 * `coherent`: one portable core (rings, buffers, TX/RX paths, statistics)
 * over a small hardware interface, one file per hardware variant.
 *
 *   dwmac_core.c           the core: everything that touches memory the
 *                          device shares, through coherent/ only
 *   dwmac_qos.c            Ethernet QoS 4.x/5.x (JH7110, STM32MP1/H7,
 *                          i.MX8MP, RK35xx), registers in dwmac_qos_regs.h
 *   dwmac_sun8i.c          Allwinner H3/H5/A64 EMAC (chained descriptors)
 *
 * Two halves in this header:
 *   1. the driver's API, for board code and network stacks (dwmac_open ...);
 *   2. the hardware interface (struct dwmac_hw_ops), for variant authors.
 *
 * The split, as in Linux stmmac (hwif.c: dwmac4_ops, dwmac4_desc_ops), is
 * chosen so that a variant never touches shared memory: the core builds a
 * CPU-side image of each descriptor with the variant's encode call, posts
 * it through a coh_ring (which does the ordering and the cache maintenance),
 * reaps device-written descriptors into CPU copies and asks the variant to
 * decode them.  A variant is register access plus pure functions on
 * descriptor images: it has no cache, barrier or ownership decision to get
 * wrong, and the per-frame maintenance is the same for every variant.
 *
 * Ownership, per frame:
 *   TX  dwmac_xmit*() maps the caller's bytes TO_DEVICE (coh_map_single /
 *       coh_map_sg: cleaned, or bounced when above the device's DMA mask),
 *       posts the descriptors (first one handed over last), rings the
 *       doorbell.  The caller must not write the bytes until the frame is
 *       reclaimed (cfg.tx_done is called, or dwmac_tx_reclaim() counts it).
 *   RX  receive buffers are pool blocks, given FROM_DEVICE whole when first
 *       armed; dwmac_recv() takes back the bytes received, copies the frame
 *       out, and re-arms buffers in batches, giving back only those bytes
 *       (the rest never left the device).
 *
 * Everything the device writes is untrusted: write-back words are decoded
 * from a CPU copy, lengths are checked against the buffers, FD/LD order is
 * checked, and any inconsistency drops the frame and is counted
 * (struct dwmac_stats), never followed.
 *
 * Concurrency: one context for TX (xmit, reclaim) and one for RX (recv),
 * or external locking; dwmac_interrupt() only reads and acknowledges the
 * status register and may run in interrupt context.
 */
#ifndef DWMAC_DWMAC_H
#define DWMAC_DWMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coherent/coherent.h"

struct dwmac;

/* ====================================================================
 * 1. Hardware interface (for variant authors)
 * ==================================================================== */

/**
 * A descriptor as the DMA reads it: four little-endian 32-bit words.  Every
 * DWMAC generation and the sun8i EMAC use 16 bytes; the meaning of the
 * words is the variant's.  The core handles only CPU-side images of it.
 */
struct dwmac_desc {
	uint32_t des0, des1, des2, des3;
};

#include "coherent/driver.h"

/** One TX buffer descriptor to encode (a frame is one or more of these). */
struct dwmac_tx_seg {
	coh_bus_t buf;		/* bus address of the bytes (mask already checked) */
	uint32_t len;		/* bytes in this buffer, 1..ops->max_buf */
	uint32_t frame_len;	/* bytes of the whole frame */
	coh_bus_t next;		/* bus address of the next slot (chained rings) */
	bool first, last;	/* FD / LD */
	bool irq;		/* interrupt when the device is done with it */
};

/** The RX buffer descriptor to encode. */
struct dwmac_rx_arm {
	coh_bus_t buf;		/* bus address of the receive buffer */
	uint32_t len;		/* its size in bytes (the device may write all of it) */
	coh_bus_t next;		/* bus address of the next slot (chained rings) */
	bool irq;
};

/** A decoded RX write-back (from a CPU copy: untrusted values). */
struct dwmac_rx_wb {
	bool first, last;	/* FD / LD */
	bool error;		/* the device flagged the frame bad (error summary) */
	uint32_t frame_len;	/* total frame bytes, meaningful with `last` */
	uint32_t err_bits;	/* raw error bits, for statistics and messages */
};

/* Capabilities (dwmac_hw_ops.caps). */
#define DWMAC_CAP_TAIL_PTR (1u << 0) /* doorbell is a tail pointer: the DMA stops at it */
#define DWMAC_CAP_CHAINED  (1u << 1) /* each descriptor holds the next one's address */
#define DWMAC_CAP_ADDR64   (1u << 2) /* descriptors and ring bases carry 64-bit addresses */
#define DWMAC_CAP_LOOPBACK (1u << 3) /* MAC-internal loopback (set_loopback) */

/* Interrupt causes, normalised (dwmac_hw_ops.irq_status). */
#define DWMAC_IRQ_TX       (1u << 0) /* a TX descriptor with irq completed (TI) */
#define DWMAC_IRQ_RX       (1u << 1) /* a frame was received (RI) */
#define DWMAC_IRQ_RX_NOBUF (1u << 2) /* RX DMA found no armed descriptor, suspended (RBU) */
#define DWMAC_IRQ_TX_NOBUF (1u << 3) /* TX DMA found no descriptor it owns (TBU) */
#define DWMAC_IRQ_FATAL    (1u << 4) /* bus error: the DMA stopped (FBE); reopen */
#define DWMAC_IRQ_OTHER    (1u << 5) /* any other cause the variant acknowledged */

/** What dma_init programs: the core's rings, as coh_ring reports them. */
struct dwmac_dma_cfg {
	coh_bus_t tx_base, rx_base;	/* bus address of slot 0 */
	size_t tx_count, rx_count;	/* slots */
	size_t stride;			/* bytes from one descriptor to the next (both rings) */
	size_t rx_buf_size;		/* bytes per receive buffer */
	bool irq;			/* enable TX/RX completion interrupts */
	size_t mtu;			/* largest frame (without FCS): the TX FIFO must
					   hold it whole for store-and-forward */
	bool addr64;			/* descriptors carry the high address words: the
					   device mask (already clamped to what the
					   controller addresses) is above 32 bits, so the
					   enhanced addressing mode (QoS EAME) must be on */
};

/**
 * The hardware interface of one variant.  All calls are made by the core,
 * from the context of the call that needs them; none may sleep.  Register
 * access goes through the coh_mmio_* accessors on dwmac_regs(d); no call
 * may touch descriptor or buffer memory (the core does).  Required unless
 * marked optional.
 */
struct dwmac_hw_ops {
	const char *name;		/* "qos-5.20", "sun8i": messages and stats */
	unsigned int caps;		/* DWMAC_CAP_* */
	unsigned int own_word;		/* 0..3: the desc word with OWN in bit 31 */
	size_t max_skip;		/* most bytes the DMA can skip between two
					   16-byte descriptors (QoS: DSL 7 x 8 = 56;
					   chained: SIZE_MAX) */
	uint32_t max_buf;		/* most bytes one buffer descriptor can carry */
	uint32_t rx_buf_align;		/* RX buffer size must be a multiple of it */

	/* ---- descriptors: pure functions on CPU images (no OWN: the ring sets it) */

	/** Fill *d (zeroed by the core) for one TX buffer. */
	void (*tx_encode)(struct dwmac_desc *d, const struct dwmac_tx_seg *seg);
	/**
	 * Decode a TX write-back (OWN already seen clear).
	 * @retval 0 sent; -COH_EIO the device reported an error for the frame
	 * (meaningful on the last descriptor of a frame; others may return 0).
	 */
	int (*tx_status)(const struct dwmac_desc *d);
	/** Fill *d (zeroed by the core) to arm one RX buffer. */
	void (*rx_encode)(struct dwmac_desc *d, const struct dwmac_rx_arm *arm);
	/** Decode an RX write-back (OWN already seen clear). */
	void (*rx_decode)(const struct dwmac_desc *d, struct dwmac_rx_wb *wb);

	/* ---- controller */

	/**
	 * Software reset of the DMA and MAC, waiting for it to complete within
	 * the budget `poll` (coherent/driver.h struct coh_poll; NULL: the
	 * variant's default iteration budget).
	 * @retval 0; -COH_ETIMEDOUT the reset never completed (the controller
	 *         is unusable: dwmac_open fails, nothing is allocated).
	 */
	int (*reset)(struct dwmac *d, const struct coh_poll *poll);
	/**
	 * Program bus mode, ring bases, ring lengths, skip/stride, RX buffer
	 * size, interrupt enables, the FIFO sizes the controller was built
	 * with (QoS: MTL TQS/RQS from HW_FEATURE1); MAC in a sane default
	 * (full duplex, 1G or the variant's fastest).  DMA and MAC still
	 * stopped.
	 * @retval 0; -COH_EINVAL a value the registers cannot hold (stride,
	 *         count, buffer size, an address above 32 bits on a 32-bit
	 *         controller, an MTU above the TX FIFO that store-and-forward
	 *         needs whole); nothing should be started then.
	 */
	int (*dma_init)(struct dwmac *d, const struct dwmac_dma_cfg *cfg);
	/** Program the unicast address (already checked: not multicast). */
	void (*set_mac_addr)(struct dwmac *d, const uint8_t mac[6]);
	/** Start TX and RX DMA and the MAC transmitter and receiver. */
	void (*start)(struct dwmac *d);
	/**
	 * Stop TX/RX DMA and the MAC in the databook's order (QoS: TX DMA off,
	 * the MTL TX queue drained, MAC TX/RX off, the MTL RX queue drained,
	 * RX DMA off), waiting (budget as reset) until the DMA no longer reads
	 * or writes descriptors or buffers.
	 * @retval 0; -COH_ETIMEDOUT it did not stop (the core then resets the
	 *         controller before taking buffers back).
	 */
	int (*stop)(struct dwmac *d, const struct coh_poll *poll);
	/**
	 * Doorbells, called after descriptors were posted.  next_bus is the bus
	 * address of the next slot the core will fill (a tail pointer: "do not
	 * fetch this one"), next_idx its index.  Tail-pointer hardware writes
	 * it; poll-demand hardware (sun8i) ignores it and kicks the DMA.
	 */
	void (*tx_kick)(struct dwmac *d, coh_bus_t next_bus, size_t next_idx);
	void (*rx_kick)(struct dwmac *d, coh_bus_t next_bus, size_t next_idx);
	/**
	 * Read and acknowledge the interrupt status; return DWMAC_IRQ_* bits.
	 * Interrupt context.
	 */
	unsigned int (*irq_status)(struct dwmac *d);
	/**
	 * MDIO (clause 22) through the MAC's management interface, waiting for
	 * the busy bit within `poll`.  The MDC divider comes from
	 * d->cfg.csr_clk_hz (0: the variant's slowest MDC).
	 * @retval 0; -COH_ETIMEDOUT the interface stayed busy; -COH_EINVAL phy
	 *         above 31 or reg above 31.
	 */
	int (*mdio_read)(struct dwmac *d, unsigned int phy, unsigned int reg,
			 uint16_t *val, const struct coh_poll *poll);
	int (*mdio_write)(struct dwmac *d, unsigned int phy, unsigned int reg,
			  uint16_t val, const struct coh_poll *poll);
	/** Optional: MAC-internal loopback on/off (DWMAC_CAP_LOOPBACK). */
	void (*set_loopback)(struct dwmac *d, bool on);
	/** Optional: speed (10/100/1000) and duplex after the PHY resolved them. */
	void (*adjust_link)(struct dwmac *d, unsigned int speed, bool full);
	/**
	 * Optional: low 32 bits of the bus address of the descriptor the TX
	 * (rx false) or RX DMA works on now (QoS CUR_APP_TXDESC/RXDESC; 0 when
	 * unknown).  The core then reaps only slots the DMA has passed, so a
	 * poll that finds nothing costs a register read, not a cache line.
	 * Untrusted: a value outside the ring, or beyond what is posted, is
	 * ignored (the core then looks at the descriptors themselves).
	 * Interrupt context.
	 */
	uint32_t (*cur_desc)(struct dwmac *d, bool rx);
	/**
	 * Optional: mask (true) or unmask the TX/RX completion interrupts; the
	 * fatal bus error stays enabled.  Interrupt context.
	 */
	void (*irq_mask)(struct dwmac *d, bool masked);
	/**
	 * Optional: the DMA address width the controller was synthesised with
	 * (QoS HW_FEATURE1.ADDR64: 32, 40 or 48), read after reset.  NULL: 64
	 * with DWMAC_CAP_ADDR64, else 32.  The core lowers the device's DMA
	 * mask to it at open, so no buffer or ring lies beyond it.
	 */
	unsigned int (*addr_bits)(struct dwmac *d);
};

/**
 * Helper for variants: read the 32-bit little-endian register at `off`
 * until (value & mask) == want, within `poll` (NULL: DWMAC_POLL_READS
 * reads).  Ordered reads (coh_mmio_poll32).
 * @retval 0; -COH_ETIMEDOUT.
 */
int dwmac_wait(struct dwmac *d, size_t off, uint32_t mask, uint32_t want,
	       const struct coh_poll *poll);
#define DWMAC_POLL_READS 100000

/** The QoS 4.x/5.x variant (dwmac_qos.c). */
extern const struct dwmac_hw_ops dwmac_qos_ops;
/** The Allwinner sun8i EMAC variant (dwmac_sun8i.c). */
extern const struct dwmac_hw_ops dwmac_sun8i_ops;

/* ====================================================================
 * 2. The driver
 * ==================================================================== */

/* How the descriptor rings are laid out (dwmac_config.layout). */
enum dwmac_layout {
	/* cached memory, one descriptor per cache line: the gap programmed as
	 * the skip length (QoS DSL) or the chain pointers; needs line size -
	 * 16 <= ops->max_skip (JH7110, line 64: DSL 6).  The default. */
	DWMAC_LAYOUT_CACHED_SKIP = 0,
	/* uncached memory (COH_ATTR_UNCACHED: dma_alloc_coherent), packed
	 * 16-byte descriptors, no maintenance, dma_wmb/rmb only */
	DWMAC_LAYOUT_UNCACHED = 1,
	/* RX: cached memory, packed descriptors; a line is re-armed only when
	 * every descriptor in it was reaped (U-Boot's QoS pattern): the batched
	 * mode of coh_ring.  TX: packed in uncached memory (a staged TX slot
	 * would wait for later frames, and a QoS channel has one skip length
	 * for both rings). */
	DWMAC_LAYOUT_CACHED_BATCHED = 2,
};

/** Driver statistics; every drop has exactly one counter. */
struct dwmac_stats {
	unsigned long tx_frames, tx_bytes, tx_errors;	/* reclaimed; device-flagged errors */
	unsigned long tx_busy;		/* xmit refused: no room (-COH_EAGAIN) */
	unsigned long tx_map_errors;	/* a buffer could not be mapped (mask, no bounce) */
	unsigned long rx_frames, rx_bytes;
	unsigned long rx_errors;	/* device error summary set: dropped */
	unsigned long rx_length_errors;	/* length beyond the buffers, the MTU or the
					   caller's buffer, or zero: dropped */
	unsigned long rx_proto_errors;	/* FD/LD out of order, or a frame longer than
					   the ring: dropped */
	unsigned long rx_nobuf;		/* RBU seen (RX DMA suspended, re-kicked) */
	unsigned long rx_refills, rx_refill_batches;	/* buffers re-armed, doorbells */
	unsigned long rx_refill_errors;	/* a re-arm the library refused (buffers stay
					   unarmed, retried by the next dwmac_recv) */
	unsigned long link_changes;	/* speed/duplex applied (adjust_link) */
	unsigned long irq_fatal;	/* fatal bus errors reported by the DMA */
	unsigned long recoveries;	/* dwmac_recover() completed */
};

/** Most RX descriptors one frame may span (else dropped: rx_length_errors). */
#define DWMAC_RX_MAX_FRAGS 32

/** Most descriptors one TX frame may take (entries and max_buf pieces). */
#define DWMAC_TX_MAX_DESCS 32

/** Called once per reclaimed TX frame, with the cookie given to xmit. */
typedef void (*dwmac_tx_done_fn)(void *ctx, void *cookie, int status);

struct dwmac_config {
	const struct dwmac_hw_ops *ops;	/* the variant, e.g. &dwmac_qos_ops */
	volatile void *regs;		/* register base (MMIO) */
	struct coh_device *dev;		/* mask, coherence; a coh_stream must be
					   attached (coh_device_set_stream) for TX
					   maps, with a bounce pool for buffers
					   above the mask */
	enum dwmac_layout layout;
	size_t tx_count, rx_count;	/* ring slots, 4..4096 (0: 64) */
	size_t rx_buf_size;		/* bytes per RX buffer, a multiple of
					   ops->rx_buf_align, 64..ops->max_buf
					   (0: 1536); smaller than a frame spreads
					   it over several descriptors */
	size_t mtu;			/* largest frame without FCS (0: 1514) */
	size_t rx_batch;		/* re-arm once this many buffers are free
					   (0: rx_count / 4) */
	unsigned int phy_addr;		/* 0..31 */
	unsigned long csr_clk_hz;	/* the CSR clock feeding MDC, Hz (board
					   clock tree), at most 800 MHz; 0: unknown,
					   the variant's slowest MDC is used */
	const struct coh_poll *poll;	/* time budget of reset, stop and MDIO
					   (NULL: the variant's default) */
	bool irq;			/* interrupt-driven: enable TI/RI */
	dwmac_tx_done_fn tx_done;	/* optional */
	void *tx_done_ctx;
};

/* Private to dwmac_core.c; here so callers can embed struct dwmac. */
struct dwmac_tx_slot {
	void *cookie;			/* first slot of a frame */
	struct coh_sg *sg;		/* the frame's list (its own one-entry list for xmit) */
	int nents;			/* entries mapped (first slot), 0 otherwise */
	uint32_t frame_len;
	uint16_t nsegs;			/* descriptors of the frame (first slot) */
	bool busy;			/* posted, not reaped */
};

struct dwmac_rx_slot {
	uint8_t *buf;			/* pool block (CPU address) */
	coh_bus_t bus;
	size_t taken;			/* bytes [0, taken) are the CPU's (taken back, or
					   never given); the rest is the device's */
};

struct dwmac {
	const struct dwmac_hw_ops *ops;
	volatile uint8_t *regs;
	struct coh_device *dev;
	struct dwmac_config cfg;
	struct coh_ring tx, rx;
	struct coh_pool rx_pool;
	struct dwmac_tx_slot *txs;	/* tx_count entries */
	struct dwmac_rx_slot *rxs;	/* rx_count entries */
	struct coh_sg *tx_one;		/* one-entry lists for dwmac_xmit, tx_count entries */
	size_t tx_left;			/* descriptors of the frame being reclaimed still out */
	size_t tx_first;		/* its first slot */
	int tx_err;			/* its status so far */
	size_t rx_fill;			/* next RX slot to arm (slots are armed in order) */
	size_t rx_free;			/* reaped RX slots not yet re-armed, frame in progress excluded */
	size_t rx_held;			/* slots of the frame being assembled */
	size_t rx_first;		/* its first slot */
	bool rx_drop;			/* dropping descriptors until the next LD */
	bool link_up, loopback, open;
	unsigned int addr_bits;		/* DMA address width in use (device mask) */
	unsigned int speed;		/* 10/100/1000 as applied (0: not yet) */
	bool full;			/* full duplex as applied */
	bool wedged;			/* close could not stop the DMA: leaked */
	bool fatal;			/* a fatal bus error stopped the DMA (dwmac_recover) */
	bool irq_masked;		/* completion interrupts masked (dwmac_irq_enable) */
	bool has_mac;
	uint8_t mac[6];			/* programmed again after a reset */
	struct dwmac_stats stats;
	void *priv;			/* the variant's */
};

/** The register base, for variants. */
static inline volatile uint8_t *dwmac_regs(struct dwmac *d)
{
	return d->regs;
}

/**
 * @brief Open the controller: reset it, read its DMA address width
 * (ops->addr_bits) and lower cfg->dev's DMA mask to it when the mask is
 * wider (coh_device_set_mask_bits: buffers above are then bounced or
 * refused, never truncated), create the rings (layout and sizes
 * from cfg), arm every RX buffer, program the DMA and the MAC address
 * (mac: NULL keeps the hardware's), start TX and RX.  The link is down
 * until dwmac_link() sees it up.
 *
 * Memory: the rings (coh_ring), an RX pool of rx_count buffers (coh_pool),
 * bookkeeping arrays from `mem` (dwmac_mem_size(cfg) bytes, CPU-only,
 * caller-owned, at least pointer-aligned).  No other allocation.
 * @retval 0 running
 * @retval -COH_EINVAL bad cfg (NULL ops/regs/dev/mem, count or buffer size
 *         out of range, mtu above what the rings can hold, multicast mac)
 * @retval -COH_ETIMEDOUT the soft reset never completed: nothing allocated
 * @retval -COH_EINVAL also: csr_clk_hz above 800 MHz, or the MTU above the
 *         controller's TX FIFO (dma_init): nothing allocated
 * @retval the library's code when the first arming of the RX ring fails
 *         (coh_ring_post_n): everything freed again
 * @retval -COH_EIO the controller reports an address width below 32 or
 *         above 64 bits: nothing allocated
 * @retval -COH_ENOTSUP layout not supported by the library or the variant
 *         (skip needed beyond ops->max_skip): nothing allocated
 * @retval -COH_ERANGE, -COH_ENOMEM the rings or pool could not be allocated
 *         (none reachable under the mask / regions full)
 * Not interrupt context.
 */
int dwmac_open(struct dwmac *d, const struct dwmac_config *cfg,
	       const uint8_t mac[6], void *mem, size_t mem_size);

/** @brief Bytes of bookkeeping memory dwmac_open() needs for cfg. */
size_t dwmac_mem_size(const struct dwmac_config *cfg);

/**
 * @brief Stop the controller and take everything back: DMA stopped (reset
 * if it does not stop), every TX mapping unmapped (tx_done called with
 * -COH_EIO: not sent), every RX buffer taken back, the
 * rings and the pool freed.  Afterwards coh_device_leaks(dev) is 0 and
 * coh_device_teardown(dev) finds no mapping.
 * @retval 0
 * @retval -COH_EINVAL not open
 * @retval -COH_EBUSY the DMA could be neither stopped nor reset: nothing is
 *         taken back or freed, deliberately (the rings, RX buffers and TX
 *         mappings stay the device's, which may still write them);
 *         coh_device_leaks(dev) counts them, d->wedged is set, the driver
 *         is closed.  Only a reset of the SoC returns that memory.
 * Not interrupt context.
 */
int dwmac_close(struct dwmac *d);

/**
 * @brief Program a new unicast address.
 * @retval 0; -COH_EINVAL NULL or a multicast address (bit 0 of byte 0):
 *         nothing programmed.
 */
int dwmac_set_mac(struct dwmac *d, const uint8_t mac[6]);

/**
 * @brief MDIO clause-22 access to the PHY at cfg.phy_addr.
 * @return the 16-bit value (read), 0 (write), or -COH_ETIMEDOUT (the MDIO
 *         interface stayed busy), -COH_EINVAL (reg above 31).
 */
int dwmac_mdio_read(struct dwmac *d, unsigned int reg);
int dwmac_mdio_write(struct dwmac *d, unsigned int reg, uint16_t val);

/**
 * @brief Read the PHY's link status (BMSR bit 2, read twice: it latches
 * low) and remember it.  Transmission needs the link up.  When it is up,
 * the auto-negotiation result (1000BASE-T control/status 9/10, then the
 * advertisement and link partner ability 4/5; the forced BMCR speed and
 * duplex when auto-negotiation is off) is applied to the MAC through
 * ops->adjust_link whenever it differs from what was applied.
 * @retval 1 up, 0 down, -COH_ETIMEDOUT MDIO timeout (link considered down).
 */
int dwmac_link(struct dwmac *d);

/**
 * @brief Loopback inside the MAC (DWMAC_CAP_LOOPBACK): TX frames come back
 * as RX frames, without a PHY; the link counts as up.
 * @retval 0; -COH_ENOTSUP the variant has none.
 */
int dwmac_set_loopback(struct dwmac *d, bool on);

/**
 * @brief Send a frame held in one buffer.  Maps it TO_DEVICE (cleaned, or
 * bounced when above the DMA mask), posts its descriptor(s) (a buffer above
 * ops->max_buf spans several; the first handed over last) and rings the
 * doorbell.  Ownership: [frame, frame+len) belongs to the device until the
 * frame is reclaimed (dwmac_tx_reclaim, cfg.tx_done(cookie)).
 * @retval 0 queued
 * @retval -COH_EINVAL len 0 or above cfg.mtu, NULL frame (nothing posted)
 * @retval -COH_ENOLINK the link is down (dwmac_link) (nothing posted)
 * @retval -COH_EIO a fatal bus error stopped the DMA: dwmac_recover (nothing posted)
 * @retval -COH_EAGAIN not enough free descriptors: reclaim, retry (nothing posted)
 * @retval -COH_ENOMEM / -COH_ERANGE the buffer could not be mapped
 *         (no mapping record or bounce space / above the mask without a
 *         bounce pool) (nothing posted)
 */
int dwmac_xmit(struct dwmac *d, void *frame, size_t len, void *cookie);

/**
 * @brief Send a frame given as a scatter-gather list (sg[0..n) ptr/len
 * filled in; the list must stay untouched until reclaim).  One descriptor
 * per mapped segment (the library merges contiguous entries), the first
 * handed over last.  More segments than free descriptors posts nothing.
 * @retval as dwmac_xmit(); -COH_EINVAL also for n < 1, a NULL or empty
 *         entry, or a total of 0 or above the MTU; -COH_EAGAIN when the
 *         mapped segments exceed the free descriptors (unmapped again).
 */
int dwmac_xmit_sg(struct dwmac *d, struct coh_sg *sg, int n, void *cookie);

/**
 * @brief Reclaim TX frames the device finished: descriptors reaped, buffers
 * unmapped, cfg.tx_done called.  @return frames reclaimed (>= 0).
 */
int dwmac_tx_reclaim(struct dwmac *d);

/**
 * @brief Receive one frame: reap its descriptors (FD .. LD), take its
 * buffers back, copy the frame to buf, re-arm buffers in batches of
 * cfg.rx_batch (one release barrier and one doorbell per batch).  Bad
 * frames are dropped and counted, and the next one is tried.
 * @return frame length (> 0), -COH_EAGAIN nothing (complete) received yet,
 *         -COH_EINVAL NULL buf, -COH_EIO a fatal bus error stopped the DMA
 *         (dwmac_recover).  A frame longer than cap is dropped
 *         (rx_length_errors).
 */
int dwmac_recv(struct dwmac *d, void *buf, size_t cap);

/**
 * @brief Interrupt handler body: read and acknowledge the controller's
 * status; RBU re-kicks the RX DMA.  Returns DWMAC_IRQ_* (the caller then
 * schedules dwmac_recv / dwmac_tx_reclaim).  Interrupt context: yes; it
 * touches no descriptor and no buffer.
 */
unsigned int dwmac_interrupt(struct dwmac *d);

/**
 * @brief Mask (on false) or unmask the TX/RX completion interrupts, the
 * NAPI pattern: the handler masks after dwmac_interrupt() reported work,
 * the poll loop unmasks once dwmac_recv / dwmac_tx_reclaim found nothing
 * more (a cause still pending then interrupts at once).  The fatal bus
 * error interrupt is never masked.
 * @retval 0; -COH_EINVAL not open; -COH_ENOTSUP the variant cannot mask.
 * Interrupt context: yes.
 */
int dwmac_irq_enable(struct dwmac *d, bool on);

/**
 * @brief After a fatal bus error (DWMAC_IRQ_FATAL; until then dwmac_xmit*
 * and dwmac_recv return -COH_EIO): reset the controller, take every TX
 * frame back (tx_done with -COH_EIO) and every RX buffer, program the
 * rings again from empty, re-arm, start.  Call dwmac_link() afterwards:
 * the reset forgot the speed and duplex.
 * @retval 0 running again; -COH_EBUSY the DMA could be neither reset nor
 *         stopped (as dwmac_close: nothing taken back, closed, wedged);
 *         dwmac_open's codes when the re-arming failed (the buffers are
 *         the CPU's, only dwmac_close is left).  Not interrupt context.
 */
int dwmac_recover(struct dwmac *d);

/** @brief Copy the statistics. */
void dwmac_get_stats(const struct dwmac *d, struct dwmac_stats *out);

/** @brief Free TX descriptors now (a frame needs one per segment). */
size_t dwmac_tx_space(const struct dwmac *d);

#endif /* DWMAC_DWMAC_H */
