//! Start-up and shutdown of generated servers: listeners, logging, signals.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::error::Error;
use crate::metrics::MetricsEndpoint;

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
            let address = settings
                .address
                .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
            listeners.push(Listener {
                kind: "metrics",
                addr: SocketAddr::new(address, port),
                router: metrics(),
                path: "/metrics",
            });
        }
    }
    listeners
}

/// [`serve`], alongside an MCP server on stdio; when the stdio client goes away (stdin
/// closes), everything shuts down.
pub async fn serve_with_stdio(
    listeners: Vec<Listener>,
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
    let servers = serve(listeners, shutdown);
    let stdio = async move {
        let result = stdio.await;
        let _ = stop.send(());
        result
    };
    let (a, b) = tokio::join!(stdio, servers);
    a.and(b)
}

/// Binds every listener (failing before serving any), prints one start-up line naming every
/// URL, and serves until `shutdown` resolves, then drains requests in flight.
pub async fn serve(
    listeners: Vec<Listener>,
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
        let mut rx = tx.subscribe();
        tasks.spawn(async move {
            let surface = if l.kind == "MCP" { "mcp" } else { "rest" };
            let mut router = l.router;
            if router.has_routes() {
                router = router.route_layer(axum::middleware::from_fn(move |request, next| {
                    crate::metrics::count_requests(surface, request, next)
                }));
            }
            let router = router.layer(axum::middleware::from_fn(crate::request_id::layer));
            axum::serve(tcp, router)
                .with_graceful_shutdown(async move {
                    let _ = rx.changed().await;
                })
                .await
                .map_err(|source| Error::Io {
                    what: format!("serving {}", l.kind),
                    source,
                })
        });
    }
    tokio::spawn(async move {
        shutdown.await;
        drop(tx);
    });
    while let Some(result) = tasks.join_next().await {
        match result {
            Ok(r) => r?,
            Err(e) => return Err(Error::Config(format!("server task failed: {e}"))),
        }
    }
    Ok(())
}
