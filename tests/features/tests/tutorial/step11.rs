//! Step 11, fleet manifest: `get-voyage-manifest` calls the voyage, the ships, the crew and the
//! cargo, and looks the voyage's ship, crew and cargo up in them.
//!
//! Two things the spec says that the tests pin as written:
//! - `shared/step11-registry-consumes.yml` writes `token: "REGISTRY_TOKEN"` and
//!   `value: "REGISTRY_VERSION"` without braces: those literal strings are the credentials sent
//!   (the binds of the same names are unused), so the fixture here accepts exactly them.
//! - `resolve-ship` matches `imo-number`, a field no ship in the registry's list has (the
//!   consumed `outputParameters` of `list-ships` name it, but a step's index is the list as
//!   the registry sent it): no ship is found and the manifest's ship fields are null.

mod spec {
    naftiko::capability!("../corpus/official/tutorial/step-11-shipyard-fleet-manifest.yml");
}

use naftiko::__private::axum::Router;
use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::{Value, json};
use naftiko::mcp::McpOptions;
use naftiko_test_support::{McpServer, Upstream, http_client, parse, rest};
use spec::{Clients, shipyard_api, shipyard_tools};

use crate::checks;
use crate::shipyard::{self, BOUND, Credentials, VOYAGE};
use crate::{MCP_AUTH, expected, listening, mcp_guard, server_settings, settings, sorted_requests};

/// The registry credentials the spec writes literally.
const LITERAL: Credentials = Credentials {
    registry_token: "REGISTRY_TOKEN",
    registry_version: "REGISTRY_VERSION",
    ..BOUND
};

async fn upstream() -> Upstream {
    shipyard::start(LITERAL).await
}

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

/// The four calls of the manifest, each with the literal registry credentials.
fn assert_manifest_calls(upstream: &Upstream) {
    assert_eq!(
        sorted_requests(upstream),
        [
            "GET /registry/cargo".to_owned(),
            "GET /registry/crew".to_owned(),
            "GET /registry/ships".to_owned(),
            format!("GET /registry/voyages/{VOYAGE}"),
        ]
    );
    for r in upstream.requests() {
        crate::assert_registry_credentials(&r, LITERAL.registry_token, LITERAL.registry_version);
    }
}

/// The manifest as the REST route flattens it.
fn flat_manifest() -> Value {
    json!({
        "voyageId": VOYAGE,
        "status": "in_transit",
        "departurePort": "Oslo",
        "arrivalPort": "Singapore",
        "shipName": null,
        "shipType": null,
        "shipFlag": null,
        "crew": expected::voyage_crew(),
        "cargo": expected::voyage_cargo()
    })
}

/// The manifest as the MCP tool nests it (`route.from`, `ship.name` target names).
fn nested_manifest() -> Value {
    json!({
        "voyageId": VOYAGE,
        "status": "in_transit",
        "route": {"from": "Oslo", "to": "Singapore"},
        "ship": {"name": null, "type": null, "flag": null},
        "crew": expected::voyage_crew(),
        "cargo": expected::voyage_cargo()
    })
}

#[tokio::test]
async fn rest_list_ships_sends_the_literal_registry_credentials() {
    let upstream = upstream().await;
    checks::rest_list_ships(router(&upstream), &upstream, LITERAL).await;
}

#[tokio::test]
async fn rest_the_bound_registry_token_is_not_what_the_spec_sends() {
    let upstream = shipyard::start(BOUND).await;
    let answer = rest(router(&upstream), Method::GET, "/ships", &[], "").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text());
}

#[tokio::test]
async fn rest_get_ship_nests_the_specs() {
    let upstream = upstream().await;
    checks::rest_get_ship(router(&upstream), &upstream, LITERAL).await;
}

#[tokio::test]
async fn rest_get_ship_with_crew_looks_the_assigned_crew_up() {
    let upstream = upstream().await;
    checks::rest_get_ship_with_crew(router(&upstream), &upstream, LITERAL).await;
}

#[tokio::test]
async fn rest_legacy_vessels_map_the_xml_register() {
    let upstream = upstream().await;
    checks::rest_legacy_vessels(router(&upstream), &upstream, LITERAL).await;
}

#[tokio::test]
async fn rest_create_voyage_posts_the_templated_body_and_reshapes_the_answer() {
    let upstream = upstream().await;
    checks::rest_create_voyage(router(&upstream), &upstream, LITERAL).await;
}

#[tokio::test]
async fn rest_voyage_manifest_looks_crew_and_cargo_up_in_the_voyage_s_order() {
    let upstream = upstream().await;
    let manifest = rest(
        router(&upstream),
        Method::GET,
        &format!("/voyages/{VOYAGE}/manifest"),
        &[],
        "",
    )
    .await;
    assert_eq!(manifest.status, StatusCode::OK, "{}", manifest.text());
    assert_eq!(manifest.json(), flat_manifest());
    assert_manifest_calls(&upstream);
}

#[tokio::test]
async fn rest_manifest_of_an_unknown_voyage_is_the_404_of_the_get_voyage_step() {
    let upstream = upstream().await;
    let missing = rest(
        router(&upstream),
        Method::GET,
        "/voyages/VOY-0000-000/manifest",
        &[],
        "",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text());
    assert_eq!(missing.json()["error"]["step"], "get-voyage");
}

#[tokio::test]
async fn mcp_list_ships_maps_each_ship_with_the_literal_registry_credentials() {
    let upstream = upstream().await;
    checks::mcp_list_ships(&mcp(&upstream).await, &upstream, LITERAL).await;
}

#[tokio::test]
async fn mcp_get_ship_with_crew_looks_the_assigned_crew_up() {
    let upstream = upstream().await;
    checks::mcp_get_ship_with_crew(&mcp(&upstream).await, &upstream, LITERAL).await;
}

#[tokio::test]
async fn mcp_create_voyage_sends_the_id_arrays_as_json() {
    let upstream = upstream().await;
    checks::mcp_create_voyage(&mcp(&upstream).await, &upstream, LITERAL).await;
}

#[tokio::test]
async fn mcp_voyage_manifest_nests_route_and_ship() {
    let upstream = upstream().await;
    let manifest = mcp(&upstream)
        .await
        .call_ok(
            "get-voyage-manifest",
            json!({"voyageId": VOYAGE}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(manifest, nested_manifest());
    assert_manifest_calls(&upstream);
}

#[tokio::test]
async fn mcp_voyage_manifest_names_the_failing_step() {
    let upstream = shipyard::failing(LITERAL, "/registry/cargo", 502).await;
    let text = mcp(&upstream)
        .await
        .call_err(
            "get-voyage-manifest",
            json!({"voyageId": VOYAGE}),
            &[MCP_AUTH],
        )
        .await;
    assert!(
        text.starts_with("step `list-cargo`: upstream answered 502"),
        "{text}"
    );
}

/// The whole generated server: both adapters, MCP guarded, the manifest over REST.
#[tokio::test]
async fn server_serves_the_manifest_over_rest_and_guards_mcp() {
    let upstream = upstream().await;
    let (settings, rest_addr, mcp_addr) = server_settings(&upstream);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(spec::serve_until(settings, async {
        let _ = stopped.await;
    }));
    listening(rest_addr).await;
    listening(mcp_addr).await;

    let http = http_client();
    let manifest = http
        .get(format!("http://{rest_addr}/voyages/{VOYAGE}/manifest"))
        .send()
        .await
        .expect("send");
    assert_eq!(manifest.status(), 200);
    assert_eq!(
        parse(&manifest.bytes().await.expect("body")),
        flat_manifest()
    );
    let refused = http
        .post(format!("http://{mcp_addr}/mcp"))
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 401);
    let mcp = McpServer::connect(format!("http://{mcp_addr}/mcp"));
    let manifest = mcp
        .call_ok(
            "get-voyage-manifest",
            json!({"voyageId": VOYAGE}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(manifest, nested_manifest());

    stop.send(()).expect("server running");
    server.await.expect("join").expect("clean stop");
}
