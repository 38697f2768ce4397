/* SPDX-License-Identifier: MIT */
/*
 * sim/nvme.c - the NVMe controller model (see sim_nvme.h).  Registers,
 * queue entries, PRPs and commands as the NVM Express Base Specification
 * 1.4 (3.1, 4.2, 4.3, 4.6, 5, 6).
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_nvme.h"

enum {
	R_CAP = 0x00, R_CAP_HI = 0x04, R_VS = 0x08, R_CC = 0x14, R_CSTS = 0x1c,
	R_AQA = 0x24, R_ASQ = 0x28, R_ASQ_HI = 0x2c, R_ACQ = 0x30, R_ACQ_HI = 0x34,
	R_DBS = 0x1000,
};

#define MQES 63u
#define CAP_VALUE ((uint64_t)MQES | 1ull << 16 /* CQR */ | 1ull << 24 /* TO */ | \
		   1ull << 37 /* CSS NVM */)
#define MDTS 5u
#define PAGE 4096u
#define NQ 2		/* admin and one I/O pair */
#define MAXPEND 64

#define CC_EN 1u
#define CSTS_RDY 1u
#define CSTS_CFS 2u
#define CSTS_SHST_DONE (2u << 2)

struct sq {
	uint64_t base;
	uint32_t size, head, tail;	/* size 0: not created */
	uint16_t cqid;
};

struct cq {
	uint64_t base;
	uint32_t size, head, tail;
	uint8_t phase;
};

struct pend {
	uint8_t sqe[64];
	uint16_t qid;
	uint64_t pages[258];	/* the data's pages, read at fetch */
	uint32_t npages;
	int bad;		/* malformed: answered with an error status */
};

struct nvme_model {
	const struct coh_device *dev;
	void *regs;
	uint8_t *disk;
	uint64_t sectors;
	uint32_t cc, csts, aqa;
	uint64_t asq, acq;
	struct sq sq[NQ];
	struct cq cq[NQ];
	struct pend pend[MAXPEND];
	unsigned npend;
	uint64_t rng;
	int evil;
	unsigned evil_at;
	int stopped;		/* fatal: no more work */
	int reuse;		/* freed CQ slots rewritten at once */
	struct sim_nvme_stats st;
};

#define MAXMODELS 4
static struct nvme_model *models[MAXMODELS];

static struct nvme_model *find(void *regs)
{
	for (int i = 0; i < MAXMODELS; i++)
		if (models[i] && models[i]->regs == regs)
			return models[i];
	return NULL;
}

static uint32_t rnd(struct nvme_model *m)
{
	m->rng = m->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(m->rng >> 33);
}

static int rd(struct nvme_model *m, uint64_t a, void *p, size_t n)
{
	return sim_dev_read(m->dev, a, p, n);
}

static int wr(struct nvme_model *m, uint64_t a, const void *p, size_t n)
{
	return sim_dev_write(m->dev, a, p, n);
}

static void reset(struct nvme_model *m)
{
	memset(m->sq, 0, sizeof(m->sq));
	memset(m->cq, 0, sizeof(m->cq));
	m->npend = 0;
	m->csts = 0;
	m->stopped = 0;
}

static void enable(struct nvme_model *m)
{
	uint32_t asqs = (m->aqa & 0xfff) + 1, acqs = ((m->aqa >> 16) & 0xfff) + 1;

	if (m->asq % PAGE || m->acq % PAGE || asqs < 2 || acqs < 2 ||
	    ((m->cc >> 7) & 0xf) != 0 || ((m->cc >> 16) & 0xf) != 6 || ((m->cc >> 20) & 0xf) != 4) {
		m->st.malformed++;
		m->csts |= CSTS_CFS;
		return;
	}
	m->sq[0] = (struct sq){ .base = m->asq, .size = asqs, .cqid = 0 };
	m->cq[0] = (struct cq){ .base = m->acq, .size = acqs, .phase = 1 };
	m->csts = CSTS_RDY;
}

static uint64_t nvme_read(void *ctx, size_t off, unsigned size)
{
	struct nvme_model *m = ctx;
	uint64_t v = 0;

	switch (off) {
	case R_CAP: v = size == 8 ? CAP_VALUE : (uint32_t)CAP_VALUE; break;
	case R_CAP_HI: v = CAP_VALUE >> 32; break;
	case R_VS: v = 0x10400; break;
	case R_CC: v = m->cc; break;
	case R_CSTS: v = m->csts; break;
	case R_AQA: v = m->aqa; break;
	case R_ASQ: v = (uint32_t)m->asq; break;
	case R_ASQ_HI: v = m->asq >> 32; break;
	case R_ACQ: v = (uint32_t)m->acq; break;
	case R_ACQ_HI: v = m->acq >> 32; break;
	default: break;
	}
	return v;
}

static void fetch(struct nvme_model *m, unsigned q);

/* The slots a head doorbell gives back: a lap-old entry in each. */
static void recycle(struct nvme_model *m, struct cq *c, uint32_t from, uint32_t to)
{
	for (uint32_t s = from; s != to; s = (s + 1) % c->size) {
		/* the phase these slots held this lap: not new to the next lap's poll */
		uint8_t old = s < c->tail ? c->phase : (uint8_t)!c->phase;
		uint32_t e[4] = { 0xdeadbeefu, 0, 0xffffffffu, 0xffffu | (uint32_t)old << 16 };

		(void)wr(m, c->base + 16ull * s, e, 16);
	}
}

static void doorbell(struct nvme_model *m, size_t off, uint32_t v)
{
	size_t i = (off - R_DBS) / 4;
	unsigned q = (unsigned)(i / 2);

	if (q >= NQ || (off - R_DBS) % 4)
		return;
	if (i % 2 == 0) {
		struct sq *s = &m->sq[q];

		if (!s->size || v >= s->size) {
			m->st.bad_doorbells++;
			return;
		}
		s->tail = v;
		sim_dev_doorbell(m->dev);
		/* a controller may fetch the moment the tail moves */
		if ((m->csts & CSTS_RDY) && !m->stopped)
			fetch(m, q);
	} else {
		struct cq *c = &m->cq[q];
		uint32_t posted, freed;

		if (!c->size || v >= c->size) {
			m->st.bad_doorbells++;
			return;
		}
		/* the new head may not pass the entries posted */
		posted = (c->tail + c->size - c->head) % c->size;
		freed = (v + c->size - c->head) % c->size;
		if (freed > posted) {
			m->st.bad_doorbells++;
			return;
		}
		if (m->reuse)
			recycle(m, c, c->head, v);
		c->head = v;
	}
}

static void nvme_write(void *ctx, size_t off, uint64_t val, unsigned size)
{
	struct nvme_model *m = ctx;
	uint32_t x = (uint32_t)val;

	if (off >= R_DBS) {
		doorbell(m, off, x);
		return;
	}
	switch (off) {
	case R_CC:
		if ((x & CC_EN) && !(m->cc & CC_EN)) {
			m->cc = x;
			enable(m);
		} else if (!(x & CC_EN) && (m->cc & CC_EN)) {
			m->cc = x;
			reset(m);
			m->st.resets++;
		} else {
			m->cc = x;
		}
		if (((x >> 14) & 3) == 1 && (m->cc & CC_EN)) {
			m->csts |= CSTS_SHST_DONE;
			m->st.shutdowns++;
		}
		break;
	case R_AQA: m->aqa = x; break;
	case R_ASQ: case R_ASQ_HI:
		if (size == 8)
			m->asq = val;
		else
			sim_reg_half(&m->asq, off == R_ASQ_HI, x);
		break;
	case R_ACQ: case R_ACQ_HI:
		if (size == 8)
			m->acq = val;
		else
			sim_reg_half(&m->acq, off == R_ACQ_HI, x);
		break;
	default: break;
	}
}

static uint32_t dw(const uint8_t *sqe, int i)
{
	uint32_t v;

	memcpy(&v, sqe + 4 * i, 4);
	return v;
}

static uint64_t qw(const uint8_t *sqe, int i)
{
	uint64_t v;

	memcpy(&v, sqe + 4 * i, 8);
	return v;
}

/* The pages of a transfer of len bytes (PRP1, PRP2 or a list, chained at
 * a page's last entry).  -1: malformed. */
static int walk_prps(struct nvme_model *m, struct pend *p, uint64_t prp1, uint64_t prp2,
		     uint64_t len)
{
	uint64_t first = PAGE - (prp1 % PAGE), left;
	uint64_t list = prp2;

	if (prp1 % 4 || len == 0)
		return -1;
	p->pages[0] = prp1;
	p->npages = 1;
	if (len <= first)
		return 0;
	left = len - first;
	if (left <= PAGE) {
		if (prp2 % PAGE)
			return -1;
		p->pages[p->npages++] = prp2;
		return 0;
	}
	if (list % 8)
		return -1;
	while (left) {
		uint64_t e;
		int last_in_page = (list % PAGE) == PAGE - 8;

		if (rd(m, list, &e, 8))
			return -1;
		if (last_in_page && left > PAGE) {	/* a pointer to the next list page */
			if (e % 8)
				return -1;
			list = e;
			continue;
		}
		if (e % PAGE || p->npages >= sizeof(p->pages) / sizeof(p->pages[0]))
			return -1;
		p->pages[p->npages++] = e;
		left = left > PAGE ? left - PAGE : 0;
		list += 8;
	}
	return 0;
}

/* Bytes [0, len) of a command's data <-> disk at byte offset at. */
static int move(struct nvme_model *m, struct pend *p, uint64_t at, uint64_t len, int to_host)
{
	uint64_t done = 0;

	for (uint32_t i = 0; i < p->npages && done < len; i++) {
		uint64_t a = p->pages[i];
		uint64_t n = PAGE - (a % PAGE);

		if (n > len - done)
			n = len - done;
		if (to_host ? wr(m, a, m->disk + at + done, n) : rd(m, a, m->disk + at + done, n))
			return -1;
		done += n;
	}
	return done == len ? 0 : -1;
}

static void fetch(struct nvme_model *m, unsigned q)
{
	struct sq *s = &m->sq[q];
	struct cq *c = &m->cq[s->cqid];
	struct pend *p;
	uint32_t used;
	uint8_t opc;

	if (!s->size || s->head == s->tail || m->npend == MAXPEND || !c->size)
		return;
	/* room in the CQ for everything fetched for it */
	used = (c->tail + c->size - c->head) % c->size;
	for (unsigned i = 0; i < m->npend; i++)
		used += m->sq[m->pend[i].qid].cqid == s->cqid;
	if (used + 1 >= c->size)
		return;
	p = &m->pend[m->npend];
	memset(p, 0, sizeof(*p));
	if (rd(m, s->base + 64ull * s->head, p->sqe, 64))
		return;
	s->head = (s->head + 1) % s->size;
	p->qid = (uint16_t)q;
	opc = p->sqe[0];
	if (q != 0 && (opc == 0x01 || opc == 0x02)) {
		uint64_t slba = qw(p->sqe, 10);
		uint32_t nlb = (dw(p->sqe, 12) & 0xffff) + 1;

		if (nlb > (PAGE << MDTS) / 512 || slba > m->sectors || nlb > m->sectors - slba ||
		    walk_prps(m, p, qw(p->sqe, 6), qw(p->sqe, 8), (uint64_t)nlb * 512))
			p->bad = 1;
	} else if (q == 0 && opc == 0x06) {
		if (walk_prps(m, p, qw(p->sqe, 6), qw(p->sqe, 8), PAGE))
			p->bad = 1;
	}
	if (p->bad)
		m->st.malformed++;
	m->npend++;
}

static void identify(struct nvme_model *m, struct pend *p, uint16_t *sc)
{
	uint8_t id[PAGE];
	uint32_t cns = dw(p->sqe, 10) & 0xff, nsid = dw(p->sqe, 1);

	memset(id, 0, sizeof(id));
	if (cns == 1) {
		uint32_t nn = 1;

		memcpy(id + 4, "SIM0000000000001    ", 20);
		memcpy(id + 24, "coherent simulated NVMe                 ", 40);
		id[77] = MDTS;
		id[512] = 0x66;
		id[513] = 0x44;
		memcpy(id + 516, &nn, 4);
		id[525] = 1;
	} else if (cns == 0 && nsid == 1) {
		uint32_t lbaf = 9u << 16;

		memcpy(id, &m->sectors, 8);
		memcpy(id + 8, &m->sectors, 8);
		memcpy(id + 128, &lbaf, 4);
	} else {
		*sc = 0x0b;	/* invalid namespace */
		return;
	}
	if (wr(m, p->pages[0], id, PAGE))
		*sc = 0x04;
}

static void admin(struct nvme_model *m, struct pend *p, uint16_t *sc, uint32_t *dw0)
{
	uint32_t c10 = dw(p->sqe, 10), c11 = dw(p->sqe, 11);
	uint16_t qid = (uint16_t)c10;
	uint32_t qsize = (c10 >> 16) + 1;
	uint64_t prp1 = qw(p->sqe, 6);

	switch (p->sqe[0]) {
	case 0x06:
		identify(m, p, sc);
		break;
	case 0x09:
		if ((c10 & 0xff) == 0x07)
			*dw0 = 0;	/* one SQ, one CQ */
		else
			*sc = 0x02;
		break;
	case 0x05:	/* create I/O CQ */
		if (qid != 1 || m->cq[1].size || qsize < 2 || qsize > MQES + 1 || prp1 % PAGE ||
		    !(c11 & 1))
			*sc = 0x02;
		else
			m->cq[1] = (struct cq){ .base = prp1, .size = qsize, .phase = 1 };
		break;
	case 0x01:	/* create I/O SQ */
		if (qid != 1 || m->sq[1].size || qsize < 2 || qsize > MQES + 1 || prp1 % PAGE ||
		    !(c11 & 1) || (c11 >> 16) != 1 || !m->cq[1].size)
			*sc = 0x02;
		else
			m->sq[1] = (struct sq){ .base = prp1, .size = qsize, .cqid = 1 };
		break;
	case 0x00:	/* delete I/O SQ */
		if (qid != 1 || !m->sq[1].size)
			*sc = 0x02;
		else
			m->sq[1] = (struct sq){ 0 };
		break;
	case 0x04:	/* delete I/O CQ */
		if (qid != 1 || !m->cq[1].size || m->sq[1].size)
			*sc = 0x02;
		else
			m->cq[1] = (struct cq){ 0 };
		break;
	default:
		*sc = 0x01;
		break;
	}
}

static int evil_now(struct nvme_model *m, int e)
{
	return m->evil == e && m->evil_at == 0;
}

static void complete(struct nvme_model *m, unsigned k)
{
	struct pend p = m->pend[k];
	struct sq *s = &m->sq[p.qid];
	struct cq *c = &m->cq[s->cqid];
	uint16_t sc = 0, sct = 0, cid = (uint16_t)(dw(p.sqe, 0) >> 16);
	uint32_t e[4] = { 0 }, sqhd = s->head, sqid = p.qid;
	int fire = m->evil != SIM_NVME_HONEST && m->evil_at == 0;

	m->pend[k] = m->pend[--m->npend];
	if (p.bad) {
		sc = 0x02;
	} else if (p.qid == 0) {
		admin(m, &p, &sc, &e[0]);
	} else {
		uint64_t at = qw(p.sqe, 10) * 512;
		uint32_t nlb = (dw(p.sqe, 12) & 0xffff) + 1;

		switch (p.sqe[0]) {
		case 0x00: break;
		case 0x01: if (move(m, &p, at, (uint64_t)nlb * 512, 0)) sc = 0x04; break;
		case 0x02: if (move(m, &p, at, (uint64_t)nlb * 512, 1)) sc = 0x04; break;
		default: sc = 0x01; break;
		}
	}
	if (fire && m->evil == SIM_NVME_SILENT) {
		m->evil = SIM_NVME_HONEST;
		return;
	}
	if (fire && m->evil == SIM_NVME_FATAL) {
		m->evil = SIM_NVME_HONEST;
		m->csts |= CSTS_CFS;
		m->stopped = 1;
		return;
	}
	if (evil_now(m, SIM_NVME_BAD_CID))
		cid = 0xfff0;
	if (evil_now(m, SIM_NVME_BAD_SQID))
		sqid = 7;
	if (evil_now(m, SIM_NVME_BAD_SQHD))
		sqhd = s->size + 5;
	if (evil_now(m, SIM_NVME_BAD_STATUS)) {
		sct = 7;
		sc = 0xff;
	}
	e[2] = sqhd | sqid << 16;
	e[3] = cid | (uint32_t)(evil_now(m, SIM_NVME_PHASE_FLIP) ? !c->phase : c->phase) << 16 |
	       (uint32_t)(sc | sct << 8) << 17;
	/* the entry, then the dword with the phase tag that publishes it */
	(void)wr(m, c->base + 16ull * c->tail, e, 12);
	(void)wr(m, c->base + 16ull * c->tail + 12, &e[3], 4);
	if (++c->tail == c->size) {
		c->tail = 0;
		c->phase ^= 1;
	}
	m->st.commands++;
	if (fire)
		m->evil = SIM_NVME_HONEST;
	else if (m->evil != SIM_NVME_HONEST && m->evil_at)
		m->evil_at--;
}

static void nvme_step(void *ctx)
{
	struct nvme_model *m = ctx;

	if (!(m->csts & CSTS_RDY) || m->stopped || (m->csts & CSTS_CFS))
		return;
	for (unsigned q = 0; q < NQ; q++)
		if (rnd(m) % 4)
			fetch(m, q);
	if (m->npend && rnd(m) % 3)
		complete(m, rnd(m) % m->npend);
}

static void nvme_destroy(void *ctx)
{
	for (int i = 0; i < MAXMODELS; i++)
		if (models[i] == ctx)
			models[i] = NULL;
	free(ctx);
}

static const struct sim_mmio_ops nvme_ops = {
	.read = nvme_read,
	.write = nvme_write,
	.step = nvme_step,
	.destroy = nvme_destroy,
};

void *sim_nvme_create(const struct coh_device *dev, uint8_t *disk, uint64_t sectors)
{
	struct nvme_model *m;
	int slot = -1;

	for (int i = 0; i < MAXMODELS && slot < 0; i++)
		if (!models[i])
			slot = i;
	if (!dev || !disk || !sectors || slot < 0)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->dev = dev;
	m->disk = disk;
	m->sectors = sectors;
	m->rng = sim_seed() * 2654435761u + 7;
	m->regs = sim_mmio_map(SIM_NVME_WINDOW, &nvme_ops, m);
	if (!m->regs) {
		free(m);
		return NULL;
	}
	models[slot] = m;
	return m->regs;
}

void sim_nvme_evil(void *regs, enum sim_nvme_evil e, unsigned at)
{
	struct nvme_model *m = find(regs);

	if (m) {
		m->evil = (int)e;
		m->evil_at = at;
	}
}

void sim_nvme_stats(void *regs, struct sim_nvme_stats *out)
{
	struct nvme_model *m = find(regs);

	if (m && out)
		*out = m->st;
}

void sim_nvme_reuse_slots(void *regs, int on)
{
	struct nvme_model *m = find(regs);

	if (m)
		m->reuse = on;
}

const char *sim_nvme_evil_name(int e)
{
	static const char *const n[] = { "HONEST", "BAD_CID", "BAD_SQID", "BAD_SQHD",
					 "PHASE_FLIP", "SILENT", "BAD_STATUS", "FATAL" };

	return e >= 0 && e < SIM_NVME_NEVALS ? n[e] : "?";
}
