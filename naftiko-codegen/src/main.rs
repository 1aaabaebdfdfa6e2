//! `naftiko-codegen check|expand <spec>`: the generator's command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use naftiko_codegen::{Input, check_with, file_resolver, generate_with};

#[derive(Parser)]
#[command(version, about = "Generate Rust from Naftiko capability specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec: diagnostics as `file:line:col: error|warning: ...`; exit 1 on error.
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (Command::Check { spec, strict } | Command::Expand { spec, strict }) = &cli.command;
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
    let read = std::cell::RefCell::new(Vec::new());
    let dir = spec.parent().unwrap_or(std::path::Path::new("."));
    let resolve = file_resolver(dir, &read);
    match &cli.command {
        Command::Check { .. } => match check_with(&input, Some(&resolve)) {
            Ok((cap, warnings)) => {
                if !warnings.is_empty() {
                    eprintln!("{}", warnings.render(&text));
                }
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
                eprintln!(
                    "{shown}: ok: {ops} consumed operations, {routes} REST operations, {tools} MCP tools{extra}, {} warnings",
                    warnings.len()
                );
                ExitCode::SUCCESS
            }
            Err(diags) => {
                eprintln!("{}", diags.render(&text));
                ExitCode::FAILURE
            }
        },
        Command::Expand { .. } => match generate_with(&input, Some(&resolve)) {
            Ok(generated) => {
                if !generated.warnings.is_empty() {
                    eprintln!("{}", generated.warnings.render(&text));
                }
                print!("{}", generated.pretty());
                ExitCode::SUCCESS
            }
            Err(diags) => {
                eprintln!("{}", diags.render(&text));
                ExitCode::FAILURE
            }
        },
    }
}
