//! Step 10, REST adapter: the tools of step 9 also as REST routes, `GET /ships/{{imo}}/crew`
//! a `ref` to the aggregate function, the legacy register mapped from `$.vessel`.

mod spec {
    naftiko::capability!("../corpus/official/tutorial/step-10-shipyard-rest-adapter.yml");
}

use naftiko::__private::axum::Router;
use naftiko::__private::serde_json::json;
use naftiko::mcp::McpOptions;
use naftiko_test_support::{McpServer, Upstream, http_client, parse};
use spec::{Clients, shipyard_api, shipyard_tools};

use crate::checks::{self, upstream};
use crate::shipyard::{self, BOUND};
use crate::{MCP_AUTH, listening, mcp_guard, server_settings, settings};

fn router(upstream: &Upstream) -> Router {
    let clients = Clients::from_settings(&settings(upstream)).expect("clients");
    shipyard_api::router(shipyard_api::Forward::new(clients))
}

fn tools(upstream: &Upstream) -> Router {
    let clients = Clients::from_settings(&settings(upstream)).expect("clients");
    shipyard_tools::router(shipyard_tools::Tools::new(clients), &McpOptions::default())
}

/// The MCP adapter as `serve` mounts it: behind its bearer guard.
async fn mcp(upstream: &Upstream) -> McpServer {
    McpServer::start(naftiko::auth::protect(tools(upstream), mcp_guard())).await
}

#[tokio::test]
async fn rest_list_ships_maps_each_ship_and_passes_the_status_filter() {
    let upstream = upstream().await;
    checks::rest_list_ships(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_get_ship_nests_the_specs() {
    let upstream = upstream().await;
    checks::rest_get_ship(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_unknown_ship_passes_the_registry_404_through() {
    let upstream = upstream().await;
    checks::rest_unknown_ship_is_the_registry_404(router(&upstream)).await;
}

#[tokio::test]
async fn rest_get_ship_with_crew_runs_the_aggregate_function() {
    let upstream = upstream().await;
    checks::rest_get_ship_with_crew(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_get_ship_with_crew_names_the_failing_step_of_the_aggregate() {
    let upstream = shipyard::failing(BOUND, "/registry/crew", 503).await;
    checks::rest_failing_crew_step_is_named(router(&upstream)).await;
}

#[tokio::test]
async fn rest_legacy_vessels_map_the_xml_register() {
    let upstream = upstream().await;
    checks::rest_legacy_vessels(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_create_voyage_posts_the_templated_body_and_reshapes_the_answer() {
    let upstream = upstream().await;
    checks::rest_create_voyage(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_list_ships_maps_each_ship_with_the_registry_token() {
    let upstream = upstream().await;
    checks::mcp_list_ships(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_get_ship_with_crew_runs_the_aggregate_function() {
    let upstream = upstream().await;
    checks::mcp_get_ship_with_crew(&mcp(&upstream).await, &upstream, BOUND).await;
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

/// The whole generated server: REST open (the spec gives it no authentication), MCP guarded.
#[tokio::test]
async fn server_serves_rest_open_and_mcp_guarded() {
    let upstream = upstream().await;
    let (settings, rest_addr, mcp_addr) = server_settings(&upstream);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(spec::serve_until(settings, async {
        let _ = stopped.await;
    }));
    listening(rest_addr).await;
    listening(mcp_addr).await;

    let http = http_client();
    let crew = http
        .get(format!(
            "http://{rest_addr}/ships/{}/crew",
            shipyard::NORTHERN_STAR
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(crew.status(), 200);
    let crew = parse(&crew.bytes().await.expect("body"));
    assert_eq!(crew, crate::expected::northern_star_with_crew());
    let refused = http
        .post(format!("http://{mcp_addr}/mcp"))
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 401);
    let mcp = McpServer::connect(format!("http://{mcp_addr}/mcp"));
    let ships = mcp.call_ok("list-ships", json!({}), &[MCP_AUTH]).await;
    assert_eq!(ships, crate::wrapped(crate::expected::ship_list()));

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
