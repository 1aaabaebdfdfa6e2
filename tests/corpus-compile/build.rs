//! Generates every spec under `tests/corpus/` that the generator accepts into `OUT_DIR`, and
//! records the first error of each one it refuses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            specs(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let corpus = manifest.join("../corpus");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut files = Vec::new();
    specs(&corpus, &mut files);
    let mut modules = String::new();
    let mut generated = String::from("pub const GENERATED: &[&str] = &[\n");
    let mut refused = String::from("pub const REFUSED: &[(&str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let shown = path.strip_prefix(&corpus).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let input = naftiko_codegen::Input {
            file: &shown,
            text: &text,
            strict: false,
        };
        let read = std::cell::RefCell::new(Vec::new());
        let resolve = naftiko_codegen::file_resolver(path.parent().unwrap(), &read);
        match naftiko_codegen::generate_with(&input, Some(&resolve)) {
            Ok(g) => {
                let module: String = shown
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let file = out_dir.join(format!("{module}.rs"));
                std::fs::write(&file, g.pretty()).unwrap();
                writeln!(
                    modules,
                    "pub mod {module} {{ include!({:?}); }}",
                    file.display().to_string()
                )
                .unwrap();
                writeln!(generated, "    {shown:?},").unwrap();
            }
            Err(diags) => {
                let first = diags
                    .iter()
                    .find(|d| d.severity == naftiko_codegen::Severity::Error)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let first = first.lines().next().unwrap_or_default().to_owned();
                writeln!(refused, "    ({shown:?}, {first:?}),").unwrap();
            }
        }
    }
    generated.push_str("];\n");
    refused.push_str("];\n");
    std::fs::write(
        out_dir.join("corpus.rs"),
        format!("{modules}\n{generated}\n{refused}"),
    )
    .unwrap();
}
