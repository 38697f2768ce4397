//! Compiles the crate's C shim with the C compiler directly (no `cc`
//! crate: the crate has no dependency) against the backend the library
//! was built for, and links the library.
//!
//! Environment: COH_LIB_DIR (the directory of libcoherent_sim.a, or of the
//! library named by COH_LIB), COH_ROOT (the repository, default ../..),
//! COH_BACKEND_DIR (the coh_arch.h directory, default sim/ with feature
//! "sim", else arch/generic), CC and AR, COH_CFLAGS (extra flags, e.g.
//! -DCOH_DEBUG=0 to match a release library).
use std::env;
use std::path::PathBuf;
use std::process::Command;

fn run(c: &mut Command) {
    let st = c.status().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(st.success(), "{c:?} failed");
}

fn main() {
    let man = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let root = env::var("COH_ROOT").map(PathBuf::from).unwrap_or_else(|_| man.join("../.."));
    let sim = env::var("CARGO_FEATURE_SIM").is_ok();
    let backend = env::var("COH_BACKEND_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        if sim { root.join("sim") } else { root.join("arch/generic") }
    });
    let cc = env::var("CC").unwrap_or_else(|_| "cc".into());
    let ar = env::var("AR").unwrap_or_else(|_| "ar".into());
    let extra = env::var("COH_CFLAGS").unwrap_or_default();
    for v in ["COH_LIB_DIR", "COH_LIB", "COH_ROOT", "COH_BACKEND_DIR", "CC", "AR", "COH_CFLAGS"] {
        println!("cargo:rerun-if-env-changed={v}");
    }

    let mut srcs = vec!["c/shim.c"];
    if sim {
        srcs.push("c/sim_shim.c");
        srcs.push("c/layout.c");
    }
    let mut objs = Vec::new();
    for s in &srcs {
        println!("cargo:rerun-if-changed={s}");
        let o = out.join(PathBuf::from(s).file_name().unwrap()).with_extension("o");
        let mut c = Command::new(&cc);
        c.args(["-std=gnu11", "-O1", "-fPIC", "-Wall", "-Wextra", "-Werror", "-c"])
            .arg("-I").arg(root.join("include"))
            .arg("-I").arg(&backend)
            .args(extra.split_whitespace())
            .arg(man.join(s)).arg("-o").arg(&o);
        run(&mut c);
        objs.push(o);
    }
    println!("cargo:rerun-if-changed=c");
    let lib = out.join("libcoh_rs_shim.a");
    let _ = std::fs::remove_file(&lib);
    run(Command::new(&ar).arg("crs").arg(&lib).args(&objs));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=coh_rs_shim");
    if let Ok(dir) = env::var("COH_LIB_DIR") {
        let name = env::var("COH_LIB").unwrap_or_else(|_| "coherent_sim".into());
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-lib=static={name}");
        println!("cargo:rerun-if-changed={dir}/lib{name}.a");
    }
}
