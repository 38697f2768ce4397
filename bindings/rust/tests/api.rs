//! The safe API's maintenance, counted by the library (coh_stats): a
//! cached non-coherent handle is cleaned per write, an uncached one or a
//! coherent device's is not; out-of-range indexes are errors, not reports.
use coherent::sim::Sim;
use coherent::{dma_read, dma_write, Attrs, Coherent, Device, Error};

fn writes(dev: &Device, attrs: Attrs) -> (u64, u64) {
    let c = Coherent::<[u64]>::zeroed_slice(dev, 64, attrs).unwrap();
    let before = dev.stats();
    for i in 0..64 {
        dma_write!(c, [i], i as u64 * 3).unwrap();
    }
    for i in 0..64 {
        assert_eq!(dma_read!(c, [i]).unwrap(), i as u64 * 3);
    }
    let after = dev.stats();
    ((after.lines_cleaned - before.lines_cleaned) as u64,
     (after.release_calls - before.release_calls) as u64)
}

#[test]
fn maintenance_follows_memory_and_device() {
    let sim = Sim::new(64, 3, 200, 200).unwrap();
    let dev = Device::new(c"nc", false).unwrap();
    let (cached, _) = writes(&dev, Attrs::NONE);
    assert!(cached >= 64, "cached non-coherent: {cached} lines cleaned for 64 writes");
    let (uncached, _) = writes(&dev, Attrs::UNCACHED);
    assert_eq!(uncached, 0, "uncached memory needs no clean");
    let coh = Device::new(c"coh", true).unwrap();
    let (coherent, _) = writes(&coh, Attrs::NONE);
    assert_eq!(coherent, 0, "a coherent device needs no clean");
    assert_eq!(sim.quiesce(), 0);
}

#[test]
fn out_of_range_is_an_error_not_a_report() {
    let sim = Sim::new(32, 1, 0, 0).unwrap();
    let dev = Device::new(c"d", false).unwrap();
    let c = Coherent::<[u32]>::zeroed_slice(&dev, 4, Attrs::NONE).unwrap();
    assert_eq!(dma_read!(c, [4]), Err(Error::ERANGE));
    assert_eq!(dma_write!(c, [usize::MAX], 1), Err(Error::ERANGE));
    assert_eq!(coherent::DmaMask::try_new(0), Err(Error::EINVAL));
    assert_eq!(sim.reports(-1), 0);
}
