//! Request ids: every request served gets one (the caller's `X-Request-Id` when it is a sane
//! token, else a new random one). It names the request's tracing span, so every log line of
//! the request carries it; it is forwarded to the upstream (see
//! [`CallOptions::forward`](crate::CallOptions::forward)) and returned to the caller.

use std::hash::{BuildHasher, RandomState};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue};
use tracing::Instrument;

/// `x-request-id`.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The longest caller-given id kept; longer ones are replaced.
pub const MAX_LEN: usize = 128;

/// The middleware: tags the request (and its response) with its id and runs it inside a
/// `request` span carrying the id, method and path. A server error is logged at `warn`,
/// every request at `debug` (status and time taken).
pub async fn layer(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&HEADER)
        .filter(|v| acceptable(v))
        .cloned()
        .unwrap_or_else(generate);
    request.headers_mut().insert(HEADER, id.clone());
    let span = tracing::info_span!(
        "request",
        id = id.to_str().unwrap_or_default(),
        method = %request.method(),
        path = request.uri().path(),
    );
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let micros = started.elapsed().as_micros();
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), micros, "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), micros, "request done");
        }
    });
    response.headers_mut().insert(HEADER, id);
    response
}

/// A caller's id is kept when it is 1 to [`MAX_LEN`] characters of `[A-Za-z0-9._:-]`:
/// enough for UUIDs and tracing ids, nothing that could smuggle text into logs.
fn acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_LEN
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// 32 hex digits, unique within the process and unpredictable across processes (std's
/// randomly keyed SipHash over a counter: request ids need uniqueness, not secrecy).
fn generate() -> HeaderValue {
    static KEYS: LazyLock<RandomState> = LazyLock::new(RandomState::new);
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let high = KEYS.hash_one((n, 0u8));
    let low = KEYS.hash_one((n, 1u8));
    let mut hex = [0u8; 32];
    let bytes = high.to_be_bytes().into_iter().chain(low.to_be_bytes());
    for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0xf)];
    }
    HeaderValue::from_bytes(&hex).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_distinct_hex_and_acceptable() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(acceptable(&a));
    }

    #[test]
    fn only_sane_caller_ids_are_kept() {
        for ok in ["f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "a", "trace:1.2_x"] {
            assert!(acceptable(&HeaderValue::from_static(ok)), "{ok}");
        }
        let long = "a".repeat(MAX_LEN + 1);
        for bad in ["", "has space", "quote\"", long.as_str()] {
            assert!(!acceptable(&HeaderValue::try_from(bad).unwrap()), "{bad}");
        }
    }
}
