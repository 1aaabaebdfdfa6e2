//! Prometheus metrics of a generated server, served as `GET /metrics` (OpenMetrics text) on
//! the REST port by default (`--metrics-port` moves it to a listener of its own,
//! `--no-metrics` turns it off):
//!
//! - `naftiko_requests_total{surface, operation, status}`: requests answered, by surface
//!   (`rest`, `mcp`), route (`GET /v1/session`, `POST /mcp`) and status;
//! - `naftiko_tool_calls_total{tool, outcome}`: MCP tool calls (`ok`, `error`);
//! - `naftiko_upstream_request_duration_seconds{upstream}`: upstream call latency;
//! - `naftiko_upstream_errors_total{upstream, kind}`: failed upstream calls by kind
//!   (`timeout`, `connect`, `transport`, `status_4xx`, `status_5xx`).
//!
//! One registry per process: the metrics describe the process, whatever adapters it serves.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method, StatusCode};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::ClientError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    surface: &'static str,
    operation: Operation,
    status: u16,
}

/// `GET /v1/session`: the method and the matched route, shared with the router rather than
/// formatted into a new string on every request.
#[derive(Clone, Debug)]
struct Operation {
    method: Method,
    route: Option<MatchedPath>,
}

impl Operation {
    fn route(&self) -> &str {
        self.route.as_ref().map_or("", MatchedPath::as_str)
    }
}

impl PartialEq for Operation {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method && self.route() == other.route()
    }
}

impl Eq for Operation {}

impl Hash for Operation {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.method.hash(state);
        self.route().hash(state);
    }
}

impl EncodeLabelValue for Operation {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> std::fmt::Result {
        write!(encoder, "{} {}", self.method, self.route())
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ToolLabels {
    tool: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    upstream: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    upstream: String,
    kind: &'static str,
}

type HistogramFamily = Family<UpstreamLabels, Histogram, fn() -> Histogram>;

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    tools: Family<ToolLabels, Counter>,
    upstream_latency: HistogramFamily,
    upstream_errors: Family<ErrorLabels, Counter>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("naftiko");
    let requests = Family::<RequestLabels, Counter>::default();
    let tools = Family::<ToolLabels, Counter>::default();
    // 1 ms to ~33 s: a local upstream answers in about a millisecond, a timeout is 30 s.
    let upstream_latency: HistogramFamily =
        Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 16)));
    let upstream_errors = Family::<ErrorLabels, Counter>::default();
    registry.register("requests", "Requests answered", requests.clone());
    registry.register("tool_calls", "MCP tool calls", tools.clone());
    registry.register(
        "upstream_request_duration_seconds",
        "Upstream call latency",
        upstream_latency.clone(),
    );
    registry.register(
        "upstream_errors",
        "Failed upstream calls by kind",
        upstream_errors.clone(),
    );
    Metrics {
        registry,
        requests,
        tools,
        upstream_latency,
        upstream_errors,
    }
});

/// Where `/metrics` is served.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MetricsEndpoint {
    /// On the (first) REST adapter's port, beside `/healthz`.
    #[default]
    Rest,
    /// On a listener of its own, at the server's address.
    Port(u16),
    Off,
}

/// Route middleware counting each answered request under its route.
pub(crate) async fn count_requests(
    surface: &'static str,
    request: Request,
    next: Next,
) -> Response {
    let operation = Operation {
        method: request.method().clone(),
        route: request.extensions().get::<MatchedPath>().cloned(),
    };
    let response = next.run(request).await;
    METRICS
        .requests
        .get_or_create(&RequestLabels {
            surface,
            operation,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Counts one MCP tool call.
pub(crate) fn tool_called(tool: &'static str, is_error: bool) {
    let outcome = if is_error { "error" } else { "ok" };
    METRICS
        .tools
        .get_or_create(&ToolLabels { tool, outcome })
        .inc();
}

/// One upstream's metrics: its label, and its latency histogram looked up once (when the
/// client is made) rather than on every call.
#[derive(Debug)]
pub(crate) struct UpstreamMetrics {
    label: String,
    latency: Histogram,
}

impl UpstreamMetrics {
    /// `label` names the upstream (scheme, host and port). Its latency series exists from
    /// here on, at zero until the first call.
    pub(crate) fn new(label: String) -> Self {
        let latency = METRICS
            .upstream_latency
            .get_or_create(&UpstreamLabels {
                upstream: label.clone(),
            })
            .clone();
        UpstreamMetrics { label, latency }
    }

    /// Records one upstream call: its latency, and its failure kind if it failed. Calls
    /// refused before anything was sent (a missing parameter or credential) are not upstream
    /// calls.
    pub(crate) fn called(&self, elapsed: Duration, outcome: Result<StatusCode, &ClientError>) {
        let kind = match outcome {
            Ok(status) if status.is_client_error() => Some("status_4xx"),
            Ok(status) if status.is_server_error() => Some("status_5xx"),
            Ok(_) => None,
            Err(ClientError::Timeout) => Some("timeout"),
            Err(ClientError::Connect(_)) => Some("connect"),
            Err(ClientError::Transport(_) | ClientError::Decode(_)) => Some("transport"),
            Err(_) => return,
        };
        self.latency.observe(elapsed.as_secs_f64());
        if let Some(kind) = kind {
            METRICS
                .upstream_errors
                .get_or_create(&ErrorLabels {
                    upstream: self.label.clone(),
                    kind,
                })
                .inc();
        }
    }
}

/// `GET /metrics`: the registry in the OpenMetrics text format (which Prometheus scrapes).
pub async fn render() -> Response {
    let mut text = String::new();
    if prometheus_client::encoding::text::encode(&mut text, &METRICS.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = text.into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}
