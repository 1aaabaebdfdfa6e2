//! Bad specs are compile errors that name `file:line:col` (`tests/ui/*.rs`, `.stderr` pinned).
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p naftiko --test ui`,
//! then read every one.
//!
//! Under trybuild, `CARGO_MANIFEST_DIR` is trybuild's scratch crate, so the macro must get
//! the spec directory from `NAFTIKO_SPEC_DIR`, which trybuild's nested cargo inherits from
//! this process. Setting it here would need `std::env::set_var` (unsafe in edition 2024;
//! the workspace forbids unsafe code), and a `.cargo/config.toml` `[env]` entry would leak
//! into every cargo run under the workspace (`tests/fresh_crate.rs` builds in `target/`).
//! So the test re-runs itself in a child process that has the variable.

use std::process::Command;

const SPEC_DIR: &str = "NAFTIKO_SPEC_DIR";

#[test]
fn ui() {
    let root = env!("CARGO_MANIFEST_DIR");
    if std::env::var_os(SPEC_DIR).is_some_and(|dir| dir == root) {
        trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
        return;
    }
    let status = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["ui", "--exact", "--nocapture"])
        .env(SPEC_DIR, root)
        .status()
        .expect("re-run the ui test with NAFTIKO_SPEC_DIR");
    assert!(
        status.success(),
        "trybuild ui cases failed (see the output above)"
    );
}
