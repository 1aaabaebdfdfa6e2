//! Bad specs are compile errors that name `file:line:col` (`tests/ui/*.rs`, `.stderr` pinned).
//!
//! The macro resolves spec paths against `NAFTIKO_SPEC_DIR`, which `.cargo/config.toml` sets
//! to the workspace root for every cargo run here, trybuild's nested one included (under
//! trybuild, `CARGO_MANIFEST_DIR` is its scratch crate). Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p naftiko --test ui`, then read every one.

#[test]
fn ui() {
    assert!(
        option_env!("NAFTIKO_SPEC_DIR").is_some(),
        "NAFTIKO_SPEC_DIR is not set: is /work/main/.cargo/config.toml missing?"
    );
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
