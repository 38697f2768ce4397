/* SPDX-License-Identifier: MIT */
/*
 * The C side of the crate's layout check: every size, offset and constant
 * the Rust FFI declarations (src/ffi.rs) restate, as the C compiler sees
 * them.  tests/layout.rs compares each row with Rust's own value.
 */
#include <stddef.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

struct coh_rs_row {
	const char *name;
	unsigned long long v;
};

#define SZ(T) { "sizeof " #T, sizeof(struct T) }
#define AL(T) { "alignof " #T, _Alignof(struct T) }
#define OFF(T, f) { "offsetof " #T "." #f, offsetof(struct T, f) }
#define K(c) { #c, (unsigned long long)(c) }

const struct coh_rs_row coh_rs_layout_rows[] = {
	SZ(coh_where), AL(coh_where), OFF(coh_where, file), OFF(coh_where, line), OFF(coh_where, func),
	SZ(coh_stats), AL(coh_stats), OFF(coh_stats, reports), OFF(coh_stats, maint_errors),
	SZ(coh_device), AL(coh_device), OFF(coh_device, name), OFF(coh_device, flags),
	OFF(coh_device, dma_mask), OFF(coh_device, bus_offset), OFF(coh_device, max_seg_size),
	OFF(coh_device, seg_boundary_mask), OFF(coh_device, min_align),
	OFF(coh_device, edge_policy), OFF(coh_device, stats), OFF(coh_device, bounce),
	OFF(coh_device, check),
	SZ(coh_mem), AL(coh_mem), OFF(coh_mem, cpu_), OFF(coh_mem, bus), OFF(coh_mem, phys),
	OFF(coh_mem, size), OFF(coh_mem, span), OFF(coh_mem, count), OFF(coh_mem, elem),
	OFF(coh_mem, dev), OFF(coh_mem, region), OFF(coh_mem, state), OFF(coh_mem, attrs),
	OFF(coh_mem, cookie), OFF(coh_mem, flex_off), OFF(coh_mem, flex_n),
	OFF(coh_mem, flex_esize), OFF(coh_mem, tail_off),
	SZ(coh_batch), AL(coh_batch), OFF(coh_batch, dev), OFF(coh_batch, line),
	OFF(coh_batch, did), OFF(coh_batch, err), OFF(coh_batch, lines),
	SZ(coh_span), OFF(coh_span, ptr), OFF(coh_span, len), OFF(coh_span, dir),
	SZ(coh_sg), OFF(coh_sg, ptr), OFF(coh_sg, len), OFF(coh_sg, bus), OFF(coh_sg, bus_len),
	OFF(coh_sg, ent_bus),
	SZ(coh_ring), AL(coh_ring), OFF(coh_ring, mem), OFF(coh_ring, m), OFF(coh_ring, count),
	OFF(coh_ring, own_off), OFF(coh_ring, own_bit), OFF(coh_ring, head), OFF(coh_ring, tail),
	OFF(coh_ring, pending), OFF(coh_ring, staged), OFF(coh_ring, flags),
	OFF(coh_ring, head_phase), OFF(coh_ring, tail_phase), OFF(coh_ring, one_line),
	K(COH_RING_BATCHED), K(COH_RING_PHASE), K(COH_RING_PHASE_INVERT), K(COH_RING_CHAIN),
	SZ(dmac_desc), OFF(dmac_desc, ctrl), OFF(dmac_desc, status), OFF(dmac_desc, src),
	OFF(dmac_desc, dst), OFF(dmac_desc, cookie),
	{ "sizeof enum coh_dir", sizeof(enum coh_dir) },
	K(COH_BIDIRECTIONAL), K(COH_TO_DEVICE), K(COH_FROM_DEVICE),
	K(COH_BUS_ERROR),
	K(COH_DEV_COHERENT), K(COH_DEV_UNTRUSTED),
	K(COH_ATTR_NO_CPU_MAPPING), K(COH_ATTR_UNCACHED), K(COH_ATTR_WRITE_COMBINE),
	K(COH_ATTR_SKIP_CPU_SYNC), K(COH_ATTR_NO_WARN),
	K(COH_MEM_SYNC), K(COH_MEM_BOX), K(COH_MEM_SHARED), K(COH_MEM_DEVONLY), K(COH_MEM_WC),
	K(COH_EIO), K(COH_EAGAIN), K(COH_ENOMEM), K(COH_EFAULT), K(COH_EBUSY), K(COH_ENODEV),
	K(COH_EINVAL), K(COH_ERANGE), K(COH_EPROTO), K(COH_EOVERFLOW), K(COH_ENOTSUP),
	K(COH_ETIMEDOUT),
	K(DMAC_CTRL), K(DMAC_STATUS), K(DMAC_RING_LO), K(DMAC_RING_HI), K(DMAC_RING_SIZE),
	K(DMAC_RING_HEAD), K(DMAC_RING_TAIL), K(DMAC_DESC_STRIDE), K(DMAC_DONE_COUNT),
	K(DMAC_ERR_COUNT), K(DMAC_CTRL_RING_EN), K(DMAC_ST_BUSY), K(DMAC_DESC_OWN),
	K(DMAC_DESC_ERR), K(DMAC_DESC_LEN_MASK),
	K(SIM_STALE_CPU_READ), K(SIM_CPU_WRITE_DEVICE_OWNED), K(SIM_STALE_DEVICE_READ), K(SIM_SPECULATIVE_STALE),
	K(SIM_NCLASSES),
};

const unsigned long coh_rs_layout_n = sizeof(coh_rs_layout_rows) / sizeof(coh_rs_layout_rows[0]);
