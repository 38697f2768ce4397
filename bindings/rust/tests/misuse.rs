//! Planted misuses in the Rust driver, each reported by the sanitizer, and
//! each report naming the Rust line of the last call on those bytes.
mod common;

use coherent::sim::{class, Sim};
use common::Plant;

fn planted(plant: Plant, cls: &[i32]) {
    for line in [32usize, 64, 128] {
        let sim = Sim::new(line, 7, 300, 300).unwrap();
        common::run(&sim, 6, plant);
        sim.quiesce();
        let n: u64 = cls.iter().map(|&c| sim.reports(c)).sum();
        assert!(n > 0, "{plant:?} at line {line}: no {cls:?} report ({} in all)",
                sim.reports(-1));
        let r = sim.last_report().expect("a report");
        // the simulator prints the base name: the driver's mod.rs, not a C file
        assert!(r.file == "mod.rs" && r.line > 0, "{plant:?}: report names {r:?}");
    }
}

#[test]
fn missing_release_is_reported() {
    planted(Plant::MissingRelease, &[class::STALE_DEVICE_READ]);
}

#[test]
fn write_after_give_is_reported() {
    planted(Plant::WriteAfterGive, &[class::CPU_WRITE_DEVICE_OWNED]);
}

#[test]
fn read_before_sync_is_reported() {
    // stale bytes either way: never refilled (STALE_CPU_READ) or refilled
    // speculatively while the DMA ran (SPECULATIVE_STALE)
    planted(Plant::ReadBeforeSync, &[class::STALE_CPU_READ, class::SPECULATIVE_STALE]);
}

#[test]
fn clean_run_has_no_report() {
    // the control: the same harness without a plant
    let sim = Sim::new(64, 7, 300, 300).unwrap();
    common::run(&sim, 6, Plant::None);
    assert_eq!(sim.quiesce(), 0);
}
