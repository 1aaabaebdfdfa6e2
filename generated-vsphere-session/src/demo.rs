//! A built-in, stateful, in-process VMware vSphere session simulator.
//!
//! It serves the modern vSphere Automation API session resource the way
//! vCenter 8 does, at `/api/session`:
//!
//! - `POST` with `Authorization: Basic …` (non-empty user and password) creates a
//!   session: **201** with a bare JSON string token.
//! - `GET` with `vmware-api-session-id: <token>` returns **200**
//!   `{"user", "created_time", "last_accessed_time"}`.
//! - `DELETE` with a live token removes the session: **204**, empty body.
//! - Missing or unknown credentials/tokens: **401** with vSphere's
//!   `UNAUTHENTICATED` error body; other methods: **405**; other paths: **404**
//!   with a `NOT_FOUND` error body.
//!
//! Used by the server binary's `--demo` flag and by tests.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use naftiko::__private::axum::extract::State;
use naftiko::__private::axum::response::{IntoResponse, Response};
use naftiko::__private::axum::routing::get;
use naftiko::__private::axum::{self, Json, Router};
use naftiko::__private::http::{HeaderMap, HeaderValue, StatusCode, header};
use naftiko::__private::serde_json::{Value, json};
use naftiko::__private::tracing;

/// The header carrying a session token on every authenticated call.
const SESSION_HEADER: &str = "vmware-api-session-id";

/// The challenge sent with a 401 on session creation.
const WWW_AUTHENTICATE: &str = "Basic realm=\"VAPI endpoint\"";

/// One live session.
#[derive(Debug, Clone)]
struct Session {
    user: String,
    created_ms: u64,
    last_accessed_ms: u64,
}

/// The simulator's state: live sessions keyed by token.
type Sessions = Arc<Mutex<HashMap<String, Session>>>;

/// The simulator's routes (state inside), mounted at `/api/session`.
pub fn router() -> Router {
    let sessions: Sessions = Arc::new(Mutex::new(HashMap::new()));
    Router::new()
        .route(
            "/api/session",
            get(get_session).post(create_session).delete(delete_session),
        )
        .fallback(not_found)
        .with_state(sessions)
}

/// A running simulator on 127.0.0.1 with an ephemeral port.
///
/// Dropping it stops the server task.
#[derive(Debug)]
pub struct DemoVcenter {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl DemoVcenter {
    /// Binds 127.0.0.1:0 and serves `router()` on a tokio task.
    pub async fn start() -> std::io::Result<DemoVcenter> {
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router()).await {
                tracing::debug!(%error, "vSphere demo simulator stopped with an error");
            }
        });
        tracing::debug!(%addr, "vSphere demo simulator listening");
        Ok(DemoVcenter { addr, task })
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/api` — the consumed baseUri replacement.
    pub fn base_uri(&self) -> String {
        format!("http://{}/api", self.addr)
    }
}

impl Drop for DemoVcenter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

async fn create_session(State(sessions): State<Sessions>, headers: HeaderMap) -> Response {
    let Some((user, _password)) = basic_credentials(&headers) else {
        tracing::debug!("vSphere demo: session creation rejected (missing or invalid credentials)");
        let mut response = unauthenticated();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(WWW_AUTHENTICATE),
        );
        return response;
    };
    let now = now_millis();
    let token = new_token();
    tracing::debug!(%user, "vSphere demo: session created");
    lock(&sessions).insert(
        token.clone(),
        Session {
            user,
            created_ms: now,
            last_accessed_ms: now,
        },
    );
    (StatusCode::CREATED, Json(token)).into_response()
}

async fn get_session(State(sessions): State<Sessions>, headers: HeaderMap) -> Response {
    let Some(token) = session_token(&headers) else {
        tracing::debug!("vSphere demo: session lookup without a token");
        return unauthenticated();
    };
    let found = {
        let mut guard = lock(&sessions);
        guard.get_mut(token).map(|session| {
            session.last_accessed_ms = now_millis();
            session.clone()
        })
    };
    match found {
        Some(session) => {
            tracing::debug!(user = %session.user, "vSphere demo: session looked up");
            Json(json!({
                "user": session.user,
                "created_time": format_rfc3339_millis(session.created_ms),
                "last_accessed_time": format_rfc3339_millis(session.last_accessed_ms),
            }))
            .into_response()
        }
        None => {
            tracing::debug!("vSphere demo: session lookup with an unknown token");
            unauthenticated()
        }
    }
}

async fn delete_session(State(sessions): State<Sessions>, headers: HeaderMap) -> Response {
    let Some(token) = session_token(&headers) else {
        tracing::debug!("vSphere demo: session deletion without a token");
        return unauthenticated();
    };
    let removed = lock(&sessions).remove(token);
    match removed {
        Some(session) => {
            tracing::debug!(user = %session.user, "vSphere demo: session deleted");
            StatusCode::NO_CONTENT.into_response()
        }
        None => {
            tracing::debug!("vSphere demo: session deletion with an unknown token");
            unauthenticated()
        }
    }
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(error_body(
            "NOT_FOUND",
            "com.vmware.vapi.rest.httpNotFound",
            "Not found.",
        )),
    )
        .into_response()
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn lock(sessions: &Sessions) -> MutexGuard<'_, HashMap<String, Session>> {
    sessions
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn error_body(error_type: &str, id: &str, default_message: &str) -> Value {
    json!({
        "error_type": error_type,
        "messages": [{
            "args": [],
            "default_message": default_message,
            "id": id,
        }],
    })
}

fn unauthenticated() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(error_body(
            "UNAUTHENTICATED",
            "com.vmware.vapi.endpoint.method.authentication.required",
            "Authentication required.",
        )),
    )
        .into_response()
}

/// The session token from `vmware-api-session-id`, if present and non-empty.
fn session_token(headers: &HeaderMap) -> Option<&str> {
    let token = headers.get(SESSION_HEADER)?.to_str().ok()?.trim();
    (!token.is_empty()).then_some(token)
}

/// `(user, password)` from `Authorization: Basic …`, both non-empty.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    if user.is_empty() || password.is_empty() {
        return None;
    }
    Some((user.to_owned(), password.to_owned()))
}

/// Decodes standard (RFC 4648) base64, padded or unpadded; `None` if malformed.
fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let body = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(bytes);
    if (bytes.len() != body.len() && !bytes.len().is_multiple_of(4)) || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in body {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// An unpredictable 32-hex-char token (randomly keyed SipHash over a counter
/// and the current time).
fn new_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut token = String::with_capacity(32);
    for lane in 0u8..2 {
        let word = RandomState::new().hash_one((count, nanos, lane));
        token.push_str(&format!("{word:016x}"));
    }
    token
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// Formats milliseconds since the Unix epoch as RFC 3339 UTC, e.g.
/// `2026-12-03T18:34:21.123Z`.
fn format_rfc3339_millis(epoch_ms: u64) -> String {
    let millis = epoch_ms % 1000;
    let secs = epoch_ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's `civil_from_days` for days since 1970-01-01 (non-negative).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use naftiko::__private::reqwest;

    fn client() -> reqwest::Client {
        // reqwest is built with `rustls-no-provider`; plain http:// still needs one.
        let _ = naftiko::__private::rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("build reqwest client")
    }

    async fn body_json(response: reqwest::Response) -> Value {
        let bytes = response.bytes().await.expect("read body");
        naftiko::__private::serde_json::from_slice(&bytes).expect("JSON body")
    }

    fn is_rfc3339_millis(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 24
            && b.iter().enumerate().all(|(i, &c)| match i {
                4 | 7 => c == b'-',
                10 => c == b'T',
                13 | 16 => c == b':',
                19 => c == b'.',
                23 => c == b'Z',
                _ => c.is_ascii_digit(),
            })
    }

    #[tokio::test]
    async fn full_lifecycle() {
        let server = DemoVcenter::start().await.unwrap();
        assert!(server.base_uri().starts_with("http://127.0.0.1:"));
        assert!(server.base_uri().ends_with("/api"));
        let url = format!("{}/session", server.base_uri());
        let client = client();

        let created = client
            .post(&url)
            .basic_auth("administrator@vsphere.local", Some("s3cret!"))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        assert_eq!(created.headers()[header::CONTENT_TYPE], "application/json");
        let token = body_json(created).await;
        let token = token.as_str().expect("bare JSON string token").to_owned();
        assert!(token.len() >= 32);
        assert!(token.bytes().all(|c| c.is_ascii_hexdigit()));

        let got = client
            .get(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        let body = body_json(got).await;
        assert_eq!(body["user"], "administrator@vsphere.local");
        assert!(is_rfc3339_millis(body["created_time"].as_str().unwrap()));
        assert!(is_rfc3339_millis(
            body["last_accessed_time"].as_str().unwrap()
        ));
        assert!(body["last_accessed_time"].as_str() >= body["created_time"].as_str());

        let deleted = client
            .delete(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        assert!(deleted.bytes().await.unwrap().is_empty());

        let gone = client
            .get(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 401);
        let body = body_json(gone).await;
        assert_eq!(body["error_type"], "UNAUTHENTICATED");
        assert_eq!(
            body["messages"][0]["id"],
            "com.vmware.vapi.endpoint.method.authentication.required"
        );

        let deleted_again = client
            .delete(&url)
            .header(SESSION_HEADER, &token)
            .send()
            .await
            .unwrap();
        assert_eq!(deleted_again.status(), 401);

        let no_token = client.get(&url).send().await.unwrap();
        assert_eq!(no_token.status(), 401);
    }

    #[tokio::test]
    async fn create_without_credentials_is_401_with_challenge() {
        let server = DemoVcenter::start().await.unwrap();
        let url = format!("{}/session", server.base_uri());
        let response = client().post(&url).send().await.unwrap();
        assert_eq!(response.status(), 401);
        let challenge = response.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(challenge.starts_with("Basic realm=\"VAPI endpoint\""));
        let body = body_json(response).await;
        assert_eq!(
            body,
            json!({"error_type":"UNAUTHENTICATED","messages":[{"args":[],"default_message":"Authentication required.","id":"com.vmware.vapi.endpoint.method.authentication.required"}]})
        );
    }

    #[tokio::test]
    async fn create_with_bad_credentials_is_401() {
        let server = DemoVcenter::start().await.unwrap();
        let url = format!("{}/session", server.base_uri());
        let client = client();
        // "admin:" (empty password), ":pw" (empty user), malformed base64, no colon,
        // wrong scheme.
        for auth in [
            "Basic YWRtaW46",
            "Basic OnB3",
            "Basic !!not-base64!!",
            "Basic YWRtaW4=",
            "Bearer YWRtaW46cHc=",
        ] {
            let response = client
                .post(&url)
                .header(header::AUTHORIZATION, auth)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 401, "{auth}");
            assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
        }
        // Sanity: "admin:pw" works when written by hand.
        let ok = client
            .post(&url)
            .header(header::AUTHORIZATION, "Basic YWRtaW46cHc=")
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 201);
    }

    #[tokio::test]
    async fn sessions_get_distinct_tokens_and_are_independent() {
        let server = DemoVcenter::start().await.unwrap();
        let url = format!("{}/session", server.base_uri());
        let client = client();
        let mut tokens = Vec::new();
        for user in ["alice", "bob"] {
            let response = client
                .post(&url)
                .basic_auth(user, Some("pw"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            tokens.push(body_json(response).await.as_str().unwrap().to_owned());
        }
        assert_ne!(tokens[0], tokens[1]);
        let deleted = client
            .delete(&url)
            .header(SESSION_HEADER, &tokens[0])
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        let bob = client
            .get(&url)
            .header(SESSION_HEADER, &tokens[1])
            .send()
            .await
            .unwrap();
        let bob = body_json(bob).await;
        assert_eq!(bob["user"], "bob");
    }

    #[tokio::test]
    async fn unknown_path_is_404_and_other_methods_405() {
        let server = DemoVcenter::start().await.unwrap();
        let client = client();
        let response = client
            .get(format!("{}/vcenter/vm", server.base_uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        let body = body_json(response).await;
        assert_eq!(body["error_type"], "NOT_FOUND");
        assert!(body["messages"].is_array());

        let response = client
            .put(format!("{}/session", server.base_uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
    }

    #[tokio::test]
    async fn dropping_stops_the_server() {
        let server = DemoVcenter::start().await.unwrap();
        let addr = server.addr();
        drop(server);
        tokio::task::yield_now().await;
        let mut refused = false;
        for _ in 0..50 {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(refused, "listener still accepting after drop");
    }

    #[test]
    fn formats_known_epochs() {
        assert_eq!(format_rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_rfc3339_millis(951_782_400_123),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(
            format_rfc3339_millis(1_796_322_861_123),
            "2026-12-03T18:34:21.123Z"
        );
        assert_eq!(
            format_rfc3339_millis(4_107_542_399_999),
            "2100-02-28T23:59:59.999Z"
        );
        assert!(is_rfc3339_millis(&format_rfc3339_millis(now_millis())));
    }

    #[test]
    fn base64_known_vectors_and_garbage() {
        let ok = |s: &str| base64_decode(s).map(|v| String::from_utf8(v).unwrap());
        assert_eq!(ok("").as_deref(), Some(""));
        assert_eq!(ok("Zg==").as_deref(), Some("f"));
        assert_eq!(ok("Zm8=").as_deref(), Some("fo"));
        assert_eq!(ok("Zm9v").as_deref(), Some("foo"));
        assert_eq!(ok("Zm9vYg==").as_deref(), Some("foob"));
        assert_eq!(ok("Zm9vYmE=").as_deref(), Some("fooba"));
        assert_eq!(ok("Zm9vYmFy").as_deref(), Some("foobar"));
        assert_eq!(ok("Zm9vYg").as_deref(), Some("foob"));
        assert_eq!(ok("YWRtaW46cHc=").as_deref(), Some("admin:pw"));
        assert_eq!(base64_decode("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
        for garbage in [
            "!!!!", "Zm9v!", "Z", "Zm9vY", "Zg=", "Z===", "Zg==Zg==", "Zm 9v", "=",
        ] {
            assert_eq!(base64_decode(garbage), None, "{garbage:?}");
        }
    }
}
