//! The Rust DMAC driver on the simulator with random eviction and refill,
//! at lines 32, 64 and 128 and several seeds: every transfer's bytes
//! arrive and the sanitizer reports nothing.
mod common;

use coherent::sim::Sim;

#[test]
fn driver_clean_at_every_line_size() {
    for line in [32usize, 64, 128] {
        for seed in 1..=4u64 {
            let sim = Sim::new(line, seed, 300, 300).unwrap();
            common::run(&sim, 24, common::Plant::None);
            let q = sim.quiesce();
            assert_eq!(q, 0, "line {line} seed {seed}: {q} reports");
            assert_eq!(sim.reports(-1), 0);
        }
    }
}

#[test]
fn ring_driver_clean_at_every_line_size() {
    for line in [32usize, 64, 128] {
        for seed in 11..=14u64 {
            let sim = Sim::new(line, seed, 300, 300).unwrap();
            common::run_ring(&sim, 24);
            let q = sim.quiesce();
            assert_eq!(q, 0, "line {line} seed {seed}: {q} reports");
        }
    }
}
