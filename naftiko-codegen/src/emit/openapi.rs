//! The OpenAPI 3.1 document of a REST adapter, serialized at build time.

use serde_json::{Map, Value, json};

use crate::ir::{Action, Capability, InputLocation, RestAdapter, RestForward, Segment};

pub(super) fn document(cap: &Capability, rest: &RestAdapter) -> String {
    let mut paths = Map::new();
    for op in &rest.operations {
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(op.name));
        if let Some(d) = &op.description {
            operation.insert("summary".into(), json!(d));
        }
        let mut description = match &op.action {
            Action::Call { call, .. } => {
                let client = &cap.clients[call.client];
                let consumed = &client.operations[call.op];
                format!(
                    "Calls `{} {}` of `{}`.",
                    consumed.method,
                    consumed.path_text(),
                    client.namespace
                )
            }
            Action::Steps(o) => {
                let names: Vec<String> =
                    o.steps.iter().map(|s| format!("`{}`", s.name())).collect();
                format!("Runs the steps {}.", names.join(", "))
            }
            Action::Mock => "Answers from the spec's mock outputs.".to_owned(),
        };
        if let Some(d) = &op.resource_description {
            description = format!("{d}\n\n{description}");
        }
        operation.insert("description".into(), json!(description));
        // A mapped answer is guaranteed for success statuses only: upstream errors (and the
        // gateway's own 401 when it has no credentials to send) pass through as they came.
        let any = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": {} } } });
        let mut answers = Map::new();
        if op.action.call().is_some() && op.output.is_identity() {
            answers.insert(
                "default".into(),
                any("The upstream's answer, status and body passed through."),
            );
        } else {
            let schema = super::shape_schema(&op.output);
            answers.insert(
                "2XX".into(),
                json!({ "description": "The upstream's answer, mapped.", "content": { "application/json": { "schema": schema } } }),
            );
            answers.insert(
                "default".into(),
                any("An error status, passed through with its body (a JSON error body where it had none)."),
            );
        }
        let mut parameters = Vec::new();
        let mut body_props = Map::new();
        let mut body_required = Vec::new();
        for input in &op.inputs {
            let schema = super::input_value_schema(input);
            let location = match &input.location {
                InputLocation::Path => "path",
                InputLocation::Query => "query",
                InputLocation::Header => "header",
                InputLocation::Cookie => "cookie",
                InputLocation::Body(path) => {
                    let key = match path.first() {
                        Some(Segment::Member(m)) => m.clone(),
                        _ => input.name.clone(),
                    };
                    if input.required {
                        body_required.push(key.clone());
                    }
                    body_props.insert(key, schema);
                    continue;
                }
                InputLocation::Argument => continue,
            };
            let mut p = json!({ "name": input.name, "in": location, "required": input.required, "schema": schema });
            if let Some(d) = &input.description {
                p["description"] = json!(d);
            }
            parameters.push(p);
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), json!(parameters));
        }
        if !body_props.is_empty() {
            operation.insert(
                "requestBody".into(),
                json!({
                    "required": !body_required.is_empty(),
                    "content": { "application/json": { "schema": {
                        "type": "object", "properties": body_props, "required": body_required
                    } } }
                }),
            );
        }
        // The only answer without a body (an upstream error without one gets ours).
        answers.insert(
            "204".into(),
            json!({ "description": "No content: the upstream answered 204." }),
        );
        answers.insert(
            "502".into(),
            error_response("The upstream could not be reached or answered badly."),
        );
        answers.insert(
            "504".into(),
            error_response("The upstream did not answer in time."),
        );
        if !op.inputs.is_empty() {
            answers.insert(
                "400".into(),
                error_response("A parameter is missing or malformed."),
            );
        }
        operation.insert("responses".into(), Value::Object(answers));
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(op.method.to_ascii_lowercase(), Value::Object(operation));
        }
    }
    for f in &rest.forwards {
        paths.insert(
            format!("{}/{{{}}}", f.prefix, f.placeholder),
            forward_item(cap, f),
        );
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

/// A forwarding resource: every method, the placeholder as one path parameter (OpenAPI has no
/// way to say it may hold slashes, so the description does), any body, any answer.
fn forward_item(cap: &Capability, f: &RestForward) -> Value {
    let namespace = &cap.clients[f.client].namespace;
    let mut item = Map::new();
    for method in ["get", "put", "post", "delete", "options", "head", "patch"] {
        let mut operation = json!({
            "operationId": format!("{}-{method}", f.fn_ident.replace('_', "-")),
            "description": format!(
                "Forwarded to `{namespace}`: method, the rest of the path, query and body as received; only the trusted headers ({}) are copied.",
                if f.trusted_headers.is_empty() { "none".to_owned() } else { f.trusted_headers.join(", ") }
            ),
            "parameters": [{
                "name": f.placeholder,
                "in": "path",
                "required": true,
                "description": "The rest of the path below the resource, slashes included.",
                "schema": { "type": "string" }
            }],
            "responses": {
                "default": { "description": "The upstream's answer: status, content type and body passed through.", "content": { "*/*": { "schema": {} } } },
                "400": error_response("The path climbs out of the base path, or a header is malformed."),
                "502": error_response("The upstream could not be reached or answered badly."),
                "504": error_response("The upstream did not answer in time.")
            }
        });
        if let Some(d) = &f.description {
            operation["summary"] = json!(d);
        }
        if matches!(method, "put" | "post" | "patch") {
            operation["requestBody"] =
                json!({ "required": false, "content": { "*/*": { "schema": {} } } });
        }
        item.insert(method.to_owned(), operation);
    }
    Value::Object(item)
}
