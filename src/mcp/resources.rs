//! MCP resources: the table generated code supplies, URI template matching, and read results.
//!
//! Static resources carry their text in the table (embedded at build time); dynamic ones are
//! read by the generated `ToolSet::read_resource`, which calls the generated client.

use percent_encoding::percent_decode_str;
use rmcp::model::{
    ErrorData, JsonObject, ReadResourceResult, Resource, ResourceContents, ResourceTemplate,
};

use crate::client::RawResponse;
use crate::error::ClientError;

/// One piece of a resource URI: literal text, or a `{variable}` that captures a value.
#[derive(Clone, Copy, Debug)]
pub enum UriPart {
    Literal(&'static str),
    Variable(&'static str),
}

/// One resource, as generated from the spec.
#[derive(Clone, Copy, Debug)]
pub struct ResourceDef {
    pub name: &'static str,
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    pub mime_type: Option<&'static str>,
    /// The URI or URI template as written.
    pub uri: &'static str,
    /// [`Self::uri`] split at its variables.
    pub parts: &'static [UriPart],
    /// The content of a static resource; `None` when it is read through the client.
    pub text: Option<&'static str>,
}

impl ResourceDef {
    /// A URI template (`resources/templates/list`) rather than a fixed URI (`resources/list`).
    pub fn is_template(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, UriPart::Variable(_)))
    }

    pub(super) fn to_resource(self) -> Resource {
        let mut resource = Resource::new(self.uri, self.name);
        resource.title = self.title.map(str::to_owned);
        resource.description = self.description.map(str::to_owned);
        resource.mime_type = self.mime_type.map(str::to_owned);
        if let Some(text) = self.text {
            resource.size = u64::try_from(text.len()).ok();
        }
        resource
    }

    pub(super) fn to_template(self) -> ResourceTemplate {
        let mut template = ResourceTemplate::new(self.uri, self.name);
        template.title = self.title.map(str::to_owned);
        template.description = self.description.map(str::to_owned);
        template.mime_type = self.mime_type.map(str::to_owned);
        template
    }

    /// The values of the template's variables in `uri` (percent-decoded), if `uri` matches.
    /// A variable matches one or more characters up to the next literal, never `/`.
    pub fn captures(&self, uri: &str) -> Option<JsonObject> {
        let mut rest = uri;
        let mut values = JsonObject::new();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                UriPart::Literal(l) => rest = rest.strip_prefix(l)?,
                UriPart::Variable(name) => {
                    let end = match self.parts.get(i + 1) {
                        Some(UriPart::Literal(next)) => rest.find(next)?,
                        _ => rest.len(),
                    };
                    let raw = &rest[..end];
                    if raw.is_empty() || raw.contains('/') {
                        return None;
                    }
                    let value = percent_decode_str(raw).decode_utf8().ok()?;
                    values.insert((*name).to_owned(), value.into_owned().into());
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(values)
    }
}

/// The read result of a static resource.
pub(super) fn static_contents(def: &ResourceDef, text: &str) -> ReadResourceResult {
    ReadResourceResult::new(vec![contents(def.uri, def.mime_type, text.to_owned())])
}

fn contents(uri: &str, mime_type: Option<&str>, text: String) -> ResourceContents {
    ResourceContents::TextResourceContents {
        uri: uri.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        text,
        meta: None,
    }
}

/// The upstream answer, or the JSON-RPC error for a failed call or a status >= 400
/// (`-32603` internal error, the status in the message and in `data.status`).
fn upstream_ok(upstream: Result<RawResponse, ClientError>) -> Result<RawResponse, ErrorData> {
    let raw = upstream.map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    if raw.status.is_client_error() || raw.status.is_server_error() {
        return Err(ErrorData::internal_error(
            format!("upstream answered {}", raw.status),
            Some(serde_json::json!({ "status": raw.status.as_u16() })),
        ));
    }
    Ok(raw)
}

/// A dynamic resource read: the upstream body as text, byte for byte.
pub fn read_body(
    uri: String,
    mime_type: Option<&str>,
    upstream: Result<RawResponse, ClientError>,
) -> Result<ReadResourceResult, ErrorData> {
    let raw = upstream_ok(upstream)?;
    let text = String::from_utf8(raw.body.to_vec())
        .map_err(|_| ErrorData::internal_error("the upstream body is not UTF-8 text", None))?;
    Ok(ReadResourceResult::new(vec![contents(
        &uri, mime_type, text,
    )]))
}

/// A dynamic resource read with outputs: the decoded body, mapped, as JSON text.
pub fn read_mapped(
    uri: String,
    mime_type: Option<&str>,
    upstream: Result<RawResponse, ClientError>,
    format: crate::formats::Format,
    map: impl FnOnce(serde_json::Value) -> serde_json::Value,
) -> Result<ReadResourceResult, ErrorData> {
    let raw = upstream_ok(upstream)?;
    let value = raw
        .decode(format)
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    Ok(ReadResourceResult::new(vec![contents(
        &uri,
        mime_type,
        map(value).to_string(),
    )]))
}

/// A resource read through orchestration steps: their result as JSON text.
pub fn read_value(
    uri: String,
    mime_type: Option<&str>,
    value: Result<serde_json::Value, ClientError>,
) -> Result<ReadResourceResult, ErrorData> {
    let value = value.map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    Ok(ReadResourceResult::new(vec![contents(
        &uri,
        mime_type,
        value.to_string(),
    )]))
}

/// The JSON-RPC error for a URI no resource or template matches (`-32002`).
pub fn resource_not_found(uri: &str) -> ErrorData {
    ErrorData::resource_not_found(
        format!("unknown resource `{uri}`"),
        Some(serde_json::json!({ "uri": uri })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: ResourceDef = ResourceDef {
        name: "user-profile",
        title: None,
        description: None,
        mime_type: None,
        uri: "data://users/{userId}/profile",
        parts: &[
            UriPart::Literal("data://users/"),
            UriPart::Variable("userId"),
            UriPart::Literal("/profile"),
        ],
        text: None,
    };

    #[test]
    fn templates_capture_one_segment_percent_decoded() {
        let got = PROFILE.captures("data://users/a%20b/profile").unwrap();
        assert_eq!(got["userId"], "a b");
        assert!(PROFILE.captures("data://users//profile").is_none());
        assert!(PROFILE.captures("data://users/a/b/profile").is_none());
        assert!(PROFILE.captures("data://users/a/profile/x").is_none());
        assert!(PROFILE.captures("data://groups/a/profile").is_none());
    }

    #[test]
    fn a_trailing_variable_takes_the_rest() {
        const DOC: ResourceDef = ResourceDef {
            parts: &[UriPart::Literal("docs://"), UriPart::Variable("id")],
            ..PROFILE
        };
        assert_eq!(DOC.captures("docs://42").unwrap()["id"], "42");
        assert!(DOC.captures("docs://").is_none());
    }
}
