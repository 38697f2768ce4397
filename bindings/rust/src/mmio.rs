use crate::ffi;

/// A window of device registers, read and written with the library's
/// ordered accessors (`coh_mmio_read32` / `coh_mmio_write32`: a write is
/// ordered after every earlier memory write, a read before every later
/// memory read).  Offsets are bounds-checked.
pub struct Mmio {
    base: *mut u8,
    size: usize,
}

impl Mmio {
    /// # Safety
    /// `base..base+size` must be the device's register window, mapped for
    /// as long as the `Mmio` lives.
    pub unsafe fn new(base: *mut u8, size: usize) -> Self {
        Mmio { base, size }
    }

    fn at(&self, off: usize) -> *mut u8 {
        assert!(off % 4 == 0 && off + 4 <= self.size, "Mmio: offset {off:#x} outside the window");
        self.base.wrapping_add(off)
    }

    /// An ordered 32-bit register read.
    #[track_caller]
    pub fn read32(&self, off: usize) -> u32 {
        // SAFETY: in the window (checked), mapped by new()'s contract.
        unsafe { ffi::coh_rs_mmio_read32(self.at(off).cast()) }
    }

    /// An ordered 32-bit register write.
    #[track_caller]
    pub fn write32(&self, off: usize, v: u32) {
        // SAFETY: as read32.
        unsafe { ffi::coh_rs_mmio_write32(self.at(off).cast(), v) }
    }
}
