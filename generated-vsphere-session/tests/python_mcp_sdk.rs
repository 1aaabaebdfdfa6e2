//! The official Python MCP SDK against the real server binary in `--demo`, in both protocol
//! eras. A peer test: skipped (visibly) when the SDK is not installed, unless
//! `NAFTIKO_REQUIRE_PEERS=1`. The interpreter is `NAFTIKO_PYTHON`, else `python3`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn python() -> String {
    std::env::var("NAFTIKO_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// `true` when the peer is there; panics when it is missing but required.
fn peer_available() -> bool {
    let ok = Command::new(python())
        .args(["-c", "import mcp, httpx2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("NAFTIKO_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!(
                "peer missing: the Python MCP SDK (pip install mcp==2.3.0) for {}",
                python()
            );
        }
        eprintln!(
            "skipped: python mcp SDK not installed (set NAFTIKO_PYTHON to a Python that has mcp==2.3.0)"
        );
    }
    ok
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_demo_server() -> (Server, u16) {
    let (rest, mcp) = (free_port(), free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_vsphere-session-server"))
        .args([
            "--demo",
            "--rest-port",
            &rest.to_string(),
            "--mcp-port",
            &mcp.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start vsphere-session-server");
    let server = Server(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], mcp));
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server did not start listening on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, mcp)
}

#[test]
fn python_sdk_lists_and_calls_tools_in_both_eras() {
    if !peer_available() {
        return;
    }
    let (_server, port) = start_demo_server();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/peers/mcp_sdk_client.py");
    for mode in ["legacy", "2026-07-28"] {
        let out = Command::new(python())
            .arg(&script)
            .arg(format!("http://127.0.0.1:{port}/mcp"))
            .arg(mode)
            .output()
            .expect("run the Python MCP client");
        let stdout = String::from_utf8_lossy(&out.stdout);
        print!("{stdout}");
        assert!(
            out.status.success(),
            "Python MCP SDK ({mode}) failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("ok: {mode}: read-only tool")),
            "{stdout}"
        );
    }
}
