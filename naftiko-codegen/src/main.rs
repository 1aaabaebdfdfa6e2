//! `naftiko-codegen check|expand|new`: the generator's command line.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use naftiko_codegen::scaffold::{NaftikoSource, Scaffold};
use naftiko_codegen::{Input, Severity, check_with, file_resolver, generate_with};

#[derive(Parser)]
#[command(version, about = "Generate Rust from Naftiko capability specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec: diagnostics as `file:line:col: error|warning|note: ...`; exit 1 on error.
    Check {
        spec: PathBuf,
        /// Deviations from the official schema are errors.
        #[arg(long)]
        strict: bool,
    },
    /// Print the Rust generated from a spec.
    Expand {
        spec: PathBuf,
        #[arg(long)]
        strict: bool,
    },
    /// Start a capability crate from a spec: Cargo.toml, build.rs, src/lib.rs, a server
    /// main and the spec (with the files it imports) under specs/.
    New {
        /// The new crate's directory; its last component is the package name.
        dir: PathBuf,
        #[arg(long)]
        spec: PathBuf,
        /// Where `naftiko` comes from: a local checkout of naftiko-rs (default: the one this
        /// command was built from).
        #[arg(long, conflicts_with = "naftiko_git")]
        naftiko_path: Option<PathBuf>,
        /// Where `naftiko` comes from: a git URL of naftiko-rs.
        #[arg(long)]
        naftiko_git: Option<String>,
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (Command::Check { spec, strict }
    | Command::Expand { spec, strict }
    | Command::New { spec, strict, .. }) = &cli.command;
    let shown = spec.display().to_string();
    let text = match std::fs::read_to_string(spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{shown}:1:1: error: cannot read the spec: {e}");
            return ExitCode::FAILURE;
        }
    };
    let input = Input {
        file: &shown,
        text: &text,
        strict: *strict,
    };
    let read = RefCell::new(Vec::new());
    let spec_dir = spec.parent().unwrap_or(Path::new("."));
    let resolve = file_resolver(spec_dir, &read);
    let generated = match &cli.command {
        Command::Check { .. } => check_with(&input, Some(&resolve)).map(|(cap, warnings)| {
            let ops: usize = cap.clients.iter().map(|c| c.operations.len()).sum();
            let routes: usize = cap.rest.iter().map(|r| r.operations.len()).sum();
            let tools: usize = cap.mcp.iter().map(|m| m.tools.len()).sum();
            let forwards: usize = cap.rest.iter().map(|r| r.forwards.len()).sum();
            let mut extra = String::new();
            if forwards > 0 {
                extra.push_str(&format!(", {forwards} REST forwards"));
            }
            if cap.control.is_some() {
                extra.push_str(", a control adapter");
            }
            let kind = if cap.library {
                "a consumes library (clients only), "
            } else {
                ""
            };
            let notes = match warnings.count(Severity::Note) {
                0 => String::new(),
                n => format!(", {n} notes"),
            };
            report(&warnings, &text);
            eprintln!(
                "{shown}: ok: {kind}{ops} consumed operations, {routes} REST operations, {tools} MCP tools{extra}, {} warnings{notes}",
                warnings.count(Severity::Warning)
            );
            cap.library
        }),
        Command::Expand { .. } | Command::New { .. } => {
            generate_with(&input, Some(&resolve)).map(|generated| {
                report(&generated.warnings, &text);
                if let Command::Expand { .. } = cli.command {
                    print!("{}", generated.pretty());
                }
                generated.capability.library
            })
        }
    };
    let library = match generated {
        Ok(library) => library,
        Err(diags) => {
            eprintln!("{}", diags.render(&text));
            return ExitCode::FAILURE;
        }
    };
    if library && matches!(cli.command, Command::New { .. }) {
        eprintln!(
            "error: {shown} is a consumes library: it has no server to scaffold; import it from a capability (`consumes: [{{import: <namespace>, location: ...}}]`) and scaffold that, or generate its clients with `capability!` or a build script"
        );
        return ExitCode::FAILURE;
    }
    if let Command::New {
        dir,
        naftiko_path,
        naftiko_git,
        ..
    } = &cli.command
    {
        let naftiko = match (naftiko_git, naftiko_path) {
            (Some(url), _) => NaftikoSource::Git(url.clone()),
            (None, Some(path)) => NaftikoSource::Path(absolute(path)),
            (None, None) => NaftikoSource::Path(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")),
        };
        let imports = read.borrow().iter().map(|p| p.to_path_buf()).collect();
        if let Err(e) = new_crate(dir, spec, &text, imports, naftiko) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn report(warnings: &naftiko_codegen::Diagnostics, text: &str) {
    if !warnings.is_empty() {
        eprintln!("{}", warnings.render(text));
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// Writes the scaffold of `spec` (already checked) into `dir`, which must be new or empty.
fn new_crate(
    dir: &Path,
    spec: &Path,
    text: &str,
    imported: Vec<PathBuf>,
    naftiko: NaftikoSource,
) -> Result<(), String> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: no package name in this path", dir.display()))?;
    let spec_name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a file name", spec.display()))?;
    let spec_dir = spec.parent().unwrap_or(Path::new(""));
    let mut imports = Vec::new();
    for path in imported {
        let relative = path.strip_prefix(spec_dir).unwrap_or(&path).to_owned();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        imports.push((relative, text));
    }
    let files = Scaffold {
        name,
        spec_name,
        spec_text: text,
        imports,
        naftiko,
    }
    .files()?;
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!(
            "{} exists and is not empty: nothing written",
            dir.display()
        ));
    }
    for (relative, contents) in &files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!(
        "created {} ({} files): `cargo run --manifest-path {}/Cargo.toml -- --help`",
        dir.display(),
        files.len(),
        dir.display()
    );
    Ok(())
}
