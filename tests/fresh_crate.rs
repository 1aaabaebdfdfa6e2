//! A new crate whose only dependencies are `naftiko` and `tokio` compiles the macro output
//! warning-free, as a user's would. Builds in its own directory, sharing this workspace's
//! target directory and lock file so nothing is downloaded or rebuilt needlessly.

use std::path::Path;
use std::process::Command;

#[test]
fn crate_with_only_naftiko_and_tokio_builds_warning_free() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("fresh-crate");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::copy(
        root.join("specs/vsphere-session.yaml"),
        dir.join("specs/cap.yaml"),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let manifest = format!(
        r#"[package]
name = "fresh-capability"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
naftiko = {{ path = {root:?} }}
tokio = {{ version = "1", features = ["rt-multi-thread", "macros"] }}

[workspace]
"#,
        root = root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        r#"#![deny(warnings)]

naftiko::capability!("specs/cap.yaml");

#[tokio::main]
async fn main() {
    let settings = naftiko::cli::Settings::new();
    if let Err(e) = Clients::from_settings(&settings) {
        eprintln!("{e}");
    }
}
"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("NAFTIKO_SPEC_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "fresh crate failed to build:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "fresh crate built with warnings:\n{stderr}"
    );
}
