//! The Shipyard upstreams the tutorial consumes, served by one recording upstream: the Maritime
//! Registry (JSON, bearer token + `Registry-Version` header) under `/registry`, the legacy
//! Dockyard (XML, `X-Dock-Key`) under `/dockyard`. Wrong or missing credentials are a 401.

use naftiko::__private::http::Method;
use naftiko::__private::serde_json::{self, Value, json};
use naftiko_test_support::{Canned, Recorded, Upstream};

/// The values of the tutorial's `shared/secrets.yaml`, which steps 7, 9 and 10 bind.
pub(crate) const REGISTRY_TOKEN: &str = "dummy-token";
pub(crate) const REGISTRY_VERSION: &str = "1.0.0-alpha2";
pub(crate) const DOCKYARD_API_KEY: &str = "dummy-dockyard-key";
pub(crate) const MCP_SERVER_TOKEN: &str = "sk-mcp-YYYYYYYYYYYY";

/// What the registry and the dockyard accept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Credentials {
    pub(crate) registry_token: &'static str,
    pub(crate) registry_version: &'static str,
    pub(crate) dock_key: &'static str,
}

/// The credentials the bound secrets give.
pub(crate) const BOUND: Credentials = Credentials {
    registry_token: REGISTRY_TOKEN,
    registry_version: REGISTRY_VERSION,
    dock_key: DOCKYARD_API_KEY,
};

pub(crate) const NORTHERN_STAR: &str = "IMO-9321483";
pub(crate) const CORAL_DAWN: &str = "IMO-9456721";
pub(crate) const VOYAGE: &str = "VOY-2026-042";
pub(crate) const CREATED_VOYAGE: &str = "VOY-2026-043";

pub(crate) fn ships() -> Value {
    json!([
        {
            "imo_number": NORTHERN_STAR,
            "vessel_name": "Northern Star",
            "vessel_type": "container",
            "flag_code": "NO",
            "operational_status": "active",
            "year_built": 2009,
            "gross_tonnage": 94000,
            "dimensions": {"length_overall": 334.5, "beam": 42.8},
            "assignedCrew": ["CREW-003", "CREW-001"]
        },
        {
            "imo_number": CORAL_DAWN,
            "vessel_name": "Coral Dawn",
            "vessel_type": "tanker",
            "flag_code": "SG",
            "operational_status": "maintenance",
            "year_built": 2015,
            "gross_tonnage": 61500,
            "dimensions": {"length_overall": 249.9, "beam": 44.0},
            "assignedCrew": ["CREW-002"]
        }
    ])
}

pub(crate) fn crew() -> Value {
    json!([
        {"crewId": "CREW-001", "fullName": "Ingrid Larsen", "role": "captain", "nationality": "NO"},
        {"crewId": "CREW-002", "fullName": "Tan Wei Ming", "role": "chief officer", "nationality": "SG"},
        {"crewId": "CREW-003", "fullName": "Kenji Watanabe", "role": "chief engineer", "nationality": "JP"}
    ])
}

pub(crate) fn cargo() -> Value {
    json!([
        {"cargoId": "CARGO-2024-0451", "type": "container", "description": "Consumer electronics", "weight": 18250.5, "hazardous": false, "consignee": "Acme"},
        {"cargoId": "CARGO-2024-0452", "type": "bulk", "description": "Lithium batteries", "weight": 7200, "hazardous": true, "consignee": "Volta"}
    ])
}

pub(crate) fn voyage() -> Value {
    json!({
        "voyageId": VOYAGE,
        "shipImo": NORTHERN_STAR,
        "departurePort": "Oslo",
        "arrivalPort": "Singapore",
        "departureDate": "2026-04-10",
        "arrivalDate": "2026-05-02",
        "crewIds": ["CREW-001", "CREW-003"],
        "cargoIds": ["CARGO-2024-0452", "CARGO-2024-0451"],
        "status": "in_transit"
    })
}

/// The dockyard's vessel register, as the legacy API writes it.
pub(crate) const VESSELS_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<vessels>
  <vessel>
    <vesselCode>DY-1001</vesselCode>
    <vesselName>Old Faithful</vesselName>
    <category>tug</category>
    <flagState>GB</flagState>
    <operationalStatus>active</operationalStatus>
  </vessel>
  <vessel>
    <vesselCode>DY-1002</vesselCode>
    <vesselName>Sea Mule</vesselName>
    <category>barge</category>
    <flagState>NL</flagState>
    <operationalStatus>laid_up</operationalStatus>
  </vessel>
  <vessel>
    <vesselCode>DY-1003</vesselCode>
    <vesselName>Iron Gull</vesselName>
    <category>dredger</category>
    <flagState>GB</flagState>
    <operationalStatus>active</operationalStatus>
  </vessel>
</vessels>
"#;

/// The same register, only the active vessels.
const ACTIVE_VESSELS_XML: &str = r#"<vessels>
  <vessel><vesselCode>DY-1001</vesselCode><vesselName>Old Faithful</vesselName><category>tug</category><flagState>GB</flagState><operationalStatus>active</operationalStatus></vessel>
  <vessel><vesselCode>DY-1003</vesselCode><vesselName>Iron Gull</vesselName><category>dredger</category><flagState>GB</flagState><operationalStatus>active</operationalStatus></vessel>
</vessels>"#;

/// The same register, only the laid-up vessel: one `<vessel>`, so no repeated element.
const LAID_UP_VESSELS_XML: &str = r#"<vessels>
  <vessel><vesselCode>DY-1002</vesselCode><vesselName>Sea Mule</vesselName><category>barge</category><flagState>NL</flagState><operationalStatus>laid_up</operationalStatus></vessel>
</vessels>"#;

/// Starts the Shipyard upstreams, accepting `credentials`.
pub(crate) async fn start(credentials: Credentials) -> Upstream {
    Upstream::start(move |r| answer(credentials, r)).await
}

/// Starts the Shipyard upstreams with one route answering `status` with an error body.
pub(crate) async fn failing(credentials: Credentials, path: &'static str, status: u16) -> Upstream {
    Upstream::start(move |r| {
        if r.path == path {
            Canned::json(status, r#"{"error":"registry unavailable"}"#)
        } else {
            answer(credentials, r)
        }
    })
    .await
}

fn answer(credentials: Credentials, r: &Recorded) -> Canned {
    let (path, query) = r.path.split_once('?').unwrap_or((r.path.as_str(), ""));
    if let Some(rest) = path.strip_prefix("/registry") {
        let bearer = format!("Bearer {}", credentials.registry_token);
        if r.header("authorization").as_deref() != Some(bearer.as_str())
            || r.header("registry-version").as_deref() != Some(credentials.registry_version)
        {
            return unauthorized();
        }
        return registry(&r.method, rest, query, r);
    }
    if let Some(rest) = path.strip_prefix("/dockyard") {
        if r.header("x-dock-key").as_deref() != Some(credentials.dock_key) {
            return unauthorized();
        }
        return match (&r.method, rest, query) {
            (&Method::GET, "/vessels", "") => Canned::text(200, "application/xml", VESSELS_XML),
            (&Method::GET, "/vessels", "status=active") => {
                Canned::text(200, "application/xml", ACTIVE_VESSELS_XML)
            }
            (&Method::GET, "/vessels", "status=laid_up") => {
                Canned::text(200, "application/xml", LAID_UP_VESSELS_XML)
            }
            (&Method::GET, "/vessels", _) => Canned::text(200, "application/xml", "<vessels/>"),
            _ => not_found(),
        };
    }
    not_found()
}

fn registry(method: &Method, path: &str, query: &str, r: &Recorded) -> Canned {
    match (method, path) {
        (&Method::GET, "/ships") => {
            let status = query.strip_prefix("status=");
            let ships: Vec<Value> = as_array(ships())
                .into_iter()
                .filter(|s| status.is_none_or(|st| s["operational_status"] == st))
                .collect();
            json_answer(200, &Value::Array(ships))
        }
        (&Method::GET, "/crew") => json_answer(200, &crew()),
        (&Method::GET, "/cargo") => json_answer(200, &cargo()),
        (&Method::GET, p) if p.starts_with("/ships/") => {
            let imo = &p["/ships/".len()..];
            match as_array(ships())
                .into_iter()
                .find(|s| s["imo_number"] == imo)
            {
                Some(ship) => json_answer(200, &ship),
                None => not_found(),
            }
        }
        (&Method::GET, p) if p == format!("/voyages/{VOYAGE}") => json_answer(200, &voyage()),
        (&Method::POST, "/voyages") => match serde_json::from_slice::<Value>(&r.body) {
            Ok(Value::Object(mut planned)) => {
                planned.insert("voyageId".into(), json!(CREATED_VOYAGE));
                planned.insert("status".into(), json!("planned"));
                json_answer(201, &Value::Object(planned))
            }
            _ => Canned::json(400, r#"{"error":"the voyage is not a JSON object"}"#),
        },
        _ => not_found(),
    }
}

fn as_array(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        other => vec![other],
    }
}

fn json_answer(status: u16, value: &Value) -> Canned {
    Canned::json(status, &value.to_string())
}

fn unauthorized() -> Canned {
    Canned::json(401, r#"{"error":"unauthorized"}"#)
}

fn not_found() -> Canned {
    Canned::json(404, r#"{"error":"not found"}"#)
}
