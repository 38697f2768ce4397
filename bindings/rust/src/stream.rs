use core::marker::PhantomData;

use crate::{ffi, Attrs, DataDirection, Device, Error, Result};

/// A streaming mapping (`coh_map_single`): the buffer is borrowed for as
/// long as the device may use it, so the CPU cannot touch it except
/// between [`Mapping::sync_for_cpu`] and the mapping's next handover;
/// dropping the mapping unmaps it.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// use coherent::{DataDirection, Device, Mapping};
/// let dev = Device::new(c"d", false).unwrap();
/// _sim.stream(&dev).unwrap(); // the device's mapping records
/// let mut buf = coherent::CoherentBox::<[u8]>::zeroed_slice(&dev, 512, coherent::Attrs::NONE).unwrap();
/// buf[0] = 0x5a;
/// let mut m = Mapping::new(&dev, &mut buf[..], DataDirection::Bidirectional).unwrap();
/// let bus = m.bus(); // program this into the device
/// assert_ne!(bus, u64::MAX);
/// let seen = m.sync_for_cpu(|b| b[0]).unwrap();
/// assert_eq!(seen, 0x5a);
/// let buf = m.unmap().unwrap(); // the buffer is the CPU's again
/// assert_eq!(buf[0], 0x5a);
/// ```
///
/// ```compile_fail,E0506
/// # let dev = coherent::Device::new(c"d", false).unwrap();
/// let mut buf = [0u8; 64];
/// let m = coherent::Mapping::new(&dev, &mut buf[..], coherent::DataDirection::FromDevice).unwrap();
/// buf[0] = 1; // mapped: the device owns it
/// drop(m);
/// ```
pub struct Mapping<'d, 'b> {
    dev: &'d Device,
    buf: *mut [u8],
    bus: u64,
    dir: DataDirection,
    attrs: Attrs,
    _b: PhantomData<&'b mut [u8]>,
}

impl<'d, 'b> Mapping<'d, 'b> {
    /// Map `buf` for `dev` in direction `dir` (`coh_map_single`).
    #[track_caller]
    pub fn new(dev: &'d Device, buf: &'b mut [u8], dir: DataDirection) -> Result<Self> {
        Self::map(dev, buf, dir, Attrs::NONE, crate::__here())
    }

    /// Map with attributes (`coh_map_single_attrs`); with
    /// [`Attrs::SKIP_CPU_SYNC`] the caller calls
    /// [`Mapping::sync_for_device`] before the device may read.
    #[track_caller]
    pub fn with_attrs(dev: &'d Device, buf: &'b mut [u8], dir: DataDirection, attrs: Attrs)
        -> Result<Self> {
        Self::map(dev, buf, dir, attrs, crate::__here())
    }

    fn map(dev: &'d Device, buf: &'b mut [u8], dir: DataDirection, attrs: Attrs,
           w: *const ffi::coh_where) -> Result<Self> {
        let p: *mut [u8] = buf;
        // SAFETY: FFI; buf stays borrowed by the mapping until unmap.
        let bus = unsafe {
            ffi::coh_map_single_attrs_at(dev.raw(), p.cast(), p.len(), dir as i32, attrs.0, w)
        };
        // SAFETY: FFI.  The check the library's checker expects of every map.
        if unsafe { ffi::coh_mapping_error(dev.raw(), bus) } {
            return Err(Error::EINVAL);
        }
        Ok(Mapping { dev, buf: p, bus, dir, attrs, _b: PhantomData })
    }

    /// The bus address.
    pub fn bus(&self) -> u64 {
        self.bus
    }

    /// The CPU address of the mapped bytes.  Dereferencing it while
    /// mapped is exactly the misuse the mapping prevents (tests plant it).
    pub fn cpu_ptr(&self) -> *mut u8 {
        self.buf.cast()
    }

    /// Bytes mapped.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True for an empty mapping.
    pub fn is_empty(&self) -> bool {
        self.buf.len() == 0
    }

    /// The CPU's turn: `coh_sync_for_cpu`, then `f` on the bytes, then
    /// `coh_sync_for_device` (the device's turn again).
    #[track_caller]
    pub fn sync_for_cpu<R>(&mut self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        let w = crate::__here();
        let (d, n, dir) = (self.dev.raw(), self.buf.len(), self.dir as i32);
        // SAFETY: FFI on our own mapping.
        Error::check(unsafe { ffi::coh_sync_for_cpu_at(d, self.bus, 0, n, dir, w) })?;
        // SAFETY: between the two syncs the CPU owns the bytes; &mut self
        // makes this the only reference.
        let r = f(unsafe { &mut *self.buf });
        // SAFETY: FFI.
        Error::check(unsafe { ffi::coh_sync_for_device_at(d, self.bus, 0, n, dir, w) })?;
        Ok(r)
    }

    /// The device's turn (`coh_sync_for_device`): after a
    /// [`Attrs::SKIP_CPU_SYNC`] map, before the device reads.
    #[track_caller]
    pub fn sync_for_device(&mut self) -> Result<()> {
        let w = crate::__here();
        // SAFETY: FFI on our own mapping.
        Error::check(unsafe {
            ffi::coh_sync_for_device_at(self.dev.raw(), self.bus, 0, self.buf.len(),
                                        self.dir as i32, w)
        })
    }

    /// Unmap and hand the buffer back.
    #[track_caller]
    pub fn unmap(self) -> Result<&'b mut [u8]> {
        let w = crate::__here();
        let me = core::mem::ManuallyDrop::new(self);
        let buf = me.buf;
        // SAFETY: FFI, once (no Drop).
        Error::check(unsafe {
            ffi::coh_unmap_single_attrs_at(me.dev.raw(), me.bus, me.buf.len(), me.dir as i32,
                                           me.attrs.0, w)
        })?;
        // SAFETY: unmapped: the CPU owns the buffer again, for 'b.
        Ok(unsafe { &mut *buf })
    }
}

impl Drop for Mapping<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: FFI, once.
        unsafe {
            ffi::coh_unmap_single_attrs_at(self.dev.raw(), self.bus, self.buf.len(),
                                           self.dir as i32, self.attrs.0, core::ptr::null())
        };
    }
}

/// One entry of a scatter-gather list (`struct coh_sg`).
pub type SgEntry = ffi::coh_sg;

/// A scatter-gather mapping (`coh_map_sg`) of several buffers, borrowed
/// for as long as it lives; the caller provides the entries' storage.
/// Unmapped on drop.
///
/// ```
/// # let _sim = coherent::sim::Sim::new(64, 1, 0, 0).unwrap();
/// use coherent::{Attrs, CoherentBox, DataDirection, Device, SgEntry, SgMapping};
/// let dev = Device::new(c"d", false).unwrap();
/// _sim.stream(&dev).unwrap();
/// let mut a = CoherentBox::<[u8]>::zeroed_slice(&dev, 256, Attrs::NONE).unwrap();
/// let mut b = CoherentBox::<[u8]>::zeroed_slice(&dev, 128, Attrs::NONE).unwrap();
/// let mut bufs = [&mut a[..], &mut b[..]];
/// // SAFETY: plain data; coh_map_sg fills the entries.
/// let mut sg: [SgEntry; 2] = unsafe { core::mem::zeroed() };
/// let m = SgMapping::new(&dev, &mut bufs, &mut sg, DataDirection::ToDevice).unwrap();
/// let total: usize = m.segments().map(|(_, len)| len).sum();
/// assert_eq!(total, 384);
/// ```
pub struct SgMapping<'d, 'b> {
    dev: &'d Device,
    sg: &'b mut [SgEntry],
    n: i32,
    dir: DataDirection,
}

impl<'d, 'b> SgMapping<'d, 'b> {
    /// Map `bufs` (one entry each in `sg`, which must be as long).
    #[track_caller]
    pub fn new(dev: &'d Device, bufs: &'b mut [&'b mut [u8]], sg: &'b mut [SgEntry],
               dir: DataDirection) -> Result<Self> {
        let w = crate::__here();
        if sg.len() != bufs.len() || bufs.is_empty() || bufs.len() > i32::MAX as usize {
            return Err(Error::EINVAL);
        }
        for (e, b) in sg.iter_mut().zip(bufs.iter_mut()) {
            e.ptr = b.as_mut_ptr().cast();
            e.len = b.len();
        }
        // SAFETY: FFI; the buffers stay borrowed for 'b.
        let rc = unsafe { ffi::coh_map_sg_at(dev.raw(), sg.as_mut_ptr(), sg.len() as i32, dir as i32, w) };
        if rc <= 0 {
            return Err(if rc < 0 { Error(-rc) } else { Error::EINVAL });
        }
        Ok(SgMapping { dev, sg, n: rc, dir })
    }

    /// The device's segments: (bus address, length).
    pub fn segments(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.sg[..self.n as usize].iter().map(|e| (e.bus, e.bus_len))
    }

    /// `coh_sync_sg_for_cpu`, `f` on the buffers' entries, `coh_sync_sg_for_device`.
    #[track_caller]
    pub fn sync_for_cpu<R>(&mut self, f: impl FnOnce(&[SgEntry]) -> R) -> Result<R> {
        let w = crate::__here();
        let (d, n, dir) = (self.dev.raw(), self.sg.len() as i32, self.dir as i32);
        // SAFETY: FFI on our own mapping.
        Error::check(unsafe { ffi::coh_sync_sg_for_cpu_at(d, self.sg.as_mut_ptr(), n, dir, w) })?;
        let r = f(self.sg);
        // SAFETY: FFI.
        Error::check(unsafe { ffi::coh_sync_sg_for_device_at(d, self.sg.as_mut_ptr(), n, dir, w) })?;
        Ok(r)
    }
}

impl Drop for SgMapping<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: FFI, once.
        unsafe {
            ffi::coh_unmap_sg_at(self.dev.raw(), self.sg.as_mut_ptr(), self.sg.len() as i32,
                                 self.dir as i32, core::ptr::null())
        };
    }
}
