//! Raw declarations of the C library (`include/coherent/*.h`) and of the
//! crate's C shim (`c/shim.c`).  Every struct layout and constant here is
//! compared with the C compiler's by `tests/layout.rs`.
#![allow(non_camel_case_types, missing_docs)]

use core::ffi::{c_char, c_int, c_uint, c_ulong, c_void};

pub type coh_bus_t = u64;
pub const COH_BUS_ERROR: coh_bus_t = !0;

pub const COH_BIDIRECTIONAL: c_int = 0;
pub const COH_TO_DEVICE: c_int = 1;
pub const COH_FROM_DEVICE: c_int = 2;

pub const COH_DEV_COHERENT: c_uint = 1 << 0;
pub const COH_DEV_UNTRUSTED: c_uint = 1 << 1;

pub const COH_ATTR_NO_CPU_MAPPING: c_uint = 1 << 0;
pub const COH_ATTR_UNCACHED: c_uint = 1 << 1;
pub const COH_ATTR_WRITE_COMBINE: c_uint = 1 << 2;
pub const COH_ATTR_SKIP_CPU_SYNC: c_uint = 1 << 3;
pub const COH_ATTR_NO_WARN: c_uint = 1 << 4;

pub const COH_MEM_SYNC: c_uint = 1 << 0;
pub const COH_MEM_BOX: c_uint = 1 << 1;
pub const COH_MEM_SHARED: c_uint = 1 << 2;
pub const COH_MEM_DEVONLY: c_uint = 1 << 3;
pub const COH_MEM_WC: c_uint = 1 << 4;

pub const COH_EIO: c_int = 5;
pub const COH_EAGAIN: c_int = 11;
pub const COH_ENOMEM: c_int = 12;
pub const COH_EFAULT: c_int = 14;
pub const COH_EBUSY: c_int = 16;
pub const COH_ENODEV: c_int = 19;
pub const COH_EINVAL: c_int = 22;
pub const COH_ERANGE: c_int = 34;
pub const COH_EPROTO: c_int = 71;
pub const COH_EOVERFLOW: c_int = 75;
pub const COH_ENOTSUP: c_int = 95;
pub const COH_ETIMEDOUT: c_int = 110;

#[repr(C)]
pub struct coh_where {
    pub file: *const c_char,
    pub line: c_int,
    pub func: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct coh_stats {
    pub release_calls: c_ulong,
    pub acquire_calls: c_ulong,
    pub flush_calls: c_ulong,
    pub lines_cleaned: c_ulong,
    pub lines_invalidated: c_ulong,
    pub lines_flushed: c_ulong,
    pub maps: c_ulong,
    pub bounces: c_ulong,
    pub bounce_bytes: c_ulong,
    pub allocs: c_ulong,
    pub reports: c_ulong,
    pub maint_errors: c_ulong,
}

#[repr(C)]
pub struct coh_device {
    pub name: *const c_char,
    pub flags: c_uint,
    pub dma_mask: u64,
    pub bus_offset: u64,
    pub max_seg_size: usize,
    pub seg_boundary_mask: u64,
    pub min_align: usize,
    pub edge_policy: c_int,
    pub stats: coh_stats,
    pub bounce: *mut c_void,
    pub check: *mut c_void,
}

#[repr(C)]
pub struct coh_mem {
    pub cpu_: usize,
    pub bus: coh_bus_t,
    pub phys: u64,
    pub size: usize,
    pub span: usize,
    pub count: usize,
    pub elem: usize,
    pub dev: *mut coh_device,
    pub region: *mut c_void,
    pub state: c_uint,
    pub attrs: c_uint,
    pub cookie: u32,
    pub flex_off: usize,
    pub flex_n: usize,
    pub flex_esize: usize,
    pub tail_off: usize,
}

impl coh_mem {
    pub const fn empty() -> Self {
        coh_mem {
            cpu_: 0,
            bus: COH_BUS_ERROR,
            phys: 0,
            size: 0,
            span: 0,
            count: 0,
            elem: 0,
            dev: core::ptr::null_mut(),
            region: core::ptr::null_mut(),
            state: 0,
            attrs: 0,
            cookie: 0,
            flex_off: 0,
            flex_n: 0,
            flex_esize: 0,
            tail_off: 0,
        }
    }
}

#[repr(C)]
pub struct coh_batch {
    pub dev: *mut coh_device,
    pub line: usize,
    pub did: c_uint,
    pub err: c_int,
    pub lines: [c_ulong; 3],
}

#[repr(C)]
pub struct coh_span {
    pub ptr: *mut c_void,
    pub len: usize,
    pub dir: c_int,
}

#[repr(C)]
pub struct coh_sg {
    pub ptr: *mut c_void,
    pub len: usize,
    pub bus: coh_bus_t,
    pub bus_len: usize,
    pub ent_bus: coh_bus_t,
}

pub const COH_RING_BATCHED: c_uint = 1 << 0;
pub const COH_RING_PHASE: c_uint = 1 << 1;
pub const COH_RING_PHASE_INVERT: c_uint = 1 << 2;

#[repr(C)]
pub struct coh_ring {
    pub mem: coh_mem,
    pub m: *const coh_mem,
    pub count: usize,
    pub desc_size: usize,
    pub stride: usize,
    pub own_off: usize,
    pub own_bit: u32,
    pub head: usize,
    pub tail: usize,
    pub pending: usize,
    pub line: usize,
    pub group: usize,
    pub staged: usize,
    pub flags: c_uint,
    pub head_phase: u8,
    pub tail_phase: u8,
    pub one_line: bool,
}

type W = *const coh_where;

unsafe extern "C" {
    pub fn coh_device_init(dev: *mut coh_device, name: *const c_char, flags: c_uint) -> c_int;
    pub fn coh_device_set_mask_bits(dev: *mut coh_device, bits: c_uint) -> c_int;
    pub fn coh_stats_get(dev: *const coh_device, out: *mut coh_stats);
    pub fn coh_device_leaks(dev: *mut coh_device) -> c_int;
    pub fn coh_cache_line_size() -> usize;

    pub fn coh_release_at(dev: *mut coh_device, p: *const c_void, len: usize, w: W) -> c_int;
    pub fn coh_acquire_at(dev: *mut coh_device, p: *mut c_void, len: usize, w: W) -> c_int;
    pub fn coh_flush_at(dev: *mut coh_device, p: *mut c_void, len: usize, w: W) -> c_int;
    pub fn coh_give_at(dev: *mut coh_device, p: *mut c_void, len: usize, dir: c_int, w: W) -> c_int;
    pub fn coh_take_at(dev: *mut coh_device, p: *mut c_void, len: usize, dir: c_int, w: W) -> c_int;
    pub fn coh_consume_at(dev: *mut coh_device, p: *const c_void, len: usize, w: W) -> c_int;
    pub fn coh_batch_init_at(b: *mut coh_batch, dev: *mut coh_device, w: W) -> c_int;
    pub fn coh_batch_end_at(b: *mut coh_batch, w: W) -> c_int;

    pub fn coh__mem_alloc(
        m: *mut coh_mem,
        dev: *mut coh_device,
        count: usize,
        elem: usize,
        align: usize,
        attrs: c_uint,
        state: c_uint,
        w: W,
    ) -> c_int;
    pub fn coh__mem_free(m: *mut coh_mem, w: W) -> c_int;
    pub fn coh__mem_share(m: *mut coh_mem, w: W) -> c_int;

    pub fn coh_map_single_at(dev: *mut coh_device, p: *mut c_void, len: usize, dir: c_int, w: W)
        -> coh_bus_t;
    pub fn coh_map_single_attrs_at(
        dev: *mut coh_device,
        p: *mut c_void,
        len: usize,
        dir: c_int,
        attrs: c_uint,
        w: W,
    ) -> coh_bus_t;
    pub fn coh_unmap_single_attrs_at(
        dev: *mut coh_device,
        bus: coh_bus_t,
        len: usize,
        dir: c_int,
        attrs: c_uint,
        w: W,
    ) -> c_int;
    pub fn coh_mapping_error(dev: *mut coh_device, bus: coh_bus_t) -> bool;
    pub fn coh_unmap_single_at(dev: *mut coh_device, bus: coh_bus_t, len: usize, dir: c_int, w: W)
        -> c_int;
    pub fn coh_sync_for_cpu_at(
        dev: *mut coh_device,
        bus: coh_bus_t,
        off: usize,
        len: usize,
        dir: c_int,
        w: W,
    ) -> c_int;
    pub fn coh_sync_for_device_at(
        dev: *mut coh_device,
        bus: coh_bus_t,
        off: usize,
        len: usize,
        dir: c_int,
        w: W,
    ) -> c_int;
    pub fn coh_map_sg_at(dev: *mut coh_device, sg: *mut coh_sg, nents: c_int, dir: c_int, w: W)
        -> c_int;
    pub fn coh_unmap_sg_at(dev: *mut coh_device, sg: *mut coh_sg, nents: c_int, dir: c_int, w: W)
        -> c_int;
    pub fn coh_sync_sg_for_cpu_at(
        dev: *mut coh_device,
        sg: *mut coh_sg,
        nents: c_int,
        dir: c_int,
        w: W,
    ) -> c_int;
    pub fn coh_sync_sg_for_device_at(
        dev: *mut coh_device,
        sg: *mut coh_sg,
        nents: c_int,
        dir: c_int,
        w: W,
    ) -> c_int;

    pub fn coh_ring_attach_at(
        r: *mut coh_ring,
        m: *const coh_mem,
        size: usize,
        own_off: usize,
        own_bit: u32,
        flags: c_uint,
        w: W,
    ) -> c_int;
    pub fn coh_ring_push_at(
        r: *mut coh_ring,
        m: *const coh_mem,
        descs: *const c_void,
        n: usize,
        how: c_uint,
        w: W,
    ) -> c_int;
    pub fn coh_ring_pop_at(r: *mut coh_ring, m: *const coh_mem, desc: *mut c_void, w: W) -> c_int;
    pub fn coh_ring_detach_at(r: *mut coh_ring, w: W) -> c_int;
    pub fn coh_ring_reset_at(r: *mut coh_ring, w: W) -> c_int;

    // c/shim.c
    pub fn coh_rs_ring_next(r: *const coh_ring) -> usize;
    pub fn coh_rs_ring_pending(r: *const coh_ring) -> usize;
    pub fn coh_rs_ring_space(r: *const coh_ring) -> usize;
    pub fn coh_rs_read(m: *const coh_mem, a: usize, n: usize, out: *mut c_void, w: W);
    pub fn coh_rs_read_from_device(m: *const coh_mem, a: usize, n: usize, out: *mut c_void, w: W);
    pub fn coh_rs_write(m: *const coh_mem, a: usize, n: usize, src: *const c_void, w: W);
    pub fn coh_rs_write_batch(
        b: *mut coh_batch,
        m: *const coh_mem,
        a: usize,
        n: usize,
        src: *const c_void,
        w: W,
    ) -> c_int;
    pub fn coh_rs_batch_end_read(
        b: *mut coh_batch,
        m: *const coh_mem,
        a: usize,
        n: usize,
        out: *mut c_void,
        w: W,
    ) -> c_int;
    pub fn coh_rs_mmio_read32(a: *const c_void) -> u32;
    pub fn coh_rs_mmio_write32(a: *mut c_void, v: u32);
    pub fn coh_rs_where(file: *const c_char, len: usize, line: c_int) -> W;
}
