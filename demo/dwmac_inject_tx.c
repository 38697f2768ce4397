/* SPDX-License-Identifier: MIT */
/*
 * demo/dwmac_inject_tx.c - planted bugs that need a descriptor written by
 * hand, the way a driver without coh_ring writes one: field by field, with
 * its own idea of the order and of when to clean.  Linked only into
 * coh-dwmac-demo-inject, beside the test copy of the driver core
 * (demo/dwmac_inject.txt); test code, so it may look inside the ring.
 *
 * The hand-written descriptor goes through a typed view of the ring's
 * memory (coh_write, one field at a time), so the simulator sees every
 * store and every clean, and reports them against this file's lines.
 */
#include "dwmac.h"
#include "dwmac_bug.h"

unsigned int dwmac_bug;

COH_DECLARE_SHARED(dwmac_desc_view, struct dwmac_desc);

/* slot i of the ring as element i * (stride / 16) of a view of its memory */
static void view_of(const struct coh_ring *r, struct dwmac_desc_view *v, bool sync)
{
	v->m_ = r->mem;
	if (!sync)
		v->m_.state &= ~COH_MEM_SYNC;	/* stores only: cleaning is "done later" */
}

void dwmac_inject_tx(struct dwmac *d, const struct dwmac_desc *descs, size_t k)
{
	struct dwmac_desc_view v;
	size_t first = coh_ring_next(&d->tx), per = coh_ring_stride(&d->tx) / 16;
	size_t last = (first + k) % coh_ring_count(&d->tx);

	if (DWMAC_BUG(DWMAC_INJ_OWN_BEFORE_ADDR)) {
		view_of(&d->tx, &v, true);
		for (size_t i = 0; i < k; i++) {
			size_t e = (first + i) % coh_ring_count(&d->tx) * per;

			/* BUG (inject own-before-addr): length and OWN first, the slot published */
			coh_write(&v, [e].des2, descs[i].des2);
			coh_write(&v, [e].des3, descs[i].des3 | (1u << 31));
			d->ops->tx_kick(d, coh_ring_bus(&d->tx, first + i + 1), first + i + 1);
			/* ... and only then the buffer address */
			coh_write(&v, [e].des1, descs[i].des1);
			coh_write(&v, [e].des0, descs[i].des0);
		}
	} else if (DWMAC_BUG(DWMAC_INJ_KICK_BEFORE_RELEASE)) {
		view_of(&d->tx, &v, false);
		for (size_t i = 0; i < k; i++) {
			size_t e = (first + i) % coh_ring_count(&d->tx) * per;

			coh_write(&v, [e].des0, descs[i].des0);
			coh_write(&v, [e].des1, descs[i].des1);
			coh_write(&v, [e].des2, descs[i].des2);
			coh_write(&v, [e].des3, descs[i].des3 | (1u << 31));
		}
		/* BUG (inject kick-before-release): the doorbell before the clean */
		d->ops->tx_kick(d, coh_ring_bus(&d->tx, last), last);
		for (size_t i = 0; i < k; i++)
			coh_release(d->dev, (const void *)(d->tx.mem.cpu_ +
				    (first + i) % coh_ring_count(&d->tx) * coh_ring_stride(&d->tx)),
				    sizeof(struct dwmac_desc));
	}
}
