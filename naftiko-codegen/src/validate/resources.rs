//! MCP resources: static files embedded at build time, or reads through the client whose
//! URI template variables feed `with`.

use super::inputs::Surface;
use super::{Names, Validator};
use crate::diagnostics::Pos;
use crate::ir::{
    Action, Client, Input, InputLocation, Kind, McpResource, ResourceContent, Source, SourcePart,
    Step, UriTemplatePart,
};
use crate::naming;
use crate::spec::{self, S, Scalar, pos};

impl Validator<'_> {
    /// The MCP resources of one adapter, in spec order.
    pub(super) fn mcp_resources(
        &mut self,
        e: &spec::Exposes,
        clients: &[Client],
    ) -> Vec<McpResource> {
        let mut out = Vec::new();
        let mut structs = Names::new("generated struct name");
        let mut names = Names::new("resource name");
        let mut uris = Names::new("resource URI");
        let namespace = e.namespace.as_ref().map_or("", |n| n.value.as_str());
        for resource in &e.resources {
            let r = &resource.value;
            let at = pos(resource);
            let name = self.required(r.name.as_ref(), at, "name");
            let uri = self.required(r.uri.as_ref(), at, "uri");
            if let Some(path) = &r.path {
                self.diags
                    .error(pos(path), "an MCP resource has a `uri`, not a `path`")
                    .help("`path` and `operations` belong to REST adapters");
            }
            let (Some(name), Some(uri)) = (name, uri) else {
                continue;
            };
            let fresh = names.claim(self.diags, &name.value, pos(name));
            let fresh = uris.claim(self.diags, &uri.value, pos(uri)) && fresh;
            let Some(uri_parts) = self.uri_template(uri) else {
                continue;
            };
            let variables: Vec<&str> = uri_parts
                .iter()
                .filter_map(|p| match p {
                    UriTemplatePart::Variable(v) => Some(v.as_str()),
                    UriTemplatePart::Literal(_) => None,
                })
                .collect();
            let dynamic = r.call.is_some() || r.steps.is_some();
            let content = match (&r.location, dynamic) {
                (Some(location), true) => {
                    self.diags
                        .error(
                            pos(location),
                            "`location` excludes `call` and `steps` on a resource",
                        )
                        .help("a resource is either a static file or a read through a call");
                    continue;
                }
                (Some(location), false) => {
                    if !variables.is_empty() {
                        self.diags
                            .error(
                                pos(uri),
                                format!(
                                    "static resource `{}` cannot have URI variables",
                                    name.value
                                ),
                            )
                            .help("URI templates need a `call` that uses their variables");
                        continue;
                    }
                    let Some(text) = self.embedded_file(location) else {
                        continue;
                    };
                    ResourceContent::Static(text)
                }
                (None, false) => {
                    self.diags
                        .error(at, "missing `location`, `call` or `steps`")
                        .help("a static resource names a file (`location: file:///./x.json`); a dynamic one a consumed operation");
                    continue;
                }
                (None, true) => {
                    let Some(read) = self.resource_read(r, uri, &variables, namespace, at, clients)
                    else {
                        continue;
                    };
                    read
                }
            };
            let content = match content {
                ResourceContent::Read {
                    action,
                    inputs,
                    output,
                    ..
                } => {
                    let input_struct = (!inputs.is_empty())
                        .then(|| format!("{}UriParams", naming::pascal(&name.value)));
                    if let Some(s) = &input_struct
                        && !structs.claim(self.diags, s, pos(name))
                    {
                        continue;
                    }
                    ResourceContent::Read {
                        input_struct,
                        action,
                        inputs,
                        output,
                    }
                }
                other => other,
            };
            if fresh {
                out.push(McpResource {
                    name: name.value.clone(),
                    title: r.label.clone(),
                    description: r.description.clone(),
                    mime_type: r.mime_type.as_ref().map(|m| m.value.clone()),
                    uri: uri.value.clone(),
                    uri_parts,
                    content,
                });
            }
        }
        out
    }

    /// `data://users/{userId}/profile` split at its variables (simple `{name}` expansions).
    fn uri_template(&mut self, uri: &S<String>) -> Option<Vec<UriTemplatePart>> {
        let at = pos(uri);
        let mut parts = Vec::new();
        let mut rest = uri.value.as_str();
        while let Some(start) = rest.find('{') {
            if start > 0 {
                parts.push(UriTemplatePart::Literal(rest[..start].to_owned()));
            }
            let Some(end) = rest[start..].find('}') else {
                self.diags
                    .error(at, format!("unclosed `{{` in URI `{}`", uri.value));
                return None;
            };
            let name = &rest[start + 1..start + end];
            let simple =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !simple {
                self.diags
                    .error(
                        at,
                        format!(
                            "URI variable `{{{name}}}` in `{}` is not a simple name",
                            uri.value
                        ),
                    )
                    .help("only `{name}` expansions (letters, digits, `_`) are supported");
                return None;
            }
            if matches!(parts.last(), Some(UriTemplatePart::Variable(_))) {
                self.diags
                    .error(
                        at,
                        format!(
                            "URI variables in `{}` need a literal between them",
                            uri.value
                        ),
                    )
                    .help("otherwise a URI cannot tell where one value ends");
                return None;
            }
            if parts
                .iter()
                .any(|p| matches!(p, UriTemplatePart::Variable(v) if v == name))
            {
                self.diags.error(
                    at,
                    format!("URI variable `{{{name}}}` appears twice in `{}`", uri.value),
                );
                return None;
            }
            parts.push(UriTemplatePart::Variable(name.to_owned()));
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            parts.push(UriTemplatePart::Literal(rest.to_owned()));
        }
        if !uri.value.contains("://") && !uri.value.contains(':') {
            self.diags
                .error(at, format!("resource URI `{}` has no scheme", uri.value))
                .help("for example `data://users/{userId}` or `config://app`");
            return None;
        }
        Some(parts)
    }

    /// A resource read through `call` or `steps`: its URI variables are its only inputs.
    fn resource_read(
        &mut self,
        r: &spec::ExposedResource,
        uri: &S<String>,
        variables: &[&str],
        namespace: &str,
        at: Pos,
        clients: &[Client],
    ) -> Option<ResourceContent> {
        let mut inputs = Vec::new();
        for v in variables {
            let field = match naming::field_ident(v) {
                Ok(f) => f,
                Err(why) => {
                    self.diags.error(pos(uri), format!("URI variable {why}"));
                    return None;
                }
            };
            inputs.push(Input {
                name: (*v).to_owned(),
                field,
                location: InputLocation::Argument,
                kind: Kind::String,
                required: true,
                description: None,
                pattern: None,
            });
        }
        let declared = inputs.len();
        let (action, output) = match (&r.call, &r.steps) {
            (Some(call), Some(steps)) => {
                self.diags
                    .error(pos(call), "`call` and `steps` exclude each other")
                    .help(format!(
                        "the steps are at line {}:{}",
                        pos(steps).line,
                        pos(steps).column
                    ));
                return None;
            }
            (None, Some(steps)) => {
                let o = self.orchestration(
                    steps,
                    &r.mappings,
                    namespace,
                    &mut inputs,
                    Surface::Mcp,
                    clients,
                );
                let output = self.orchestrated_output(&r.output_parameters);
                (Action::Steps(o?), output)
            }
            (Some(call), None) => {
                let call = self.call(call, clients)?;
                let op = &clients[call.client].operations[call.op];
                let bindings = self.bindings(
                    namespace,
                    r.with.as_ref(),
                    op,
                    &mut inputs,
                    Surface::Mcp,
                    at,
                    true,
                );
                let output = self.exposed_output(&r.output_parameters);
                (Action::Call { call, bindings }, output)
            }
            (None, None) => return None,
        };
        let mut ok = true;
        for extra in &inputs[declared..] {
            ok = false;
            // At the `with` value that names it, when one does (else it fills a parameter).
            let with_at = r.with.as_ref().map_or(at, |with| {
                with.value
                    .values()
                    .find(|v| matches!(&v.value, Scalar::Str(s) if s.contains(&extra.name)))
                    .map_or(pos(with), pos)
            });
            self.diags
                .error(
                    with_at,
                    format!(
                        "`{}` is not a variable of the resource URI `{}`",
                        extra.name, uri.value
                    ),
                )
                .help(if variables.is_empty() {
                    "a resource read takes no arguments; give the call literal values, or put `{name}` in the URI".to_owned()
                } else {
                    format!("URI variables: {}", variables.join(", "))
                });
        }
        let used = used_inputs(&action);
        for (index, v) in variables.iter().enumerate() {
            if !used.contains(&index) {
                ok = false;
                self.diags
                    .error(
                        pos(uri),
                        format!("URI variable `{{{v}}}` is not used in `with`"),
                    )
                    .help(format!(
                        "pass it to the call, for example `with: {{<parameter>: \"{{{{{v}}}}}\"}}`"
                    ));
            }
        }
        ok.then_some(ResourceContent::Read {
            input_struct: None,
            action,
            inputs,
            output,
        })
    }

    /// The text of a `location: file:///...` file, resolved relative to the spec and tracked
    /// for rebuilds; a located error at `location` when it cannot be read.
    pub(super) fn embedded_file(&mut self, location: &S<String>) -> Option<String> {
        let at = pos(location);
        if !location.value.starts_with("file:///") {
            self.diags
                .error(
                    at,
                    format!("location `{}` must be a `file:///` URI", location.value),
                )
                .help("for example `file:///./docs/schema.json` (relative to the spec)");
            return None;
        }
        let Some(resolve) = self.resolve else {
            self.diags
                .error(at, "files named by `location` need the spec's directory")
                .help("generate through the CLI, a build script or the macro");
            return None;
        };
        match resolve(&location.value) {
            Ok((_, text)) => Some(text),
            Err(why) => {
                self.diags
                    .error(at, format!("cannot read `{}`: {why}", location.value))
                    .help("`location` names one UTF-8 text file, relative to the spec");
                None
            }
        }
    }
}

/// Indices of the inputs an action reads.
fn used_inputs(action: &Action) -> Vec<usize> {
    let bindings: Vec<_> = match action {
        Action::Mock => Vec::new(),
        Action::Call { bindings, .. } => bindings.iter().collect(),
        Action::Steps(o) => o
            .steps
            .iter()
            .flat_map(|s| match s {
                Step::Call { bindings, .. } => bindings.iter().collect(),
                Step::Lookup { .. } => Vec::new(),
            })
            .collect(),
    };
    let mut used = Vec::new();
    for b in bindings {
        match &b.source {
            Source::Input(i) => used.push(*i),
            Source::Template(parts) => used.extend(parts.iter().filter_map(|p| match p {
                SourcePart::Input(i) => Some(*i),
                SourcePart::Literal(_) => None,
            })),
        }
    }
    used
}
