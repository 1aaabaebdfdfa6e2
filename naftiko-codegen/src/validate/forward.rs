//! REST `forward`: a resource that proxies to a consumed namespace, and the consumes-level
//! headers a forwarded request carries.

use super::{LATER, Names, Validator, http_token, rest_path};
use crate::ir::{Client, RestForward, Value, ValuePart};
use crate::naming;
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

/// Headers that describe one hop's connection or framing: the gateway sets its own.
const HOP_HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "host",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

impl Validator<'_> {
    /// The forward of one REST resource. Its path must end with one placeholder segment
    /// (`/notion/{{path}}`), which captures the rest of the request path, slashes included.
    pub(super) fn forward(
        &mut self,
        resource: &S<spec::ExposedResource>,
        forward: &S<spec::Forward>,
        clients: &[Client],
        names: &mut Names<'_>,
    ) -> Option<RestForward> {
        let r = &resource.value;
        let f = &forward.value;
        if let Some(op) = r.operations.first() {
            self.diags
                .error(
                    pos(op),
                    format!("operations beside `forward` on one resource are {LATER}"),
                )
                .help("move the operations to a resource of their own path");
        }
        let path = self.required(r.path.as_ref(), pos(resource), "path")?;
        let route = rest_path(&path.value);
        let prefix = route
            .rsplit_once('/')
            .filter(|(prefix, last)| {
                let name = last.strip_prefix('{').and_then(|l| l.strip_suffix('}'));
                name.is_some_and(|n| !n.is_empty() && !n.contains(['{', '}', '*']))
                    && !prefix.contains(['{', '}'])
                    && route.starts_with('/')
            })
            .map(|(prefix, last)| (prefix.to_owned(), last[1..last.len() - 1].to_owned()));
        let Some((prefix, placeholder)) = prefix else {
            self.diags
                .error(
                    pos(path),
                    format!(
                        "a forward path must be literal segments then one placeholder, found `{}`",
                        path.value
                    ),
                )
                .help(
                    "for example `/notion/{{path}}`: the placeholder captures the rest of the path",
                );
            return None;
        };
        let target = self.required(f.target_namespace.as_ref(), pos(forward), "targetNamespace")?;
        let Some(client) = clients.iter().position(|c| c.namespace == target.value) else {
            let known: Vec<&str> = clients.iter().map(|c| c.namespace.as_str()).collect();
            self.diags
                .error(
                    pos(target),
                    format!(
                        "`forward` names an unknown consumed namespace `{}`",
                        target.value
                    ),
                )
                .help(if known.is_empty() {
                    "declare it under `consumes`".to_owned()
                } else {
                    format!("consumed namespaces: {}", known.join(", "))
                });
            return None;
        };
        if clients[client]
            .operations
            .iter()
            .any(|o| o.method_ident == "forward")
        {
            self.diags
                .error(
                    pos(target),
                    format!(
                        "`{}` has an operation whose client method is `forward`, the method forwarding uses",
                        target.value
                    ),
                )
                .help("rename that operation");
            return None;
        }
        let trusted_headers = self.trusted_headers(f.trusted_headers.as_ref())?;
        let base = r.name.as_ref().map_or(&target.value, |n| &n.value);
        let fn_ident = match naming::field_ident(&format!("forward-{base}")) {
            Ok(i) => i,
            Err(why) => {
                self.diags
                    .error(pos(resource), format!("forward method name {why}"));
                return None;
            }
        };
        if !names.claim(self.diags, &fn_ident, pos(forward)) {
            return None;
        }
        Some(RestForward {
            prefix,
            placeholder,
            fn_ident,
            description: r.description.clone(),
            client,
            trusted_headers,
        })
    }

    fn trusted_headers(&mut self, list: Option<&S<Vec<S<String>>>>) -> Option<Vec<String>> {
        let Some(list) = list else {
            return Some(Vec::new());
        };
        if list.value.is_empty() {
            self.diags
                .error(pos(list), "`trustedHeaders` cannot be empty")
                .help("list the incoming headers to pass upstream, or leave `trustedHeaders` out to pass none");
            return None;
        }
        let mut seen = Names::new("trusted header");
        let mut out = Vec::new();
        let mut ok = true;
        for header in &list.value {
            let lower = header.value.to_ascii_lowercase();
            if http_token(&header.value).is_none() {
                self.diags.error(
                    pos(header),
                    format!("`{}` is not a valid header name", header.value),
                );
                ok = false;
            } else if HOP_HEADERS.contains(&lower.as_str()) {
                self.diags
                    .error(
                        pos(header),
                        format!(
                            "`{}` describes one connection and cannot be forwarded",
                            header.value
                        ),
                    )
                    .help("the gateway sets its own connection and framing headers");
                ok = false;
            } else if seen.claim(self.diags, &lower, pos(header)) {
                out.push(lower);
            } else {
                ok = false;
            }
        }
        ok.then_some(out)
    }

    /// The consumes-level header parameters a forwarded request carries: those whose `value`
    /// is literals and bind variables. A header with no `value`, or one naming a parameter,
    /// has nothing to fill it on a forwarded request and is left out. Problems are reported
    /// by the operations' own requests; here only when the namespace has no operations.
    pub(super) fn forward_headers(&mut self, consumes: &spec::Consumes) -> Vec<(String, Value)> {
        let report = consumes
            .resources
            .iter()
            .all(|r| r.value.operations.is_empty());
        let mut out = Vec::new();
        for param in &consumes.input_parameters {
            let p = &param.value;
            if p.location.as_ref().map(|l| l.value.as_str()) != Some("header") {
                continue;
            }
            let (Some(name), Some(value)) = (&p.name, &p.value) else {
                continue;
            };
            if http_token(&name.value).is_none() {
                if report {
                    self.diags.error(
                        pos(name),
                        format!("`{}` is not a valid header name", name.value),
                    );
                }
                continue;
            }
            let text = match &value.value {
                Scalar::Str(s) => s.clone(),
                Scalar::Int(i) => i.to_string(),
                Scalar::Float(x) => x.to_string(),
                Scalar::Bool(b) => b.to_string(),
                other => {
                    if report {
                        self.diags.error(
                            pos(value),
                            format!(
                                "parameter value must be a scalar, found {}",
                                other.describe()
                            ),
                        );
                    }
                    continue;
                }
            };
            let Ok(pieces) = template::split(&text, false) else {
                if report {
                    self.diags
                        .error(pos(value), format!("malformed template `{text}`"));
                }
                continue;
            };
            let parts: Option<Vec<ValuePart>> = pieces
                .into_iter()
                .map(|piece| match piece {
                    Piece::Literal(l) => Some(ValuePart::Literal(l)),
                    Piece::Variable { name, .. } => {
                        let var = name.rsplit('.').next().unwrap_or(&name);
                        self.bind_names
                            .iter()
                            .position(|b| b == var)
                            .map(ValuePart::Bind)
                    }
                })
                .collect();
            if let Some(parts) = parts {
                out.push((name.value.to_ascii_lowercase(), Value(parts)));
            }
        }
        out
    }
}
