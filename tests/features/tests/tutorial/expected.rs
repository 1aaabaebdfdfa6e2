//! What the tutorial's tools and routes must answer for the fixture data of `shipyard.rs`,
//! worked out by hand from the specs' mappings.

use naftiko::__private::serde_json::{Value, json};

use crate::shipyard::{CORAL_DAWN, CREATED_VOYAGE, NORTHERN_STAR};

/// `list-ships`: every ship, renamed field by field.
pub(crate) fn ship_list() -> Value {
    json!([
        {"imo": NORTHERN_STAR, "name": "Northern Star", "type": "container", "flag": "NO", "status": "active"},
        {"imo": CORAL_DAWN, "name": "Coral Dawn", "type": "tanker", "flag": "SG", "status": "maintenance"}
    ])
}

/// `list-ships` with `status=maintenance`: the registry filters, the mapping renames.
pub(crate) fn ships_in_maintenance() -> Value {
    json!([
        {"imo": CORAL_DAWN, "name": "Coral Dawn", "type": "tanker", "flag": "SG", "status": "maintenance"}
    ])
}

/// `get-ship` of the Northern Star: specs nested, `length` read from `dimensions`.
pub(crate) fn northern_star() -> Value {
    json!({
        "imo": NORTHERN_STAR,
        "name": "Northern Star",
        "type": "container",
        "flag": "NO",
        "status": "active",
        "specs": {"yearBuilt": 2009, "tonnage": 94000, "length": 334.5}
    })
}

/// `get-ship-with-crew` of the Northern Star: the ship flattened, its `assignedCrew`
/// (CREW-003, CREW-001, in that order) looked up in the crew list, `fullName` and `role` kept.
pub(crate) fn northern_star_with_crew() -> Value {
    json!({
        "imo": NORTHERN_STAR,
        "name": "Northern Star",
        "type": "container",
        "flag": "NO",
        "status": "active",
        "yearBuilt": 2009,
        "tonnage": 94000,
        "length": 334.5,
        "crew": [
            {"fullName": "Kenji Watanabe", "role": "chief engineer"},
            {"fullName": "Ingrid Larsen", "role": "captain"}
        ]
    })
}

/// `list-legacy-vessels` mapped from `$.vessel` of the dockyard's XML register.
pub(crate) fn legacy_vessels() -> Value {
    json!([
        {"vesselCode": "DY-1001", "name": "Old Faithful", "type": "tug", "flag": "GB", "status": "active"},
        {"vesselCode": "DY-1002", "name": "Sea Mule", "type": "barge", "flag": "NL", "status": "laid_up"},
        {"vesselCode": "DY-1003", "name": "Iron Gull", "type": "dredger", "flag": "GB", "status": "active"}
    ])
}

/// `list-legacy-vessels` with `status=active`.
pub(crate) fn active_legacy_vessels() -> Value {
    json!([
        {"vesselCode": "DY-1001", "name": "Old Faithful", "type": "tug", "flag": "GB", "status": "active"},
        {"vesselCode": "DY-1003", "name": "Iron Gull", "type": "dredger", "flag": "GB", "status": "active"}
    ])
}

/// `list-legacy-vessels` with `status=laid_up`: one vessel, still a list.
pub(crate) fn laid_up_legacy_vessels() -> Value {
    json!([
        {"vesselCode": "DY-1002", "name": "Sea Mule", "type": "barge", "flag": "NL", "status": "laid_up"}
    ])
}

/// The arguments (MCP) and body (REST) of `create-voyage`.
pub(crate) fn voyage_request() -> Value {
    json!({
        "shipImo": NORTHERN_STAR,
        "departurePort": "Oslo",
        "arrivalPort": "Singapore",
        "departureDate": "2026-04-10",
        "arrivalDate": "2026-05-02",
        "crewIds": ["CREW-001", "CREW-003"],
        "cargoIds": ["CARGO-2024-0451"]
    })
}

/// `create-voyage`: what the registry echoed (with its id and status), reshaped.
pub(crate) fn created_voyage() -> Value {
    json!({
        "voyageId": CREATED_VOYAGE,
        "shipImo": NORTHERN_STAR,
        "route": {"from": "Oslo", "to": "Singapore"},
        "dates": {"departure": "2026-04-10", "arrival": "2026-05-02"},
        "crewIds": ["CREW-001", "CREW-003"],
        "cargoIds": ["CARGO-2024-0451"],
        "status": "planned"
    })
}

/// The crew of voyage VOY-2026-042 (CREW-001, CREW-003), looked up.
pub(crate) fn voyage_crew() -> Value {
    json!([
        {"fullName": "Ingrid Larsen", "role": "captain"},
        {"fullName": "Kenji Watanabe", "role": "chief engineer"}
    ])
}

/// The cargo of voyage VOY-2026-042 (CARGO-2024-0452, CARGO-2024-0451), looked up.
pub(crate) fn voyage_cargo() -> Value {
    json!([
        {"type": "bulk", "description": "Lithium batteries", "weight": 7200, "hazardous": true},
        {"type": "container", "description": "Consumer electronics", "weight": 18250.5, "hazardous": false}
    ])
}
