//! Memory shared with DMA engines, in Rust, over the `coherent` C library.
//!
//! The names follow Linux's `kernel::dma` ([`Coherent`], [`CoherentBox`],
//! [`CoherentHandle`], [`DmaMask`], [`DataDirection`], [`dma_read!`],
//! [`dma_write!`]) and Tock's [`DmaFence`]; unlike both, every access does
//! the cache maintenance a non-coherent SoC needs, through the C library.
//! Every call passes its caller's line to the library (`#[track_caller]`),
//! so the library's diagnostics and the simulator's reports name the Rust
//! line.
//!
//! ```
//! # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
//! use coherent::{Attrs, Coherent, Device, DmaMask};
//!
//! let dev = Device::new(c"doc", false).unwrap();
//! dev.set_mask(DmaMask::new::<32>()).unwrap();
//! let ring = Coherent::<[u32]>::zeroed_slice(&dev, 8, Attrs::NONE).unwrap();
//! coherent::dma_write!(ring, [3], 0xdead_beef).unwrap();
//! assert_eq!(coherent::dma_read!(ring, [3]).unwrap(), 0xdead_beef);
//! assert!(coherent::dma_read!(ring, [8]).is_err()); // bounds-checked
//! ```
#![no_std]
#![deny(unsafe_op_in_unsafe_fn, missing_docs)]

#[cfg(feature = "std")]
extern crate std;

pub mod ffi;

mod coherent;
mod device;
mod fence;
mod mmio;
mod ring;
mod stream;

#[cfg(feature = "sim")]
pub mod sim;

pub use crate::coherent::{Batch, Coherent, CoherentBox, CoherentHandle, DmaPod, Elems};
pub use crate::device::{Attrs, DataDirection, Device, DmaMask, Stats};
pub use crate::fence::DmaFence;
pub use crate::mmio::Mmio;
pub use crate::ring::{Ring, RingFlags};
pub use crate::stream::{Mapping, SgMapping, SgEntry};

use core::ffi::c_int;

/// A negative errno-style code from the C library (`coherent/error.h`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Error(c_int);

impl Error {
    /// Device reported an error status.
    pub const EIO: Error = Error(ffi::COH_EIO);
    /// Nothing ready yet.
    pub const EAGAIN: Error = Error(ffi::COH_EAGAIN);
    /// Pool, region or bounce space exhausted.
    pub const ENOMEM: Error = Error(ffi::COH_ENOMEM);
    /// Address outside any known memory region.
    pub const EFAULT: Error = Error(ffi::COH_EFAULT);
    /// Memory is owned by the device / still mapped.
    pub const EBUSY: Error = Error(ffi::COH_EBUSY);
    /// Bad argument.
    pub const EINVAL: Error = Error(ffi::COH_EINVAL);
    /// Index or offset out of bounds.
    pub const ERANGE: Error = Error(ffi::COH_ERANGE);
    /// A device did not answer in time.
    pub const ETIMEDOUT: Error = Error(ffi::COH_ETIMEDOUT);

    /// The positive code (`COH_E*`).
    pub fn code(self) -> c_int {
        self.0
    }

    pub(crate) fn check(rc: c_int) -> Result<()> {
        if rc < 0 {
            Err(Error(-rc))
        } else {
            Ok(())
        }
    }
}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;

/// The caller's line as the library's `struct coh_where` (static: the
/// library keeps the pointer for later reports).
#[track_caller]
#[doc(hidden)]
pub fn __here() -> *const ffi::coh_where {
    let l = core::panic::Location::caller();
    // SAFETY: FFI; the shim copies at most `len` bytes of the 'static name.
    unsafe { ffi::coh_rs_where(l.file().as_ptr().cast(), l.file().len(), l.line() as c_int) }
}
