/* SPDX-License-Identifier: MIT */
/*
 * lxdma: a driver fragment written the Linux way (dma_map_single,
 * dma_map_sg, dma_sync_single_*, dma_alloc_coherent, dma_wmb/dma_rmb,
 * readl/writel) for the simulator's memory-to-memory DMA controller
 * (sim/sim_dmac.h is its datasheet), compiled against
 * coherent/compat/linux.h with no other change.  Written for this test: it
 * is what a Linux driver being ported to an RTOS looks like.
 *
 * The descriptor ring lives in dma_alloc_coherent() memory and is written
 * with plain C, fields first, dma_wmb(), then OWN, as Linux drivers do.
 * lx->bug plants one mistake (LX_BUG_*), for the test to show it reported.
 */
#include "lxdma.h"

#define LX_RING 8
#define LX_SPINS 100000

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define lower_32_bits(n) ((uint32_t)(n))
#define upper_32_bits(n) ((uint32_t)((uint64_t)(n) >> 32))

int lxdma_probe(struct lxdma *lx, struct device *dev, void *regs)
{
	int ret;

	lx->dev = dev;
	lx->regs = regs;
	lx->head = 0;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	lx->ring = dma_alloc_coherent(dev, LX_RING * sizeof(*lx->ring), &lx->ring_dma,
				      GFP_KERNEL);
	if (!lx->ring)
		return -COH_ENOMEM;
	writel(lower_32_bits(lx->ring_dma), lx->regs + DMAC_RING_LO);
	writel(upper_32_bits(lx->ring_dma), lx->regs + DMAC_RING_HI);
	writel(sizeof(*lx->ring), lx->regs + DMAC_DESC_STRIDE);
	writel(LX_RING, lx->regs + DMAC_RING_SIZE);
	writel(DMAC_CTRL_RING_EN, lx->regs + DMAC_CTRL);
	return 0;
}

void lxdma_remove(struct lxdma *lx)
{
	writel(0, lx->regs + DMAC_CTRL);
	dma_free_coherent(lx->dev, LX_RING * sizeof(*lx->ring), lx->ring, lx->ring_dma);
	lx->ring = NULL;
}

/* Queue one copy; the doorbell is rung by lxdma_kick(). */
static struct dmac_desc *lxdma_queue(struct lxdma *lx, dma_addr_t src, dma_addr_t dst,
				     uint32_t len)
{
	struct dmac_desc *d = &lx->ring[lx->head];

	d->src = src;
	d->dst = dst;
	d->status = 0;
	d->cookie = lx->head;
	dma_wmb(); /* the fields above reach the device before OWN */
	WRITE_ONCE(d->ctrl, DMAC_DESC_OWN | len);
	lx->head = (lx->head + 1) % LX_RING;
	return d;
}

static void lxdma_kick(struct lxdma *lx)
{
	writel(lx->head, lx->regs + DMAC_RING_TAIL); /* ordered after OWN */
}

/* Wait until the device gives the descriptor back; 0 if it moved len bytes. */
static int lxdma_wait(struct lxdma *lx, struct dmac_desc *d, uint32_t len)
{
	long spins = 0;

	while (READ_ONCE(d->ctrl) & DMAC_DESC_OWN) {
		if (++spins > LX_SPINS)
			return -COH_EIO;
		(void)readl(lx->regs + DMAC_STATUS);
	}
	dma_rmb(); /* OWN seen clear before the status is read */
	if ((READ_ONCE(d->ctrl) & DMAC_DESC_ERR) || READ_ONCE(d->status) != len)
		return -COH_EIO;
	return 0;
}

int lxdma_copy(struct lxdma *lx, void *dst, void *txbuf, const void *data, size_t len)
{
	struct dmac_desc *d;
	dma_addr_t s, t;
	int ret;

	if (lx->bug != LX_BUG_MAP_BEFORE_FILL)
		memcpy(txbuf, data, len);
	s = dma_map_single(lx->dev, txbuf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(lx->dev, s))
		return -COH_ENOMEM;
	if (lx->bug == LX_BUG_MAP_BEFORE_FILL)
		memcpy(txbuf, data, len); /* BUG: the device owns txbuf now */
	t = dma_map_single(lx->dev, dst, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(lx->dev, t)) {
		dma_unmap_single(lx->dev, s, len, DMA_TO_DEVICE);
		return -COH_ENOMEM;
	}
	d = lxdma_queue(lx, s, t, (uint32_t)len);
	lxdma_kick(lx);
	ret = lxdma_wait(lx, d, (uint32_t)len);
	dma_unmap_single(lx->dev, t, len, DMA_FROM_DEVICE);
	dma_unmap_single(lx->dev, s, len,
			 lx->bug == LX_BUG_UNMAP_WRONG_DIR ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
	if (!ret)
		lx->deliver(lx, dst, len);
	return ret;
}

int lxdma_gather(struct lxdma *lx, void *dst, struct scatterlist *sgl, int nents, size_t total)
{
	struct dmac_desc *last = NULL;
	struct scatterlist *sg;
	dma_addr_t t;
	size_t off = 0;
	int n, i, ret = 0;

	n = dma_map_sg(lx->dev, sgl, nents, DMA_TO_DEVICE);
	if (!n)
		return -COH_ENOMEM;
	t = dma_map_single(lx->dev, dst, total, DMA_FROM_DEVICE);
	if (dma_mapping_error(lx->dev, t)) {
		dma_unmap_sg(lx->dev, sgl, nents, DMA_TO_DEVICE);
		return -COH_ENOMEM;
	}
	if (n >= LX_RING)
		ret = -COH_EINVAL;
	for_each_sg(sgl, sg, n, i) {
		if (ret)
			break;
		last = lxdma_queue(lx, sg_dma_address(sg), t + off, (uint32_t)sg_dma_len(sg));
		off += sg_dma_len(sg);
	}
	if (!ret && last) {
		lxdma_kick(lx);
		ret = lxdma_wait(lx, last, (uint32_t)sg_dma_len(&sgl[n - 1]));
	}
	dma_unmap_single(lx->dev, t, total, DMA_FROM_DEVICE);
	dma_unmap_sg(lx->dev, sgl, nents, DMA_TO_DEVICE);
	if (!ret)
		lx->deliver(lx, dst, total);
	return ret;
}

int lxdma_rx_reuse(struct lxdma *lx, void *rxbuf, size_t len, void *txbuf, int rounds)
{
	dma_addr_t r, s;
	int ret = 0;

	/* one long-lived receive mapping, synced per use (the page-pool way) */
	r = dma_map_single(lx->dev, rxbuf, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(lx->dev, r))
		return -COH_ENOMEM;
	for (int k = 0; k < rounds && !ret; k++) {
		struct dmac_desc *d;

		((unsigned char *)txbuf)[0] = (unsigned char)k;
		s = dma_map_single(lx->dev, txbuf, len, DMA_TO_DEVICE);
		if (dma_mapping_error(lx->dev, s)) {
			ret = -COH_ENOMEM;
			break;
		}
		d = lxdma_queue(lx, s, r, (uint32_t)len);
		lxdma_kick(lx);
		ret = lxdma_wait(lx, d, (uint32_t)len);
		dma_unmap_single(lx->dev, s, len, DMA_TO_DEVICE);
		if (lx->bug != LX_BUG_NO_SYNC_FOR_CPU)
			dma_sync_single_for_cpu(lx->dev, r, len, DMA_FROM_DEVICE);
		/* else BUG: reads what the cache still holds */
		if (!ret)
			lx->deliver(lx, rxbuf, len);
		dma_sync_single_for_device(lx->dev, r, len, DMA_FROM_DEVICE);
	}
	dma_unmap_single(lx->dev, r, len, DMA_FROM_DEVICE);
	return ret;
}
