//! The tutorial's consumes libraries generated on their own (`shared/registry-consumes.yaml`
//! and `shared/legacy-consumes.yaml`, no importer): their free variables (`REGISTRY_TOKEN`,
//! `REGISTRY_VERSION`, `DOCKYARD_API_KEY`) become client settings, read from the environment
//! by `from_env` or set on the builder, and reach the Shipyard upstream as the bearer token,
//! the `Registry-Version` header and the `X-Dock-Key` header.

mod registry_library {
    naftiko::capability!("../corpus/official/tutorial/shared/registry-consumes.yaml");
}

mod legacy_library {
    naftiko::capability!("../corpus/official/tutorial/shared/legacy-consumes.yaml");
}

use naftiko::{CallOptions, ClientError};
use naftiko_test_support::Upstream;
use registry_library::registry;

use crate::assert_registry_credentials;
use crate::shipyard::{self, BOUND, NORTHERN_STAR};

fn registry_client(upstream: &Upstream, token: &str, version: &str) -> registry::Client {
    registry::Client::builder()
        .base_uri(upstream.url("/registry"))
        .registry_token(token)
        .registry_version(version)
        .build()
        .expect("client")
}

fn get_northern_star() -> registry::GetShipParams {
    registry::GetShipParams {
        imo_number: Some(NORTHERN_STAR.into()),
    }
}

#[tokio::test]
async fn the_registry_library_sends_its_free_variables_as_token_and_header() {
    let upstream = shipyard::start(BOUND).await;
    let client = registry_client(
        &upstream,
        shipyard::REGISTRY_TOKEN,
        shipyard::REGISTRY_VERSION,
    );

    let ship = client
        .get_ship(&get_northern_star(), &CallOptions::new())
        .await
        .expect("the registry accepts the bound credentials");

    assert_eq!(ship["imo_number"], NORTHERN_STAR);
    assert_eq!(ship["vessel_name"], "Northern Star");
    let r = upstream.only_request();
    assert_eq!(r.path, format!("/registry/ships/{NORTHERN_STAR}"));
    assert_registry_credentials(&r, shipyard::REGISTRY_TOKEN, shipyard::REGISTRY_VERSION);
}

/// The values are the client's, not constants of the spec: other values are sent as given
/// (and refused by a registry that expects the tutorial's).
#[tokio::test]
async fn other_values_of_the_free_variables_are_sent_as_given() {
    let upstream = shipyard::start(BOUND).await;
    let client = registry_client(&upstream, "another-token", "2.0");

    let err = client
        .get_ship(&get_northern_star(), &CallOptions::new())
        .await
        .expect_err("the registry refuses other credentials");

    assert!(
        matches!(&err, ClientError::Status { status, .. } if status.as_u16() == 401),
        "{err}"
    );
    assert_registry_credentials(&upstream.only_request(), "another-token", "2.0");
}

/// Unset (the builder's default, and `from_env` where the environment has no such
/// variables), nothing is sent: the call fails naming the variable.
#[tokio::test]
async fn an_unset_free_variable_is_named_and_nothing_is_sent() {
    let upstream = shipyard::start(BOUND).await;
    let client = registry::Client::builder()
        .base_uri(upstream.url("/registry"))
        .registry_token(shipyard::REGISTRY_TOKEN)
        .build()
        .expect("client");

    let err = client
        .get_ship(&get_northern_star(), &CallOptions::new())
        .await
        .expect_err("no registry version");

    assert!(err.to_string().contains("REGISTRY_VERSION"), "{err}");
    upstream.assert_untouched();
}

#[tokio::test]
async fn the_legacy_library_sends_its_free_variable_as_the_dock_key() {
    let upstream = shipyard::start(BOUND).await;
    let client = legacy_library::legacy::Client::builder()
        .base_uri(upstream.url("/dockyard"))
        .dockyard_api_key(shipyard::DOCKYARD_API_KEY)
        .build()
        .expect("client");

    let vessels = client
        .list_vessels(
            &legacy_library::legacy::ListVesselsParams {
                status: Some("laid_up".into()),
            },
            &CallOptions::new(),
        )
        .await
        .expect("the dockyard accepts the key");

    assert_eq!(vessels["vessel"]["vesselCode"], "DY-1002", "{vessels}");
    let r = upstream.only_request();
    assert_eq!(r.path, "/dockyard/vessels?status=laid_up");
    assert_eq!(r.header_values("x-dock-key"), [shipyard::DOCKYARD_API_KEY]);
}
