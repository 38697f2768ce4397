/* SPDX-License-Identifier: MIT */
/*
 * demo/dwmac_bug.h - the driver bugs coh-dwmac-demo-inject plants
 * (`--inject <bug>`).  They live in a test copy of drivers/dwmac/dwmac_core.c
 * built from demo/dwmac_inject.txt (tests/mutants/mutate.py), never in the
 * driver: each planted branch tests DWMAC_BUG(), true only for the one bug
 * the demo selected in dwmac_bug.  Each branch is marked "BUG (inject <name>)".
 */
#ifndef DWMAC_DEMO_BUG_H
#define DWMAC_DEMO_BUG_H

#include <stddef.h>

enum dwmac_inject {
	DWMAC_INJ_NONE = 0,
	DWMAC_INJ_RX_NO_GIVE,		/* RX buffer re-armed without coh_give */
	DWMAC_INJ_RX_READ_BEFORE_TAKE,	/* RX bytes read before coh_take */
	DWMAC_INJ_TX_WRITE_AFTER_GIVE,	/* TX bytes written after they were mapped */
	DWMAC_INJ_OWN_BEFORE_ADDR,	/* descriptor OWN written before its buffer address */
	DWMAC_INJ_KICK_BEFORE_RELEASE,	/* doorbell rung before the descriptors were released */
	DWMAC_INJ_RX_TRUST_LEN,		/* RX length trusted beyond the buffer */
	DWMAC_INJ_COUNT
};

/* the bug planted in this run (DWMAC_INJ_NONE: the driver as written) */
extern unsigned int dwmac_bug;
#define DWMAC_BUG(b) (dwmac_bug == (unsigned int)(b))

struct dwmac;
struct dwmac_desc;
/* dwmac_inject_tx.c: a TX chain written by hand, with the planted bug, before the ring's post */
void dwmac_inject_tx(struct dwmac *d, const struct dwmac_desc *descs, size_t k);

#endif /* DWMAC_DEMO_BUG_H */
