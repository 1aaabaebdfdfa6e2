//! Step 9, aggregates: `get-ship-with-crew` is a `ref` to the `crew-resolver` aggregate
//! function, whose `semantics` (safe, idempotent) become the tool's MCP hints. MCP only.

mod spec {
    naftiko::capability!("../corpus/official/tutorial/step-9-shipyard-aggregates.yml");
}

use naftiko::__private::axum::Router;
use naftiko::__private::serde_json::json;
use naftiko::mcp::McpOptions;
use naftiko_test_support::{McpServer, Upstream, http_client};
use spec::{Clients, shipyard_tools};

use crate::checks::{self, upstream};
use crate::shipyard::{self, BOUND};
use crate::{MCP_AUTH, listening, mcp_guard, server_settings, settings};

fn tools(upstream: &Upstream) -> Router {
    let clients = Clients::from_settings(&settings(upstream)).expect("clients");
    shipyard_tools::router(shipyard_tools::Tools::new(clients), &McpOptions::default())
}

/// The MCP adapter as `serve` mounts it: behind its bearer guard.
async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(naftiko::auth::protect(tools(upstream), mcp_guard())).await
}

#[tokio::test]
async fn mcp_list_ships_maps_each_ship_with_the_registry_token() {
    let upstream = upstream().await;
    checks::mcp_list_ships(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_get_ship_nests_the_specs_and_an_unknown_ship_is_a_tool_error() {
    let upstream = upstream().await;
    checks::mcp_get_ship(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_get_ship_with_crew_runs_the_aggregate_function() {
    let upstream = upstream().await;
    checks::mcp_get_ship_with_crew(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_get_ship_with_crew_names_the_failing_step_of_the_aggregate() {
    let upstream = shipyard::failing(BOUND, "/registry/crew", 503).await;
    checks::mcp_failing_crew_step_is_named(&mcp(&upstream).await).await;
}

#[tokio::test]
async fn mcp_legacy_vessels_map_the_xml_register() {
    let upstream = upstream().await;
    checks::mcp_legacy_vessels(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_create_voyage_sends_the_id_arrays_as_json() {
    let upstream = upstream().await;
    checks::mcp_create_voyage(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_create_voyage_without_cargo_is_refused_before_any_request() {
    let upstream = upstream().await;
    checks::mcp_create_voyage_without_cargo_is_refused(&mcp(&upstream).await, &upstream).await;
}

/// `semantics: {safe: true, idempotent: true}` on the aggregate function: read-only,
/// idempotent, not destructive.
#[tokio::test]
async fn mcp_hints_of_the_ref_tool_derive_from_the_aggregate_semantics() {
    let upstream = upstream().await;
    let server = McpServer::start(tools(&upstream)).await;
    checks::mcp_create_voyage_hints(&server).await;
    let tool = server.tool("get-ship-with-crew").await;
    assert_eq!(
        tool["annotations"],
        json!({"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}),
        "{tool}"
    );
    assert_eq!(
        tool["inputSchema"],
        json!({
            "type": "object",
            "properties": {"imo": {"type": "string", "description": "IMO number of the ship"}},
            "required": ["imo"]
        })
    );
}

/// The whole generated server (MCP only): the bound MCP token is required and stays out of
/// the upstream requests.
#[tokio::test]
async fn server_guards_mcp_with_the_bound_token() {
    let upstream = upstream().await;
    let (settings, _, mcp_addr) = server_settings(&upstream);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(spec::serve_until(settings, async {
        let _ = stopped.await;
    }));
    listening(mcp_addr).await;

    let refused = http_client()
        .post(format!("http://{mcp_addr}/mcp"))
        .header("authorization", "Bearer not-the-token")
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 401);

    let mcp = McpServer::connect(format!("http://{mcp_addr}/mcp"));
    let ship = mcp
        .call_ok(
            "get-ship-with-crew",
            json!({"imo": shipyard::NORTHERN_STAR}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(ship, crate::expected::northern_star_with_crew());
    for r in upstream.requests() {
        crate::assert_registry_credentials(
            &r,
            shipyard::REGISTRY_TOKEN,
            shipyard::REGISTRY_VERSION,
        );
    }
    stop.send(()).expect("server running");
    server.await.expect("join").expect("clean stop");
}
