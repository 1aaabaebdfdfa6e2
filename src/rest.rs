//! What generated REST handlers share: caller credentials in, upstream answers out.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};

use crate::client::RawResponse;
use crate::error::ClientError;

/// A JSON error body: `{"error": {"kind": ..., "message": ...}}`.
pub fn error_body(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": { "kind": kind, "message": message } })),
    )
        .into_response()
}

/// The HTTP answer for a failed upstream call: 502 unreachable, 504 timeout, upstream
/// statuses passed through with their body.
pub fn client_error(err: ClientError) -> Response {
    match err {
        ClientError::Status { status, body } => {
            let mut response = (status, body).into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        ClientError::Timeout => error_body(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream_timeout",
            &err.to_string(),
        ),
        ClientError::Connect(_) => error_body(
            StatusCode::BAD_GATEWAY,
            "upstream_unreachable",
            &err.to_string(),
        ),
        ClientError::Transport(_) => {
            error_body(StatusCode::BAD_GATEWAY, "upstream_failed", &err.to_string())
        }
        ClientError::Decode(_) => error_body(
            StatusCode::BAD_GATEWAY,
            "upstream_invalid",
            &err.to_string(),
        ),
        ClientError::MissingCredential { .. } => {
            let mut response = error_body(
                StatusCode::UNAUTHORIZED,
                "missing_credentials",
                &err.to_string(),
            );
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic"),
            );
            response
        }
        ClientError::Config(_) => error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "gateway_misconfigured",
            &err.to_string(),
        ),
    }
}

/// The upstream's status, content type and body, untouched.
pub fn passthrough(result: Result<RawResponse, ClientError>) -> Response {
    match result {
        Ok(raw) => {
            let mut response = (raw.status, raw.body).into_response();
            if let Some(ct) = raw.content_type {
                response.headers_mut().insert(CONTENT_TYPE, ct);
            }
            response
        }
        Err(e) => client_error(e),
    }
}

/// A successful upstream body reshaped by `map`; error statuses pass through unchanged.
pub fn mapped(
    result: Result<RawResponse, ClientError>,
    map: impl FnOnce(serde_json::Value) -> serde_json::Value,
) -> Response {
    let raw = match result.and_then(RawResponse::error_for_status) {
        Ok(raw) => raw,
        Err(e) => return client_error(e),
    };
    match raw.json() {
        Ok(value) => (raw.status, Json(map(value))).into_response(),
        Err(e) => client_error(e),
    }
}

/// `GET /healthz`.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Serves a JSON document built at compile time.
pub fn json_document(document: &'static str) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        document,
    )
        .into_response()
}

/// 404 for routes the spec does not expose.
pub async fn not_found() -> Response {
    error_body(StatusCode::NOT_FOUND, "not_found", "no such route")
}
