//! Step 7, orchestrated lookup: `get-ship-with-crew` calls the ship and the crew list and looks
//! the ship's `assignedCrew` up in it; REST on the same operations.

mod spec {
    naftiko::capability!("../corpus/official/tutorial/step-7-shipyard-orchestrated-lookup.yml");
}

use naftiko::__private::axum::Router;
use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::json;
use naftiko::mcp::McpOptions;
use naftiko_test_support::{McpServer, Upstream, http_client, rest};
use spec::{Clients, shipyard_api, shipyard_tools};

use crate::checks::{self, upstream};
use crate::shipyard::{self, BOUND, Credentials};
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
async fn rest_get_ship_with_crew_looks_the_assigned_crew_up() {
    let upstream = upstream().await;
    checks::rest_get_ship_with_crew(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_get_ship_with_crew_names_the_failing_step() {
    let upstream = shipyard::failing(BOUND, "/registry/crew", 503).await;
    checks::rest_failing_crew_step_is_named(router(&upstream)).await;
}

/// Step 7's REST route maps `$.` with array items, but the converted XML register is one
/// object (`{"vessel": [...]}`), not the vessels: it is mapped as a list of one entry, whose
/// fields are not there. (Step 10 fixes the spec with `$.vessel`.)
#[tokio::test]
async fn rest_legacy_vessels_with_the_root_mapping_find_no_vessel_fields() {
    let upstream = upstream().await;
    let answer = rest(router(&upstream), Method::GET, "/legacy/vessels", &[], "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        answer.json(),
        json!([{"vesselCode": null, "name": null, "type": null, "flag": null, "status": null}])
    );
    let r = upstream.only_request();
    assert_eq!(r.path, "/dockyard/vessels");
    assert_eq!(r.header_values("x-dock-key"), [shipyard::DOCKYARD_API_KEY]);
}

#[tokio::test]
async fn rest_create_voyage_posts_the_templated_body_and_reshapes_the_answer() {
    let upstream = upstream().await;
    checks::rest_create_voyage(router(&upstream), &upstream, BOUND).await;
}

#[tokio::test]
async fn rest_a_wrong_registry_token_gets_the_registry_401() {
    let upstream = shipyard::start(Credentials {
        registry_token: "another-token",
        ..BOUND
    })
    .await;
    let answer = rest(router(&upstream), Method::GET, "/ships", &[], "").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text());
    assert_eq!(answer.json(), json!({"error": "unauthorized"}));
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
async fn mcp_get_ship_with_crew_looks_the_assigned_crew_up() {
    let upstream = upstream().await;
    checks::mcp_get_ship_with_crew(&mcp(&upstream).await, &upstream, BOUND).await;
}

#[tokio::test]
async fn mcp_get_ship_with_crew_names_the_failing_step() {
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

/// No hints on `get-ship-with-crew` here: the protocol's pessimistic defaults, said aloud.
#[tokio::test]
async fn mcp_hints_are_the_spec_s_or_the_defaults() {
    let upstream = upstream().await;
    let server = McpServer::start(tools(&upstream)).await;
    checks::mcp_create_voyage_hints(&server).await;
    let tool = server.tool("get-ship-with-crew").await;
    assert_eq!(tool["annotations"]["readOnlyHint"], json!(false), "{tool}");
    assert_eq!(
        tool["annotations"]["destructiveHint"],
        json!(true),
        "{tool}"
    );
}

/// The whole generated server: the MCP adapter wants the bound MCP token, and that token never
/// reaches the upstreams.
#[tokio::test]
async fn server_guards_mcp_with_the_bound_token_and_serves_rest() {
    let upstream = upstream().await;
    let (settings, rest_addr, mcp_addr) = server_settings(&upstream);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(spec::serve_until(settings, async {
        let _ = stopped.await;
    }));
    listening(rest_addr).await;
    listening(mcp_addr).await;

    let http = http_client();
    let refused = http
        .post(format!("http://{mcp_addr}/mcp"))
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 401);

    let mcp = McpServer::connect(format!("http://{mcp_addr}/mcp"));
    let ship = mcp
        .call_ok(
            "get-ship",
            json!({"imo": shipyard::NORTHERN_STAR}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(ship["name"], "Northern Star");
    let listed = http
        .get(format!("http://{rest_addr}/ships"))
        .send()
        .await
        .expect("send");
    assert_eq!(listed.status(), 200);

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
