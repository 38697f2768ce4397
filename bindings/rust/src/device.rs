use core::cell::UnsafeCell;
use core::ffi::{c_uint, CStr};
use core::marker::PhantomPinned;

use crate::{ffi, Error, Result};

/// The highest bus address a device can reach, `N` bits wide.
///
/// ```
/// use coherent::DmaMask;
/// assert_eq!(DmaMask::new::<32>().value(), 0xffff_ffff);
/// assert_eq!(DmaMask::new::<64>().value(), u64::MAX);
/// assert!(DmaMask::try_new(65).is_err());
/// ```
///
/// A width over 64 does not compile:
///
/// ```compile_fail,E0080
/// let _ = coherent::DmaMask::new::<65>();
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DmaMask(u64, u32);

impl DmaMask {
    /// A mask of `N` bits, 1 to 64, checked at compile time.
    pub const fn new<const N: u32>() -> Self {
        const { assert!(N >= 1 && N <= 64, "DmaMask::new: width must be 1..=64 bits") };
        DmaMask(if N == 64 { u64::MAX } else { (1u64 << N) - 1 }, N)
    }

    /// A mask of `bits` bits; `Err(EINVAL)` unless 1..=64.
    pub const fn try_new(bits: u32) -> Result<Self> {
        match bits {
            1..=63 => Ok(DmaMask((1u64 << bits) - 1, bits)),
            64 => Ok(DmaMask(u64::MAX, 64)),
            _ => Err(Error::EINVAL),
        }
    }

    /// The mask itself.
    pub const fn value(self) -> u64 {
        self.0
    }
}

/// Who reads and writes a buffer (`enum coh_dir`, Linux's `DataDirection`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i32)]
pub enum DataDirection {
    /// The device reads and writes.
    Bidirectional = ffi::COH_BIDIRECTIONAL,
    /// The device reads what the CPU wrote.
    ToDevice = ffi::COH_TO_DEVICE,
    /// The device writes, the CPU reads back.
    FromDevice = ffi::COH_FROM_DEVICE,
}

/// Allocation attributes (`COH_ATTR_*`, Linux's `Attrs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Attrs(pub(crate) c_uint);

impl Attrs {
    /// No attribute.
    pub const NONE: Attrs = Attrs(0);
    /// Prefer an uncached region (no maintenance).
    pub const UNCACHED: Attrs = Attrs(ffi::COH_ATTR_UNCACHED);
    /// Write-combining first, then uncached, then cached.
    pub const WRITE_COMBINE: Attrs = Attrs(ffi::COH_ATTR_WRITE_COMBINE);
    /// Streaming maps: no maintenance at map/unmap, the caller syncs
    /// (`DMA_ATTR_SKIP_CPU_SYNC`).
    pub const SKIP_CPU_SYNC: Attrs = Attrs(ffi::COH_ATTR_SKIP_CPU_SYNC);
    /// No diagnostic when the allocation fails.
    pub const NO_WARN: Attrs = Attrs(ffi::COH_ATTR_NO_WARN);
}

impl core::ops::BitOr for Attrs {
    type Output = Attrs;
    fn bitor(self, o: Attrs) -> Attrs {
        Attrs(self.0 | o.0)
    }
}

/// The library's counters for one device (`struct coh_stats`).
pub type Stats = ffi::coh_stats;

/// A DMA-capable device (`struct coh_device`): its mask and coherence.
///
/// Everything allocated or mapped for it borrows it, so it cannot move or
/// go away while the device may still hold a bus address.  Not `Sync`: the
/// library's per-device state is not shared between threads.
pub struct Device {
    raw: UnsafeCell<ffi::coh_device>,
    _pin: PhantomPinned,
}

impl Device {
    /// A device named `name`; `coherent` if it snoops the CPU's caches
    /// (devicetree `dma-coherent`: no maintenance).  Mask: 32 bits.
    ///
    /// ```
    /// let dev = coherent::Device::new(c"eth0", false).unwrap();
    /// assert_eq!(dev.mask(), 0xffff_ffff);
    /// ```
    pub fn new(name: &'static CStr, coherent: bool) -> Result<Self> {
        let d = Device {
            // SAFETY: coh_device is plain data; all-zero is a valid value,
            // overwritten by coh_device_init below.
            raw: UnsafeCell::new(unsafe { core::mem::zeroed() }),
            _pin: PhantomPinned,
        };
        let flags = if coherent { ffi::COH_DEV_COHERENT } else { 0 };
        // SAFETY: FFI; name is 'static as the library keeps the pointer.
        Error::check(unsafe { ffi::coh_device_init(d.raw.get(), name.as_ptr(), flags) })?;
        Ok(d)
    }

    /// Set the mask.
    pub fn set_mask(&self, m: DmaMask) -> Result<()> {
        // SAFETY: FFI on our own device.
        Error::check(unsafe { ffi::coh_device_set_mask_bits(self.raw(), m.1) })
    }

    /// The mask.
    pub fn mask(&self) -> u64 {
        // SAFETY: a read of our own device, no call in flight (not Sync).
        unsafe { (*self.raw.get()).dma_mask }
    }

    /// The library's counters.
    pub fn stats(&self) -> Stats {
        let mut s = Stats::default();
        // SAFETY: FFI on our own device.
        unsafe { ffi::coh_stats_get(self.raw(), &mut s) };
        s
    }

    /// Shared allocations of this device still live (`coh_device_leaks`).
    pub fn leaks(&self) -> i32 {
        // SAFETY: FFI on our own device.
        unsafe { ffi::coh_device_leaks(self.raw()) }
    }

    /// The C device, for calls the crate does not wrap.
    pub fn raw(&self) -> *mut ffi::coh_device {
        self.raw.get()
    }

    /// Hand `buf` to the device (`coh_give`).
    ///
    /// # Safety
    /// Until [`Device::take`], the CPU must not touch `buf` (for
    /// `ToDevice`, not write it); the device may.
    #[track_caller]
    pub unsafe fn give<T>(&self, buf: *mut [T], dir: DataDirection) -> Result<()> {
        let w = crate::__here();
        // SAFETY: FFI; the caller keeps the contract above.
        Error::check(unsafe {
            ffi::coh_give_at(self.raw(), buf.cast(), buf.len() * core::mem::size_of::<T>(), dir as i32, w)
        })
    }

    /// Take `buf` back from the device (`coh_take`).
    ///
    /// # Safety
    /// The device must have stopped accessing `buf`.
    #[track_caller]
    pub unsafe fn take<T>(&self, buf: *mut [T], dir: DataDirection) -> Result<()> {
        let w = crate::__here();
        // SAFETY: FFI; the caller keeps the contract above.
        Error::check(unsafe {
            ffi::coh_take_at(self.raw(), buf.cast(), buf.len() * core::mem::size_of::<T>(), dir as i32, w)
        })
    }

    /// Start a batch: maintenance of several fields or maps, one barrier.
    #[track_caller]
    pub fn batch(&self) -> Result<crate::Batch<'_>> {
        crate::Batch::new(self, crate::__here())
    }
}
