//! A recording upstream for end-to-end tests, plus small HTTP helpers.
//!
//! [`Upstream`] is an axum server on an ephemeral 127.0.0.1 port. It records every request it
//! receives (method, path, headers, body) and answers each with what a programmable closure
//! returns ([`Canned`]: status, content type, body, optional delay).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use generated_vsphere_session::vsphere_session;
use naftiko::__private::axum::body::{Body, to_bytes};
use naftiko::__private::axum::extract::{Request, State};
use naftiko::__private::axum::response::{IntoResponse, Response};
use naftiko::__private::axum::{self, Router};
use naftiko::__private::bytes::Bytes;
use naftiko::__private::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use naftiko::__private::reqwest;

/// vSphere's answer to a request without a valid session or credentials.
pub(crate) const UNAUTHENTICATED_BODY: &str = r#"{"error_type":"UNAUTHENTICATED","messages":[{"args":[],"default_message":"Authentication required.","id":"com.vmware.vapi.endpoint.method.authentication.required"}]}"#;

/// One request as the upstream received it.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) method: Method,
    /// Path and query, as sent.
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Recorded {
    /// Every value of header `name`, as strings.
    pub(crate) fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("ASCII header").to_owned())
            .collect()
    }

    /// The single value of header `name`, if any (panics on duplicates).
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        let mut values = self.header_values(name);
        assert!(values.len() <= 1, "duplicate `{name}` headers: {values:?}");
        values.pop()
    }
}

/// A programmed answer.
#[derive(Clone, Debug)]
pub(crate) struct Canned {
    pub(crate) status: u16,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Bytes,
    /// Wait this long before answering (the slow-upstream case only).
    pub(crate) delay: Option<Duration>,
}

impl Canned {
    /// A JSON body sent byte for byte as given.
    pub(crate) fn json(status: u16, body: &str) -> Self {
        Canned {
            status,
            content_type: Some("application/json"),
            body: Bytes::copy_from_slice(body.as_bytes()),
            delay: None,
        }
    }

    /// No body, no content type.
    pub(crate) fn empty(status: u16) -> Self {
        Canned {
            status,
            content_type: None,
            body: Bytes::new(),
            delay: None,
        }
    }

    pub(crate) fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

type Responder = Arc<dyn Fn(&Recorded) -> Canned + Send + Sync>;

#[derive(Clone)]
struct UpstreamState {
    requests: Arc<Mutex<Vec<Recorded>>>,
    responder: Responder,
}

/// A running recording upstream. Dropping it stops the server task.
pub(crate) struct Upstream {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Upstream {
    /// Serves on 127.0.0.1:0, answering every request with `responder(&request)`.
    pub(crate) async fn start(
        responder: impl Fn(&Recorded) -> Canned + Send + Sync + 'static,
    ) -> Upstream {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = UpstreamState {
            requests: requests.clone(),
            responder: Arc::new(responder),
        };
        let router = Router::new().fallback(record).with_state(state);
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the recording upstream");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Upstream {
            addr,
            requests,
            task,
        }
    }

    /// An upstream answering per method the way vCenter does for a valid session:
    /// POST 201 `"<token>"`, GET 200 `{user, created_time, last_accessed_time}`, DELETE 204.
    pub(crate) async fn vsphere(token: &'static str) -> Upstream {
        Upstream::start(move |r| match r.method {
            Method::POST => Canned::json(201, &format!("\"{token}\"")),
            Method::GET => Canned::json(200, SESSION_INFO),
            Method::DELETE => Canned::empty(204),
            _ => Canned::empty(405),
        })
        .await
    }

    /// The replacement for the spec's `https://{vcenter}/api`.
    pub(crate) fn base_uri(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// A client builder pointing at this upstream.
    pub(crate) fn builder(&self) -> vsphere_session::ClientBuilder {
        vsphere_session::Client::builder().base_uri(self.base_uri())
    }

    /// A client pointing at this upstream, without credentials of its own.
    pub(crate) fn client(&self) -> vsphere_session::Client {
        self.builder().build().expect("build client")
    }

    /// Every request received so far, in order.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        lock(&self.requests).clone()
    }

    /// The one request received so far (panics unless exactly one).
    pub(crate) fn only_request(&self) -> Recorded {
        let mut requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request: {requests:?}");
        requests.remove(0)
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What [`Upstream::vsphere`] answers to GET.
pub(crate) const SESSION_INFO: &str = r#"{"user":"VSPHERE.LOCAL\\Administrator","created_time":"2026-12-03T18:34:21.123Z","last_accessed_time":"2026-12-03T18:35:02.456Z"}"#;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn record(State(state): State<UpstreamState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let recorded = Recorded {
        method: parts.method,
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        headers: parts.headers,
        body,
    };
    let canned = (state.responder)(&recorded);
    lock(&state.requests).push(recorded);
    if let Some(delay) = canned.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = (
        StatusCode::from_u16(canned.status).expect("valid status"),
        Body::from(canned.body),
    )
        .into_response();
    if let Some(ct) = canned.content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    response
}

/// A port that was free a moment ago (bind 127.0.0.1:0, read the port, close).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port")
        .port()
}

/// An address nothing listens on: bound, then closed.
pub(crate) fn refused_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    addr
}

/// A plain HTTP client for talking to servers under test (no proxy, no pool reuse surprises).
pub(crate) fn http_client() -> reqwest::Client {
    naftiko::client::install_crypto_provider();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("build reqwest client")
}

/// `Basic base64(user:password)`, computed independently of the runtime's encoder.
pub(crate) fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut bits = String::new();
    for b in input.bytes() {
        write!(bits, "{b:08b}").expect("write to a String");
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut out = String::from("Basic ");
    for chunk in bits.as_bytes().chunks(6) {
        let index = usize::from_str_radix(std::str::from_utf8(chunk).expect("ASCII"), 2)
            .expect("binary digits");
        out.push(char::from(ALPHABET[index]));
    }
    while !(out.len() - "Basic ".len()).is_multiple_of(4) {
        out.push('=');
    }
    out
}
