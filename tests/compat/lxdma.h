/* SPDX-License-Identifier: MIT */
/* lxdma: the Linux-style driver fragment's interface (see lxdma.c). */
#ifndef LXDMA_H
#define LXDMA_H

#include <stddef.h>
#include <string.h>

#include "coherent/compat/linux.h"
#include "sim_dmac.h"

enum lx_bug {
	LX_BUG_NONE,
	LX_BUG_MAP_BEFORE_FILL,	/* fills the TX buffer after mapping it */
	LX_BUG_NO_SYNC_FOR_CPU,	/* reads a reused RX buffer without a sync */
	LX_BUG_UNMAP_WRONG_DIR,	/* unmaps TO_DEVICE as FROM_DEVICE */
};

struct lxdma {
	struct device *dev;
	unsigned char *regs;
	struct dmac_desc *ring;		/* dma_alloc_coherent() */
	dma_addr_t ring_dma;
	unsigned int head;
	enum lx_bug bug;
	/* where received data goes (a network stack, a block layer) */
	void (*deliver)(struct lxdma *lx, const void *data, size_t len);
};

int lxdma_probe(struct lxdma *lx, struct device *dev, void *regs);
void lxdma_remove(struct lxdma *lx);
/* copy data to dst through txbuf: map, descriptor, doorbell, wait, unmap */
int lxdma_copy(struct lxdma *lx, void *dst, void *txbuf, const void *data, size_t len);
/* gather nents buffers into dst (dma_map_sg) */
int lxdma_gather(struct lxdma *lx, void *dst, struct scatterlist *sgl, int nents, size_t total);
/* rounds copies of txbuf into one long-lived receive mapping of rxbuf */
int lxdma_rx_reuse(struct lxdma *lx, void *rxbuf, size_t len, void *txbuf, int rounds);

#endif
