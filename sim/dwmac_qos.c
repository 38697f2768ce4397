/* SPDX-License-Identifier: MIT */
/* sim/dwmac_qos.c - the DWMAC QoS (EQOS 5.20) model; see sim_dwmac.h. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_dwmac.h"

struct frame {
	size_t len;
	uint8_t data[];
};

/* one DMA channel direction: list, ring length, tail, current slot */
struct chan {
	uint64_t list;		/* HADDR:ADDR */
	uint32_t tail;		/* low 32 bits of the tail pointer */
	uint32_t ring_len;	/* register value: count - 1 */
	uint32_t cur;		/* current slot */
	bool suspended;		/* reached a descriptor without OWN */
	bool stopped;		/* fatal bus error: ST/SR must be set again */
};

struct dwq {
	const struct coh_device *dev;
	void *regs;
	struct dwq *peer, *next;
	void (*sink)(void *ctx, const void *frame, size_t len);
	void *sink_ctx;
	unsigned addr_bits;
	bool link;
	unsigned phy_speed;	/* the negotiated mode (sim_dwmac_set_phy) */
	bool phy_full;
	unsigned tx_fifo, rx_fifo;	/* bytes (sim_dwmac_set_fifo) */
	unsigned long csr_hz;	/* 0: MDC not modelled */
	bool wedged;		/* SIM_DWMAC_F_DMA_STUCK */
	bool tx_stalled;	/* counted once per stalled frame */
	/* registers */
	uint32_t mac_config, packet_filter, rxq_ctrl0, mdio_addr, mdio_data;
	uint32_t addr_hi, addr_lo, mtl_txq, mtl_rxq, dma_mode, sysbus;
	uint32_t ch_control, tx_control, rx_control, int_enable, status;
	uint32_t miss;
	unsigned reset_steps, mdio_steps;
	uint16_t phy_bmcr;
	struct chan tx, rx;
	/* TX frame being assembled */
	uint8_t tx_buf[SIM_DWMAC_MAX_FRAME + 4];
	size_t tx_len;
	bool tx_in_frame, tx_bad;
	/* TX descriptor in progress: its buffers, moved a chunk per step */
	bool tx_active;
	struct dwq_desc tx_d;
	uint64_t tx_ba[2];
	uint32_t tx_bl[2], tx_pos;
	/* RX FIFO and the frame being written */
	struct frame *fifo[SIM_DWMAC_FIFO];
	unsigned fifo_head, fifo_n;
	size_t rx_pos;		/* bytes of the head frame written */
	bool rx_active;		/* a descriptor is being filled */
	struct dwq_desc rx_d;
	uint64_t rx_ba;
	uint32_t rx_room, rx_fill;
	bool rx_first_done;	/* FD already given for the head frame */
	bool rx_ioc;
	/* faults */
	int fault;
	unsigned fault_count;
	uint32_t rng;
	struct sim_dwmac_stats st;
};

static struct dwq *all;

static struct dwq *find(void *regs)
{
	for (struct dwq *d = all; d; d = d->next)
		if (d->regs == regs)
			return d;
	return NULL;
}

static bool faulting(struct dwq *d, int f)
{
	if (d->fault != f || !d->fault_count)
		return false;
	d->fault_count--;
	return true;
}

static unsigned stride(const struct dwq *d)
{
	/* 16-byte descriptor, then DSL words of the 64-bit bus */
	return 16u + 8u * ((d->ch_control & DWQ_DMA_CH_CONTROL_DSL_MASK) >>
			   DWQ_DMA_CH_CONTROL_DSL_SHIFT);
}

/* enhanced addressing: a 40-bit DMA with SYSBUS_MODE.EAME set */
static bool eame(const struct dwq *d)
{
	return d->addr_bits > 32 && (d->sysbus & DWQ_DMA_SYSBUS_EAME);
}

static uint64_t slot_addr(const struct dwq *d, const struct chan *c, uint32_t i)
{
	/* the list HADDR registers count only in enhanced addressing */
	uint64_t list = eame(d) ? c->list : (uint32_t)c->list;

	return list + (uint64_t)i * stride(d);
}

/* without EAME des1 is a second buffer, not the high word: it is dropped */
static uint64_t buf_addr(const struct dwq *d, uint32_t lo, uint32_t hi)
{
	return eame(d) ? lo | (uint64_t)(hi & 0xff) << 32 : lo;
}

#define NIS_CAUSES (DWQ_DMA_CH_STATUS_TI | DWQ_DMA_CH_STATUS_TBU | DWQ_DMA_CH_STATUS_RI)
#define AIS_CAUSES (DWQ_DMA_CH_STATUS_TPS | DWQ_DMA_CH_STATUS_RBU | \
		    DWQ_DMA_CH_STATUS_RPS | DWQ_DMA_CH_STATUS_FBE)

/* causes that drive the interrupt line: enabled, under an enabled summary */
static uint32_t pending(const struct dwq *d)
{
	uint32_t s = d->status & d->int_enable, p = 0;

	if (d->int_enable & DWQ_DMA_CH_STATUS_NIS)
		p |= s & NIS_CAUSES;
	if (d->int_enable & DWQ_DMA_CH_STATUS_AIS)
		p |= s & AIS_CAUSES;
	return p;
}

static void summarise(struct dwq *d)
{
	d->status &= ~(DWQ_DMA_CH_STATUS_NIS | DWQ_DMA_CH_STATUS_AIS);
	if (d->status & NIS_CAUSES)
		d->status |= DWQ_DMA_CH_STATUS_NIS;
	if (d->status & AIS_CAUSES)
		d->status |= DWQ_DMA_CH_STATUS_AIS;
}

/*
 * The handler runs at once (sim_irq_raise), so only a cause that was not
 * already driving the line raises it: a handler that leaves a bit set is
 * not re-entered by its own status writes.
 */
static void set_status(struct dwq *d, uint32_t bits)
{
	uint32_t before = pending(d);

	d->status |= bits;
	summarise(d);
	if (pending(d) & ~before)
		sim_irq_raise(d->regs);
}

static void fatal(struct dwq *d, struct chan *c)
{
	c->stopped = true;
	d->st.bus_errors++;
	set_status(d, DWQ_DMA_CH_STATUS_FBE |
		      (c == &d->tx ? DWQ_DMA_CH_STATUS_TPS : DWQ_DMA_CH_STATUS_RPS));
}

/* the MTL queue sizes TQS/RQS program, at most the FIFO */
static unsigned txq_size(const struct dwq *d)
{
	unsigned n = (((d->mtl_txq & DWQ_MTL_TXQ_TQS_MASK) >> DWQ_MTL_TXQ_TQS_SHIFT) + 1) * 256;

	return n < d->tx_fifo ? n : d->tx_fifo;
}

static unsigned rxq_size(const struct dwq *d)
{
	unsigned n = (((d->mtl_rxq & DWQ_MTL_RXQ_RQS_MASK) >> DWQ_MTL_RXQ_RQS_SHIFT) + 1) * 256;

	return n < d->rx_fifo ? n : d->rx_fifo;
}

/* does the MAC run at what the PHY negotiated?  (loopback needs no PHY) */
static bool link_matches(const struct dwq *d)
{
	unsigned speed = !(d->mac_config & DWQ_MAC_CONFIG_PS) ? 1000
			 : (d->mac_config & DWQ_MAC_CONFIG_FES) ? 100 : 10;
	bool full = (d->mac_config & DWQ_MAC_CONFIG_DM) != 0;

	return (d->mac_config & DWQ_MAC_CONFIG_LM) ||
	       (speed == d->phy_speed && full == d->phy_full);
}

static unsigned log2_128(unsigned bytes)
{
	unsigned n = 0;

	while ((128u << n) < bytes)
		n++;
	return n;
}

static void advance(struct chan *c)
{
	c->cur = c->cur >= c->ring_len ? 0 : c->cur + 1;
}

/* may the engine fetch the current descriptor? (address != tail) */
static bool may_fetch(const struct dwq *d, const struct chan *c)
{
	return !c->stopped && !c->suspended && c->list &&
	       (uint32_t)slot_addr(d, c, c->cur) != c->tail;
}

static void reset_regs(struct dwq *d)
{
	for (unsigned i = 0; i < d->fifo_n; i++)
		free(d->fifo[(d->fifo_head + i) % SIM_DWMAC_FIFO]);
	d->fifo_n = d->fifo_head = 0;
	d->mac_config = d->packet_filter = d->rxq_ctrl0 = 0;
	d->mdio_addr = d->mdio_data = 0;
	d->addr_hi = 0xffff | DWQ_MAC_ADDR_HIGH_AE;
	d->addr_lo = 0xffffffffu;
	d->mtl_txq = d->mtl_rxq = d->sysbus = 0;
	d->ch_control = d->tx_control = d->rx_control = 0;
	d->int_enable = d->status = d->miss = 0;
	memset(&d->tx, 0, sizeof(d->tx));
	memset(&d->rx, 0, sizeof(d->rx));
	d->tx_len = 0;
	d->tx_in_frame = d->tx_bad = d->tx_active = false;
	d->rx_pos = 0;
	d->rx_active = d->rx_first_done = d->rx_ioc = false;
}

/* ---- TX ---------------------------------------------------------------- */

static void deliver(struct dwq *to, const uint8_t *f, size_t len);

static void tx_frame_done(struct dwq *d)
{
	size_t len = d->tx_len;

	if (d->tx_bad) {
		d->st.tx_errors++;
	} else if (!link_matches(d)) {
		d->st.link_mismatch++;	/* garbled on the wire: nobody receives it */
	} else {
		if (len < 60) {
			memset(d->tx_buf + len, 0, 60 - len);
			len = 60;
		}
		d->st.tx_frames++;
		d->st.tx_bytes += len;
		if (d->mac_config & DWQ_MAC_CONFIG_LM)
			deliver(d, d->tx_buf, len);
		else if (d->peer)
			deliver(d->peer, d->tx_buf, len);
		else if (d->sink)
			d->sink(d->sink_ctx, d->tx_buf, len);
	}
	d->tx_len = 0;
	d->tx_in_frame = d->tx_bad = false;
	d->tx_stalled = false;
}

static void tx_writeback(struct dwq *d, bool err)
{
	uint32_t des3 = (d->tx_d.des3 & ~(DWQ_DES3_OWN | DWQ_TDES3_ES)) |
			(err ? DWQ_TDES3_ES : 0);
	uint64_t a = slot_addr(d, &d->tx, d->tx.cur);

	d->tx_active = false;
	d->st.tx_desc++;
	if (sim_dev_write(d->dev, a + 12, &des3, 4)) {
		fatal(d, &d->tx);
		return;
	}
	if (d->tx_d.des3 & DWQ_DES3_LD)
		tx_frame_done(d);
	advance(&d->tx);
	if (d->tx_d.des2 & DWQ_TDES2_IOC)
		set_status(d, DWQ_DMA_CH_STATUS_TI);
}

static bool tx_running(const struct dwq *d)
{
	return (d->tx_control & DWQ_DMA_CH_TX_CONTROL_ST) &&
	       (d->mac_config & DWQ_MAC_CONFIG_TE) &&
	       (d->mtl_txq & DWQ_MTL_TXQ_TXQEN_MASK) && !d->reset_steps;
}

static void tx_fetch(struct dwq *d)
{
	struct dwq_desc *x = &d->tx_d;
	uint64_t a;

	if (!tx_running(d) || !may_fetch(d, &d->tx))
		return;
	a = slot_addr(d, &d->tx, d->tx.cur);
	if (faulting(d, SIM_DWMAC_F_BUS_ERROR) ||
	    sim_dev_fetch(d->dev, a, x, sizeof(*x), 12, DWQ_DES3_OWN)) {
		fatal(d, &d->tx);
		return;
	}
	if (!(x->des3 & DWQ_DES3_OWN)) {
		d->tx.suspended = true;
		d->st.suspends++;
		set_status(d, DWQ_DMA_CH_STATUS_TBU);
		return;
	}
	d->tx_active = true;
	d->tx_pos = 0;
	if (x->des3 & DWQ_DES3_CTXT) {
		d->tx_bl[0] = d->tx_bl[1] = 0;
		return;
	}
	d->tx_ba[0] = buf_addr(d, x->des0, x->des1);
	d->tx_bl[0] = x->des2 & DWQ_TDES2_B1L_MASK;
	d->tx_ba[1] = x->des1;
	d->tx_bl[1] = eame(d) ? 0 :
		      (x->des2 & DWQ_TDES2_B2L_MASK) >> DWQ_TDES2_B2L_SHIFT;
	if (x->des3 & DWQ_DES3_FD) {
		if (d->tx_in_frame)	/* the previous frame never saw LD */
			d->st.tx_errors++;
		d->tx_in_frame = true;
		d->tx_len = 0;
		d->tx_bad = false;
	} else if (!d->tx_in_frame) {
		d->tx_bad = true;	/* a middle without a first */
		d->tx_in_frame = true;
		d->tx_len = 0;
	}
}

static void tx_step(struct dwq *d)
{
	uint32_t total, n, b, off;

	if (!d->tx_active)
		tx_fetch(d);
	if (!d->tx_active)
		return;
	/* the descriptor in hand finishes after ST is cleared, but only through the MAC */
	if (!(d->mac_config & DWQ_MAC_CONFIG_TE) || !(d->mtl_txq & DWQ_MTL_TXQ_TXQEN_MASK))
		return;
	total = d->tx_bl[0] + d->tx_bl[1];
	if (d->tx_pos < total && (d->mtl_txq & DWQ_MTL_TXQ_TSF) &&
	    d->tx_len + (total - d->tx_pos) > txq_size(d)) {
		/* store-and-forward: the frame never fits the queue, so it never leaves */
		if (!d->tx_stalled)
			d->st.tx_fifo_stalls++;
		d->tx_stalled = true;
		return;
	}
	if (d->tx_pos < total) {
		b = d->tx_pos < d->tx_bl[0] ? 0 : 1;
		off = b ? d->tx_pos - d->tx_bl[0] : d->tx_pos;
		n = d->tx_bl[b] - off;
		if (n > SIM_DWMAC_CHUNK)
			n = SIM_DWMAC_CHUNK;
		if (d->tx_len + n > SIM_DWMAC_MAX_FRAME) {
			d->tx_bad = true;
		} else if (sim_dev_read(d->dev, d->tx_ba[b] + off,
					d->tx_buf + d->tx_len, n)) {
			d->tx_active = false;
			fatal(d, &d->tx);
			return;
		} else {
			d->tx_len += n;
		}
		d->tx_pos += n;
	}
	if (d->tx_pos >= total)
		tx_writeback(d, d->tx_bad && (d->tx_d.des3 & DWQ_DES3_LD));
}

/* ---- RX ---------------------------------------------------------------- */

static uint32_t crc32_eth(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static bool rx_on(const struct dwq *d)
{
	return (d->mac_config & DWQ_MAC_CONFIG_RE) &&
	       (d->rxq_ctrl0 & DWQ_MAC_RXQ0EN_MASK) && !d->reset_steps;
}

static bool accept(const struct dwq *d, const uint8_t *f)
{
	uint8_t own[6] = {
		(uint8_t)d->addr_lo, (uint8_t)(d->addr_lo >> 8),
		(uint8_t)(d->addr_lo >> 16), (uint8_t)(d->addr_lo >> 24),
		(uint8_t)d->addr_hi, (uint8_t)(d->addr_hi >> 8),
	};
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (d->packet_filter & DWQ_MAC_PF_PR)
		return true;
	if (!memcmp(f, bcast, 6) || !memcmp(f, own, 6))
		return true;
	return (f[0] & 1) && (d->packet_filter & DWQ_MAC_PF_PM);
}

static void drop(struct dwq *d)
{
	d->st.rx_dropped++;
	if (d->miss < 0x7ff)
		d->miss++;
}

static void deliver(struct dwq *to, const uint8_t *f, size_t len)
{
	struct frame *fr;
	size_t n = len;

	if (!rx_on(to) || len < 14 || !accept(to, f) || to->fifo_n == SIM_DWMAC_FIFO) {
		drop(to);
		return;
	}
	if (!link_matches(to)) {
		to->st.link_mismatch++;
		drop(to);
		return;
	}
	if (len + ((to->mac_config & DWQ_MAC_CONFIG_CST) ? 0 : 4) > rxq_size(to)) {
		to->st.rx_fifo_drops++;
		drop(to);
		return;
	}
	fr = malloc(sizeof(*fr) + len + 4);
	if (!fr) {
		drop(to);
		return;
	}
	memcpy(fr->data, f, len);
	if (!(to->mac_config & DWQ_MAC_CONFIG_CST)) {
		uint32_t fcs = crc32_eth(f, len);

		for (int i = 0; i < 4; i++)
			fr->data[len + (size_t)i] = (uint8_t)(fcs >> (8 * i));
		n += 4;
	}
	fr->len = n;
	to->fifo[(to->fifo_head + to->fifo_n) % SIM_DWMAC_FIFO] = fr;
	to->fifo_n++;
}

/* the RX DMA drains the queue while SR is set, receiver on or not */
static bool rx_running(const struct dwq *d)
{
	return (d->rx_control & DWQ_DMA_CH_RX_CONTROL_SR) &&
	       (d->rxq_ctrl0 & DWQ_MAC_RXQ0EN_MASK) && !d->reset_steps;
}

static uint32_t rbsz(const struct dwq *d)
{
	return ((d->rx_control & DWQ_DMA_CH_RX_CONTROL_RBSZ_MASK) >>
		DWQ_DMA_CH_RX_CONTROL_RBSZ_SHIFT) & ~7u;
}

static bool giant(const struct dwq *d, size_t wire_len)
{
	size_t max = (d->mac_config & DWQ_MAC_CONFIG_JE) ? 9018 : 1518;

	if (!(d->mac_config & DWQ_MAC_CONFIG_CST))
		max += 4;
	return wire_len > max;
}

static void rx_fetch(struct dwq *d)
{
	struct dwq_desc *x = &d->rx_d;
	uint64_t a;

	if (!rx_running(d) || !d->fifo_n)
		return;
	if (!may_fetch(d, &d->rx)) {
		if (!d->rx.stopped && !d->rx.suspended && d->rx.list) {
			/* reached the tail with a frame waiting */
			d->rx.suspended = true;
			d->st.suspends++;
			set_status(d, DWQ_DMA_CH_STATUS_RBU);
		}
		return;
	}
	a = slot_addr(d, &d->rx, d->rx.cur);
	if (sim_dev_fetch(d->dev, a, x, sizeof(*x), 12, DWQ_DES3_OWN)) {
		fatal(d, &d->rx);
		return;
	}
	if (!(x->des3 & DWQ_DES3_OWN)) {
		d->rx.suspended = true;
		d->st.suspends++;
		set_status(d, DWQ_DMA_CH_STATUS_RBU);
		return;
	}
	d->rx_active = true;
	d->rx_ba = buf_addr(d, x->des0, x->des1);
	d->rx_room = (x->des3 & DWQ_RDES3_BUF1V) ? rbsz(d) : 0;
	d->rx_fill = 0;
}

static void rx_writeback(struct dwq *d, bool last, bool err)
{
	struct frame *fr = d->fifo[d->fifo_head];
	struct dwq_desc wb = { 0, 0, 0, 0 };
	uint64_t a = slot_addr(d, &d->rx, d->rx.cur);
	uint32_t pl = (uint32_t)d->rx_pos;

	if (!d->rx_first_done && !faulting(d, SIM_DWMAC_F_RX_NO_FD))
		wb.des3 |= DWQ_DES3_FD;
	d->rx_first_done = true;
	if (last) {
		wb.des3 |= DWQ_DES3_LD;
		if (err || giant(d, fr->len) || faulting(d, SIM_DWMAC_F_RX_ES))
			wb.des3 |= DWQ_RDES3_ES;
		if (faulting(d, SIM_DWMAC_F_RX_LEN_OVER))
			pl = rbsz(d) * 4u + 100u;
	}
	if (!d->rx_room)
		wb.des3 |= DWQ_RDES3_DE | DWQ_RDES3_ES;
	wb.des3 |= pl & DWQ_RDES3_PL_MASK;
	if (faulting(d, SIM_DWMAC_F_RX_GARBAGE)) {
		d->rng = d->rng * 1103515245u + 12345u;
		wb.des3 = (d->rng ^ (d->rng << 13)) & ~DWQ_DES3_OWN;
	}
	if (d->rx_d.des3 & DWQ_RDES3_IOC)
		d->rx_ioc = true;
	d->rx_active = false;
	d->st.rx_desc++;
	/* status words first, then des3 with OWN cleared, as two writes */
	if (sim_dev_write(d->dev, a, &wb, 12) || sim_dev_write(d->dev, a + 12, &wb.des3, 4)) {
		fatal(d, &d->rx);
		return;
	}
	advance(&d->rx);
	if (faulting(d, SIM_DWMAC_F_RX_OWN_UNARMED)) {
		/* hand back a slot past the tail the driver never armed */
		uint32_t t = d->rx.cur;
		uint32_t bogus = DWQ_DES3_FD | DWQ_DES3_LD | 64;

		while ((uint32_t)slot_addr(d, &d->rx, t) != d->rx.tail) {
			t = t >= d->rx.ring_len ? 0 : t + 1;
			if (t == d->rx.cur)
				break;
		}
		(void)sim_dev_write(d->dev, slot_addr(d, &d->rx, t) + 12, &bogus, 4);
	}
	if (last) {
		d->st.rx_frames++;
		d->st.rx_bytes += fr->len;
		free(fr);
		d->fifo_head = (d->fifo_head + 1) % SIM_DWMAC_FIFO;
		d->fifo_n--;
		d->rx_pos = 0;
		d->rx_first_done = false;
		if (d->rx_ioc)
			set_status(d, DWQ_DMA_CH_STATUS_RI);
		d->rx_ioc = false;
	}
}

static void rx_step(struct dwq *d)
{
	struct frame *fr;
	uint32_t n;

	if (!d->rx_active)
		rx_fetch(d);
	if (!d->rx_active)
		return;
	fr = d->fifo[d->fifo_head];
	n = d->rx_room - d->rx_fill;
	if (n > fr->len - d->rx_pos)
		n = (uint32_t)(fr->len - d->rx_pos);
	if (n > SIM_DWMAC_CHUNK)
		n = SIM_DWMAC_CHUNK;
	if (n && sim_dev_write(d->dev, d->rx_ba + d->rx_fill, fr->data + d->rx_pos, n)) {
		d->rx_active = false;
		fatal(d, &d->rx);
		return;
	}
	d->rx_fill += n;
	d->rx_pos += n;
	if (d->rx_pos == fr->len)
		rx_writeback(d, true, false);
	else if (d->rx_fill == d->rx_room)
		rx_writeback(d, false, false);
}

/* ---- MDIO and the PHY ---------------------------------------------------- */

static uint16_t phy_read(struct dwq *d, unsigned reg)
{
	switch (reg) {
	case 0: return d->phy_bmcr;
	/* 10/100 caps, extended status (1000BASE-T), ext; link, AN done */
	case 1: return (uint16_t)(0x7909 | (d->link ? 0x0024 : 0));
	case 2: return SIM_DWMAC_PHY_ID1;
	case 3: return SIM_DWMAC_PHY_ID2;
	case 4: return 0x01e1;	/* we advertise 10/100 half and full */
	case 5: {		/* the partner: only its mode, ACK, 802.3 selector */
		uint16_t m = d->phy_speed == 100 ? (d->phy_full ? 0x0100 : 0x0080)
			     : d->phy_speed == 10 ? (d->phy_full ? 0x0040 : 0x0020) : 0x01e0;

		return d->link ? (uint16_t)(0x4001 | m) : 0;
	}
	case 9: return 0x0300;	/* we advertise 1000 half and full */
	case 10:		/* the partner's 1000BASE-T ability */
		return d->link && d->phy_speed == 1000 ? (d->phy_full ? 0x0800 : 0x0400) : 0;
	default: return 0;
	}
}

/* MDC above 2.5 MHz (IEEE 802.3 22.2.2.13): the PHY does not follow */
static bool mdc_too_fast(const struct dwq *d)
{
	static const unsigned div[8] = { 42, 62, 16, 26, 102, 124, 204, 324 };
	unsigned cr = (d->mdio_addr >> DWQ_MDIO_CR_SHIFT) & 15;

	if (!d->csr_hz)
		return false;
	return cr >= 8 || d->csr_hz / div[cr] > 2500000ul;
}

static void mdio_done(struct dwq *d)
{
	unsigned goc = (d->mdio_addr >> DWQ_MDIO_GOC_SHIFT) & 3;
	unsigned reg = (d->mdio_addr >> DWQ_MDIO_RDA_SHIFT) & 31;
	unsigned pa = (d->mdio_addr >> DWQ_MDIO_PA_SHIFT) & 31;

	if (mdc_too_fast(d)) {
		d->st.mdio_too_fast++;
		if (goc == DWQ_MDIO_GOC_READ)
			d->mdio_data = 0xffff;
	} else if (pa != SIM_DWMAC_PHY_ADDR) {
		if (goc == DWQ_MDIO_GOC_READ)
			d->mdio_data = 0xffff;	/* nobody drives MDIO */
	} else if (goc == DWQ_MDIO_GOC_READ) {
		d->mdio_data = phy_read(d, reg);
	} else if (goc == DWQ_MDIO_GOC_WRITE && reg == 0) {
		/* reset and restart-autoneg bits are self-clearing */
		d->phy_bmcr = (uint16_t)(d->mdio_data & ~0x8200u);
	}
	d->mdio_addr &= ~DWQ_MDIO_GB;
}

/* ---- registers ----------------------------------------------------------- */

static uint64_t dwq_read(void *ctx, size_t off, unsigned size)
{
	struct dwq *d = ctx;
	uint32_t v;

	(void)size;
	switch (off) {
	case DWQ_MAC_CONFIG: return d->mac_config;
	case DWQ_MAC_PACKET_FILTER: return d->packet_filter;
	case DWQ_MAC_RXQ_CTRL0: return d->rxq_ctrl0;
	case DWQ_MAC_VERSION: return 0x1052;	/* USERVER 0x10, SNPSVER 0x52 */
	case DWQ_MAC_HW_FEATURE0: return 0x0a0d7337;
	case DWQ_MAC_HW_FEATURE1:
		return (d->addr_bits > 32 ? 1u << 14 : 0) | log2_128(d->tx_fifo) << 6 |
		       log2_128(d->rx_fifo);
	case DWQ_MTL_TXQ0_DEBUG:
		return (d->tx_active && d->tx_in_frame ? 1u << 4 : 0) | (d->tx_active ? 1u << 1 : 0);
	case DWQ_MTL_RXQ0_DEBUG:
		return (uint32_t)d->fifo_n << 16 | (d->fifo_n ? 1u << 4 : 0);
	case DWQ_DMA_DEBUG_STATUS0:
		/* TPS0 15:12, RPS0 11:8: 0 stopped, 1 running (fetching) */
		return ((d->wedged || (d->tx_control & DWQ_DMA_CH_TX_CONTROL_ST) || d->tx_active)
			? 1u << 12 : 0) |
		       ((d->wedged || (d->rx_control & DWQ_DMA_CH_RX_CONTROL_SR) || d->rx_active)
			? 1u << 8 : 0);
	case DWQ_MAC_HW_FEATURE2: return 0;	/* one queue, one channel each way */
	case DWQ_MAC_HW_FEATURE3: return 0;
	case DWQ_MAC_MDIO_ADDRESS:
		/* the transaction completes after the driver polls a little */
		if ((d->mdio_addr & DWQ_MDIO_GB) && d->mdio_steps && !--d->mdio_steps)
			mdio_done(d);
		return d->mdio_addr;
	case DWQ_MAC_MDIO_DATA: return d->mdio_data;
	case DWQ_MAC_ADDRESS0_HIGH: return d->addr_hi;
	case DWQ_MAC_ADDRESS0_LOW: return d->addr_lo;
	case DWQ_MTL_TXQ0_OPERATION_MODE: return d->mtl_txq;
	case DWQ_MTL_RXQ0_OPERATION_MODE: return d->mtl_rxq;
	case DWQ_DMA_MODE:
		return d->dma_mode | (d->reset_steps || d->wedged ? DWQ_DMA_MODE_SWR : 0);
	case DWQ_DMA_SYSBUS_MODE: return d->sysbus;
	case DWQ_DMA_CH0_CONTROL: return d->ch_control;
	case DWQ_DMA_CH0_TX_CONTROL: return d->tx_control;
	case DWQ_DMA_CH0_RX_CONTROL: return d->rx_control;
	case DWQ_DMA_CH0_TXDESC_LIST_HADDR: return (uint32_t)(d->tx.list >> 32);
	case DWQ_DMA_CH0_TXDESC_LIST_ADDR: return (uint32_t)d->tx.list;
	case DWQ_DMA_CH0_RXDESC_LIST_HADDR: return (uint32_t)(d->rx.list >> 32);
	case DWQ_DMA_CH0_RXDESC_LIST_ADDR: return (uint32_t)d->rx.list;
	case DWQ_DMA_CH0_TXDESC_TAIL_PTR: return d->tx.tail;
	case DWQ_DMA_CH0_RXDESC_TAIL_PTR: return d->rx.tail;
	case DWQ_DMA_CH0_TXDESC_RING_LENGTH: return d->tx.ring_len;
	case DWQ_DMA_CH0_RXDESC_RING_LENGTH: return d->rx.ring_len;
	case DWQ_DMA_CH0_INTERRUPT_ENABLE: return d->int_enable;
	case DWQ_DMA_CH0_CUR_APP_TXDESC: return (uint32_t)slot_addr(d, &d->tx, d->tx.cur);
	case DWQ_DMA_CH0_CUR_APP_RXDESC: return (uint32_t)slot_addr(d, &d->rx, d->rx.cur);
	case DWQ_DMA_CH0_STATUS: return d->status;
	case DWQ_DMA_CH0_MISS_FRAME_CNT:
		v = d->miss | (d->miss >= 0x7ff ? 1u << 15 : 0);
		d->miss = 0;
		return v;
	default: return 0;
	}
}

static void set_list(uint64_t *r, bool hi, uint32_t v)
{
	*r = hi ? (*r & 0xffffffffu) | (uint64_t)v << 32
		: (*r & ~(uint64_t)0xffffffffu) | v;
}

static void dwq_write(void *ctx, size_t off, uint64_t val, unsigned size)
{
	struct dwq *d = ctx;
	uint32_t v = (uint32_t)val;

	(void)size;
	if (d->reset_steps && off != DWQ_DMA_MODE)
		return;	/* registers hold their reset values during SWR */
	if (d->wedged) {
		/* a wedged master: what would stop it does nothing */
		if (off == DWQ_DMA_MODE)
			return;
		if (off == DWQ_MAC_CONFIG)
			v |= d->mac_config & (DWQ_MAC_CONFIG_TE | DWQ_MAC_CONFIG_RE);
		if (off == DWQ_DMA_CH0_TX_CONTROL)
			v |= d->tx_control & DWQ_DMA_CH_TX_CONTROL_ST;
		if (off == DWQ_DMA_CH0_RX_CONTROL)
			v |= d->rx_control & DWQ_DMA_CH_RX_CONTROL_SR;
	}
	switch (off) {
	case DWQ_MAC_CONFIG: d->mac_config = v; break;
	case DWQ_MAC_PACKET_FILTER: d->packet_filter = v; break;
	case DWQ_MAC_RXQ_CTRL0: d->rxq_ctrl0 = v; break;
	case DWQ_MAC_MDIO_ADDRESS:
		d->mdio_addr = v;
		if (v & DWQ_MDIO_GB)
			d->mdio_steps = faulting(d, SIM_DWMAC_F_MDIO_STUCK) ? 0 : 3;
		break;
	case DWQ_MAC_MDIO_DATA: d->mdio_data = v & 0xffff; break;
	case DWQ_MAC_ADDRESS0_HIGH: d->addr_hi = (v & 0xffff) | DWQ_MAC_ADDR_HIGH_AE; break;
	case DWQ_MAC_ADDRESS0_LOW: d->addr_lo = v; break;
	case DWQ_MTL_TXQ0_OPERATION_MODE: d->mtl_txq = v & ~DWQ_MTL_TXQ_FTQ; break;
	case DWQ_MTL_RXQ0_OPERATION_MODE: d->mtl_rxq = v; break;
	case DWQ_DMA_MODE:
		if (v & DWQ_DMA_MODE_SWR) {
			reset_regs(d);
			/* a few bus clocks; a stuck reset never finishes */
			d->reset_steps = faulting(d, SIM_DWMAC_F_RESET_STUCK) ? ~0u : 4;
		}
		d->dma_mode = v & ~DWQ_DMA_MODE_SWR;
		break;
	case DWQ_DMA_SYSBUS_MODE: d->sysbus = v; break;
	case DWQ_DMA_CH0_CONTROL: d->ch_control = v; break;
	case DWQ_DMA_CH0_TX_CONTROL:
		if ((v & DWQ_DMA_CH_TX_CONTROL_ST) && !(d->tx_control & DWQ_DMA_CH_TX_CONTROL_ST))
			d->tx.stopped = d->tx.suspended = false;
		d->tx_control = v;
		break;
	case DWQ_DMA_CH0_RX_CONTROL:
		if ((v & DWQ_DMA_CH_RX_CONTROL_SR) && !(d->rx_control & DWQ_DMA_CH_RX_CONTROL_SR))
			d->rx.stopped = d->rx.suspended = false;
		d->rx_control = v;
		break;
	/* writing the list address resets the current descriptor to it */
	case DWQ_DMA_CH0_TXDESC_LIST_HADDR: set_list(&d->tx.list, true, v); d->tx.cur = 0; break;
	case DWQ_DMA_CH0_TXDESC_LIST_ADDR: set_list(&d->tx.list, false, v); d->tx.cur = 0; break;
	case DWQ_DMA_CH0_RXDESC_LIST_HADDR: set_list(&d->rx.list, true, v); d->rx.cur = 0; break;
	case DWQ_DMA_CH0_RXDESC_LIST_ADDR: set_list(&d->rx.list, false, v); d->rx.cur = 0; break;
	case DWQ_DMA_CH0_TXDESC_TAIL_PTR:
		/* a doorbell: a suspended engine resumes and fetches at once */
		d->tx.tail = v;
		d->tx.suspended = false;
		if (!d->tx_active)
			tx_fetch(d);
		break;
	case DWQ_DMA_CH0_RXDESC_TAIL_PTR:
		d->rx.tail = v;
		d->rx.suspended = false;
		break;
	case DWQ_DMA_CH0_TXDESC_RING_LENGTH: d->tx.ring_len = v & 0x3ff; break;
	case DWQ_DMA_CH0_RXDESC_RING_LENGTH: d->rx.ring_len = v & 0x3ff; break;
	case DWQ_DMA_CH0_INTERRUPT_ENABLE: {
		uint32_t before = pending(d);

		d->int_enable = v;
		if (pending(d) & ~before)
			sim_irq_raise(d->regs);
		break;
	}
	case DWQ_DMA_CH0_STATUS:
		d->status &= ~(v & (NIS_CAUSES | AIS_CAUSES));
		summarise(d);
		break;
	default: break;
	}
}

static void dwq_step(void *ctx)
{
	struct dwq *d = ctx;

	if (d->reset_steps) {
		if (d->reset_steps != ~0u)
			d->reset_steps--;
		return;
	}
	tx_step(d);
	rx_step(d);
}

static void dwq_destroy(void *ctx)
{
	struct dwq *d = ctx;

	for (struct dwq **p = &all; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	for (struct dwq *o = all; o; o = o->next)
		if (o->peer == d)
			o->peer = NULL;
	reset_regs(d);
	free(d);
}

static const struct sim_mmio_ops dwq_ops = {
	.read = dwq_read,
	.write = dwq_write,
	.step = dwq_step,
	.destroy = dwq_destroy,
};

void *sim_dwmac_create(const struct coh_device *dev)
{
	struct dwq *d;

	if (!dev)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->dev = dev;
	d->addr_bits = 32;
	d->link = true;
	d->phy_speed = 1000;
	d->phy_full = true;
	d->tx_fifo = 2048;
	d->rx_fifo = 4096;
	d->phy_bmcr = 0x1000;	/* autonegotiation enabled */
	d->rng = 0x2545f491u;
	reset_regs(d);
	d->regs = sim_mmio_map(DWQ_REGS_SIZE, &dwq_ops, d);
	if (!d->regs) {
		free(d);
		return NULL;
	}
	d->next = all;
	all = d;
	return d->regs;
}

int sim_dwmac_connect(void *regs_a, void *regs_b)
{
	struct dwq *a = find(regs_a), *b = find(regs_b);

	if (!a || !b || a == b)
		return -COH_EINVAL;
	a->peer = b;
	b->peer = a;
	return 0;
}

void sim_dwmac_set_sink(void *regs, void (*fn)(void *ctx, const void *frame, size_t len),
			void *ctx)
{
	struct dwq *d = find(regs);

	if (d) {
		d->sink = fn;
		d->sink_ctx = ctx;
	}
}

int sim_dwmac_receive(void *regs, const void *frame, size_t len)
{
	struct dwq *d = find(regs);
	unsigned long before;

	if (!d || !frame || !len || len > SIM_DWMAC_MAX_FRAME)
		return -COH_EINVAL;
	before = d->st.rx_dropped;
	deliver(d, frame, len);
	return d->st.rx_dropped != before ? -COH_EAGAIN : 0;
}

void sim_dwmac_set_link(void *regs, bool up)
{
	struct dwq *d = find(regs);

	if (d)
		d->link = up;
}

void sim_dwmac_set_addr_bits(void *regs, unsigned bits)
{
	struct dwq *d = find(regs);

	if (d && (bits == 32 || bits == 40))
		d->addr_bits = bits;
}

void sim_dwmac_fault(void *regs, int fault, unsigned count)
{
	struct dwq *d = find(regs);

	if (d) {
		d->fault = fault;
		d->fault_count = count;
		d->wedged = fault == SIM_DWMAC_F_DMA_STUCK && count;
	}
}

void sim_dwmac_set_phy(void *regs, unsigned speed, bool full)
{
	struct dwq *d = find(regs);

	if (d && (speed == 10 || speed == 100 || speed == 1000)) {
		d->phy_speed = speed;
		d->phy_full = full;
	}
}

void sim_dwmac_set_fifo(void *regs, unsigned tx_bytes, unsigned rx_bytes)
{
	struct dwq *d = find(regs);

	if (d && tx_bytes >= 256 && tx_bytes <= 65536 && !(tx_bytes & (tx_bytes - 1)) &&
	    rx_bytes >= 256 && rx_bytes <= 65536 && !(rx_bytes & (rx_bytes - 1))) {
		d->tx_fifo = tx_bytes;
		d->rx_fifo = rx_bytes;
	}
}

void sim_dwmac_set_csr_clock(void *regs, unsigned long hz)
{
	struct dwq *d = find(regs);

	if (d)
		d->csr_hz = hz;
}

void sim_dwmac_stats(void *regs, struct sim_dwmac_stats *out)
{
	struct dwq *d = find(regs);

	if (d && out)
		*out = d->st;
}
