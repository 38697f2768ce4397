/* SPDX-License-Identifier: MIT */
/* sim/sunxi_sdhost.c - the Allwinner SD host and card model (see sim_sunxi_sdhost.h). */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_sunxi_sdhost.h"

/* registers (QEMU allwinner-sdhost.c offsets, Linux sunxi-mmc.c names) */
enum {
	GCTRL = 0x00, CLKCR = 0x04, TMOUT = 0x08, WIDTH = 0x0c, BLKSZ = 0x10, BCNTR = 0x14,
	CMDR = 0x18, CARG = 0x1c, RESP0 = 0x20, IMASK = 0x30, MISTA = 0x34, RINTR = 0x38,
	STAS = 0x3c, FTRGL = 0x40, DMAC = 0x80, DLBA = 0x84, IDST = 0x88, IDIE = 0x8c,
};
#define G_RESETS	0x7u
#define G_DMA_EN	(1u << 5)
#define C_RESP		(1u << 6)
#define C_LONG		(1u << 7)
#define C_DATA		(1u << 9)
#define C_WRITE		(1u << 10)
#define C_AUTOSTOP	(1u << 12)
#define C_UPCLK		(1u << 21)
#define C_START		(1u << 31)
#define I_CMD_DONE	(1u << 2)
#define I_DATA_OVER	(1u << 3)
#define I_RESP_CRC	(1u << 6)
#define I_DATA_CRC	(1u << 7)
#define I_RESP_TO	(1u << 8)
#define I_AUTO_DONE	(1u << 14)
#define D_IDMA_ON	(1u << 7)
#define D_SOFT_RESET	(1u << 0)
#define ST_TX		(1u << 0)
#define ST_RX		(1u << 1)
#define ST_BUS_ERR	(1u << 2)
#define ST_DES_UNAVAIL	(1u << 4)
#define ST_NORMAL	(1u << 8)
#define ST_ABNORMAL	(1u << 9)
#define DES_OWN		(1u << 31)
#define DES_LD		(1u << 2)

enum { S_IDLE, S_READY, S_IDENT, S_STBY, S_TRAN, S_DATA, S_RCV, S_PRG };

struct desc {
	uint32_t config, size, buf, next;
};

struct sdh {
	const struct coh_device *dev;
	void *regs;
	uint8_t *image;
	uint32_t blocks;
	int hc, present;
	uint32_t gctrl, clkcr, tmout, width, blksz, bcntr, cmdr, carg, resp[4];
	uint32_t imask, rintr, ftrgl, dmac, dlba, idst, idie;
	/* the card */
	int state, app, acmd41s;
	uint16_t rca;
	uint32_t csd[4], cid[4];
	/* the data phase */
	int active, write, autostop, have;
	uint64_t addr;		/* card byte offset */
	uint32_t remain, pos;
	uint64_t cur;		/* bus address of the descriptor in use */
	struct desc d;
	unsigned int evil, evil_now;
	unsigned long done, evil_done;
};

static void set_bits(uint32_t r[4], unsigned lo, unsigned n, uint32_t v)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned b = lo + i;

		r[b / 32] &= ~(1u << (b % 32));
		r[b / 32] |= ((v >> i) & 1u) << (b % 32);
	}
}

static void make_regs(struct sdh *s)
{
	memset(s->csd, 0, sizeof(s->csd));
	set_bits(s->csd, 0, 1, 1);
	set_bits(s->csd, 96, 8, 0x32);		/* 25 MHz */
	set_bits(s->csd, 84, 12, 0x5b5);
	set_bits(s->csd, 80, 4, 9);
	if (s->hc) {
		set_bits(s->csd, 126, 2, 1);
		set_bits(s->csd, 48, 22, s->blocks / 1024 - 1);
	} else {
		set_bits(s->csd, 62, 12, s->blocks / 4 - 1);	/* C_SIZE_MULT 0: x 4 blocks */
	}
	s->cid[3] = 0xaa585951u;	/* MID, OID, product name: arbitrary */
	s->cid[0] = 1;
}

static uint32_t r1(struct sdh *s, int before)
{
	return (uint32_t)before << 9 | (1u << 8) | (s->app ? 1u << 5 : 0);
}

static void start_data(struct sdh *s, int write)
{
	uint64_t a = s->hc ? (uint64_t)s->carg * 512 : s->carg;

	if (!(s->cmdr & C_DATA) || !(s->gctrl & G_DMA_EN) || !(s->dmac & D_IDMA_ON) ||
	    a + s->bcntr > (uint64_t)s->blocks * 512 || s->bcntr % 512 || !s->bcntr)
		return;	/* no data phase: the driver's poll runs out */
	sim_dev_doorbell(s->dev);
	s->active = 1;
	s->write = write;
	s->autostop = (s->cmdr & C_AUTOSTOP) != 0;
	s->addr = a;
	s->remain = s->bcntr;
	s->cur = s->dlba;
	s->have = 0;
	s->evil_now = s->evil;
	s->evil = 0;
	if (s->evil_now & SIM_SDH_EVIL_STALL)
		s->evil_done++;	/* from now on the data phase never moves */
}

/* One command on the card: 0 and the response in resp[], or -1 (none). */
static int card_cmd(struct sdh *s, unsigned op, uint32_t arg)
{
	int before = s->state, app = s->app;
	uint16_t rca = (uint16_t)(arg >> 16);

	s->app = 0;
	memset(s->resp, 0, sizeof(s->resp));
	if (app && op == 41 && (before == S_IDLE || before == S_READY)) {
		uint32_t ocr = 0x00ff8000u;

		if (++s->acmd41s >= 2) {	/* powered up on the second ask */
			ocr |= 1u << 31 | ((arg & (1u << 30)) && s->hc ? 1u << 30 : 0);
			s->state = S_READY;
		}
		s->resp[0] = ocr;
		return 0;
	}
	if (app && op == 6 && before == S_TRAN) {
		s->resp[0] = r1(s, before) | 1u << 5;
		return 0;
	}
	switch (op) {
	case 0:
		s->state = S_IDLE;
		s->rca = 0;
		s->acmd41s = 0;
		return 0;
	case 8:
		if (before != S_IDLE)
			return -1;
		s->resp[0] = arg & 0xfff;
		return 0;
	case 55:
		if (rca != s->rca)
			return -1;
		s->app = 1;
		s->resp[0] = r1(s, before);
		return 0;
	case 2:
		if (before != S_READY)
			return -1;
		s->state = S_IDENT;
		memcpy(s->resp, s->cid, sizeof(s->cid));
		return 0;
	case 3:
		if (before != S_IDENT && before != S_STBY)
			return -1;
		s->state = S_STBY;
		s->rca = 0x1234;
		s->resp[0] = (uint32_t)s->rca << 16 | (uint32_t)before << 9;
		return 0;
	case 9:
		if (before != S_STBY || rca != s->rca)
			return -1;
		memcpy(s->resp, s->csd, sizeof(s->csd));
		return 0;
	case 7:
		if (before != S_STBY || rca != s->rca)
			return -1;
		s->state = S_TRAN;
		s->resp[0] = r1(s, before);
		return 0;
	case 13:
		if (rca != s->rca || before < S_STBY)
			return -1;
		s->resp[0] = r1(s, before);
		return 0;
	case 16:
		if (before != S_TRAN)
			return -1;
		s->resp[0] = r1(s, before) | (arg != 512 ? 1u << 29 : 0);
		return 0;
	case 17: case 18: case 24: case 25:
		if (before != S_TRAN)
			return -1;
		s->resp[0] = r1(s, before);
		s->state = op < 24 ? S_DATA : S_RCV;
		start_data(s, op >= 24);
		return 0;
	case 12:
		if (before != S_DATA && before != S_RCV)
			return -1;
		s->active = 0;
		s->state = S_TRAN;
		s->resp[0] = r1(s, before);
		return 0;
	default:
		return -1;
	}
}

/* The host stopped the data phase: a single-block command ends anyway. */
static void halt(struct sdh *s)
{
	unsigned op = s->cmdr & 0x3f;

	s->active = 0;
	if ((op == 17 || op == 24) && (s->state == S_DATA || s->state == S_RCV))
		s->state = S_TRAN;
}

static void stop(struct sdh *s, uint32_t idst)
{
	halt(s);
	s->idst |= idst | ST_ABNORMAL;
}

static void finish(struct sdh *s)
{
	s->active = 0;
	s->done++;
	s->rintr |= I_DATA_OVER;
	s->idst |= (s->write ? ST_TX : ST_RX) | ST_NORMAL;
	if (s->state == S_DATA || s->state == S_RCV) {
		if (s->autostop) {
			s->resp[0] = r1(s, s->state);
			s->state = S_TRAN;
			s->rintr |= I_AUTO_DONE;
		}
		if ((s->cmdr & 0x3f) == 17 || (s->cmdr & 0x3f) == 24)
			s->state = S_TRAN;
	}
}

/* The descriptor goes back: OWN cleared (and whatever a hostile device does). */
static int give_back(struct sdh *s)
{
	struct desc w = s->d;

	w.config &= ~DES_OWN;
	if (s->evil_now & SIM_SDH_EVIL_OWN) {
		s->evil_now &= ~SIM_SDH_EVIL_OWN;
		s->evil_done++;
		return 0;	/* never written back */
	}
	if (s->evil_now & SIM_SDH_EVIL_SIZE) {
		s->evil_now &= ~SIM_SDH_EVIL_SIZE;
		s->evil_done++;
		w.size += 4;
	}
	if (s->evil_now & SIM_SDH_EVIL_ADDR) {
		s->evil_now &= ~SIM_SDH_EVIL_ADDR;
		s->evil_done++;
		w.buf ^= 0x40;
	}
	if (w.size != s->d.size || w.buf != s->d.buf)
		return sim_dev_write(s->dev, s->cur, &w, sizeof(w));
	return sim_dev_write(s->dev, s->cur, &w.config, sizeof(w.config));
}

static void dma_step(struct sdh *s)
{
	uint8_t *card;
	uint32_t size, n;
	int rc;

	if (!s->active || (s->evil_now & SIM_SDH_EVIL_STALL))
		return;
	if (!s->have) {
		/* acts only on a descriptor it owns: ordering is checked then */
		if (sim_dev_fetch(s->dev, s->cur, &s->d, sizeof(s->d), 0, DES_OWN)) {
			stop(s, ST_BUS_ERR);
			return;
		}
		if (!(s->d.config & DES_OWN)) {
			stop(s, ST_DES_UNAVAIL);
			return;
		}
		if ((s->evil_now & SIM_SDH_EVIL_SHORT) && (s->d.config & DES_LD) &&
		    s->cur != s->dlba) {
			s->evil_now &= ~SIM_SDH_EVIL_SHORT;
			s->evil_done++;
			finish(s);	/* the last descriptor never moved */
			return;
		}
		s->have = 1;
		s->pos = 0;
	}
	size = s->d.size ? s->d.size : 65536;
	n = size - s->pos;
	if (n > s->remain)
		n = s->remain;
	if (n > SIM_SDH_CHUNK)
		n = SIM_SDH_CHUNK;
	card = s->image + s->addr;
	rc = s->write ? sim_dev_read(s->dev, s->d.buf + s->pos, card, n)
		      : sim_dev_write(s->dev, s->d.buf + s->pos, card, n);
	if (rc) {
		stop(s, ST_BUS_ERR);
		return;
	}
	s->addr += n;
	s->pos += n;
	s->remain -= n;
	if (s->evil_now & SIM_SDH_EVIL_CRC) {
		s->evil_now &= ~SIM_SDH_EVIL_CRC;
		s->evil_done++;
		halt(s);
		s->rintr |= I_DATA_CRC;
		return;
	}
	if (s->pos < size && s->remain)
		return;
	if (give_back(s)) {
		stop(s, ST_BUS_ERR);
		return;
	}
	s->have = 0;
	if (!s->remain || (s->d.config & DES_LD))
		finish(s);
	else
		s->cur = s->d.next;
}

static void command(struct sdh *s)
{
	s->cmdr &= ~C_START;
	if (s->cmdr & C_UPCLK) {
		s->rintr |= I_CMD_DONE;
		return;
	}
	if ((s->evil & SIM_SDH_EVIL_RESP_CRC) && (s->cmdr & C_DATA)) {
		/* the card never saw a valid command: it stays where it was */
		s->evil &= ~SIM_SDH_EVIL_RESP_CRC;
		s->evil_done++;
		s->rintr |= I_RESP_CRC | I_CMD_DONE;
		return;
	}
	if (!s->present || card_cmd(s, s->cmdr & 0x3f, s->carg)) {
		if (s->cmdr & C_RESP)
			s->rintr |= I_RESP_TO;
		else
			s->rintr |= I_CMD_DONE;
		return;
	}
	if ((s->cmdr & C_LONG) == 0)
		s->resp[1] = s->resp[2] = s->resp[3] = 0;
	s->rintr |= I_CMD_DONE;
}

static uint64_t sdh_read(void *ctx, size_t off, unsigned size)
{
	struct sdh *s = ctx;

	(void)size;
	switch (off) {
	case GCTRL: return s->gctrl;
	case CLKCR: return s->clkcr;
	case TMOUT: return s->tmout;
	case WIDTH: return s->width;
	case BLKSZ: return s->blksz;
	case BCNTR: return s->bcntr;
	case CMDR: return s->cmdr;
	case CARG: return s->carg;
	case RESP0: case RESP0 + 4: case RESP0 + 8: case RESP0 + 12:
		return s->resp[(off - RESP0) / 4];
	case IMASK: return s->imask;
	case MISTA: return s->rintr & s->imask;
	case RINTR: return s->rintr;
	case STAS: return s->present ? 1u << 8 : 0;
	case FTRGL: return s->ftrgl;
	case DMAC: return s->dmac;
	case DLBA: return s->dlba;
	case IDST: return s->idst;
	case IDIE: return s->idie;
	default: return 0;
	}
}

static void sdh_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct sdh *s = ctx;
	uint32_t v32 = (uint32_t)v;

	(void)size;
	switch (off) {
	case GCTRL:
		if (v32 & 0x5u)		/* soft or DMA reset: the engine stops */
			halt(s);
		s->gctrl = v32 & ~G_RESETS;	/* the resets complete at once */
		break;
	case CLKCR: s->clkcr = v32; break;
	case TMOUT: s->tmout = v32; break;
	case WIDTH: s->width = v32; break;
	case BLKSZ: s->blksz = v32; break;
	case BCNTR: s->bcntr = v32; break;
	case CARG: s->carg = v32; break;
	case CMDR:
		s->cmdr = v32;
		if (v32 & C_START)
			command(s);
		break;
	case IMASK: s->imask = v32; break;
	case RINTR: case MISTA: s->rintr &= ~v32; break;
	case FTRGL: s->ftrgl = v32; break;
	case DMAC:
		if ((v32 & D_SOFT_RESET) || !(v32 & D_IDMA_ON))
			halt(s);
		s->dmac = v32 & ~D_SOFT_RESET;
		break;
	case DLBA: s->dlba = v32; break;
	case IDST: s->idst &= ~(v32 & 0x3ffu); break;
	case IDIE: s->idie = v32; break;
	default: break;
	}
}

static void sdh_step(void *ctx)
{
	dma_step(ctx);
}

/* The models placed (a few per run), for the sim_sdh_* calls by register base. */
static struct sdh *models[4];

static struct sdh *find(void *regs)
{
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (models[i] && models[i]->regs == regs)
			return models[i];
	return NULL;
}

static void sdh_destroy(void *ctx)
{
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (models[i] == ctx)
			models[i] = NULL;
	free(ctx);
}

static const struct sim_mmio_ops sdh_ops = {
	.read = sdh_read,
	.write = sdh_write,
	.step = sdh_step,
	.destroy = sdh_destroy,
};

void *sim_sdh_create(const struct coh_device *dev, uint8_t *image, uint32_t blocks,
		     int high_capacity)
{
	struct sdh *s;
	void *regs = NULL;

	if (!dev || !image || !blocks || (high_capacity ? blocks % 1024 : blocks % 4))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->dev = dev;
	s->image = image;
	s->blocks = blocks;
	s->hc = high_capacity;
	s->present = 1;
	s->tmout = 0xffffff40u;
	s->blksz = s->bcntr = 512;
	make_regs(s);
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (!models[i]) {
			regs = s->regs = sim_mmio_map(SIM_SDH_REGS_SIZE, &sdh_ops, s);
			if (regs)
				models[i] = s;
			break;
		}
	if (!regs)
		free(s);
	return regs;
}

void sim_sdh_evil(void *regs, unsigned int evil)
{
	struct sdh *s = find(regs);

	if (s)
		s->evil = evil;
}

void sim_sdh_card_present(void *regs, int present)
{
	struct sdh *s = find(regs);

	if (s)
		s->present = present;
}

unsigned long sim_sdh_done(void *regs)
{
	struct sdh *s = find(regs);

	return s ? s->done : 0;
}

unsigned long sim_sdh_evil_done(void *regs)
{
	struct sdh *s = find(regs);

	return s ? s->evil_done : 0;
}
