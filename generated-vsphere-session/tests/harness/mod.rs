//! What the reliability tests share: the whole gateway (`serve_until`) on loopback ports,
//! upstreams that misbehave on purpose (raw TCP, so they can break HTTP itself), and raw
//! HTTP/1.1 exchanges for clients that do.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use generated_vsphere_session::serve_until;
use naftiko::__private::reqwest;
use naftiko::__private::serde_json::{Value, json};
use naftiko::cli::Settings;
pub(crate) use naftiko_test_support::{basic, free_port, http_client, parse, refused_addr};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// vCenter's session header, forwarded by the gateway.
pub(crate) const SESSION_HEADER: &str = "vmware-api-session-id";
/// The protocol version of the `initialize` era.
pub(crate) const LEGACY: &str = "2025-11-25";
/// A bound that only a hang reaches: every wait of these tests is bounded by it.
pub(crate) const GENEROUS: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// The gateway, in process
// ---------------------------------------------------------------------------------------------

/// The whole server (REST and MCP listeners) serving until dropped or stopped.
pub(crate) struct Gateway {
    pub(crate) rest: SocketAddr,
    pub(crate) mcp: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), naftiko::Error>>,
}

impl Gateway {
    /// Serves against `base_uri` (replacing the spec's), with `configure` applied to the
    /// settings (limits, timeouts, binds).
    pub(crate) async fn start(base_uri: &str, configure: impl FnOnce(&mut Settings)) -> Gateway {
        let rest = free_port();
        let mcp = free_port();
        let mut settings = Settings::new();
        settings.rest_port = Some(rest);
        settings.mcp_port = Some(mcp);
        settings
            .base_uris
            .insert("vsphere-session".to_owned(), base_uri.to_owned());
        configure(&mut settings);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let mut task = tokio::spawn(serve_until(settings, async move {
            let _ = stopped.await;
        }));
        tokio::time::timeout(GENEROUS, async {
            tokio::select! {
                () = async {
                    wait_for_listener(rest).await;
                    wait_for_listener(mcp).await;
                } => {}
                early = &mut task => panic!("the gateway stopped before serving: {early:?}"),
            }
        })
        .await
        .expect("the gateway listens");
        Gateway {
            rest: (std::net::Ipv4Addr::LOCALHOST, rest).into(),
            mcp: (std::net::Ipv4Addr::LOCALHOST, mcp).into(),
            stop: Some(stop),
            task,
        }
    }

    pub(crate) fn rest_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.rest)
    }

    pub(crate) fn mcp_url(&self) -> String {
        format!("http://{}/mcp", self.mcp)
    }

    /// Stops accepting, drains, and returns what `serve_until` returned.
    pub(crate) async fn stop(mut self) -> Result<(), naftiko::Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(GENEROUS, &mut self.task)
            .await
            .expect("serve_until returns after shutdown")
            .expect("server task")
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Waits until something accepts connections on `port`.
pub(crate) async fn wait_for_listener(port: u16) {
    while TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port))
        .await
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Misbehaving upstreams
// ---------------------------------------------------------------------------------------------

/// A TCP server on 127.0.0.1:0 handing every connection to a handler; counts connections.
pub(crate) struct FaultyUpstream {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyUpstream {
    pub(crate) async fn start<F, Fut>(handler: F) -> FaultyUpstream
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the faulty upstream");
        let addr = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(handler(stream));
            }
        });
        FaultyUpstream {
            addr,
            connections,
            task,
        }
    }

    /// Reads each request's head, then writes `answer` and closes.
    pub(crate) async fn answering(answer: &'static [u8]) -> FaultyUpstream {
        FaultyUpstream::start(move |mut stream| async move {
            read_head(&mut stream).await;
            let _ = stream.write_all(answer).await;
            let _ = stream.shutdown().await;
        })
        .await
    }

    /// `http://127.0.0.1:<port>/api`.
    pub(crate) fn base_uri(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultyUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads up to the end of a request head (`\r\n\r\n`) or the end of the stream.
pub(crate) async fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    head
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/// An HTTP answer, read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        parse(&self.body)
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a JSON error body `{"error": {"kind": kind, "message": ...}}`; the message.
    pub(crate) fn error(&self, status: u16, kind: &str) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json"),
            "{}",
            self.text()
        );
        let body = self.json();
        assert_eq!(body["error"]["kind"], kind, "{body}");
        body["error"]["message"]
            .as_str()
            .expect("a message")
            .to_owned()
    }
}

pub(crate) async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.expect("read body").to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

/// `GET /v1/session` through the REST listener with a session header.
pub(crate) async fn rest_get(gateway: &Gateway) -> Answer {
    let response = http_client()
        .get(gateway.rest_url("/v1/session"))
        .header(SESSION_HEADER, "tok-reliability")
        .timeout(GENEROUS)
        .send()
        .await
        .expect("the gateway answers");
    answer(response).await
}

/// A JSON-RPC POST to the MCP listener (2025-11-25 era) with `body` as given.
pub(crate) async fn mcp_post(gateway: &Gateway, body: impl Into<reqwest::Body>) -> Answer {
    let response = http_client()
        .post(gateway.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", LEGACY)
        .header(SESSION_HEADER, "tok-reliability")
        .timeout(GENEROUS)
        .body(body)
        .send()
        .await
        .expect("the gateway answers");
    answer(response).await
}

/// `tools/call` of the get-session tool that must end in a tool error: its text.
pub(crate) async fn mcp_tool_error(gateway: &Gateway) -> String {
    let call = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "vmware-get-current-session-information", "arguments": {}}
    });
    let answer = mcp_post(gateway, call.to_string()).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["result"]["isError"], true, "{body}");
    body["result"]["content"][0]["text"]
        .as_str()
        .expect("text content")
        .to_owned()
}

/// Writes `request` on a fresh connection and reads until the server closes it (bounded).
pub(crate) async fn raw_exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("write");
    read_to_close(&mut stream).await
}

/// Reads until the peer closes (or resets) the connection; panics if it never does.
pub(crate) async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    tokio::time::timeout(GENEROUS, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closes the connection");
    out
}

/// The status code of a raw HTTP/1.1 answer (`HTTP/1.1 400 ...`).
pub(crate) fn raw_status(answer: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}
