//! `naftiko-codegen new`: the files of a capability crate made from a spec, ready for
//! `cargo build`: the build-script route (readable generated code in `OUT_DIR`), a library
//! that includes it, and a server binary over the generated `serve`.
//!
//! Pure: it returns the files as data; the CLI checks the spec first and writes them.

use std::path::{Component, Path, PathBuf};

/// Where the new crate gets `naftiko` and `naftiko-codegen` from.
#[derive(Clone, Debug)]
pub enum NaftikoSource {
    /// A local checkout of this workspace (its root directory).
    Path(PathBuf),
    /// A git repository holding this workspace.
    Git(String),
}

/// What to scaffold.
#[derive(Clone, Debug)]
pub struct Scaffold<'a> {
    /// The package name (`my-cap`): letters, digits, `-` and `_`, not starting with a digit.
    pub name: &'a str,
    /// The spec's file name (`my-cap.yaml`), written to `specs/`.
    pub spec_name: &'a str,
    pub spec_text: &'a str,
    /// Files the spec imports, as paths relative to the spec's directory, with their text.
    pub imports: Vec<(PathBuf, String)>,
    pub naftiko: NaftikoSource,
}

/// One file of the new crate: its path relative to the crate root, and its contents.
pub type File = (PathBuf, String);

impl Scaffold<'_> {
    /// The crate's files, or why they cannot be made.
    pub fn files(&self) -> Result<Vec<File>, String> {
        check_package_name(self.name)?;
        let spec_stem = Path::new(self.spec_name)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("`{}` is not a spec file name", self.spec_name))?;
        let lib = self.name.replace('-', "_");
        let bin = format!("{}-server", self.name);
        let out_file = format!("{}.rs", crate::naming::snake(spec_stem));
        let overview = format!("{}.md", crate::naming::snake(spec_stem));
        let spec_path = format!("specs/{}", self.spec_name);

        let mut files = vec![
            (PathBuf::from("Cargo.toml"), self.manifest(&bin)),
            (
                PathBuf::from("build.rs"),
                format!("fn main() {{\n    naftiko_codegen::build({spec_path:?}).compile();\n}}\n"),
            ),
            (
                PathBuf::from("src/lib.rs"),
                format!(
                    "//! The capability in `{spec_path}`, generated at build time by `build.rs`.\n\
                     //! `cargo run -p naftiko-codegen -- expand {spec_path}` prints the same code.\n\
                     #![doc = include_str!(concat!(env!(\"OUT_DIR\"), \"/{overview}\"))]\n\
                     \n\
                     include!(concat!(env!(\"OUT_DIR\"), \"/{out_file}\"));\n"
                ),
            ),
            (
                PathBuf::from("src/main.rs"),
                main_rs(&lib, &bin, &spec_path),
            ),
            (PathBuf::from(".gitignore"), "/target\n".to_owned()),
            (PathBuf::from(&spec_path), self.spec_text.to_owned()),
        ];
        for (relative, text) in &self.imports {
            if relative.is_absolute()
                || relative
                    .components()
                    .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
            {
                return Err(format!(
                    "the spec imports {}, outside its own directory: copy it next to the spec first",
                    relative.display()
                ));
            }
            files.push((Path::new("specs").join(relative), text.clone()));
        }
        Ok(files)
    }

    fn manifest(&self, bin: &str) -> String {
        let (naftiko, codegen) = match &self.naftiko {
            NaftikoSource::Path(root) => (
                format!("{{ path = {:?} }}", root.display().to_string()),
                format!(
                    "{{ path = {:?}, default-features = false }}",
                    root.join("naftiko-codegen").display().to_string()
                ),
            ),
            NaftikoSource::Git(url) => (
                format!("{{ git = {url:?}, package = \"naftiko\" }}"),
                format!(
                    "{{ git = {url:?}, package = \"naftiko-codegen\", default-features = false }}"
                ),
            ),
        };
        format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[[bin]]
name = "{bin}"
path = "src/main.rs"

[dependencies]
naftiko = {naftiko}

[build-dependencies]
naftiko-codegen = {codegen}
{profiles}"#,
            name = self.name,
            profiles = optimised_generator_profiles(),
        )
    }
}

/// The crates where the generator's time goes (YAML parsing, re-parsing and printing the
/// emitted code), optimised in both profiles: Cargo builds build scripts unoptimised by default,
/// `--release` included, and a spec of 1,000 operations then takes seconds to generate.
const GENERATOR_HOT_CRATES: [&str; 5] = [
    "serde-saphyr",
    "granit-parser",
    "syn",
    "prettyplease",
    "proc-macro2",
];

fn optimised_generator_profiles() -> String {
    let mut out = String::from(
        "\n# build.rs runs the generator; Cargo leaves build scripts unoptimised by default.\n",
    );
    for profile in ["dev", "release"] {
        for krate in GENERATOR_HOT_CRATES {
            out.push_str(&format!(
                "\n[profile.{profile}.package.{krate}]\nopt-level = 3\n"
            ));
        }
    }
    out
}

fn main_rs(lib: &str, bin: &str, spec_path: &str) -> String {
    format!(
        r#"//! `{bin}`: the capability in `{spec_path}` served over the adapters it exposes.
//! `{bin} --help` lists the settings (ports, address, base-URI variables, binds, TLS).

use std::process::ExitCode;

use {lib}::{{CAPABILITY, serve}};

#[global_allocator]
static ALLOCATOR: naftiko::Allocator = naftiko::Allocator;

fn main() -> ExitCode {{
    let matches = naftiko::cli::command("{bin}", &CAPABILITY).get_matches();
    let settings = naftiko::cli::Settings::from_matches(&CAPABILITY, &matches);
    naftiko::server::init_logging(settings.log_format);
    // A worker per CPU, or the main thread alone on one CPU.
    let runtime = match naftiko::server::runtime() {{
        Ok(runtime) => runtime,
        Err(e) => {{
            eprintln!("error: cannot start the async runtime: {{e}}");
            return ExitCode::FAILURE;
        }}
    }};
    match runtime.block_on(serve(settings)) {{
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {{
            eprintln!("error: {{e}}");
            ExitCode::FAILURE
        }}
    }}
}}
"#
    )
}

/// Cargo's rule for package names, plus the names that cannot be a library crate.
fn check_package_name(name: &str) -> Result<(), String> {
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        return Err(format!(
            "`{name}` is not a package name: use letters, digits, `-` and `_`, starting with a letter"
        ));
    }
    let lib = name.replace('-', "_");
    if ["naftiko", "naftiko_codegen", "tokio", "std", "core", "test"].contains(&lib.as_str()) {
        return Err(format!(
            "`{name}` would clash with a crate the new one uses: pick another name"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaffold(name: &str, imports: Vec<(PathBuf, String)>) -> Result<Vec<File>, String> {
        Scaffold {
            name,
            spec_name: "ship-yard.yml",
            spec_text: "naftiko: 1.0.0-alpha2\n",
            imports,
            naftiko: NaftikoSource::Path(PathBuf::from("/src/naftiko-rs")),
        }
        .files()
    }

    fn file<'a>(files: &'a [File], path: &str) -> &'a str {
        files
            .iter()
            .find(|(p, _)| p == Path::new(path))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {path}"))
    }

    #[test]
    fn names_follow_the_package_and_the_spec() {
        let files = scaffold(
            "my-cap",
            vec![("shared/a.yaml".into(), "imported".to_owned())],
        )
        .unwrap();

        assert!(file(&files, "Cargo.toml").contains("name = \"my-cap-server\""));
        assert!(
            file(&files, "Cargo.toml")
                .contains("naftiko-codegen = { path = \"/src/naftiko-rs/naftiko-codegen\", default-features = false }")
        );
        assert!(file(&files, "build.rs").contains("build(\"specs/ship-yard.yml\")"));
        assert!(file(&files, "src/lib.rs").contains("\"/ship_yard.rs\""));
        assert!(file(&files, "src/main.rs").contains("use my_cap::{CAPABILITY, serve};"));
        assert_eq!(
            file(&files, "specs/ship-yard.yml"),
            "naftiko: 1.0.0-alpha2\n"
        );
        assert_eq!(file(&files, "specs/shared/a.yaml"), "imported");
    }

    #[test]
    fn the_generator_hot_crates_are_optimised_here_and_in_new_crates() {
        let files = scaffold("my-cap", Vec::new()).unwrap();
        let workspace = include_str!("../../Cargo.toml");
        for profile in ["dev", "release"] {
            for krate in GENERATOR_HOT_CRATES {
                let section = format!("[profile.{profile}.package.{krate}]\nopt-level = 3\n");
                assert!(file(&files, "Cargo.toml").contains(&section), "{section}");
                assert!(workspace.contains(&section), "workspace: {section}");
            }
        }
    }

    #[test]
    fn bad_names_and_escaping_imports_are_refused() {
        for name in ["9lives", "my cap", "", "naftiko", "a/b"] {
            let err = scaffold(name, Vec::new()).unwrap_err();
            assert!(err.contains(&format!("`{name}`")), "{err}");
        }
        let err = scaffold("ok", vec![("../x.yaml".into(), String::new())]).unwrap_err();
        assert!(err.contains("../x.yaml"), "{err}");
    }
}
