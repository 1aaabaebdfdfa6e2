//! Fuzzing the spec front end inside `cargo test`: arbitrary bytes, arbitrary YAML built from
//! the spec's own vocabulary, and mutations of every file of the corpus copy (and `specs/`).
//!
//! Each input goes through `generate` (parse, validate, emit) on a worker thread with a time
//! bound, so a hang fails the test as surely as a panic. The properties: no panic, no hang;
//! an accepted spec gives code that parses as Rust; a refused one gives at least one error,
//! each located inside the file, and its rendering (source line and caret) does not panic.
//!
//! `NAFTIKO_FUZZ_SCALE` multiplies the number of cases (default 1: a few thousand, seconds);
//! `NAFTIKO_FUZZ_SEED` changes the inputs. A failing input is written to
//! `target/fuzz-failures/` and named in the panic message. RELIABILITY.md has a long run's
//! figures.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use naftiko_codegen::{Input, Severity, generate};

mod common;
use common::workspace_root;

/// Far above any real input's time (milliseconds), far below a CI run's.
const TIME_BOUND: Duration = Duration::from_secs(20);

/// xorshift64*: deterministic, seedable, enough to choose mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn scale() -> usize {
    std::env::var("NAFTIKO_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

fn seed() -> u64 {
    std::env::var("NAFTIKO_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15)
}

/// Every spec we have: the corpus copy and `specs/`, in a stable order.
fn corpus() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }
    let root = workspace_root();
    let mut paths = Vec::new();
    walk(&root.join("tests/corpus"), &mut paths);
    walk(&root.join("specs"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read a corpus file");
            let name = p
                .strip_prefix(&root)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            (name, text)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const KEYS: &[&str] = &[
    "naftiko",
    "info",
    "label",
    "description",
    "binds",
    "namespace",
    "keys",
    "location",
    "capability",
    "consumes",
    "exposes",
    "type",
    "baseUri",
    "resources",
    "operations",
    "name",
    "path",
    "method",
    "inputParameters",
    "outputParameters",
    "in",
    "value",
    "mapping",
    "call",
    "with",
    "steps",
    "mappings",
    "targetName",
    "authentication",
    "placement",
    "key",
    "token",
    "username",
    "password",
    "tools",
    "hints",
    "readOnly",
    "port",
    "address",
    "transport",
    "outputRawFormat",
    "outputSchema",
    "body",
    "properties",
    "items",
    "required",
    "pattern",
    "aggregates",
    "ref",
    "semantics",
    "import",
    "as",
    "const",
    "forward",
    "prompts",
    "resources",
    "script",
];

const SCALARS: &[&str] = &[
    "1.0.0-alpha2",
    "1.0.0-alpha1",
    "http",
    "rest",
    "mcp",
    "skill",
    "control",
    "GET",
    "POST",
    "DELETE",
    "query",
    "header",
    "path",
    "cookie",
    "body",
    "string",
    "integer",
    "object",
    "array",
    "boolean",
    "number",
    "apikey",
    "bearer",
    "basic",
    "digest",
    "json",
    "xml",
    "csv",
    "yaml",
    "avro",
    "protobuf",
    "records.proto#a.B",
    "stdio",
    "$.",
    "$",
    "$.a.b[0]",
    "$['a b'][-1]",
    "$.items[*].name",
    "$..x",
    "$[",
    "{{x}}",
    "{{env.X}}",
    "{{ns.x}}",
    "{{",
    "}}",
    "{x}",
    "/v1/{id}",
    "/{{id}}/x",
    "https://{host}/api",
    "https://api.example.com",
    "file:///./secrets.yaml",
    "^[a-z]+$",
    "(?=x)",
    "[",
    "0",
    "-1",
    "65536",
    "8080",
    "true",
    "false",
    "null",
    "~",
    "''",
    "\"\\u0000\"",
    "ns.op",
    "a.b.c",
    ".",
    "é漢字🦀",
    "\"a\\nb\"",
    "*anchor",
    "&anchor x",
    "!!str 1",
    "!!binary aGk=",
    "|\n  block\n  text",
    ">-\n  folded",
    "[1, 2, {a: b}]",
    "{a: [b, c]}",
    "? complex\n: key",
];

/// Random bytes, read as text the way a front end would (lossy UTF-8).
fn arbitrary_bytes(rng: &mut Rng) -> String {
    let len = rng.below(512);
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            // Mostly YAML punctuation and ASCII, sometimes anything.
            if rng.chance(4) {
                rng.next() as u8
            } else {
                rng.pick(b"abcxyz019 \t\n\r:-{}[]&*!|>'\"#%@,?$.")
            }
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A YAML document built from the spec's vocabulary: nested mappings and sequences of its
/// keys and typical (and atypical) scalars, usually after a supported version line.
fn arbitrary_yaml(rng: &mut Rng) -> String {
    fn node(rng: &mut Rng, depth: usize, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match rng.below(if depth > 5 { 1 } else { 4 }) {
            0 => {
                out.push(' ');
                out.push_str(rng.pick(SCALARS));
                out.push('\n');
            }
            1 => {
                out.push('\n');
                for _ in 0..=rng.below(3) {
                    out.push_str(&pad);
                    out.push('-');
                    node(rng, depth + 1, indent + 2, out);
                }
            }
            _ => {
                out.push('\n');
                for _ in 0..=rng.below(4) {
                    out.push_str(&pad);
                    out.push_str(rng.pick(KEYS));
                    out.push(':');
                    node(rng, depth + 1, indent + 2, out);
                }
            }
        }
    }
    let mut out = String::new();
    if !rng.chance(5) {
        out.push_str("naftiko: ");
        out.push_str(rng.pick(&["1.0.0-alpha2", "1.0.0-alpha1", "2.0", "1.0.0-alpha2 #"]));
        out.push('\n');
    }
    for _ in 0..=rng.below(3) {
        out.push_str(rng.pick(KEYS));
        out.push(':');
        node(rng, 0, 2, &mut out);
    }
    if rng.chance(10) {
        out.push_str("---\n");
        out.push_str(&arbitrary_bytes(rng));
    }
    out
}

/// `text` with one to three mutations: flipped bytes, lines deleted, duplicated, swapped,
/// re-indented or spliced from another file, scalars replaced, truncation.
fn mutate(rng: &mut Rng, text: &str, other: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let others: Vec<&str> = other.lines().collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let i = rng.below(lines.len());
        match rng.below(9) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                let line = &mut lines[i];
                if rng.chance(2) {
                    line.insert_str(0, "  ");
                } else if line.starts_with(' ') {
                    line.remove(0);
                }
            }
            4 => {
                if let Some(line) = others.get(rng.below(others.len())) {
                    lines.insert(i, (*line).to_owned());
                }
            }
            5 => {
                // Replace the value after the first `: ` with a scalar of the vocabulary.
                let line = &mut lines[i];
                if let Some(at) = line.find(": ") {
                    line.truncate(at + 2);
                    line.push_str(rng.pick(SCALARS));
                }
            }
            6 => {
                let mut bytes = lines[i].clone().into_bytes();
                if !bytes.is_empty() {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.pick(b":-{}[]&*!|>'\"# \tx0");
                }
                lines[i] = String::from_utf8_lossy(&bytes).into_owned();
            }
            7 => {
                lines.truncate(i);
            }
            _ => {
                let key = rng.pick(KEYS);
                let value = rng.pick(SCALARS);
                let indent = lines[i].len() - lines[i].trim_start().len();
                lines.insert(i, format!("{}{key}: {value}", " ".repeat(indent)));
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.chance(2) {
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running one input
// ---------------------------------------------------------------------------------------------

/// What went wrong with an input, if anything.
fn check_one(text: &str, strict: bool) -> Result<(), String> {
    let input = Input {
        file: "fuzz.yaml",
        text,
        strict,
    };
    match generate(&input) {
        Ok(generated) => syn::parse2::<syn::File>(generated.tokens)
            .map(|_| ())
            .map_err(|e| format!("accepted, but the generated code is not Rust: {e}")),
        Err(diags) => {
            if !diags.has_errors() {
                return Err(format!("refused without an error: {diags}"));
            }
            // Line breaks as YAML counts them: LF, CR LF, and a lone CR.
            let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count() as u64;
            for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                if d.pos.line == 0 || d.pos.line > breaks + 1 || d.pos.column == 0 {
                    return Err(format!(
                        "error outside the file ({breaks} line breaks): {}:{}: {}",
                        d.pos.line, d.pos.column, d.message
                    ));
                }
                // The rendering shows the line pointed at (unless it is past the last break).
                let shown = d.render(text);
                if d.pos.line <= breaks && !shown.contains(&format!("{} | ", d.pos.line)) {
                    return Err(format!("rendered without its source line: {shown}"));
                }
            }
            let _ = diags.render(text);
            Ok(())
        }
    }
}

/// Runs `check_one` on a thread of its own, bounded by [`TIME_BOUND`].
fn run_bounded(text: String, strict: bool) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("fuzz-case".to_owned())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| check_one(&text, strict));
            let _ = tx.send(outcome);
        })
        .expect("spawn a worker");
    match rx.recv_timeout(TIME_BOUND) {
        Ok(Ok(result)) => {
            let _ = worker.join();
            result
        }
        Ok(Err(panic)) => {
            let _ = worker.join();
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("panicked: {message}"))
        }
        // The worker is left running: it is the hang being reported.
        Err(_) => Err(format!("no answer within {TIME_BOUND:?}: a hang")),
    }
}

/// Runs every input; on the first failure, saves it and panics naming it.
fn run_all(kind: &str, inputs: impl Iterator<Item = String>) -> usize {
    let start = Instant::now();
    let mut count = 0;
    // The default hook would print every caught panic: keep the output for failures.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    for (i, text) in inputs.enumerate() {
        count += 1;
        if let Err(why) = run_bounded(text.clone(), i % 7 == 0) {
            failure = Some((text, why));
            break;
        }
    }
    std::panic::set_hook(hook);
    if let Some((text, why)) = failure {
        let dir = workspace_root().join("target/fuzz-failures");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{kind}-{count}.yaml"));
        let _ = std::fs::write(&path, &text);
        panic!(
            "{kind} case {count}: {why}\n(input saved to {})\n{}",
            path.display(),
            text.chars().take(2000).collect::<String>()
        );
    }
    eprintln!("{kind}: {count} inputs in {:.1?}", start.elapsed());
    count
}

#[test]
fn arbitrary_bytes_never_panic_or_hang() {
    let mut rng = Rng(seed());
    let n = 1500 * scale();
    assert_eq!(
        run_all("bytes", (0..n).map(|_| arbitrary_bytes(&mut rng))),
        n
    );
}

#[test]
fn arbitrary_yaml_never_panics_or_hangs() {
    let mut rng = Rng(seed() ^ 0xA5A5_A5A5);
    let n = 1500 * scale();
    assert_eq!(run_all("yaml", (0..n).map(|_| arbitrary_yaml(&mut rng))), n);
}

#[test]
fn mutations_of_every_corpus_file_never_panic_or_hang() {
    let files = corpus();
    assert!(
        files.len() >= 50,
        "the corpus copy is missing: {}",
        files.len()
    );
    let mut rng = Rng(seed() ^ 0x5A5A_5A5A);
    let per_file = 25 * scale();
    let mut inputs = Vec::new();
    for (i, (_, text)) in files.iter().enumerate() {
        // Every file unmodified first: they must hold the properties too.
        inputs.push(text.clone());
        let other = &files[(i + 1) % files.len()].1;
        for _ in 0..per_file {
            inputs.push(mutate(&mut rng, text, other));
        }
    }
    let n = inputs.len();
    assert_eq!(run_all("mutation", inputs.into_iter()), n);
}

// ---------------------------------------------------------------------------------------------
// Regressions: inputs fuzzing found, reduced
// ---------------------------------------------------------------------------------------------

/// `namespace: ''` (a mutation of vsphere-session.yaml) made the emitter panic on an empty
/// module name; `self` or `--` would have too. Each is now a located error.
#[test]
fn a_namespace_no_module_can_be_named_after_is_a_located_error() {
    for (namespace, why) in [
        ("''", "has no letters or digits"),
        ("'--'", "has no letters or digits"),
        ("self", "which Rust reserves"),
    ] {
        for (consumes, exposes) in [(namespace, "mcp-ns"), ("api", namespace)] {
            let text = format!(
                "naftiko: 1.0.0-alpha2\ninfo:\n  label: x\ncapability:\n  consumes:\n  - type: http\n    namespace: {consumes}\n    baseUri: https://api.example.com\n    resources: []\n  exposes:\n  - type: mcp\n    namespace: {exposes}\n    port: 9000\n    tools: []\n"
            );
            assert_eq!(check_one(&text, false), Ok(()), "{text}");
            let diags = generate(&Input {
                file: "x.yaml",
                text: &text,
                strict: false,
            })
            .expect_err("refused");
            let line = if consumes == namespace { 7 } else { 12 };
            assert!(
                diags.iter().any(|d| d.severity == Severity::Error
                    && d.pos.line == line
                    && d.pos.column == 16
                    && d.message.contains(why)),
                "{text}\n{diags}"
            );
        }
    }
}
