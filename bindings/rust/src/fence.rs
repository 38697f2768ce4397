use crate::{ffi, Device};

/// Tock's `DmaFence` shape: `release` before the device reads a buffer the
/// CPU wrote, `acquire` before the CPU reads what the device wrote.  The
/// crate's [`Device`] implements it with real cache maintenance
/// (`coh_release` / `coh_acquire`), so a kernel written against the trait
/// gets it on Cortex-M7 and non-coherent RISC-V.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// use coherent::DmaFence;
/// let dev = coherent::Device::new(c"d", false).unwrap();
/// let mut buf = coherent::CoherentBox::<[u8]>::zeroed_slice(&dev, 256, coherent::Attrs::NONE).unwrap();
/// buf[0] = 1;
/// let p: *mut [u8] = &mut *buf;
/// (&dev).release(p); // written back: the device may read it
/// (&dev).acquire(p); // stale lines dropped: the CPU may read what it wrote
/// assert!(dev.stats().release_calls >= 1 && dev.stats().acquire_calls >= 1);
/// ```
///
/// # Safety
/// An implementation must make the CPU's writes to `buf` visible to the
/// device on `release` and the device's writes visible to the CPU on
/// `acquire` (on a non-coherent system: cache maintenance, not a barrier
/// alone).
pub unsafe trait DmaFence: Copy {
    /// CPU writes to `buf` become visible to the device.
    fn release<T>(self, buf: *mut [T]);
    /// Device writes to `buf` become visible to the CPU.
    fn acquire<T>(self, buf: *mut [T]);
}

// SAFETY: coh_release_at writes back (cleans) every line of buf and
// orders it before later stores (the doorbell); coh_acquire_at
// invalidates them and orders later loads.  Failures are the library's
// diagnostics (file:line of the Rust caller): the trait has no error.
unsafe impl DmaFence for &Device {
    #[track_caller]
    fn release<T>(self, buf: *mut [T]) {
        let w = crate::__here();
        // SAFETY: FFI; the library only maintains lines, it neither reads
        // nor writes the buffer's bytes.
        unsafe {
            ffi::coh_release_at(self.raw(), buf.cast(), buf.len() * core::mem::size_of::<T>(), w)
        };
    }
    #[track_caller]
    fn acquire<T>(self, buf: *mut [T]) {
        let w = crate::__here();
        // SAFETY: as release.
        unsafe {
            ffi::coh_acquire_at(self.raw(), buf.cast(), buf.len() * core::mem::size_of::<T>(), w)
        };
    }
}
