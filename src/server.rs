//! Start-up and shutdown of generated servers: listeners, logging, signals.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{Body, HttpBody as _};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::error::Error;
use crate::metrics::MetricsEndpoint;

/// Default largest request body (2 MiB, axum's own default).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;
/// Default time a client has to send a request's headers, and then its body.
pub const DEFAULT_REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// What every listener accepts from its clients.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A larger request body is refused with 413 (before any of it reaches a handler).
    pub max_request_bytes: usize,
    /// Time allowed for a request's headers (HTTP/1), then for its body: a client slower
    /// than this (slowloris) has its connection closed, or a 408 for a slow body.
    pub request_read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            request_read_timeout: DEFAULT_REQUEST_READ_TIMEOUT,
        }
    }
}

/// One surface to serve.
pub struct Listener {
    /// What it is, for the start-up line (`REST`, `MCP`).
    pub kind: &'static str,
    pub addr: SocketAddr,
    pub router: axum::Router,
    /// Path shown in the start-up line (`/mcp`).
    pub path: &'static str,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, the request span (id, method, path) in front.
    #[default]
    Text,
    /// One JSON object per line, with the request span's fields.
    Json,
}

/// The runtime a server binary runs on: a worker thread per CPU the process may use
/// (`available_parallelism`, which honours cgroup quotas), or, with one CPU, the calling
/// thread alone. A single worker beside the thread in `block_on` only adds a hand-off per
/// task; on one CPU it cost 23% of MCP calls/s and put MCP's p99 at 256 connections at
/// 102 ms instead of 21 (BENCHMARKS.md).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    runtime_for(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

fn runtime_for(cpus: usize) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = if cpus == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(cpus);
        builder
    };
    builder.enable_all().build()
}

/// Logs to stderr as text, filtered by `RUST_LOG` (default `info,rmcp=warn`).
pub fn init_tracing() {
    init_logging(LogFormat::Text);
}

/// Logs to stderr in `format`, filtered by `RUST_LOG` (default `info,rmcp=warn`).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rmcp=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => logs.try_init(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Adds `GET /metrics` where `settings` say: to the first REST listener (the default), to a
/// listener of its own (`--metrics-port`), or nowhere (`--no-metrics`). A capability without
/// a REST adapter has metrics only on their own port.
pub fn with_metrics(
    mut listeners: Vec<Listener>,
    settings: &crate::cli::Settings,
) -> Vec<Listener> {
    let metrics =
        || axum::Router::new().route("/metrics", axum::routing::get(crate::metrics::render));
    match settings.metrics {
        MetricsEndpoint::Off => {}
        MetricsEndpoint::Rest => {
            if let Some(rest) = listeners.iter_mut().find(|l| l.kind == "REST") {
                rest.router = std::mem::take(&mut rest.router).merge(metrics());
            }
        }
        MetricsEndpoint::Port(port) => {
            listeners.push(Listener {
                kind: "metrics",
                addr: SocketAddr::new(settings.default_address(), port),
                router: metrics(),
                path: "/metrics",
            });
        }
    }
    listeners
}

/// [`serve_with`], alongside an MCP server on stdio; when the stdio client goes away (stdin
/// closes), everything shuts down.
pub async fn serve_with_stdio(
    listeners: Vec<Listener>,
    limits: Limits,
    stdio: impl Future<Output = Result<(), Error>> + Send,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        tokio::select! {
            () = shutdown => {},
            _ = stopped => {},
        }
    };
    let servers = serve_with(listeners, limits, shutdown);
    let stdio = async move {
        let result = stdio.await;
        let _ = stop.send(());
        result
    };
    let (a, b) = tokio::join!(stdio, servers);
    a.and(b)
}

/// [`serve_with`] the default [`Limits`].
pub async fn serve(
    listeners: Vec<Listener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    serve_with(listeners, Limits::default(), shutdown).await
}

/// Binds every listener (failing before serving any), prints one start-up line naming every
/// URL, and serves until `shutdown` resolves: then stops accepting connections and drains
/// requests in flight.
pub async fn serve_with(
    listeners: Vec<Listener>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let mut bound = Vec::new();
    for l in listeners {
        let tcp = TcpListener::bind(l.addr)
            .await
            .map_err(|source| Error::Io {
                what: format!("cannot listen on {} for {}", l.addr, l.kind),
                source,
            })?;
        let addr = tcp.local_addr().map_err(|source| Error::Io {
            what: "local address".to_owned(),
            source,
        })?;
        bound.push((l, tcp, addr));
    }
    let urls: Vec<String> = bound
        .iter()
        .map(|(l, _, addr)| format!("{} http://{addr}{}", l.kind, l.path))
        .collect();
    if !urls.is_empty() {
        tracing::info!("listening: {}", urls.join(", "));
    }
    let (tx, _) = tokio::sync::watch::channel(());
    let mut tasks = tokio::task::JoinSet::new();
    for (l, tcp, _) in bound {
        let rx = tx.subscribe();
        let surface = if l.kind == "MCP" { "mcp" } else { "rest" };
        let mut router = l.router;
        if router.has_routes() {
            router = router.route_layer(axum::middleware::from_fn(move |request, next| {
                crate::metrics::count_requests(surface, request, next)
            }));
        }
        let router =
            limited(router, limits).layer(axum::middleware::from_fn(crate::request_id::layer));
        tasks.spawn(serve_listener(tcp, router, limits, rx));
    }
    tokio::spawn(async move {
        shutdown.await;
        drop(tx);
    });
    while let Some(result) = tasks.join_next().await {
        if let Err(e) = result {
            return Err(Error::Config(format!("server task failed: {e}")));
        }
    }
    Ok(())
}

/// Accepts connections until `stop` changes (or its sender goes), then closes the listener
/// and waits for every open connection to finish its requests in flight.
///
/// axum's own `serve` gives hyper no timer, so hyper's header read timeout never fires and a
/// client sending its headers a byte at a time holds a connection forever: this loop is
/// axum's, with the timer and the timeout set.
async fn serve_listener(
    tcp: TcpListener,
    router: axum::Router,
    limits: Limits,
    mut stop: tokio::sync::watch::Receiver<()>,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.request_read_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = tcp.accept() => accepted,
            _ = stop.changed() => break,
        };
        let io = match accepted {
            Ok((io, _)) => io,
            Err(e) => {
                accept_error(e).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        let connection = builder
            .serve_connection(TokioIo::new(io), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::trace!("connection closed: {e}");
            }
        });
    }
    drop(tcp);
    graceful.shutdown().await;
}

/// A refused or reset connection is the client's business; anything else (out of file
/// descriptors) is worth a log line and a pause before accepting again.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!("accept error: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// `router` with the request body read whole, within [`Limits`], before any handler runs.
pub fn limited(router: axum::Router, limits: Limits) -> axum::Router {
    router
        .layer(axum::middleware::from_fn_with_state(limits, read_body))
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
}

/// 413 for a body over the limit (by its Content-Length, or once it grows past it), 408 for
/// a body that does not arrive in time; the connection is closed after either.
async fn read_body(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    // Most requests (GET, DELETE) have no body: nothing to read, no timer to arm.
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let max = limits.max_request_bytes;
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return too_large(max);
    }
    let read = tokio::time::timeout(
        limits.request_read_timeout,
        Limited::new(body, max).collect(),
    )
    .await;
    match read {
        Ok(Ok(collected)) => {
            next.run(Request::from_parts(parts, Body::from(collected.to_bytes())))
                .await
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => too_large(max),
        Ok(Err(e)) => closing(crate::rest::error_body(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            &format!("the request body could not be read: {e}"),
        )),
        Err(_) => closing(crate::rest::error_body(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            &format!(
                "the request body did not arrive within {} s",
                limits.request_read_timeout.as_secs_f64()
            ),
        )),
    }
}

fn too_large(max: usize) -> Response {
    closing(crate::rest::error_body(
        StatusCode::PAYLOAD_TOO_LARGE,
        "request_too_large",
        &format!("the request body is over the limit of {max} bytes"),
    ))
}

/// The rest of a refused body is never read: the connection cannot carry another request.
fn closing(mut response: Response) -> Response {
    response.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
    response
}

#[cfg(test)]
mod tests {
    use tokio::runtime::RuntimeFlavor;

    #[test]
    fn one_cpu_gets_the_calling_thread_more_get_a_worker_each() {
        let one = super::runtime_for(1).unwrap();
        assert_eq!(one.handle().runtime_flavor(), RuntimeFlavor::CurrentThread);
        let three = super::runtime_for(3).unwrap();
        assert_eq!(three.handle().runtime_flavor(), RuntimeFlavor::MultiThread);
        assert_eq!(three.metrics().num_workers(), 3);
    }
}
