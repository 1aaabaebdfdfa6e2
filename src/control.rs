//! The `control` adapter: management endpoints on a listener of their own.
//!
//! - `management.health` (on by default): `GET /health/live` and `GET /health/ready`, both
//!   `200 {"status":"UP"}`. Readiness says the process serves requests; it does not call the
//!   upstreams (a probe that did would turn an upstream outage into a restart loop).
//! - `management.info`: `GET /status` (capability, generator version, every listener) and
//!   `GET /config` (the spec's shape, built at compile time: names, paths, ports, header and
//!   variable names; never a bound value, a literal header value or a password).
//!
//! A group that is off answers 404 like any unknown path. Metrics, traces, reload, validate,
//! logs and scripting need a runtime engine: the generator warns about them and serves none.

use axum::Json;
use axum::Router;
use axum::routing::get;

/// What the control router serves.
#[derive(Clone, Debug)]
pub struct ControlOptions {
    pub health: bool,
    pub info: bool,
    /// The spec's `info.label`.
    pub label: &'static str,
    /// The `/config` document (JSON, built by the generator).
    pub config: &'static str,
    /// Every other listener: (kind, URL).
    pub listeners: Vec<(&'static str, String)>,
}

/// The control adapter's router.
pub fn router(options: ControlOptions) -> Router {
    let mut router = Router::new();
    if options.health {
        router = router
            .route("/health/live", get(up))
            .route("/health/ready", get(up));
    }
    if options.info {
        let status = serde_json::json!({
            "status": "UP",
            "capability": options.label,
            "generator": concat!("naftiko-rs ", env!("CARGO_PKG_VERSION")),
            "adapters": options
                .listeners
                .iter()
                .map(|(kind, url)| serde_json::json!({ "type": kind, "url": url }))
                .collect::<Vec<_>>(),
        });
        let config = options.config;
        router = router
            .route(
                "/status",
                get(move || {
                    let status = status.clone();
                    async move { Json(status) }
                }),
            )
            .route(
                "/config",
                get(move || async move { crate::rest::json_document(config) }),
            );
    }
    router.fallback(crate::rest::not_found)
}

async fn up() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "UP" }))
}
