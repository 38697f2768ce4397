use core::marker::PhantomData;
use core::mem::MaybeUninit;

use crate::{ffi, Coherent, DmaPod, Error, Result};

/// Ring flags (`COH_RING_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RingFlags(u32);

impl RingFlags {
    /// Each descriptor alone in its lines (padded `T`).
    pub const NONE: RingFlags = RingFlags(0);
    /// Several descriptors a line, handed over a line at a time.
    pub const BATCHED: RingFlags = RingFlags(ffi::COH_RING_BATCHED);
    /// The owner bit flips meaning every lap (a phase ring).
    pub const PHASE: RingFlags = RingFlags(ffi::COH_RING_PHASE);
}

/// An owner-bit descriptor ring over a `Coherent<[T]>` (`coh_ring_attach`):
/// `push` writes a descriptor's fields, its owner word last, the lines
/// released, one barrier; `pop` acquires the owner word's line and copies
/// the descriptor out once.  The ring borrows the handle (the C ring points
/// at it), detached on drop.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// #[derive(Clone, Copy, Default)]
/// #[repr(C)]
/// struct Desc { ctrl: u32, len: u32, addr: u64, pad: [u64; 6] } // 64 bytes
/// // SAFETY: integers only, no padding.
/// unsafe impl coherent::DmaPod for Desc {}
/// let mem = coherent::Coherent::<[Desc]>::zeroed_slice(&dev, 8, coherent::Attrs::NONE).unwrap();
/// // SAFETY (closure): a projection of the element pointer, nothing read.
/// let mut ring = coherent::Ring::attach(&mem, |d| unsafe { core::ptr::addr_of!((*d).ctrl) },
///                                       1 << 31, coherent::RingFlags::NONE).unwrap();
/// let slot = ring.push(&Desc { len: 512, ..Default::default() }).unwrap();
/// assert_eq!((slot, ring.pending(), ring.next()), (0, 1, 1));
/// assert_eq!(ring.pop().err(), Some(coherent::Error::EAGAIN)); // the device owns it
/// ```
pub struct Ring<'c, 'd, T: DmaPod> {
    raw: ffi::coh_ring,
    mem: &'c Coherent<'d, [T]>,
    _t: PhantomData<T>,
}

impl<'c, 'd, T: DmaPod> Ring<'c, 'd, T> {
    /// Attach a ring to `mem`; `own` projects a descriptor onto its 32-bit
    /// owner word, `own_bit` is the bit the device clears when done.
    #[track_caller]
    pub fn attach(mem: &'c Coherent<'d, [T]>, own: impl FnOnce(*const T) -> *const u32,
                  own_bit: u32, flags: RingFlags) -> Result<Self> {
        let w = crate::__here();
        let base = mem.as_ptr();
        let off = mem.field(0, own)? - base as usize;
        // SAFETY: coh_ring is plain data, filled by coh_ring_attach_at.
        let mut r = Ring { raw: unsafe { core::mem::zeroed() }, mem, _t: PhantomData };
        // SAFETY: FFI; the ring keeps a pointer to mem's coh_mem, which the
        // borrow 'c keeps in place.  `r.raw` moves with r: the C ring holds
        // no pointer to itself (its own `mem` is used by coh_ring_create
        // rings only; `m` points at the handle).
        Error::check(unsafe {
            ffi::coh_ring_attach_at(&mut r.raw, mem.mem(), core::mem::size_of::<T>(), off,
                                    own_bit, flags.0, w)
        })?;
        Ok(r)
    }

    /// Post one descriptor (its owner bit is the ring's to set): the slot.
    #[track_caller]
    pub fn push(&mut self, desc: &T) -> Result<usize> {
        let w = crate::__here();
        // SAFETY: FFI; desc is one T, the ring is attached to self.mem.
        let rc = unsafe {
            ffi::coh_ring_push_at(&mut self.raw, self.mem.mem(), (desc as *const T).cast(), 1, 0, w)
        };
        Error::check(rc).map(|_| rc as usize)
    }

    /// Reap the oldest posted slot: (slot, a copy of the descriptor);
    /// `Err(EAGAIN)` while the device still owns it.
    #[track_caller]
    pub fn pop(&mut self) -> Result<(usize, T)> {
        let w = crate::__here();
        let mut d = MaybeUninit::<T>::uninit();
        // SAFETY: FFI; the library copies one T into d on success; any
        // bits are a T (DmaPod).
        let rc = unsafe {
            ffi::coh_ring_pop_at(&mut self.raw, self.mem.mem(), d.as_mut_ptr().cast(), w)
        };
        Error::check(rc)?;
        // SAFETY: written on success.
        Ok((rc as usize, unsafe { d.assume_init() }))
    }

    /// The slot the next push fills (the device's tail register).
    pub fn next(&self) -> usize {
        // SAFETY: FFI, a read of our ring.
        unsafe { ffi::coh_rs_ring_next(&self.raw) }
    }
    /// Posted and not yet reaped.
    pub fn pending(&self) -> usize {
        // SAFETY: as next.
        unsafe { ffi::coh_rs_ring_pending(&self.raw) }
    }
    /// Slots a push can take now.
    pub fn space(&self) -> usize {
        // SAFETY: as next.
        unsafe { ffi::coh_rs_ring_space(&self.raw) }
    }

    /// Every slot back to the CPU, the ring restarts at 0 (`coh_ring_reset`:
    /// the device must be stopped).
    #[track_caller]
    pub fn reset(&mut self) -> Result<()> {
        let w = crate::__here();
        // SAFETY: FFI on our ring.
        Error::check(unsafe { ffi::coh_ring_reset_at(&mut self.raw, w) })
    }
}

impl<T: DmaPod> Drop for Ring<'_, '_, T> {
    fn drop(&mut self) {
        // SAFETY: FFI; -COH_EBUSY (reported by the library) if the device
        // still owns slots: the handle's borrow ends, its memory stays
        // allocated until the Coherent drops.
        unsafe { ffi::coh_ring_detach_at(&mut self.raw, core::ptr::null()) };
    }
}
