//! Behaviours the steps share (their tools and routes are copies of each other), asserted
//! once here and run against each step's generated code.

use naftiko::__private::axum::Router;
use naftiko::__private::http::{Method, StatusCode};
use naftiko::__private::serde_json::{Value, json};
use naftiko_test_support::{McpServer, Upstream, rest};

use crate::shipyard::{self, Credentials, NORTHERN_STAR};
use crate::{MCP_AUTH, assert_registry_credentials, expected, sorted_requests, wrapped};

fn assert_all_registry_credentials(upstream: &Upstream, credentials: Credentials) {
    for r in upstream
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/registry"))
    {
        assert_registry_credentials(r, credentials.registry_token, credentials.registry_version);
    }
}

fn assert_dockyard_credentials(upstream: &Upstream, credentials: Credentials) {
    for r in upstream.requests() {
        assert_eq!(r.header_values("x-dock-key"), [credentials.dock_key]);
        assert_eq!(r.header("authorization"), None, "{}", r.path);
    }
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

pub(crate) async fn rest_list_ships(router: Router, upstream: &Upstream, credentials: Credentials) {
    let all = rest(router.clone(), Method::GET, "/ships", &[], "").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    assert_eq!(all.json(), expected::ship_list());
    let some = rest(router, Method::GET, "/ships?status=maintenance", &[], "").await;
    assert_eq!(some.status, StatusCode::OK, "{}", some.text());
    assert_eq!(some.json(), expected::ships_in_maintenance());

    let paths: Vec<String> = upstream.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/registry/ships", "/registry/ships?status=maintenance"]
    );
    assert_all_registry_credentials(upstream, credentials);
}

pub(crate) async fn rest_get_ship(router: Router, upstream: &Upstream, credentials: Credentials) {
    let ship = rest(router, Method::GET, "/ships/IMO-9321483", &[], "").await;
    assert_eq!(ship.status, StatusCode::OK, "{}", ship.text());
    assert_eq!(ship.json(), expected::northern_star());
    let r = upstream.only_request();
    assert_eq!(r.path, format!("/registry/ships/{NORTHERN_STAR}"));
    assert_registry_credentials(&r, credentials.registry_token, credentials.registry_version);
}

pub(crate) async fn rest_unknown_ship_is_the_registry_404(router: Router) {
    let missing = rest(router, Method::GET, "/ships/IMO-0000000", &[], "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text());
    assert_eq!(missing.json(), json!({"error": "not found"}));
}

pub(crate) async fn rest_get_ship_with_crew(
    router: Router,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let ship = rest(router, Method::GET, "/ships/IMO-9321483/crew", &[], "").await;
    assert_eq!(ship.status, StatusCode::OK, "{}", ship.text());
    assert_eq!(ship.json(), expected::northern_star_with_crew());
    assert_eq!(
        sorted_requests(upstream),
        ["GET /registry/crew", "GET /registry/ships/IMO-9321483"]
    );
    assert_all_registry_credentials(upstream, credentials);
}

/// The crew list fails (503): the route answers 503 naming the step.
pub(crate) async fn rest_failing_crew_step_is_named(router: Router) {
    let failed = rest(router, Method::GET, "/ships/IMO-9321483/crew", &[], "").await;
    assert_eq!(
        failed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        failed.text()
    );
    let body = failed.json();
    assert_eq!(body["error"]["kind"], "upstream_status", "{body}");
    assert_eq!(body["error"]["step"], "list-crew", "{body}");
}

pub(crate) async fn rest_legacy_vessels(
    router: Router,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let all = rest(router.clone(), Method::GET, "/legacy/vessels", &[], "").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    assert_eq!(all.json(), expected::legacy_vessels());
    let active = rest(
        router,
        Method::GET,
        "/legacy/vessels?status=active",
        &[],
        "",
    )
    .await;
    assert_eq!(active.json(), expected::active_legacy_vessels());

    let paths: Vec<String> = upstream.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/dockyard/vessels", "/dockyard/vessels?status=active"]
    );
    assert_dockyard_credentials(upstream, credentials);
}

pub(crate) async fn rest_create_voyage(
    router: Router,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let created = rest(
        router,
        Method::POST,
        "/voyages",
        &[("content-type", "application/json")],
        &expected::voyage_request().to_string(),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json(), expected::created_voyage());
    assert_voyage_posted(upstream, credentials);
}

/// The registry received the voyage as JSON: strings quoted, the id arrays as arrays.
fn assert_voyage_posted(upstream: &Upstream, credentials: Credentials) {
    let r = upstream.only_request();
    assert_eq!(
        (r.method.clone(), r.path.as_str()),
        (Method::POST, "/registry/voyages")
    );
    assert_eq!(r.header_values("content-type"), ["application/json"]);
    assert_eq!(r.body_json(), expected::voyage_request());
    assert_registry_credentials(&r, credentials.registry_token, credentials.registry_version);
}

// ---------------------------------------------------------------------------------------------
// MCP
// ---------------------------------------------------------------------------------------------

pub(crate) async fn mcp_list_ships(
    server: &McpServer,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let all = server.call_ok("list-ships", json!({}), &[MCP_AUTH]).await;
    assert_eq!(all, wrapped(expected::ship_list()));
    let some = server
        .call_ok("list-ships", json!({"status": "maintenance"}), &[MCP_AUTH])
        .await;
    assert_eq!(some, wrapped(expected::ships_in_maintenance()));

    let paths: Vec<String> = upstream.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/registry/ships", "/registry/ships?status=maintenance"]
    );
    // The MCP caller's token opened the adapter; the registry gets its own.
    assert_all_registry_credentials(upstream, credentials);
}

pub(crate) async fn mcp_get_ship(
    server: &McpServer,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let ship = server
        .call_ok("get-ship", json!({"imo": NORTHERN_STAR}), &[MCP_AUTH])
        .await;
    assert_eq!(ship, expected::northern_star());
    let r = upstream.only_request();
    assert_eq!(r.path, format!("/registry/ships/{NORTHERN_STAR}"));
    assert_registry_credentials(&r, credentials.registry_token, credentials.registry_version);

    let text = server
        .call_err("get-ship", json!({"imo": "IMO-0000000"}), &[MCP_AUTH])
        .await;
    assert!(text.contains("404"), "{text}");
}

pub(crate) async fn mcp_get_ship_with_crew(
    server: &McpServer,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let ship = server
        .call_ok(
            "get-ship-with-crew",
            json!({"imo": NORTHERN_STAR}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(ship, expected::northern_star_with_crew());
    assert_eq!(
        sorted_requests(upstream),
        ["GET /registry/crew", "GET /registry/ships/IMO-9321483"]
    );
    assert_all_registry_credentials(upstream, credentials);
}

/// The crew list fails (503): a tool error naming the step.
pub(crate) async fn mcp_failing_crew_step_is_named(server: &McpServer) {
    let text = server
        .call_err(
            "get-ship-with-crew",
            json!({"imo": NORTHERN_STAR}),
            &[MCP_AUTH],
        )
        .await;
    assert!(
        text.starts_with("step `list-crew`: upstream answered 503"),
        "{text}"
    );
}

pub(crate) async fn mcp_legacy_vessels(
    server: &McpServer,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let all = server
        .call_ok("list-legacy-vessels", json!({}), &[MCP_AUTH])
        .await;
    assert_eq!(all, wrapped(expected::legacy_vessels()));
    let active = server
        .call_ok(
            "list-legacy-vessels",
            json!({"status": "active"}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(active, wrapped(expected::active_legacy_vessels()));
    // One vessel only: the XML has no repeated element, the tool still answers a list.
    let laid_up = server
        .call_ok(
            "list-legacy-vessels",
            json!({"status": "laid_up"}),
            &[MCP_AUTH],
        )
        .await;
    assert_eq!(laid_up, wrapped(expected::laid_up_legacy_vessels()));
    assert_dockyard_credentials(upstream, credentials);
}

pub(crate) async fn mcp_create_voyage(
    server: &McpServer,
    upstream: &Upstream,
    credentials: Credentials,
) {
    let created = server
        .call_ok("create-voyage", expected::voyage_request(), &[MCP_AUTH])
        .await;
    assert_eq!(created, expected::created_voyage());
    assert_voyage_posted(upstream, credentials);
}

/// `cargoIds` is optional in the tool but the registry's body template needs it: the call is
/// refused naming it, and nothing is sent (never `"cargoIds": ,`).
pub(crate) async fn mcp_create_voyage_without_cargo_is_refused(
    server: &McpServer,
    upstream: &Upstream,
) {
    let mut arguments = expected::voyage_request();
    if let Value::Object(map) = &mut arguments {
        map.remove("cargoIds");
    }
    let text = server
        .call_err("create-voyage", arguments, &[MCP_AUTH])
        .await;
    assert!(text.contains("`cargoIds`"), "{text}");
    upstream.assert_untouched();
}

/// `tools/list` annotations of the tools every step shares.
pub(crate) async fn mcp_create_voyage_hints(server: &McpServer) {
    let tool = server.tool("create-voyage").await;
    assert_eq!(
        tool["annotations"],
        json!({"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true}),
        "{tool}"
    );
}

/// The shipyard fixture started with the bound credentials.
pub(crate) async fn upstream() -> Upstream {
    shipyard::start(shipyard::BOUND).await
}
