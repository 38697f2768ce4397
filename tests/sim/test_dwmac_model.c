/* SPDX-License-Identifier: MIT */
/*
 * The DWMAC QoS model against its datasheet (sim/sim_dwmac.h), driven by
 * hand: descriptors and buffers in the uncached area (the CPU view is RAM,
 * no maintenance), registers through coh_mmio_*.  Each test names the
 * behaviour a driver relies on.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"
#include "sim_dwmac.h"

TH_DEFINE_COUNTERS;

static struct coh_device dev;
static uint8_t *uc;		/* uncached area */
static uint64_t uc_phys;
static void *regs, *regs_b;
static unsigned long reports;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	(void)r;
	reports++;
}

static uint32_t rd(void *base, size_t off)
{
	return coh_mmio_read32((uint8_t *)base + off);
}

static void wr(void *base, size_t off, uint32_t v)
{
	coh_mmio_write32((uint8_t *)base + off, v);
}

#define TXD 0x0000	/* TX ring at uc + 0 */
#define RXD 0x1000	/* RX ring at uc + 0x1000 */
#define TXB 0x2000	/* TX buffers */
#define RXB 0x4000	/* RX buffers, 0x200 apart */

/* the area is page-aligned and strides are multiples of 16: aligned (Clang -Wcast-align) */
static struct dwq_desc *txd(unsigned i, unsigned stride)
{
	return (struct dwq_desc *)(void *)(uc + TXD + i * stride);
}

static struct dwq_desc *rxd(unsigned i, unsigned stride)
{
	return (struct dwq_desc *)(void *)(uc + RXD + i * stride);
}

static uint32_t bus(size_t off)
{
	return (uint32_t)(uc_phys + off);
}

static int setup(void)
{
	struct sim_config cfg;
	size_t size;

	sim_fini();
	sim_config_default(&cfg);
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	reports = 0;
	coh_device_init(&dev, "eqos", 0);
	if (sim_area(1, (void **)&uc, &uc_phys, &size) || size < 0x8000)
		return -1;
	memset(uc, 0, 0x8000);
	regs = sim_dwmac_create(&dev);
	regs_b = NULL;
	return regs ? 0 : -1;
}

static const uint8_t mac_a[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/* what a driver's open() does: reset, MAC address, queues, rings, start */
static void bring_up(void *r, unsigned dsl, unsigned rbsz, unsigned ntx, unsigned nrx,
		     uint32_t config_extra)
{
	wr(r, DWQ_DMA_MODE, DWQ_DMA_MODE_SWR);
	for (int i = 0; i < 100 && (rd(r, DWQ_DMA_MODE) & DWQ_DMA_MODE_SWR); i++)
		;
	wr(r, DWQ_MAC_ADDRESS0_HIGH, mac_a[4] | (uint32_t)mac_a[5] << 8);
	wr(r, DWQ_MAC_ADDRESS0_LOW, mac_a[0] | (uint32_t)mac_a[1] << 8 |
				   (uint32_t)mac_a[2] << 16 | (uint32_t)mac_a[3] << 24);
	/* the whole FIFOs (2 KiB TX, 4 KiB RX by default) to queue 0 */
	wr(r, DWQ_MTL_TXQ0_OPERATION_MODE, DWQ_MTL_TXQ_TSF | 2u << DWQ_MTL_TXQ_TXQEN_SHIFT |
	   7u << DWQ_MTL_TXQ_TQS_SHIFT);
	wr(r, DWQ_MTL_RXQ0_OPERATION_MODE, DWQ_MTL_RXQ_RSF | 15u << DWQ_MTL_RXQ_RQS_SHIFT);
	wr(r, DWQ_MAC_RXQ_CTRL0, 2);
	wr(r, DWQ_DMA_CH0_CONTROL, dsl << DWQ_DMA_CH_CONTROL_DSL_SHIFT);
	wr(r, DWQ_DMA_CH0_TXDESC_LIST_ADDR, bus(TXD));
	wr(r, DWQ_DMA_CH0_RXDESC_LIST_ADDR, bus(RXD));
	wr(r, DWQ_DMA_CH0_TXDESC_RING_LENGTH, ntx - 1);
	wr(r, DWQ_DMA_CH0_RXDESC_RING_LENGTH, nrx - 1);
	wr(r, DWQ_DMA_CH0_TX_CONTROL, DWQ_DMA_CH_TX_CONTROL_ST);
	wr(r, DWQ_DMA_CH0_RX_CONTROL, DWQ_DMA_CH_RX_CONTROL_SR |
				      rbsz << DWQ_DMA_CH_RX_CONTROL_RBSZ_SHIFT);
	/* 1000 full, the PHY's default mode */
	wr(r, DWQ_MAC_CONFIG, DWQ_MAC_CONFIG_RE | DWQ_MAC_CONFIG_TE | DWQ_MAC_CONFIG_DM | config_extra);
}

static void arm_rx(unsigned i, unsigned stride)
{
	struct dwq_desc *d = rxd(i, stride);

	d->des0 = bus(RXB + i * 0x200);
	d->des1 = d->des2 = 0;
	d->des3 = DWQ_DES3_OWN | DWQ_RDES3_IOC | DWQ_RDES3_BUF1V;
}

static void post_tx(unsigned i, unsigned stride, size_t boff, uint32_t len,
		    uint32_t flags, uint32_t fl)
{
	struct dwq_desc *d = txd(i, stride);

	d->des0 = bus(TXB + boff);
	d->des1 = 0;
	d->des2 = DWQ_TDES2_IOC | len;
	d->des3 = DWQ_DES3_OWN | flags | fl;
}

static void fill_frame(size_t boff, size_t len, uint8_t seed)
{
	uint8_t *f = uc + TXB + boff;

	memcpy(f, mac_a, 6);			/* to ourselves (loopback) */
	memcpy(f + 6, "\x02\x99\x88\x77\x66\x55", 6);
	for (size_t i = 12; i < len; i++)
		f[i] = (uint8_t)(seed + i);
}

static void run(unsigned steps)
{
	while (steps--)
		sim_step();
}

/* datasheet facts a driver depends on (public sources: Linux stmmac
 * dwmac4.h / dwmac4_dma.h / dwmac4_descs.h, U-Boot dwc_eth_qos.c) */
static void test_identity_and_reset(void)
{
	CHECK(!setup());
	CHECK_EQ(rd(regs, DWQ_MAC_VERSION) & 0xff, 0x52);
	wr(regs, DWQ_MAC_CONFIG, DWQ_MAC_CONFIG_TE);
	wr(regs, DWQ_DMA_MODE, DWQ_DMA_MODE_SWR);
	CHECK(rd(regs, DWQ_DMA_MODE) & DWQ_DMA_MODE_SWR);	/* not instant */
	wr(regs, DWQ_MAC_CONFIG, DWQ_MAC_CONFIG_RE);		/* ignored during reset */
	for (int i = 0; i < 10; i++)
		(void)rd(regs, DWQ_DMA_MODE);
	CHECK_EQ(rd(regs, DWQ_DMA_MODE) & DWQ_DMA_MODE_SWR, 0);
	CHECK_EQ(rd(regs, DWQ_MAC_CONFIG), 0);
	/* a reset that never completes */
	sim_dwmac_fault(regs, SIM_DWMAC_F_RESET_STUCK, 1);
	wr(regs, DWQ_DMA_MODE, DWQ_DMA_MODE_SWR);
	for (int i = 0; i < 1000; i++)
		(void)rd(regs, DWQ_DMA_MODE);
	CHECK(rd(regs, DWQ_DMA_MODE) & DWQ_DMA_MODE_SWR);
}

static uint32_t mdio(void *r, unsigned pa, unsigned reg, unsigned goc, uint32_t data)
{
	int i;

	wr(r, DWQ_MAC_MDIO_DATA, data);
	wr(r, DWQ_MAC_MDIO_ADDRESS, pa << DWQ_MDIO_PA_SHIFT | reg << DWQ_MDIO_RDA_SHIFT |
				    goc << DWQ_MDIO_GOC_SHIFT | DWQ_MDIO_GB);
	for (i = 0; i < 50 && (rd(r, DWQ_MAC_MDIO_ADDRESS) & DWQ_MDIO_GB); i++)
		;
	return i == 50 ? 0xdead0000u : rd(r, DWQ_MAC_MDIO_DATA);
}

static void test_mdio_phy(void)
{
	CHECK(!setup());
	CHECK_EQ(mdio(regs, SIM_DWMAC_PHY_ADDR, 2, DWQ_MDIO_GOC_READ, 0), SIM_DWMAC_PHY_ID1);
	CHECK_EQ(mdio(regs, SIM_DWMAC_PHY_ADDR, 3, DWQ_MDIO_GOC_READ, 0), SIM_DWMAC_PHY_ID2);
	CHECK_EQ(mdio(regs, 7, 2, DWQ_MDIO_GOC_READ, 0), 0xffff);	/* no PHY there */
	CHECK(mdio(regs, SIM_DWMAC_PHY_ADDR, 1, DWQ_MDIO_GOC_READ, 0) & 0x4);
	sim_dwmac_set_link(regs, false);
	CHECK_EQ(mdio(regs, SIM_DWMAC_PHY_ADDR, 1, DWQ_MDIO_GOC_READ, 0) & 0x4, 0);
	/* BMCR reset self-clears */
	mdio(regs, SIM_DWMAC_PHY_ADDR, 0, DWQ_MDIO_GOC_WRITE, 0x9000);
	CHECK_EQ(mdio(regs, SIM_DWMAC_PHY_ADDR, 0, DWQ_MDIO_GOC_READ, 0), 0x1000);
	sim_dwmac_fault(regs, SIM_DWMAC_F_MDIO_STUCK, 1);
	CHECK_EQ(mdio(regs, SIM_DWMAC_PHY_ADDR, 2, DWQ_MDIO_GOC_READ, 0), 0xdead0000u);
}

/* a two-descriptor TX frame comes back through MAC loopback, split over
 * two RX descriptors by RBSZ; FD/LD, PL, OWN, TI and RI as documented */
static void test_loopback_multi_descriptor(void)
{
	uint32_t st;

	CHECK(!setup());
	bring_up(regs, 0, 64, 4, 4, DWQ_MAC_CONFIG_LM | DWQ_MAC_CONFIG_CST);
	for (unsigned i = 0; i < 3; i++)
		arm_rx(i, 16);
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 3 * 16));
	fill_frame(0, 100, 7);
	post_tx(0, 16, 0, 40, DWQ_DES3_FD, 100);
	post_tx(1, 16, 40, 60, DWQ_DES3_LD, 0);
	wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + 2 * 16));
	run(20);
	CHECK_EQ(txd(0, 16)->des3 & DWQ_DES3_OWN, 0);
	CHECK_EQ(txd(1, 16)->des3 & DWQ_DES3_OWN, 0);
	CHECK_EQ(rxd(0, 16)->des3 & (DWQ_DES3_OWN | DWQ_DES3_FD | DWQ_DES3_LD), DWQ_DES3_FD);
	CHECK_EQ(rxd(1, 16)->des3 & (DWQ_DES3_OWN | DWQ_DES3_FD | DWQ_DES3_LD), DWQ_DES3_LD);
	CHECK_EQ(rxd(1, 16)->des3 & DWQ_RDES3_PL_MASK, 100);
	CHECK_EQ(rxd(1, 16)->des3 & DWQ_RDES3_ES, 0);
	CHECK(rxd(2, 16)->des3 & DWQ_DES3_OWN);			/* untouched */
	CHECK(!memcmp(uc + RXB, uc + TXB, 64));
	CHECK(!memcmp(uc + RXB + 0x200, uc + TXB + 64, 36));
	st = rd(regs, DWQ_DMA_CH0_STATUS);
	CHECK(st & DWQ_DMA_CH_STATUS_TI);
	CHECK(st & DWQ_DMA_CH_STATUS_RI);
	CHECK(st & DWQ_DMA_CH_STATUS_NIS);
	wr(regs, DWQ_DMA_CH0_STATUS, st);
	CHECK_EQ(rd(regs, DWQ_DMA_CH0_STATUS) & (DWQ_DMA_CH_STATUS_TI | DWQ_DMA_CH_STATUS_RI), 0);
	CHECK_EQ(rd(regs, DWQ_DMA_CH0_CUR_APP_TXDESC), bus(TXD + 2 * 16));
	CHECK_EQ(reports, 0);
}

/* without CST the FCS (CRC-32) is appended and counted; short frames padded */
static void test_fcs_and_padding(void)
{
	uint8_t *f;
	uint32_t crc = 0xffffffffu, fcs;

	CHECK(!setup());
	bring_up(regs, 0, 1536, 4, 4, DWQ_MAC_CONFIG_LM);
	arm_rx(0, 16);
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 16));
	fill_frame(0, 42, 3);
	post_tx(0, 16, 0, 42, DWQ_DES3_FD | DWQ_DES3_LD, 42);
	wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + 16));
	run(10);
	CHECK_EQ(rxd(0, 16)->des3 & DWQ_RDES3_PL_MASK, 64);
	f = uc + RXB;
	CHECK(!memcmp(f, uc + TXB, 42));
	for (int i = 42; i < 60; i++)
		CHECK_EQ(f[i], 0);
	for (int i = 0; i < 60; i++) {
		crc ^= f[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	fcs = f[60] | (uint32_t)f[61] << 8 | (uint32_t)f[62] << 16 | (uint32_t)f[63] << 24;
	CHECK_EQ(fcs, ~crc);
}

/* RX reaching a descriptor without OWN suspends with RBU; the frame waits
 * in the FIFO until the driver re-arms and writes the tail pointer */
static void test_rbu_and_resume(void)
{
	uint8_t frame[80];

	CHECK(!setup());
	bring_up(regs, 0, 1536, 4, 4, DWQ_MAC_CONFIG_CST);
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 2 * 16));
	memset(frame, 0xff, 6);			/* broadcast */
	memset(frame + 6, 0x5a, sizeof(frame) - 6);
	CHECK_EQ(sim_dwmac_receive(regs, frame, sizeof(frame)), 0);
	run(5);
	CHECK(rd(regs, DWQ_DMA_CH0_STATUS) & DWQ_DMA_CH_STATUS_RBU);
	CHECK(rd(regs, DWQ_DMA_CH0_STATUS) & DWQ_DMA_CH_STATUS_AIS);
	arm_rx(0, 16);
	run(5);
	CHECK(rxd(0, 16)->des3 & DWQ_DES3_OWN);	/* no tail write: still suspended */
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 1 * 16));
	run(5);
	CHECK_EQ(rxd(0, 16)->des3 & (DWQ_DES3_OWN | DWQ_RDES3_PL_MASK), 80);
	CHECK(!memcmp(uc + RXB, frame, sizeof(frame)));
}

/* the address filter: frames for another MAC are dropped and counted */
static void test_filter_and_fifo(void)
{
	uint8_t frame[64] = { 0x02, 1, 2, 3, 4, 5 };
	struct sim_dwmac_stats s;
	int rc = 0;

	CHECK(!setup());
	bring_up(regs, 0, 1536, 4, 4, DWQ_MAC_CONFIG_CST);
	CHECK_EQ(sim_dwmac_receive(regs, frame, sizeof(frame)), -COH_EAGAIN);
	wr(regs, DWQ_MAC_PACKET_FILTER, DWQ_MAC_PF_PR);
	for (int i = 0; i < SIM_DWMAC_FIFO + 3; i++)
		rc = sim_dwmac_receive(regs, frame, sizeof(frame));
	CHECK_EQ(rc, -COH_EAGAIN);		/* nothing armed: FIFO fills */
	sim_dwmac_stats(regs, &s);
	CHECK_EQ(s.rx_dropped, 4);
	CHECK_EQ(rd(regs, DWQ_DMA_CH0_MISS_FRAME_CNT), 4);
	CHECK_EQ(rd(regs, DWQ_DMA_CH0_MISS_FRAME_CNT), 0);	/* read clears */
	CHECK_EQ(sim_dwmac_receive(regs, frame, 0), -COH_EINVAL);
	CHECK_EQ(sim_dwmac_receive(frame, frame, 10), -COH_EINVAL);
}

/* a buffer outside RAM: fatal bus error, the channel stops, reported */
static void test_fatal_bus_error(void)
{
	struct dwq_desc *d;

	CHECK(!setup());
	bring_up(regs, 0, 1536, 4, 4, DWQ_MAC_CONFIG_LM);
	d = txd(0, 16);
	d->des0 = 0x10;		/* below RAM */
	d->des2 = 100;
	d->des3 = DWQ_DES3_OWN | DWQ_DES3_FD | DWQ_DES3_LD | 100;
	wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + 16));
	run(5);
	CHECK(rd(regs, DWQ_DMA_CH0_STATUS) & DWQ_DMA_CH_STATUS_FBE);
	CHECK(rd(regs, DWQ_DMA_CH0_STATUS) & DWQ_DMA_CH_STATUS_AIS);
	CHECK_EQ(sim_reports(SIM_BAD_BUS_ADDRESS), 1);
}

/* DSL: descriptors 16 + 8 x DSL bytes apart (64 with DSL 6, one per line) */
static void test_skip_length(void)
{
	CHECK(!setup());
	bring_up(regs, 6, 1536, 4, 4, DWQ_MAC_CONFIG_LM | DWQ_MAC_CONFIG_CST);
	arm_rx(0, 64);
	arm_rx(1, 64);
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 2 * 64));
	fill_frame(0, 60, 1);
	fill_frame(0x100, 70, 2);
	post_tx(0, 64, 0, 60, DWQ_DES3_FD | DWQ_DES3_LD, 60);
	post_tx(1, 64, 0x100, 70, DWQ_DES3_FD | DWQ_DES3_LD, 70);
	wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + 2 * 64));
	run(20);
	CHECK_EQ(rxd(1, 64)->des3 & (DWQ_DES3_OWN | DWQ_RDES3_PL_MASK), 70);
	CHECK(!memcmp(uc + RXB + 0x200, uc + TXB + 0x100, 70));
	CHECK_EQ(rd(regs, DWQ_DMA_CH0_CUR_APP_RXDESC), bus(RXD + 2 * 64));
}

/* the ring wraps after RING_LENGTH + 1 descriptors */
static void test_wrap(void)
{
	CHECK(!setup());
	bring_up(regs, 0, 1536, 2, 2, DWQ_MAC_CONFIG_LM | DWQ_MAC_CONFIG_CST);
	for (unsigned k = 0; k < 5; k++) {
		unsigned i = k % 2;

		arm_rx(i, 16);
		wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + ((i + 1) % 2) * 16));
		fill_frame(0, 60 + k, (uint8_t)k);
		post_tx(i, 16, 0, 60 + k, DWQ_DES3_FD | DWQ_DES3_LD, 60 + k);
		wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + ((i + 1) % 2) * 16));
		run(10);
		CHECK_EQ(rxd(i, 16)->des3 & (DWQ_DES3_OWN | DWQ_RDES3_PL_MASK), 60 + k);
	}
}

/* two MACs on a wire; a giant frame arrives with ES; interrupts */
static unsigned irqs;
static void on_irq(void *arg)
{
	uint32_t st = rd(arg, DWQ_DMA_CH0_STATUS);

	irqs++;
	wr(arg, DWQ_DMA_CH0_STATUS, st & (DWQ_DMA_CH_STATUS_TI | DWQ_DMA_CH_STATUS_NIS));
}

static void test_wire_giant_irq(void)
{
	CHECK(!setup());
	regs_b = sim_dwmac_create(&dev);
	CHECK(regs_b);
	CHECK_EQ(sim_dwmac_connect(regs, regs_b), 0);
	CHECK_EQ(sim_dwmac_connect(regs, regs), -COH_EINVAL);
	bring_up(regs, 0, 1536, 4, 4, DWQ_MAC_CONFIG_CST);
	/* B shares the rings' memory layout but only receives: its TX ring is idle */
	bring_up(regs_b, 0, 2048, 4, 4, DWQ_MAC_CONFIG_CST);
	wr(regs_b, DWQ_MAC_PACKET_FILTER, DWQ_MAC_PF_PR);
	CHECK(!sim_irq_connect(regs, on_irq, regs));
	wr(regs, DWQ_DMA_CH0_INTERRUPT_ENABLE, DWQ_DMA_CH_STATUS_TI | DWQ_DMA_CH_STATUS_NIS);
	arm_rx(0, 16);
	wr(regs_b, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 16));
	fill_frame(0, 1600, 9);
	post_tx(0, 16, 0, 1600, DWQ_DES3_FD | DWQ_DES3_LD, 1600);
	wr(regs, DWQ_DMA_CH0_TXDESC_TAIL_PTR, bus(TXD + 16));
	run(30);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(rxd(0, 16)->des3 & (DWQ_DES3_OWN | DWQ_RDES3_PL_MASK), 1600);
	CHECK(rxd(0, 16)->des3 & DWQ_RDES3_ES);
}

/* hostile write-backs the driver must survive */
static void test_faults(void)
{
	uint8_t frame[100];

	CHECK(!setup());
	bring_up(regs, 0, 256, 4, 4, DWQ_MAC_CONFIG_CST | DWQ_MAC_CONFIG_LM);
	memset(frame, 0xff, sizeof(frame));
	arm_rx(0, 16);
	arm_rx(1, 16);
	wr(regs, DWQ_DMA_CH0_RXDESC_TAIL_PTR, bus(RXD + 2 * 16));
	sim_dwmac_fault(regs, SIM_DWMAC_F_RX_LEN_OVER, 1);
	CHECK_EQ(sim_dwmac_receive(regs, frame, sizeof(frame)), 0);
	run(5);
	CHECK((rxd(0, 16)->des3 & DWQ_RDES3_PL_MASK) > 256);
	sim_dwmac_fault(regs, SIM_DWMAC_F_RX_OWN_UNARMED, 1);
	CHECK_EQ(sim_dwmac_receive(regs, frame, sizeof(frame)), 0);
	run(5);
	CHECK_EQ(rxd(1, 16)->des3 & DWQ_DES3_OWN, 0);
	CHECK_EQ(rxd(2, 16)->des3 & (DWQ_DES3_FD | DWQ_DES3_LD), DWQ_DES3_FD | DWQ_DES3_LD);
}

int main(void)
{
	RUN(test_identity_and_reset);
	RUN(test_mdio_phy);
	RUN(test_loopback_multi_descriptor);
	RUN(test_fcs_and_padding);
	RUN(test_rbu_and_resume);
	RUN(test_filter_and_fifo);
	RUN(test_fatal_bus_error);
	RUN(test_skip_length);
	RUN(test_wrap);
	RUN(test_wire_giant_irq);
	RUN(test_faults);
	sim_fini();
	return th_finish("dwmac_model");
}
