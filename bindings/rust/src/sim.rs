//! The simulated non-coherent SoC (`sim/sim.h`) for hosted tests: one per
//! process at a time (a global lock), its DMA controller model
//! (`sim/sim_dmac.h`) and the sanitizer's report counters.
use core::ffi::{c_char, c_int, c_ulong, c_void};
use std::sync::{Mutex, MutexGuard};

use crate::{ffi, Device, Error, Mmio, Result};

unsafe extern "C" {
    fn coh_rs_sim_init(line: usize, seed: u64, evict: u32, refill: u32) -> c_int;
    fn coh_rs_sim_fini();
    fn coh_rs_sim_last(file: *mut c_char, len: usize, line: *mut c_int) -> c_int;
    fn coh_rs_sim_stream(dev: *mut ffi::coh_device) -> c_int;
    fn sim_reports(cls: c_int) -> c_ulong;
    fn sim_quiesce() -> c_ulong;
    fn sim_step();
    fn sim_dmac_create(dev: *const ffi::coh_device) -> *mut c_void;
    fn sim_name(p: *const c_void, len: usize, name: *const c_char);
}

/// Sanitizer report classes (`enum sim_class`) the tests look for.
pub mod class {
    /// (a) device read a line with uncleaned CPU writes.
    pub const STALE_DEVICE_READ: i32 = 0;
    /// (b) CPU consumed a stale copy of device data.
    pub const STALE_CPU_READ: i32 = 1;
    /// (f) refill after an early invalidate left stale data that was used.
    pub const SPECULATIVE_STALE: i32 = 5;
    /// (e) CPU wrote bytes between coh_give and coh_take.
    pub const CPU_WRITE_DEVICE_OWNED: i32 = 4;
    /// Number of classes.
    pub const NCLASSES: i32 = 19;
}

static LOCK: Mutex<()> = Mutex::new(());

/// The simulator, up while this lives.
pub struct Sim {
    _g: MutexGuard<'static, ()>,
}

/// What the last sanitizer report said.
#[derive(Debug, Clone)]
pub struct Report {
    /// `enum sim_class`.
    pub class: i32,
    /// The file of the last ownership change or maintenance call.
    pub file: std::string::String,
    /// Its line.
    pub line: u32,
}

impl Sim {
    /// A SoC with cache line `line` (32, 64, 128), PRNG `seed`, and the
    /// per-mille chances of evicting a dirty line / refilling a clean one
    /// at each scheduling point.
    pub fn new(line: usize, seed: u64, evict: u32, refill: u32) -> Result<Sim> {
        let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: FFI; the lock makes this the only simulator.
        Error::check(unsafe { coh_rs_sim_init(line, seed, evict, refill) })?;
        Ok(Sim { _g: g })
    }

    /// Reports of class `cls` so far (-1: all).
    pub fn reports(&self, cls: i32) -> u64 {
        // SAFETY: FFI.
        unsafe { sim_reports(cls) as u64 }
    }

    /// Write back every dirty line touched; the report total.
    pub fn quiesce(&self) -> u64 {
        // SAFETY: FFI.
        unsafe { sim_quiesce() as u64 }
    }

    /// Advance the device models one step.
    pub fn step(&self) {
        // SAFETY: FFI.
        unsafe { sim_step() }
    }

    /// The last report, if any.
    pub fn last_report(&self) -> Option<Report> {
        let mut f = [0 as c_char; 160];
        let mut line = 0;
        // SAFETY: FFI; the shim NUL-terminates within the buffer.
        let cls = unsafe { coh_rs_sim_last(f.as_mut_ptr(), f.len(), &mut line) };
        if cls < 0 {
            return None;
        }
        // SAFETY: NUL-terminated above.
        let file = unsafe { core::ffi::CStr::from_ptr(f.as_ptr()) }.to_string_lossy().into_owned();
        Some(Report { class: cls, file, line: line as u32 })
    }

    /// The simulated DMA controller for `dev`: its register window.
    pub fn dmac(&self, dev: &Device) -> Mmio {
        // SAFETY: FFI; the model lives until sim_fini (after every borrow
        // of self), its window is DMAC_REGS_SIZE bytes.
        unsafe { Mmio::new(sim_dmac_create(dev.raw()).cast(), dmac::REGS_SIZE) }
    }

    /// Streaming state (64 mapping records, no bounce pool) for `dev`,
    /// so it can be given [`Mapping`](crate::Mapping)s.
    pub fn stream(&self, dev: &Device) -> Result<()> {
        // SAFETY: FFI; the state is the shim's, static for the run.
        Error::check(unsafe { coh_rs_sim_stream(dev.raw()) })
    }

    /// Name memory for reports.
    pub fn name(&self, p: *const u8, len: usize, name: &'static core::ffi::CStr) {
        // SAFETY: FFI; the simulator copies the name.
        unsafe { sim_name(p.cast(), len, name.as_ptr()) }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // SAFETY: FFI; everything allocated borrowed the Sim and is gone.
        unsafe { coh_rs_sim_fini() }
    }
}

/// The simulated DMA controller's registers and descriptor (`sim/sim_dmac.h`).
pub mod dmac {
    #![allow(missing_docs)]
    pub const CTRL: usize = 0x00;
    pub const STATUS: usize = 0x04;
    pub const RING_LO: usize = 0x20;
    pub const RING_HI: usize = 0x24;
    pub const RING_SIZE: usize = 0x28;
    pub const RING_HEAD: usize = 0x2c;
    pub const RING_TAIL: usize = 0x30;
    pub const DESC_STRIDE: usize = 0x34;
    pub const DONE_COUNT: usize = 0x38;
    pub const ERR_COUNT: usize = 0x3c;
    pub const REGS_SIZE: usize = 0x40;
    pub const CTRL_RING_EN: u32 = 1 << 1;
    pub const ST_BUSY: u32 = 1 << 0;
    pub const DESC_OWN: u32 = 1 << 31;
    pub const DESC_ERR: u32 = 1 << 30;
    pub const DESC_LEN_MASK: u32 = 0xff_ffff;

    /// A descriptor, 32 bytes.
    #[derive(Clone, Copy, Default, Debug)]
    #[repr(C)]
    pub struct Desc {
        pub ctrl: u32,
        pub status: u32,
        pub src: u64,
        pub dst: u64,
        pub cookie: u64,
    }
    // SAFETY: integers only, no padding (tests/layout.rs checks the size).
    unsafe impl crate::DmaPod for Desc {}
}
