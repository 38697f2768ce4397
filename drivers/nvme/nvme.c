/* SPDX-License-Identifier: MIT */
/*
 * drivers/nvme/nvme.c - the NVMe driver (nvme.h).  Facts: NVM Express Base
 * Specification 1.4: 3.1 registers, 3.5.1 initialisation, 4.2 SQE, 4.3
 * PRPs, 4.6 CQE and the phase tag, 5.3/5.4 queue creation and deletion,
 * 5.15 Identify, 7.6.2 shutdown.
 */
#include "nvme.h"

#include "coherent/driver.h"

#define DEFAULT_BUDGET 1000000u
#define CSTS_EVERY 256u		/* empty polls between two CSTS.CFS checks */

static uint32_t rd32(const struct nvme *n, unsigned int off)
{
	return coh_mmio_read32_le(n->regs + off);
}

static void wr32(const struct nvme *n, unsigned int off, uint32_t v)
{
	coh_mmio_write32_le(n->regs + off, v);
}

/* 64-bit registers as two 32-bit accesses, low half first */
static uint64_t rd64(const struct nvme *n, unsigned int off)
{
	uint64_t lo = rd32(n, off);

	return lo | (uint64_t)rd32(n, off + 4) << 32;
}

static void wr64(const struct nvme *n, unsigned int off, uint64_t v)
{
	wr32(n, off, coh_lo32(v));
	wr32(n, off + 4, coh_hi32(v));
}

static volatile void *doorbell(const struct nvme *n, unsigned int qid, unsigned int cq)
{
	return n->regs + NVME_REG_DBS + ((2u * qid + cq) << (2 + n->dstrd));
}

/* Wait until (CSTS & mask) == want; fatal status ends the wait unless
 * fatal_ok (disabling a failed controller). */
static int wait_csts(struct nvme *n, uint32_t mask, uint32_t want, bool fatal_ok)
{
	for (uint32_t i = 0; i < n->poll_budget; i++) {
		uint32_t st = rd32(n, NVME_REG_CSTS);

		if (st == 0xffffffffu)	/* the function went away */
			return -COH_EIO;
		if ((st & mask) == want)
			return 0;
		if ((st & NVME_CSTS_CFS) && !fatal_ok) {
			n->cnt.fatal++;
			return -COH_EIO;
		}
		if (n->relax)
			n->relax(n->relax_ctx);
	}
	return -COH_ETIMEDOUT;
}

/* CC.EN cleared and CSTS.RDY seen clear: the controller masters nothing. */
static int disable(struct nvme *n)
{
	uint32_t cc = rd32(n, NVME_REG_CC);

	if (!(cc & NVME_CC_EN) && !(rd32(n, NVME_REG_CSTS) & NVME_CSTS_RDY))
		return 0;
	wr32(n, NVME_REG_CC, cc & ~NVME_CC_EN);
	return wait_csts(n, NVME_CSTS_RDY, 0, true);
}

int nvme_status_rc(uint16_t st)
{
	unsigned int sc = NVME_SC(st), sct = NVME_SCT(st);

	if (sc == 0 && sct == 0)
		return 0;
	if (sct == NVME_SCT_GENERIC) {
		switch (sc) {
		case NVME_SC_INVALID_OPCODE:
			return -COH_ENOTSUP;
		case NVME_SC_INVALID_FIELD:
		case NVME_SC_INVALID_NS:
			return -COH_EINVAL;
		case NVME_SC_LBA_RANGE:
		case NVME_SC_CAP_EXCEEDED:
			return -COH_ERANGE;
		default:
			return -COH_EIO;
		}
	}
	return -COH_EIO;
}

/* ---- queues ---------------------------------------------------------------- */

static int q_alloc(struct nvme *n, struct nvme_q *q, uint16_t qid, uint16_t depth)
{
	struct coh_queue_layout l = {
		.count = depth, .entry_size = sizeof(struct nvme_sqe),
		.entries_off = 0, .idx_off = COH_QUEUE_IDX_NONE, .idx_size = 2,
		.idx_wrap = depth,
	};
	int rc;

	*q = (struct nvme_q){ .qid = qid, .depth = depth,
			      .sq_db = doorbell(n, qid, 0), .cq_db = doorbell(n, qid, 1) };
	rc = coh_queue_create(&q->sq, n->dev, &l, COH_QUEUE_CPU_PRODUCES, n->attrs);
	if (rc)
		return rc;
	rc = coh_alloc_shared(&q->cq, n->dev, depth, n->attrs);
	if (rc) {
		(void)coh_queue_destroy(&q->sq);
		return rc;
	}
	/* the Phase Tag: DW3 bit 16, set in lap 0's new entries (zeroed memory) */
	rc = coh_cq_attach(&q->cqp, &q->cq, .dw3, coh_cpu_to_le32(1u << 16), COH_CQ_TAG1);
	if (!rc)
		rc = coh_batch_init(&q->b, n->dev);
	if (rc) {
		(void)coh_cq_detach(&q->cqp);
		(void)coh_queue_destroy(&q->sq);
		coh_free(&q->cq);
	}
	return rc;
}

static void q_free(struct nvme_q *q)
{
	if (q->depth == 0)
		return;
	(void)coh_queue_destroy(&q->sq);
	(void)coh_cq_detach(&q->cqp);
	coh_free(&q->cq);
	q->depth = 0;
}

static void unmap_cmd(struct nvme *n, struct nvme_cmd *c)
{
	if (c->len)
		(void)coh_unmap_single(n->dev, c->bus, c->len, (enum coh_dir)c->dir);
	c->len = 0;
}

/* Every command in flight on q: unmapped, its slot free.  The device must
 * have stopped (disable()) first. */
static void q_reclaim(struct nvme *n, struct nvme_q *q)
{
	for (unsigned int i = 0; i < q->depth; i++) {
		if (!q->cmd[i].busy)
			continue;
		unmap_cmd(n, &q->cmd[i]);
		q->cmd[i].busy = false;
	}
	q->inflight = 0;
}

/* A protocol error, timeout or fatal status: stop the device, take
 * everything back, refuse work until nvme_recover(). */
static int die(struct nvme *n, int rc)
{
	(void)disable(n);
	q_reclaim(n, &n->aq);
	q_reclaim(n, &n->ioq);
	n->dead = true;
	return rc;
}

static int free_slot(const struct nvme_q *q)
{
	if (q->inflight + 1u >= q->depth)	/* an NVMe queue holds depth - 1 */
		return -COH_EAGAIN;
	for (unsigned int i = 0; i < q->depth; i++)
		if (!q->cmd[i].busy)
			return (int)i;
	return -COH_EAGAIN;
}

/* The SQE into the queue, published with the batch (maps, list) under one
 * barrier, then the tail doorbell (ordered after it). */
static int q_post(struct nvme *n, struct nvme_q *q, unsigned int cid,
		  const struct nvme_sqe *e)
{
	uint32_t tail;
	int rc = coh_queue_push(&q->sq, e);

	if (rc < 0)
		return rc;
	rc = coh_queue_publish_batch(&q->sq, NULL, &q->b, &tail);
	if (rc)
		return rc;
	q->cmd[cid].busy = true;
	q->inflight++;
	n->cnt.submitted++;
	coh_mmio_write32_le(q->sq_db, tail);
	return 0;
}

/*
 * One completion from q: 1 and *out, 0 none yet, or a protocol error.  The
 * library polls the phase tag and orders it before the entry; the driver
 * decodes only its snapshot.  The head doorbell is written once the last
 * entry a poll found is taken.
 */
static int q_reap(struct nvme *n, struct nvme_q *q, struct nvme_cqe *out, unsigned int *cid)
{
	struct nvme_cqe e;
	uint32_t dw2, dw3;
	unsigned int id;
	int rc;

	if (!coh_cq_ready(&q->cqp)) {
		rc = coh_cq_poll(&q->cqp, NULL);
		if (rc <= 0)
			return rc;
	}
	rc = coh_cq_pop(&q->cqp, &q->cq, &e);
	if (rc < 0)
		return rc;
	dw3 = coh_le32_to_cpu(e.dw3);
	dw2 = coh_le32_to_cpu(e.dw2);
	id = NVME_CQE_CID(dw3);
	if (id >= q->depth || !q->cmd[id].busy) {
		n->cnt.bad_cid++;
		return -COH_EPROTO;
	}
	if (NVME_CQE_SQID(dw2) != q->qid) {
		n->cnt.bad_sqid++;
		return -COH_EPROTO;
	}
	if (coh_queue_consumed(&q->sq, NVME_CQE_SQHD(dw2))) {
		n->cnt.bad_sqhd++;
		return -COH_EPROTO;
	}
	/* the entries are copied out: their slots may be the device's again */
	if (!coh_cq_ready(&q->cqp))
		coh_mmio_write32_le(q->cq_db, coh_cq_head(&q->cqp));
	out->dw0 = coh_le32_to_cpu(e.dw0);
	out->dw2 = dw2;
	out->dw3 = dw3;
	*cid = id;
	return 1;
}

/* ---- admin commands ---------------------------------------------------------- */

static int admin(struct nvme *n, struct nvme_sqe *e, uint32_t *result)
{
	struct nvme_q *q = &n->aq;
	struct nvme_cqe c;
	unsigned int cid;
	int slot = free_slot(q), rc;

	if (slot < 0)
		return slot;
	e->cdw0 = coh_cpu_to_le32(coh_le32_to_cpu(e->cdw0) | (uint32_t)slot << 16);
	rc = coh_batch_init(&q->b, n->dev);
	if (!rc)
		rc = q_post(n, q, (unsigned int)slot, e);
	if (rc)
		return die(n, rc);
	for (uint32_t i = 0; i < n->poll_budget; i++) {
		rc = q_reap(n, q, &c, &cid);
		if (rc < 0)
			return die(n, rc);
		if (rc == 1) {
			uint16_t st = NVME_CQE_STATUS(c.dw3);

			q->cmd[cid].busy = false;
			q->inflight--;
			n->cnt.completed++;
			if (result)
				*result = c.dw0;
			if (st) {
				n->cnt.errors++;
				return nvme_status_rc(st);
			}
			return 0;
		}
		if (i % CSTS_EVERY == CSTS_EVERY - 1 && (rd32(n, NVME_REG_CSTS) & NVME_CSTS_CFS)) {
			n->cnt.fatal++;
			return die(n, -COH_EIO);
		}
		if (n->relax)
			n->relax(n->relax_ctx);
	}
	n->cnt.timeouts++;
	return die(n, -COH_ETIMEDOUT);
}

static struct nvme_sqe sqe(uint8_t opc, uint32_t nsid)
{
	return (struct nvme_sqe){ .cdw0 = coh_cpu_to_le32(opc), .nsid = coh_cpu_to_le32(nsid) };
}

static int identify(struct nvme *n, uint32_t cns, uint32_t nsid)
{
	struct nvme_sqe e = sqe(NVME_ADM_IDENTIFY, nsid);

	e.prp1 = coh_cpu_to_le64(coh_bus(&n->id));
	e.cdw10 = coh_cpu_to_le32(cns);
	return admin(n, &e, NULL);
}

static int id_get(struct nvme *n, size_t off, void *dst, size_t len)
{
	return coh_get(&n->id, off, len, dst);
}

static void id_str(struct nvme *n, size_t off, char *dst, size_t len)
{
	size_t k = len;

	if (id_get(n, off, dst, len))
		k = 0;
	while (k && (dst[k - 1] == ' ' || dst[k - 1] == 0))
		k--;
	for (size_t i = 0; i < k; i++)
		if (dst[i] < 0x20 || dst[i] > 0x7e)	/* device text: printable only */
			dst[i] = '?';
	dst[k] = 0;
}

static int identify_all(struct nvme *n)
{
	uint8_t mdts, sqes, cqes, vwc, flbas;
	uint32_t nn, lbaf;
	uint64_t nsze;
	int rc = identify(n, NVME_CNS_CTRL, 0);

	if (!rc)
		rc = id_get(n, NVME_IDC_MDTS, &mdts, 1);
	if (!rc)
		rc = id_get(n, NVME_IDC_SQES, &sqes, 1);
	if (!rc)
		rc = id_get(n, NVME_IDC_CQES, &cqes, 1);
	if (!rc)
		rc = id_get(n, NVME_IDC_VWC, &vwc, 1);
	if (!rc)
		rc = id_get(n, NVME_IDC_NN, &nn, 4);
	if (rc)
		return rc;
	id_str(n, NVME_IDC_SN, n->sn, 20);
	id_str(n, NVME_IDC_MN, n->mn, 40);
	/* 64-byte SQEs and 16-byte CQEs within what the controller allows */
	if ((sqes & 0xf) > 6 || (sqes >> 4) < 6 || (cqes & 0xf) > 4 || (cqes >> 4) < 4)
		return -COH_ENOTSUP;
	n->max_xfer = NVME_MAX_XFER;
	if (mdts && mdts < 20 && (NVME_PAGE << mdts) < n->max_xfer)
		n->max_xfer = NVME_PAGE << mdts;
	n->vwc = vwc & 1u;
	if (coh_le32_to_cpu(nn) < 1)
		return -COH_ENOTSUP;
	n->nsid = 1;
	rc = identify(n, NVME_CNS_NS, n->nsid);
	if (!rc)
		rc = id_get(n, NVME_IDN_NSZE, &nsze, 8);
	if (!rc)
		rc = id_get(n, NVME_IDN_FLBAS, &flbas, 1);
	if (!rc)
		rc = id_get(n, NVME_IDN_LBAF + 4u * (flbas & 0xfu), &lbaf, 4);
	if (rc)
		return rc;
	n->nsze = coh_le64_to_cpu(nsze);
	n->lba_shift = (coh_le32_to_cpu(lbaf) >> 16) & 0xffu;
	if (n->lba_shift < 9 || n->lba_shift > 12 || n->nsze == 0 ||
	    n->nsze > (UINT64_MAX >> n->lba_shift))
		return -COH_ENOTSUP;
	return 0;
}

static int create_io(struct nvme *n)
{
	struct nvme_sqe e = sqe(NVME_ADM_SET_FEATURES, 0);
	uint32_t res = 0, qs = (uint32_t)(n->ioq.depth - 1u) << 16 | n->ioq.qid;
	int rc;

	e.cdw10 = coh_cpu_to_le32(NVME_FEAT_NUM_QUEUES);
	e.cdw11 = coh_cpu_to_le32(0);	/* one SQ, one CQ (0's based) */
	rc = admin(n, &e, &res);
	if (rc)
		return rc;
	e = sqe(NVME_ADM_CREATE_CQ, 0);
	e.prp1 = coh_cpu_to_le64(coh_bus(&n->ioq.cq));
	e.cdw10 = coh_cpu_to_le32(qs);
	e.cdw11 = coh_cpu_to_le32(NVME_QUEUE_PC);	/* polled: no interrupt */
	rc = admin(n, &e, NULL);
	if (rc)
		return rc;
	e = sqe(NVME_ADM_CREATE_SQ, 0);
	e.prp1 = coh_cpu_to_le64(coh_queue_entries_bus(&n->ioq.sq));
	e.cdw10 = coh_cpu_to_le32(qs);
	e.cdw11 = coh_cpu_to_le32((uint32_t)n->ioq.qid << 16 | NVME_QUEUE_PC);
	return admin(n, &e, NULL);
}

static void free_all(struct nvme *n)
{
	q_free(&n->aq);
	q_free(&n->ioq);
	if (coh_size(&n->prp))
		coh_free(&n->prp);
	if (coh_size(&n->id))
		coh_free(&n->id);
}

/* Everything the device reads or writes, page-aligned (queue bases, list
 * pages): the device's min_align raised while allocating, as allocation
 * takes the larger of it and the type's. */
static int alloc_all(struct nvme *n)
{
	size_t keep = n->dev->min_align;
	int rc;

	n->dev->min_align = NVME_PAGE;
	rc = q_alloc(n, &n->aq, 0, NVME_ADMIN_QD);
	if (!rc)
		rc = q_alloc(n, &n->ioq, 1, (uint16_t)n->io_depth);
	if (!rc)
		rc = coh_alloc_shared(&n->prp, n->dev, (size_t)n->io_depth * NVME_PRP_ENTRIES,
				      n->attrs);
	if (!rc)
		rc = coh_alloc_shared(&n->id, n->dev, NVME_PAGE, 0);
	/* PRP1 must be dword-aligned: the stream bounces anything else */
	n->dev->min_align = keep < 4 ? 4 : keep;
	if (rc)
		free_all(n);
	return rc;
}

static int bring_up(struct nvme *n)
{
	uint32_t cc;
	int rc;

	n->cap = rd64(n, NVME_REG_CAP);
	n->vs = rd32(n, NVME_REG_VS);
	if (n->cap == UINT64_MAX || !NVME_CAP_CSS_NVM(n->cap) || NVME_CAP_MPSMIN(n->cap) != 0)
		return -COH_ENOTSUP;
	n->dstrd = NVME_CAP_DSTRD(n->cap);
	if (n->io_depth > NVME_CAP_MQES(n->cap) + 1u)
		n->io_depth = NVME_CAP_MQES(n->cap) + 1u;
	rc = disable(n);
	if (!rc)
		rc = alloc_all(n);
	if (rc)
		return rc;
	wr32(n, NVME_REG_AQA, (NVME_ADMIN_QD - 1u) << 16 | (NVME_ADMIN_QD - 1u));
	wr64(n, NVME_REG_ASQ, coh_queue_entries_bus(&n->aq.sq));
	wr64(n, NVME_REG_ACQ, coh_bus(&n->aq.cq));
	cc = NVME_CC_EN | NVME_CC_CSS_NVM | NVME_CC_MPS(0) | NVME_CC_AMS_RR |
	     NVME_CC_IOSQES(6) | NVME_CC_IOCQES(4);
	wr32(n, NVME_REG_CC, cc);
	rc = wait_csts(n, NVME_CSTS_RDY, NVME_CSTS_RDY, false);
	if (!rc)
		rc = identify_all(n);
	if (!rc)
		rc = create_io(n);
	if (rc) {
		(void)disable(n);
		q_reclaim(n, &n->aq);
		free_all(n);
	}
	return rc;
}

int nvme_init(struct nvme *n, void *regs, struct coh_device *dev,
	      unsigned int io_depth, unsigned int attrs, uint32_t budget,
	      void (*relax)(void *ctx), void *relax_ctx)
{
	if (!n || !regs || !dev || io_depth < 2 || io_depth > NVME_IO_QD_MAX ||
	    (attrs & ~COH_ATTR_UNCACHED))
		return -COH_EINVAL;
	*n = (struct nvme){ .regs = regs, .dev = dev, .attrs = attrs,
			    .io_depth = io_depth,
			    .poll_budget = budget ? budget : DEFAULT_BUDGET,
			    .relax = relax, .relax_ctx = relax_ctx };
	return bring_up(n);
}

int nvme_recover(struct nvme *n)
{
	struct nvme_counters keep;
	int rc;

	if (!n || !n->regs)
		return -COH_EINVAL;
	(void)die(n, 0);
	free_all(n);
	keep = n->cnt;
	rc = nvme_init(n, (void *)(uintptr_t)n->regs, n->dev, n->io_depth, n->attrs,
		       n->poll_budget, n->relax, n->relax_ctx);
	n->cnt = keep;
	n->cnt.resets++;
	n->dead = rc != 0;
	return rc;
}

/* ---- I/O ------------------------------------------------------------------------ */

/* The data's PRPs: one per memory page the mapping touches (the stream's
 * segment iterator cuts it at page boundaries); two fit PRP1 + PRP2, more
 * take the slot's list page. */
static int prps(struct nvme *n, struct nvme_q *q, unsigned int slot, coh_bus_t bus,
		size_t len, struct nvme_sqe *e, uint16_t *nlist)
{
	struct coh_seg_iter it;
	coh_bus_t piece;
	size_t plen, nent, done = 0;
	uint64_t chunk[32];
	int rc = coh_seg_iter_init_one(&it, bus, len, NVME_PAGE, 0, 0);

	*nlist = 0;
	if (rc)
		return rc;
	nent = coh_seg_iter_count(&it);
	if (nent == 0 || nent - 1 > NVME_PRP_ENTRIES || !coh_seg_next(&it, &piece, &plen))
		return -COH_EINVAL;
	e->prp1 = coh_cpu_to_le64(piece);
	if (nent == 1)
		return 0;
	if (nent == 2) {
		(void)coh_seg_next(&it, &piece, &plen);
		e->prp2 = coh_cpu_to_le64(piece);
		return 0;
	}
	nent--;
	while (done < nent) {
		size_t k = nent - done < 32 ? nent - done : 32;

		for (size_t i = 0; i < k; i++) {
			(void)coh_seg_next(&it, &piece, &plen);
			chunk[i] = coh_cpu_to_le64(piece);
		}
		/* written now, released under the SQE's barrier */
		rc = coh_put_batch(&q->b, &n->prp, (size_t)slot * NVME_PRP_ENTRIES + done,
				   k, chunk);
		if (rc)
			return rc;
		done += k;
	}
	e->prp2 = coh_cpu_to_le64(coh_bus(&n->prp) + (coh_bus_t)slot * NVME_PAGE);
	*nlist = (uint16_t)nent;
	return 0;
}

int nvme_submit(struct nvme *n, enum nvme_op op, uint64_t lba, void *buf,
		uint32_t nlb, void *tag)
{
	struct nvme_q *q;
	struct nvme_sqe e;
	struct nvme_cmd *c;
	enum coh_dir dir = op == NVME_OP_READ ? COH_FROM_DEVICE : COH_TO_DEVICE;
	size_t len;
	int slot, rc;

	if (!n || (op != NVME_OP_READ && op != NVME_OP_WRITE && op != NVME_OP_FLUSH))
		return -COH_EINVAL;
	if (n->dead || n->ioq.depth == 0)
		return -COH_EIO;
	q = &n->ioq;
	if (op == NVME_OP_FLUSH) {
		if (buf || nlb)
			return -COH_EINVAL;
		len = 0;
	} else {
		if (!buf || nlb == 0 || nlb > 65536u)
			return -COH_EINVAL;
		len = (size_t)nlb << n->lba_shift;
		if (len > n->max_xfer)
			return -COH_EINVAL;
		if (lba >= n->nsze || nlb > n->nsze - lba)
			return -COH_ERANGE;
	}
	slot = free_slot(q);
	if (slot < 0)
		return slot;
	c = &q->cmd[slot];
	e = sqe(op == NVME_OP_READ ? NVME_CMD_READ
		: op == NVME_OP_WRITE ? NVME_CMD_WRITE : NVME_CMD_FLUSH, n->nsid);
	e.cdw0 = coh_cpu_to_le32(coh_le32_to_cpu(e.cdw0) | (uint32_t)slot << 16);
	*c = (struct nvme_cmd){ .dir = (uint8_t)dir, .tag = tag };
	rc = coh_batch_init(&q->b, n->dev);
	if (rc)
		return rc;
	if (len) {
		/* cleaned (or flushed) now, completed by the SQE's barrier */
		coh_bus_t bus = coh_map_single_batch(&q->b, n->dev, buf, len, dir);

		if (coh_mapping_error(n->dev, bus))
			return -COH_ENOMEM;
		c->bus = bus;
		c->len = len;
		rc = (bus & 3u) ? -COH_EINVAL : prps(n, q, (unsigned int)slot, bus, len, &e, &c->nlist);
		if (rc) {
			unmap_cmd(n, c);
			return rc;
		}
		e.cdw10 = coh_cpu_to_le32(coh_lo32(lba));
		e.cdw11 = coh_cpu_to_le32(coh_hi32(lba));
		e.cdw12 = coh_cpu_to_le32(nlb - 1u);
	}
	rc = q_post(n, q, (unsigned int)slot, &e);
	if (rc) {
		unmap_cmd(n, c);
		return rc == -COH_EAGAIN ? rc : die(n, rc);
	}
	return slot;
}

int nvme_poll(struct nvme *n, struct nvme_done *d)
{
	struct nvme_cqe c;
	struct nvme_cmd *cmd;
	unsigned int cid;
	int rc;

	if (!n || !d)
		return -COH_EINVAL;
	if (n->dead || n->ioq.depth == 0)
		return -COH_EIO;
	rc = n->ioq.inflight ? q_reap(n, &n->ioq, &c, &cid) : 0;
	if (rc < 0)
		return die(n, rc);
	if (rc == 0)
		return 0;
	cmd = &n->ioq.cmd[cid];
	/* the data is the CPU's again: read data invalidated once more */
	unmap_cmd(n, cmd);
	cmd->busy = false;
	n->ioq.inflight--;
	n->cnt.completed++;
	d->tag = cmd->tag;
	d->status = NVME_CQE_STATUS(c.dw3);
	d->result = c.dw0;
	d->rc = nvme_status_rc(d->status);
	if (d->rc)
		n->cnt.errors++;
	return 1;
}

int nvme_wait(struct nvme *n, struct nvme_done *d)
{
	if (!n || !d)
		return -COH_EINVAL;
	if (!n->dead && n->ioq.inflight == 0)
		return -COH_EINVAL;	/* nothing to wait for */
	for (uint32_t i = 0; i < n->poll_budget; i++) {
		int rc = nvme_poll(n, d);

		if (rc)
			return rc < 0 ? rc : 0;
		if (i % CSTS_EVERY == CSTS_EVERY - 1 && (rd32(n, NVME_REG_CSTS) & NVME_CSTS_CFS)) {
			n->cnt.fatal++;
			return die(n, -COH_EIO);
		}
		if (n->relax)
			n->relax(n->relax_ctx);
	}
	n->cnt.timeouts++;
	return die(n, -COH_ETIMEDOUT);
}

static int sync_cmd(struct nvme *n, enum nvme_op op, uint64_t lba, void *buf, uint32_t nlb)
{
	struct nvme_done d;
	int rc;

	if (n && n->ioq.inflight)
		return -COH_EINVAL;	/* the synchronous forms own the queue */
	rc = nvme_submit(n, op, lba, buf, nlb, NULL);
	if (rc < 0)
		return rc;
	rc = nvme_wait(n, &d);
	return rc ? rc : d.rc;
}

int nvme_read(struct nvme *n, uint64_t lba, void *buf, uint32_t nlb)
{
	return sync_cmd(n, NVME_OP_READ, lba, buf, nlb);
}

int nvme_write(struct nvme *n, uint64_t lba, const void *buf, uint32_t nlb)
{
	return sync_cmd(n, NVME_OP_WRITE, lba, (void *)(uintptr_t)buf, nlb);
}

int nvme_flush(struct nvme *n)
{
	return sync_cmd(n, NVME_OP_FLUSH, 0, NULL, 0);
}

int nvme_shutdown(struct nvme *n)
{
	int rc = 0;

	if (!n || !n->regs)
		return -COH_EINVAL;
	if (!n->dead && n->ioq.depth) {
		struct nvme_sqe e;

		if (n->ioq.inflight)
			(void)die(n, 0);
		if (!n->dead) {
			e = sqe(NVME_ADM_DELETE_SQ, 0);
			e.cdw10 = coh_cpu_to_le32(n->ioq.qid);
			rc = admin(n, &e, NULL);
			if (!rc) {
				e = sqe(NVME_ADM_DELETE_CQ, 0);
				e.cdw10 = coh_cpu_to_le32(n->ioq.qid);
				rc = admin(n, &e, NULL);
			}
		}
	}
	if (!n->dead) {
		uint32_t cc = rd32(n, NVME_REG_CC);

		wr32(n, NVME_REG_CC, (cc & ~NVME_CC_SHN_MASK) | NVME_CC_SHN_NORMAL);
		if (!rc)
			rc = wait_csts(n, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_DONE, false);
	}
	(void)die(n, 0);
	free_all(n);
	n->regs = NULL;
	return rc;
}
