use core::marker::PhantomData;
use core::mem::{align_of, size_of, MaybeUninit};
use core::ops::{Deref, DerefMut};

use crate::{ffi, Attrs, Device, Error, Result};

/// Plain data a device may read and write: every bit pattern is a valid
/// value, there is no padding, no pointer and no drop glue.
///
/// # Safety
/// The implementer promises exactly that (a `#[repr(C)]` struct of
/// `DmaPod` fields without padding qualifies).
pub unsafe trait DmaPod: Copy + 'static {}

macro_rules! pod {
    ($($t:ty),*) => { $(
        // SAFETY: integers: any bits are a value, no padding.
        unsafe impl DmaPod for $t {}
    )* };
}
pod!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);
// SAFETY: an array of plain data is plain data.
unsafe impl<T: DmaPod, const N: usize> DmaPod for [T; N] {}

mod sealed {
    pub trait Sealed {}
}

/// `T` or `[T]`: what a [`Coherent`] or [`CoherentBox`] holds.
pub trait Elems: sealed::Sealed {
    /// The element type.
    type Elem: DmaPod;
    #[doc(hidden)]
    fn __from_raw(p: *mut Self::Elem, n: usize) -> *mut Self;
}
impl<E: DmaPod> sealed::Sealed for E {}
impl<E: DmaPod> sealed::Sealed for [E] {}
impl<E: DmaPod> Elems for E {
    type Elem = E;
    fn __from_raw(p: *mut E, _n: usize) -> *mut E {
        p
    }
}
impl<E: DmaPod> Elems for [E] {
    type Elem = E;
    fn __from_raw(p: *mut E, n: usize) -> *mut [E] {
        core::ptr::slice_from_raw_parts_mut(p, n)
    }
}

struct Mem<'d> {
    m: ffi::coh_mem,
    site: *const ffi::coh_where,
    _dev: PhantomData<&'d Device>,
}

impl<'d> Mem<'d> {
    fn alloc<E>(dev: &'d Device, n: usize, attrs: u32, state: u32, w: *const ffi::coh_where)
        -> Result<Self> {
        let mut me = Mem { m: ffi::coh_mem::empty(), site: w, _dev: PhantomData };
        // SAFETY: FFI; `me.m` is written by the library, the device outlives it ('d).
        Error::check(unsafe {
            ffi::coh__mem_alloc(&mut me.m, dev.raw(), n, size_of::<E>().max(1), align_of::<E>(),
                                attrs, state, w)
        })?;
        Ok(me)
    }
}

impl Drop for Mem<'_> {
    fn drop(&mut self) {
        if self.m.cpu_ != 0 || self.m.bus != ffi::COH_BUS_ERROR {
            // SAFETY: FFI; frees what coh__mem_alloc handed out, once.
            unsafe { ffi::coh__mem_free(&mut self.m, self.site) };
        }
    }
}

/// Memory shared with a device (a `COH_SHARED(T)` handle): the CPU reaches
/// it only through [`dma_read!`](crate::dma_read) and
/// [`dma_write!`](crate::dma_write), which do the maintenance of the
/// field's cache lines that `coh_read`/`coh_write` do.
///
/// There is no `Deref`: plain access to shared memory does not compile.
///
/// ```compile_fail,E0608
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// let c = coherent::Coherent::<[u32]>::zeroed_slice(&dev, 4, coherent::Attrs::NONE).unwrap();
/// let x = c[0]; // no plain access after sharing
/// ```
pub struct Coherent<'d, T: ?Sized + Elems> {
    mem: Mem<'d>,
    _t: PhantomData<*mut T>,
}

/// CPU-owned memory for a device, not shared yet (a `COH_BOX(T)` handle):
/// plain `Deref`/`DerefMut` access, then [`CoherentBox::share`] by value.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// use coherent::{Attrs, CoherentBox, Device};
/// let dev = Device::new(c"d", false).unwrap();
/// let mut b = CoherentBox::<[u64]>::zeroed_slice(&dev, 4, Attrs::NONE).unwrap();
/// b[2] = 7; // CPU-owned: plain stores
/// let c = b.share().unwrap(); // the box is consumed
/// assert_eq!(coherent::dma_read!(c, [2]).unwrap(), 7);
/// ```
///
/// ```compile_fail,E0382
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// let mut b = coherent::CoherentBox::<[u64]>::zeroed_slice(&dev, 4, coherent::Attrs::NONE).unwrap();
/// let c = b.share().unwrap();
/// b[0] = 1; // the box was moved into the shared handle
/// ```
pub struct CoherentBox<'d, T: ?Sized + Elems> {
    mem: Mem<'d>,
    _t: PhantomData<*mut T>,
}

/// Device-only memory (`struct coh_devmem`): a bus address and a size.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// let dev = coherent::Device::new(c"d", false).unwrap();
/// let h = coherent::CoherentHandle::new(&dev, 4096, coherent::Attrs::NONE).unwrap();
/// assert!(h.bus() <= dev.mask() && h.size() == 4096);
/// ```
pub struct CoherentHandle<'d> {
    mem: Mem<'d>,
}

impl<'d> CoherentHandle<'d> {
    /// `size` bytes the CPU never touches.
    #[track_caller]
    pub fn new(dev: &'d Device, size: usize, attrs: Attrs) -> Result<Self> {
        let w = crate::__here();
        Mem::alloc::<u8>(dev, size, attrs.0 | ffi::COH_ATTR_NO_CPU_MAPPING, ffi::COH_MEM_DEVONLY, w)
            .map(|mem| CoherentHandle { mem })
    }
    /// The bus address to program into the device.
    pub fn bus(&self) -> u64 {
        self.mem.m.bus
    }
    /// Bytes.
    pub fn size(&self) -> usize {
        self.mem.m.size
    }
}

impl<'d, E: DmaPod> Coherent<'d, E> {
    /// One zeroed `E`, shared.
    #[track_caller]
    pub fn zeroed(dev: &'d Device, attrs: Attrs) -> Result<Self> {
        Self::alloc(dev, 1, attrs, crate::__here())
    }
}

impl<'d, E: DmaPod> Coherent<'d, [E]> {
    /// `n` zeroed `E`, shared.
    #[track_caller]
    pub fn zeroed_slice(dev: &'d Device, n: usize, attrs: Attrs) -> Result<Self> {
        Self::alloc(dev, n, attrs, crate::__here())
    }
}

impl<'d, T: ?Sized + Elems> Coherent<'d, T> {
    fn alloc(dev: &'d Device, n: usize, attrs: Attrs, w: *const ffi::coh_where) -> Result<Self> {
        Mem::alloc::<T::Elem>(dev, n, attrs.0, ffi::COH_MEM_SHARED, w)
            .map(|mem| Coherent { mem, _t: PhantomData })
    }

    /// Bus address of element 0.
    pub fn bus(&self) -> u64 {
        self.mem.m.bus
    }
    /// Elements.
    pub fn len(&self) -> usize {
        self.mem.m.count
    }
    /// True if there is no element.
    pub fn is_empty(&self) -> bool {
        self.mem.m.count == 0
    }
    /// Bytes.
    pub fn size(&self) -> usize {
        self.mem.m.size
    }
    /// The C handle, for calls the crate does not wrap.
    pub fn raw(&self) -> *const ffi::coh_mem {
        &self.mem.m
    }
    /// CPU address of element 0, for the simulator's names and for DMA
    /// the crate does not wrap; accessing it bypasses the maintenance.
    pub fn as_ptr(&self) -> *const T::Elem {
        self.mem.m.cpu_ as *const T::Elem
    }

    pub(crate) fn mem(&self) -> *const ffi::coh_mem {
        &self.mem.m
    }

    pub(crate) fn field<F, P: FnOnce(*const T::Elem) -> *const F>(&self, i: usize, proj: P) -> Result<usize> {
        if i >= self.mem.m.count {
            return Err(Error::ERANGE);
        }
        let e = (self.mem.m.cpu_ + i * size_of::<T::Elem>()) as *const T::Elem;
        let f = proj(e) as usize;
        // the projection is a field path, so it stays inside the element
        debug_assert!(f >= e as usize && f + size_of::<F>() <= e as usize + size_of::<T::Elem>());
        Ok(f)
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn __read<F: DmaPod, P: FnOnce(*const T::Elem) -> *const F>(&self, i: usize, proj: P,
                                                                  dev_only: bool) -> Result<F> {
        let w = crate::__here();
        let a = self.field(i, proj)?;
        let mut v = MaybeUninit::<F>::uninit();
        // SAFETY: FFI; `a` is a field of element i (bounds checked above),
        // the shim writes exactly size_of::<F>() bytes into `v`, any bits
        // are an F (DmaPod).
        unsafe {
            if dev_only {
                ffi::coh_rs_read_from_device(&self.mem.m, a, size_of::<F>(), v.as_mut_ptr().cast(), w)
            } else {
                ffi::coh_rs_read(&self.mem.m, a, size_of::<F>(), v.as_mut_ptr().cast(), w)
            }
            Ok(v.assume_init())
        }
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn __write<F: DmaPod, P: FnOnce(*const T::Elem) -> *const F>(&self, i: usize, proj: P,
                                                                   v: F) -> Result<()> {
        let w = crate::__here();
        let a = self.field(i, proj)?;
        // SAFETY: FFI; `a` is a field of element i, `v` is size_of::<F>() bytes.
        unsafe { ffi::coh_rs_write(&self.mem.m, a, size_of::<F>(), (&v as *const F).cast(), w) };
        Ok(())
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn __write_batch<F: DmaPod, P: FnOnce(*const T::Elem) -> *const F>(
        &self, b: &mut Batch<'_>, i: usize, proj: P, v: F) -> Result<()> {
        let w = crate::__here();
        let a = self.field(i, proj)?;
        // SAFETY: FFI; as __write, the batch is live (not ended: Batch::end consumes it).
        Error::check(unsafe {
            ffi::coh_rs_write_batch(&mut b.raw, &self.mem.m, a, size_of::<F>(),
                                    (&v as *const F).cast(), w)
        })
    }
}

impl<'d, T: ?Sized + Elems> Coherent<'d, T> {
    #[doc(hidden)]
    #[track_caller]
    pub fn __batch_end_read<F: DmaPod, P: FnOnce(*const T::Elem) -> *const F>(
        &self, b: Batch<'_>, i: usize, proj: P) -> Result<F> {
        let w = crate::__here();
        let mut b = core::mem::ManuallyDrop::new(b);
        let a = match self.field(i, proj) {
            Ok(a) => a,
            Err(e) => {
                let _ = b.finish();
                return Err(e);
            }
        };
        let mut v = MaybeUninit::<F>::uninit();
        // SAFETY: FFI; ends the batch (once: ManuallyDrop), then loads the
        // field of element i into v (size_of::<F>() bytes, any bits an F).
        unsafe {
            Error::check(ffi::coh_rs_batch_end_read(&mut b.raw, &self.mem.m, a, size_of::<F>(),
                                                   v.as_mut_ptr().cast(), w))?;
            Ok(v.assume_init())
        }
    }
}

impl<'d, E: DmaPod> CoherentBox<'d, E> {
    /// One zeroed `E`, CPU-owned.
    #[track_caller]
    pub fn zeroed(dev: &'d Device, attrs: Attrs) -> Result<Self> {
        Self::alloc(dev, 1, attrs, crate::__here())
    }
}

impl<'d, E: DmaPod> CoherentBox<'d, [E]> {
    /// `n` zeroed `E`, CPU-owned.
    #[track_caller]
    pub fn zeroed_slice(dev: &'d Device, n: usize, attrs: Attrs) -> Result<Self> {
        Self::alloc(dev, n, attrs, crate::__here())
    }
}

impl<'d, T: ?Sized + Elems> CoherentBox<'d, T> {
    fn alloc(dev: &'d Device, n: usize, attrs: Attrs, w: *const ffi::coh_where) -> Result<Self> {
        Mem::alloc::<T::Elem>(dev, n, attrs.0, ffi::COH_MEM_BOX, w)
            .map(|mem| CoherentBox { mem, _t: PhantomData })
    }

    /// Share the box with the device (`coh_box_share`): what the CPU wrote
    /// is written back, and from now on only the accessors reach it.  On
    /// failure the memory is freed.
    #[track_caller]
    pub fn share(mut self) -> Result<Coherent<'d, T>> {
        let w = crate::__here();
        // SAFETY: FFI on our own box.
        Error::check(unsafe { ffi::coh__mem_share(&mut self.mem.m, w) })?;
        let mem = core::mem::replace(&mut self.mem,
                                     Mem { m: ffi::coh_mem::empty(), site: w, _dev: PhantomData });
        Ok(Coherent { mem, _t: PhantomData })
    }
}

impl<T: ?Sized + Elems> Deref for CoherentBox<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a box is CPU-owned, zeroed and `count` elements long; the
        // device has no address for it until share() consumes the box.
        unsafe { &*T::__from_raw(self.mem.m.cpu_ as *mut T::Elem, self.mem.m.count) }
    }
}

impl<T: ?Sized + Elems> DerefMut for CoherentBox<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as deref, and &mut self is the only reference.
        unsafe { &mut *T::__from_raw(self.mem.m.cpu_ as *mut T::Elem, self.mem.m.count) }
    }
}

/// Several writes (or syncs), one barrier at the end (`struct coh_batch`).
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// let c = coherent::Coherent::<[u32]>::zeroed_slice(&dev, 64, coherent::Attrs::NONE).unwrap();
/// let mut b = dev.batch().unwrap();
/// for i in 0..64 {
///     coherent::dma_write!(b, c, [i], i as u32).unwrap();
/// }
/// b.end().unwrap();
/// assert_eq!(coherent::dma_read!(c, [63]).unwrap(), 63);
/// ```
pub struct Batch<'d> {
    raw: ffi::coh_batch,
    site: *const ffi::coh_where,
    _dev: PhantomData<&'d Device>,
}

impl<'d> Batch<'d> {
    pub(crate) fn new(dev: &'d Device, w: *const ffi::coh_where) -> Result<Self> {
        // SAFETY: coh_batch is plain data, initialised by coh_batch_init_at.
        let mut b = Batch { raw: unsafe { core::mem::zeroed() }, site: w, _dev: PhantomData };
        // SAFETY: FFI.
        Error::check(unsafe { ffi::coh_batch_init_at(&mut b.raw, dev.raw(), w) })?;
        Ok(b)
    }

    /// The barrier: everything added is done; the first failure.
    #[track_caller]
    pub fn end(mut self) -> Result<()> {
        self.site = crate::__here();
        let rc = self.finish();
        core::mem::forget(self);
        rc
    }

    fn finish(&mut self) -> Result<()> {
        // SAFETY: FFI; called once (end forgets, drop is the other path).
        Error::check(unsafe { ffi::coh_batch_end_at(&mut self.raw, self.site) })
    }
}

impl Drop for Batch<'_> {
    /// A batch dropped without `end` still gets its barrier.
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

/// Read a field of shared memory with its maintenance (`coh_read`):
/// `dma_read!(c, [i].status)`, `dma_read!(c, .field)` for a `Coherent<T>`.
/// `Err(ERANGE)` for an index out of bounds.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// #[derive(Clone, Copy)]
/// #[repr(C)]
/// struct Desc { addr: u64, len: u32, status: u32 }
/// // SAFETY: integers only, no padding.
/// unsafe impl coherent::DmaPod for Desc {}
/// let ring = coherent::Coherent::<[Desc]>::zeroed_slice(&dev, 4, coherent::Attrs::NONE).unwrap();
/// coherent::dma_write!(ring, [1].len, 512).unwrap();
/// assert_eq!(coherent::dma_read!(ring, [1].len).unwrap(), 512);
/// assert_eq!(coherent::dma_read!(ring, [9].status), Err(coherent::Error::ERANGE));
/// let one = coherent::Coherent::<Desc>::zeroed(&dev, coherent::Attrs::NONE).unwrap();
/// coherent::dma_write!(one, .addr, 0x1000).unwrap();
/// assert_eq!(coherent::dma_read!(one, .addr).unwrap(), 0x1000);
/// ```
#[macro_export]
macro_rules! dma_read {
    ($c:expr, [$i:expr] $($f:tt)*) => {
        ($c).__read($i, |p| {
            // SAFETY: p points at an element inside the allocation (the index
            // was checked); a field projection does not read memory.
            unsafe { ::core::ptr::addr_of!((*p) $($f)*) }
        }, false)
    };
    ($c:expr, $($f:tt)+) => { $crate::dma_read!($c, [0] $($f)+) };
}

/// Read a field the device wrote, its lines invalidated, never flushed
/// (`coh_read_from_device`).  Same forms as [`dma_read!`].
#[macro_export]
macro_rules! dma_read_from_device {
    ($c:expr, [$i:expr] $($f:tt)*) => {
        ($c).__read($i, |p| {
            // SAFETY: as in dma_read!.
            unsafe { ::core::ptr::addr_of!((*p) $($f)*) }
        }, true)
    };
    ($c:expr, $($f:tt)+) => { $crate::dma_read_from_device!($c, [0] $($f)+) };
}

/// End a batch with the read of one field (`coh_batch_end_read`): the
/// field's lines join the batch's maintenance, one barrier, then the load.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// let c = coherent::Coherent::<[u32]>::zeroed_slice(&dev, 4, coherent::Attrs::NONE).unwrap();
/// let mut b = dev.batch().unwrap();
/// coherent::dma_write!(b, c, [0], 5).unwrap();
/// assert_eq!(coherent::dma_end_read!(b, c, [3]).unwrap(), 0);
/// assert_eq!(coherent::dma_read!(c, [0]).unwrap(), 5);
/// ```
#[macro_export]
macro_rules! dma_end_read {
    ($b:ident, $c:expr, [$i:expr] $($f:tt)*) => {
        ($c).__batch_end_read($b, $i, |p| {
            // SAFETY: as in dma_read!.
            unsafe { ::core::ptr::addr_of!((*p) $($f)*) }
        })
    };
}

/// Write a field of shared memory and release its lines (`coh_write`):
/// `dma_write!(c, [i].addr, v)`; with a batch first,
/// `dma_write!(b, c, [i].addr, v)` (`coh_write_batch`: the barrier is
/// `b.end()`).
#[macro_export]
macro_rules! dma_write {
    ($b:ident, $c:expr, [$i:expr] $($f:tt)*) => {
        $crate::__dma_write_batch!($b, $c, [$i] $($f)*)
    };
    ($c:expr, [$i:expr] $($f:tt)*) => { $crate::__dma_write!($c, [$i] $($f)*) };
    ($c:expr, . $($f:tt)+) => { $crate::__dma_write!($c, [0] . $($f)+) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __dma_write {
    ($c:expr, [$i:expr] $($f:tt)*) => {
        $crate::__dma_write!(@split $c, $i, [] $($f)*)
    };
    (@split $c:expr, $i:expr, [$($p:tt)*] , $v:expr) => {
        ($c).__write($i, |p| {
            // SAFETY: as in dma_read!.
            unsafe { ::core::ptr::addr_of!((*p) $($p)*) }
        }, $v)
    };
    (@split $c:expr, $i:expr, [$($p:tt)*] $t:tt $($rest:tt)*) => {
        $crate::__dma_write!(@split $c, $i, [$($p)* $t] $($rest)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __dma_write_batch {
    ($b:ident, $c:expr, [$i:expr] $($f:tt)*) => {
        $crate::__dma_write_batch!(@split $b, $c, $i, [] $($f)*)
    };
    (@split $b:ident, $c:expr, $i:expr, [$($p:tt)*] , $v:expr) => {
        ($c).__write_batch(&mut $b, $i, |p| {
            // SAFETY: as in dma_read!.
            unsafe { ::core::ptr::addr_of!((*p) $($p)*) }
        }, $v)
    };
    (@split $b:ident, $c:expr, $i:expr, [$($p:tt)*] $t:tt $($rest:tt)*) => {
        $crate::__dma_write_batch!(@split $b, $c, $i, [$($p)* $t] $($rest)*)
    };
}

