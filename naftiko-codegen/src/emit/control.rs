//! The `/config` document of a control adapter: the capability's shape, built at compile time.
//!
//! Names, paths, methods, ports and the names of headers, variables and bind variables; never
//! a value that may be a secret (bind values, literal header values, credentials, the user
//! part of a base URI).

use serde_json::{Value, json};

use crate::ir::{Capability, ClientAuth, UriPart};

pub(super) fn config_document(cap: &Capability) -> String {
    let consumes: Vec<Value> = cap
        .clients
        .iter()
        .map(|c| {
            let base: String = c
                .base_uri
                .iter()
                .map(|p| match p {
                    UriPart::Literal(l) => l.clone(),
                    UriPart::Variable(i) => format!("{{{}}}", c.variables[*i].name),
                })
                .collect();
            json!({
                "namespace": c.namespace,
                "baseUri": without_userinfo(&base),
                "authentication": c.auth.as_ref().map(auth_kind),
                "forwardHeaders": c.forward_headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                "operations": c.operations.iter().map(|o| json!({
                    "name": o.name, "method": o.method, "path": o.path_text(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut exposes: Vec<Value> = Vec::new();
    for r in &cap.rest {
        exposes.push(json!({
            "type": "rest",
            "namespace": r.namespace,
            "address": r.address,
            "port": r.port,
            "authentication": r.auth.as_ref().map(auth_kind),
            "operations": r.operations.iter().map(|o| json!({
                "name": o.name, "method": o.method, "path": o.path,
            })).collect::<Vec<_>>(),
            "forwards": r.forwards.iter().map(|f| json!({
                "path": format!("{}/{{{}}}", f.prefix, f.placeholder),
                "targetNamespace": cap.clients[f.client].namespace,
                "trustedHeaders": f.trusted_headers,
            })).collect::<Vec<_>>(),
        }));
    }
    for m in &cap.mcp {
        exposes.push(json!({
            "type": "mcp",
            "namespace": m.namespace,
            "transport": if m.stdio { "stdio" } else { "http" },
            "address": m.address,
            "port": m.port,
            "authentication": m.auth.as_ref().map(auth_kind),
            "tools": m.tools.iter().map(|t| &t.name).collect::<Vec<_>>(),
        }));
    }
    if let Some(c) = &cap.control {
        exposes.push(json!({
            "type": "control",
            "address": c.address,
            "port": c.port,
            "authentication": c.auth.as_ref().map(auth_kind),
            "management": { "health": c.health, "info": c.info },
        }));
    }
    let doc = json!({
        "label": cap.label,
        "description": cap.description,
        "binds": cap.binds.iter().map(|b| &b.name).collect::<Vec<_>>(),
        "consumes": consumes,
        "exposes": exposes,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn auth_kind(auth: &ClientAuth) -> &'static str {
    match auth {
        ClientAuth::ApiKeyHeader { .. } | ClientAuth::ApiKeyQuery { .. } => "apikey",
        ClientAuth::Bearer { .. } => "bearer",
        ClientAuth::Basic { .. } => "basic",
        ClientAuth::Digest { .. } => "digest",
    }
}

/// `https://user:pass@host/x` as `https://host/x`.
fn without_userinfo(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn userinfo_is_dropped() {
        assert_eq!(
            super::without_userinfo("https://u:p@h.example/a@b"),
            "https://h.example/a@b"
        );
        assert_eq!(super::without_userinfo("https://h/x"), "https://h/x");
    }
}
