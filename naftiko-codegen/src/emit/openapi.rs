//! The OpenAPI 3.1 document of a REST adapter, serialized at build time.

use serde_json::{Map, Value, json};

use crate::ir::{Capability, Output, RestAdapter};

pub(super) fn document(cap: &Capability, rest: &RestAdapter) -> String {
    let mut paths = Map::new();
    for op in &rest.operations {
        let client = &cap.clients[op.call.client];
        let consumed = &client.operations[op.call.op];
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(op.name));
        if let Some(d) = &op.description {
            operation.insert("summary".into(), json!(d));
        }
        let mut description = format!(
            "Calls `{} {}` of `{}`.",
            consumed.method, consumed.path, client.namespace
        );
        if let Some(d) = &op.resource_description {
            description = format!("{d}\n\n{description}");
        }
        operation.insert("description".into(), json!(description));
        let success = match &op.output {
            Output::Passthrough => "The upstream's answer, status and body passed through.",
            Output::Members(_) => "The upstream's answer, mapped.",
        };
        operation.insert(
            "responses".into(),
            json!({
                "default": {
                    "description": success,
                    "content": { "application/json": { "schema": {} } }
                },
                // The only answer without a body (an upstream error without one gets ours).
                "204": { "description": "No content: the upstream answered 204." },
                "502": error_response("The upstream could not be reached or answered badly."),
                "504": error_response("The upstream did not answer in time.")
            }),
        );
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(op.method.to_ascii_lowercase(), Value::Object(operation));
        }
    }
    let mut info = Map::new();
    info.insert("title".into(), json!(cap.label));
    info.insert("version".into(), json!("1.0.0"));
    if let Some(d) = rest.description.as_ref().or(cap.description.as_ref()) {
        info.insert("description".into(), json!(d));
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": info,
        "servers": [{ "url": format!("http://127.0.0.1:{}", rest.port) }],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["kind", "message"],
                            "properties": {
                                "kind": { "type": "string" },
                                "message": { "type": "string" }
                            }
                        }
                    }
                }
            }
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}
