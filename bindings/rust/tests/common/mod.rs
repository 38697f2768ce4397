//! A small driver for the simulated DMA controller (sim/sim_dmac.h), in
//! Rust on the crate alone: a descriptor ring in a `Coherent<[Slot]>`
//! written through `dma_write!` (ctrl with OWN last), source and
//! destination as streaming maps, the doorbell an ordered MMIO write.
//! `Plant` injects one misuse for tests/misuse.rs.
#![allow(dead_code)]

use coherent::sim::{dmac, Sim};
use coherent::{dma_read, dma_read_from_device, dma_write, Attrs, Coherent, CoherentBox,
               DataDirection, Device, DmaMask, Mapping, Mmio};

/// One descriptor per 128 bytes (the largest line): the device's write-back
/// of one descriptor never shares a line with the CPU's next one.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Slot {
    pub d: dmac::Desc,
    pad: [u64; 12],
}
// SAFETY: integers only, no padding.
unsafe impl coherent::DmaPod for Slot {}

pub const NDESC: usize = 8;
pub const BUF: usize = 512;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Plant {
    None,
    /// the source mapped with SKIP_CPU_SYNC and never synced for the
    /// device: no release of the CPU's bytes before the doorbell
    MissingRelease,
    /// a source byte stored after the map handed the buffer over
    WriteAfterGive,
    /// the destination consumed before it was taken back (no sync)
    ReadBeforeSync,
}

pub struct Dmac<'d> {
    dev: &'d Device,
    regs: Mmio,
    ring: Coherent<'d, [Slot]>,
    tail: usize,
}

impl<'d> Dmac<'d> {
    pub fn open(sim: &Sim, dev: &'d Device) -> Dmac<'d> {
        dev.set_mask(DmaMask::new::<32>()).unwrap();
        sim.stream(dev).unwrap();
        let regs = sim.dmac(dev);
        let ring = Coherent::<[Slot]>::zeroed_slice(dev, NDESC, Attrs::NONE).unwrap();
        sim.name(ring.as_ptr().cast(), ring.size(), c"ring");
        regs.write32(dmac::RING_LO, ring.bus() as u32);
        regs.write32(dmac::RING_HI, (ring.bus() >> 32) as u32);
        regs.write32(dmac::DESC_STRIDE, core::mem::size_of::<Slot>() as u32);
        regs.write32(dmac::RING_SIZE, NDESC as u32);
        regs.write32(dmac::CTRL, dmac::CTRL_RING_EN);
        Dmac { dev, regs, ring, tail: 0 }
    }

    /// Copy src[..len] into dst[..len] with the device; the bytes moved.
    pub fn copy(&mut self, src: &mut [u8], dst: &mut [u8], len: usize, plant: Plant) -> u32 {
        let slot = self.tail;
        let s = if plant == Plant::MissingRelease {
            // the misuse: the caller does the maintenance, and forgets it
            // (no s.sync_for_device() before the doorbell)
            Mapping::with_attrs(self.dev, &mut src[..len], DataDirection::ToDevice,
                                Attrs::SKIP_CPU_SYNC).unwrap()
        } else {
            Mapping::new(self.dev, &mut src[..len], DataDirection::ToDevice).unwrap()
        };
        let d = Mapping::new(self.dev, &mut dst[..len], DataDirection::FromDevice).unwrap();
        if plant == Plant::WriteAfterGive {
            // the misuse: a plain store into a buffer the device owns
            // SAFETY: none — this is the planted bug; the test owns the bytes.
            unsafe { core::ptr::write_volatile(src_ptr(&s), 0xee) };
        }
        // the fields in one batch (one barrier), the hand-over after it
        let mut b = self.dev.batch().unwrap();
        dma_write!(b, self.ring, [slot].d.src, s.bus()).unwrap();
        dma_write!(b, self.ring, [slot].d.dst, d.bus()).unwrap();
        dma_write!(b, self.ring, [slot].d.status, 0).unwrap();
        b.end().unwrap();
        dma_write!(self.ring, [slot].d.ctrl, dmac::DESC_OWN | len as u32).unwrap();
        self.tail = (slot + 1) % NDESC;
        self.regs.write32(dmac::RING_TAIL, self.tail as u32);
        let mut spins = 0;
        while dma_read_from_device!(self.ring, [slot].d.ctrl).unwrap() & dmac::DESC_OWN != 0 {
            let _ = self.regs.read32(dmac::STATUS);
            spins += 1;
            assert!(spins < 100_000, "the DMA controller never finished slot {slot}");
        }
        let moved = dma_read!(self.ring, [slot].d.status).unwrap();
        if plant == Plant::ReadBeforeSync {
            // the misuse: the CPU consumes the destination while it is still mapped
            // SAFETY: FFI; the planted bug is the missing unmap/sync first.
            unsafe {
                coherent::ffi::coh_consume_at(self.dev.raw(), dst_ptr(&d), len, coherent::__here())
            };
        }
        s.unmap().unwrap();
        d.unmap().unwrap();
        moved
    }
}

fn src_ptr(m: &Mapping<'_, '_>) -> *mut u8 {
    m.cpu_ptr()
}
fn dst_ptr(m: &Mapping<'_, '_>) -> *const core::ffi::c_void {
    m.cpu_ptr().cast()
}

/// `n` transfers of varying lengths and patterns; the bytes compared.
pub fn run(sim: &Sim, n: usize, plant: Plant) {
    let dev = Device::new(c"dmac0", false).unwrap();
    {
        let mut drv = Dmac::open(sim, &dev);
        let mut src = CoherentBox::<[u8]>::zeroed_slice(&dev, BUF, Attrs::NONE).unwrap();
        let mut dst = CoherentBox::<[u8]>::zeroed_slice(&dev, BUF, Attrs::NONE).unwrap();
        sim.name(src.as_ptr(), BUF, c"src");
        sim.name(dst.as_ptr(), BUF, c"dst");
        for k in 0..n {
            let len = [BUF, 256, 128, 384][k % 4];
            for (i, b) in src.iter_mut().enumerate() {
                *b = (i * 7 + k * 13) as u8;
            }
            let moved = drv.copy(&mut src, &mut dst, len, if k == n / 2 { plant } else { Plant::None });
            if plant == Plant::None {
                assert_eq!(moved as usize, len, "transfer {k}");
                assert_eq!(&dst[..len], &src[..len], "transfer {k}: bytes differ");
            }
        }
    }
    assert_eq!(dev.leaks(), 0);
}

/// The same controller driven through `Ring` (coh_ring_attach on the
/// descriptor handle): push, doorbell at `ring.next()`, pop when the
/// device cleared OWN.
pub fn run_ring(sim: &Sim, n: usize) {
    let dev = Device::new(c"dmac0", false).unwrap();
    sim.stream(&dev).unwrap();
    dev.set_mask(DmaMask::new::<32>()).unwrap();
    let regs = sim.dmac(&dev);
    let mem = Coherent::<[Slot]>::zeroed_slice(&dev, NDESC, Attrs::NONE).unwrap();
    {
        // SAFETY (closure): a field projection of the element pointer the ring passes.
        let mut ring = coherent::Ring::attach(&mem, |s| unsafe { core::ptr::addr_of!((*s).d.ctrl) },
                                              dmac::DESC_OWN, coherent::RingFlags::NONE).unwrap();
        regs.write32(dmac::RING_LO, mem.bus() as u32);
        regs.write32(dmac::RING_HI, (mem.bus() >> 32) as u32);
        regs.write32(dmac::DESC_STRIDE, core::mem::size_of::<Slot>() as u32);
        regs.write32(dmac::RING_SIZE, NDESC as u32);
        regs.write32(dmac::CTRL, dmac::CTRL_RING_EN);
        let mut src = CoherentBox::<[u8]>::zeroed_slice(&dev, BUF, Attrs::NONE).unwrap();
        let mut dst = CoherentBox::<[u8]>::zeroed_slice(&dev, BUF, Attrs::NONE).unwrap();
        for k in 0..n {
            let len = [128, BUF, 384, 256][k % 4];
            for (i, b) in src.iter_mut().enumerate() {
                *b = (i * 3 + k * 29) as u8;
            }
            let s = Mapping::new(&dev, &mut src[..len], DataDirection::ToDevice).unwrap();
            let d = Mapping::new(&dev, &mut dst[..len], DataDirection::FromDevice).unwrap();
            let desc = Slot {
                d: dmac::Desc { ctrl: len as u32, status: 0, src: s.bus(), dst: d.bus(), cookie: k as u64 },
                pad: [0; 12],
            };
            let slot = ring.push(&desc).unwrap();
            // ordered after the push's release and barrier
            regs.write32(dmac::RING_TAIL, ring.next() as u32);
            let mut spins = 0;
            let done = loop {
                match ring.pop() {
                    Ok(x) => break x,
                    Err(e) => assert_eq!(e, coherent::Error::EAGAIN),
                }
                let _ = regs.read32(dmac::STATUS);
                spins += 1;
                assert!(spins < 100_000, "slot {slot} never completed");
            };
            assert_eq!(done.0, slot);
            assert_eq!(done.1.d.status as usize, len, "transfer {k}");
            assert_eq!(done.1.d.cookie, k as u64);
            s.unmap().unwrap();
            d.unmap().unwrap();
            assert_eq!(&dst[..len], &src[..len], "transfer {k}: bytes differ");
        }
        regs.write32(dmac::CTRL, 0);
    }
    drop(mem);
    assert_eq!(dev.leaks(), 0);
}
