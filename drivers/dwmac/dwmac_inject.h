/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_inject.h - planted driver bugs, for the simulator
 * demo (`coh-dwmac-demo --inject <bug>`) and its tests only.  A build
 * without DWMAC_INJECT compiles every planted branch away: DWMAC_INJECTED()
 * is the constant 0.  Each branch is marked "BUG (inject <name>)".
 */
#ifndef DWMAC_INJECT_H
#define DWMAC_INJECT_H

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

#if defined(DWMAC_INJECT)
#define DWMAC_INJECTED(d, bug) ((d)->inject == (bug))
struct dwmac;
struct dwmac_desc;
/* dwmac_inject.c: a TX chain written by hand, with the planted bug, before the ring's post */
void dwmac_inject_tx(struct dwmac *d, const struct dwmac_desc *descs, size_t k);
#else
#define DWMAC_INJECTED(d, bug) 0
#endif

#endif /* DWMAC_INJECT_H */
