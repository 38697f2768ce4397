//! The FFI declarations against the C compiler: every row c/layout.c
//! exports (sizeof, alignof, offsetof, constants) must equal Rust's own.
use core::ffi::{c_char, CStr};
use core::mem::{align_of, offset_of, size_of};

use coherent::ffi::*;
use coherent::sim::{class, dmac};

#[repr(C)]
struct Row {
    name: *const c_char,
    v: u64,
}
unsafe extern "C" {
    static coh_rs_layout_rows: [Row; 0];
    static coh_rs_layout_n: core::ffi::c_ulong;
}

fn rust_value(name: &str) -> Option<u64> {
    macro_rules! t {
        ($($s:literal => $e:expr),* $(,)?) => { match name { $($s => Some($e as u64),)* _ => None } };
    }
    t! {
        "sizeof coh_where" => size_of::<coh_where>(), "alignof coh_where" => align_of::<coh_where>(),
        "offsetof coh_where.file" => offset_of!(coh_where, file),
        "offsetof coh_where.line" => offset_of!(coh_where, line),
        "offsetof coh_where.func" => offset_of!(coh_where, func),
        "sizeof coh_stats" => size_of::<coh_stats>(), "alignof coh_stats" => align_of::<coh_stats>(),
        "offsetof coh_stats.reports" => offset_of!(coh_stats, reports),
        "offsetof coh_stats.maint_errors" => offset_of!(coh_stats, maint_errors),
        "sizeof coh_device" => size_of::<coh_device>(), "alignof coh_device" => align_of::<coh_device>(),
        "offsetof coh_device.name" => offset_of!(coh_device, name),
        "offsetof coh_device.flags" => offset_of!(coh_device, flags),
        "offsetof coh_device.dma_mask" => offset_of!(coh_device, dma_mask),
        "offsetof coh_device.bus_offset" => offset_of!(coh_device, bus_offset),
        "offsetof coh_device.max_seg_size" => offset_of!(coh_device, max_seg_size),
        "offsetof coh_device.seg_boundary_mask" => offset_of!(coh_device, seg_boundary_mask),
        "offsetof coh_device.min_align" => offset_of!(coh_device, min_align),
        "offsetof coh_device.edge_policy" => offset_of!(coh_device, edge_policy),
        "offsetof coh_device.stats" => offset_of!(coh_device, stats),
        "offsetof coh_device.bounce" => offset_of!(coh_device, bounce),
        "offsetof coh_device.check" => offset_of!(coh_device, check),
        "sizeof coh_mem" => size_of::<coh_mem>(), "alignof coh_mem" => align_of::<coh_mem>(),
        "offsetof coh_mem.cpu_" => offset_of!(coh_mem, cpu_),
        "offsetof coh_mem.bus" => offset_of!(coh_mem, bus),
        "offsetof coh_mem.phys" => offset_of!(coh_mem, phys),
        "offsetof coh_mem.size" => offset_of!(coh_mem, size),
        "offsetof coh_mem.span" => offset_of!(coh_mem, span),
        "offsetof coh_mem.count" => offset_of!(coh_mem, count),
        "offsetof coh_mem.elem" => offset_of!(coh_mem, elem),
        "offsetof coh_mem.dev" => offset_of!(coh_mem, dev),
        "offsetof coh_mem.region" => offset_of!(coh_mem, region),
        "offsetof coh_mem.state" => offset_of!(coh_mem, state),
        "offsetof coh_mem.attrs" => offset_of!(coh_mem, attrs),
        "offsetof coh_mem.cookie" => offset_of!(coh_mem, cookie),
        "offsetof coh_mem.flex_off" => offset_of!(coh_mem, flex_off),
        "offsetof coh_mem.flex_n" => offset_of!(coh_mem, flex_n),
        "offsetof coh_mem.flex_esize" => offset_of!(coh_mem, flex_esize),
        "offsetof coh_mem.tail_off" => offset_of!(coh_mem, tail_off),
        "sizeof coh_batch" => size_of::<coh_batch>(), "alignof coh_batch" => align_of::<coh_batch>(),
        "offsetof coh_batch.dev" => offset_of!(coh_batch, dev),
        "offsetof coh_batch.line" => offset_of!(coh_batch, line),
        "offsetof coh_batch.did" => offset_of!(coh_batch, did),
        "offsetof coh_batch.err" => offset_of!(coh_batch, err),
        "offsetof coh_batch.lines" => offset_of!(coh_batch, lines),
        "sizeof coh_span" => size_of::<coh_span>(),
        "offsetof coh_span.ptr" => offset_of!(coh_span, ptr),
        "offsetof coh_span.len" => offset_of!(coh_span, len),
        "offsetof coh_span.dir" => offset_of!(coh_span, dir),
        "sizeof coh_sg" => size_of::<coh_sg>(),
        "offsetof coh_sg.ptr" => offset_of!(coh_sg, ptr),
        "offsetof coh_sg.len" => offset_of!(coh_sg, len),
        "offsetof coh_sg.bus" => offset_of!(coh_sg, bus),
        "offsetof coh_sg.bus_len" => offset_of!(coh_sg, bus_len),
        "offsetof coh_sg.ent_bus" => offset_of!(coh_sg, ent_bus),
        "sizeof coh_ring" => size_of::<coh_ring>(), "alignof coh_ring" => align_of::<coh_ring>(),
        "offsetof coh_ring.mem" => offset_of!(coh_ring, mem),
        "offsetof coh_ring.m" => offset_of!(coh_ring, m),
        "offsetof coh_ring.count" => offset_of!(coh_ring, count),
        "offsetof coh_ring.own_off" => offset_of!(coh_ring, own_off),
        "offsetof coh_ring.own_bit" => offset_of!(coh_ring, own_bit),
        "offsetof coh_ring.head" => offset_of!(coh_ring, head),
        "offsetof coh_ring.tail" => offset_of!(coh_ring, tail),
        "offsetof coh_ring.pending" => offset_of!(coh_ring, pending),
        "offsetof coh_ring.staged" => offset_of!(coh_ring, staged),
        "offsetof coh_ring.flags" => offset_of!(coh_ring, flags),
        "offsetof coh_ring.head_phase" => offset_of!(coh_ring, head_phase),
        "offsetof coh_ring.tail_phase" => offset_of!(coh_ring, tail_phase),
        "offsetof coh_ring.one_line" => offset_of!(coh_ring, one_line),
        "COH_RING_BATCHED" => COH_RING_BATCHED, "COH_RING_PHASE" => COH_RING_PHASE,
        "COH_RING_PHASE_INVERT" => COH_RING_PHASE_INVERT, "COH_RING_CHAIN" => 1u32,
        "sizeof dmac_desc" => size_of::<dmac::Desc>(),
        "offsetof dmac_desc.ctrl" => offset_of!(dmac::Desc, ctrl),
        "offsetof dmac_desc.status" => offset_of!(dmac::Desc, status),
        "offsetof dmac_desc.src" => offset_of!(dmac::Desc, src),
        "offsetof dmac_desc.dst" => offset_of!(dmac::Desc, dst),
        "offsetof dmac_desc.cookie" => offset_of!(dmac::Desc, cookie),
        "sizeof enum coh_dir" => size_of::<coherent::DataDirection>(),
        "COH_BIDIRECTIONAL" => COH_BIDIRECTIONAL, "COH_TO_DEVICE" => COH_TO_DEVICE,
        "COH_FROM_DEVICE" => COH_FROM_DEVICE, "COH_BUS_ERROR" => COH_BUS_ERROR,
        "COH_DEV_COHERENT" => COH_DEV_COHERENT, "COH_DEV_UNTRUSTED" => COH_DEV_UNTRUSTED,
        "COH_ATTR_NO_CPU_MAPPING" => COH_ATTR_NO_CPU_MAPPING, "COH_ATTR_UNCACHED" => COH_ATTR_UNCACHED,
        "COH_ATTR_WRITE_COMBINE" => COH_ATTR_WRITE_COMBINE,
        "COH_ATTR_SKIP_CPU_SYNC" => COH_ATTR_SKIP_CPU_SYNC, "COH_ATTR_NO_WARN" => COH_ATTR_NO_WARN,
        "COH_MEM_SYNC" => COH_MEM_SYNC, "COH_MEM_BOX" => COH_MEM_BOX, "COH_MEM_SHARED" => COH_MEM_SHARED,
        "COH_MEM_DEVONLY" => COH_MEM_DEVONLY, "COH_MEM_WC" => COH_MEM_WC,
        "COH_EIO" => COH_EIO, "COH_EAGAIN" => COH_EAGAIN, "COH_ENOMEM" => COH_ENOMEM,
        "COH_EFAULT" => COH_EFAULT, "COH_EBUSY" => COH_EBUSY, "COH_ENODEV" => COH_ENODEV,
        "COH_EINVAL" => COH_EINVAL, "COH_ERANGE" => COH_ERANGE, "COH_EPROTO" => COH_EPROTO,
        "COH_EOVERFLOW" => COH_EOVERFLOW, "COH_ENOTSUP" => COH_ENOTSUP, "COH_ETIMEDOUT" => COH_ETIMEDOUT,
        "DMAC_CTRL" => dmac::CTRL, "DMAC_STATUS" => dmac::STATUS, "DMAC_RING_LO" => dmac::RING_LO,
        "DMAC_RING_HI" => dmac::RING_HI, "DMAC_RING_SIZE" => dmac::RING_SIZE,
        "DMAC_RING_HEAD" => dmac::RING_HEAD, "DMAC_RING_TAIL" => dmac::RING_TAIL,
        "DMAC_DESC_STRIDE" => dmac::DESC_STRIDE, "DMAC_DONE_COUNT" => dmac::DONE_COUNT,
        "DMAC_ERR_COUNT" => dmac::ERR_COUNT, "DMAC_CTRL_RING_EN" => dmac::CTRL_RING_EN,
        "DMAC_ST_BUSY" => dmac::ST_BUSY, "DMAC_DESC_OWN" => dmac::DESC_OWN,
        "DMAC_DESC_ERR" => dmac::DESC_ERR, "DMAC_DESC_LEN_MASK" => dmac::DESC_LEN_MASK,
        "SIM_STALE_CPU_READ" => class::STALE_CPU_READ,
        "SIM_CPU_WRITE_DEVICE_OWNED" => class::CPU_WRITE_DEVICE_OWNED,
        "SIM_STALE_DEVICE_READ" => class::STALE_DEVICE_READ,
        "SIM_SPECULATIVE_STALE" => class::SPECULATIVE_STALE, "SIM_NCLASSES" => class::NCLASSES,
    }
}

#[test]
fn ffi_matches_the_c_headers() {
    // SAFETY: the C table has coh_rs_layout_n rows of NUL-terminated names.
    let rows = unsafe {
        core::slice::from_raw_parts(coh_rs_layout_rows.as_ptr(), coh_rs_layout_n as usize)
    };
    assert!(rows.len() > 100, "only {} rows", rows.len());
    let mut bad = Vec::new();
    for r in rows {
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr(r.name) }.to_str().unwrap();
        match rust_value(name) {
            Some(v) if v == r.v => {}
            Some(v) => bad.push(format!("{name}: C {} Rust {v}", r.v)),
            None => bad.push(format!("{name}: not checked on the Rust side")),
        }
    }
    assert!(bad.is_empty(), "FFI out of step with the headers:\n{}", bad.join("\n"));
}
