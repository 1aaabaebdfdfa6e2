//! The request of a consumed operation: parameters, path, query, headers, cookies, body.

use super::{LATER, Validator};
use crate::diagnostics::Pos;
use crate::ir::{
    Body, Field, JsonTemplate, MultipartPart, Param, PathPart, Template, TemplatePart,
};
use crate::naming;
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

/// What `request` builds for one operation.
pub(super) struct Request {
    pub(super) path: Vec<PathPart>,
    pub(super) params: Vec<Param>,
    pub(super) query: Vec<Field>,
    pub(super) headers: Vec<Field>,
    pub(super) cookies: Vec<Field>,
    pub(super) body: Option<Body>,
}

impl Request {
    /// The index of parameter `name`, added on first use.
    fn param(&mut self, name: &str, required: bool) -> Result<usize, String> {
        if let Some(i) = self.params.iter().position(|p| p.name == name) {
            self.params[i].required |= required;
            return Ok(i);
        }
        let field = naming::field_ident(name)?;
        if let Some(other) = self.params.iter().find(|p| p.field == field) {
            return Err(format!(
                "`{name}` and `{}` both become the Rust field `{field}`",
                other.name
            ));
        }
        self.params.push(Param {
            name: name.to_owned(),
            field,
            required,
        });
        Ok(self.params.len() - 1)
    }
}

impl Validator<'_> {
    /// Reports a failed parameter name and returns `None`.
    fn named(&mut self, at: Pos, r: Result<usize, String>) -> Option<usize> {
        r.map_err(|why| self.diags.error(at, format!("parameter name {why}")))
            .ok()
    }

    /// `{{x}}` / `{{ns.x}}` in a consumed template: the parameter `x` (bind variables are
    /// not yet usable in parameters).
    fn template(
        &mut self,
        text: &str,
        at: Pos,
        req: &mut Request,
        single_braces: bool,
    ) -> Option<Template> {
        let pieces = match template::split(text, single_braces) {
            Ok(p) => p,
            Err((_, msg)) => {
                self.diags.error(at, msg);
                return None;
            }
        };
        if self.bind_names.iter().any(|n| n == text) {
            self.literal_bind_name(at, text);
        }
        let mut parts = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Literal(l) => parts.push(TemplatePart::Literal(l)),
                Piece::Variable {
                    name, single_brace, ..
                } => {
                    let var = name.rsplit('.').next().unwrap_or(&name).to_owned();
                    if single_brace {
                        self.diags
                            .lenient(at, format!("`{{{name}}}` is read as the parameter `{var}`"))
                            .help(format!("the schema's form is `{{{{{name}}}}}`"));
                    }
                    if let Some(b) = self.bind_names.iter().position(|n| *n == var) {
                        parts.push(TemplatePart::Bind(b));
                        continue;
                    }
                    if name.starts_with("env.") {
                        self.diags
                            .error(at, format!("unknown bind variable `{var}` in `{text}`"))
                            .help(format!("bound variables: {}", self.bind_names.join(", ")));
                        return None;
                    }
                    let index = self.named(at, req.param(&var, true))?;
                    parts.push(TemplatePart::Param(index));
                }
            }
        }
        Some(Template(parts))
    }

    pub(super) fn request(
        &mut self,
        consumes: &[S<spec::Param>],
        resource: &[S<spec::Param>],
        op: &spec::ConsumedOperation,
        path: &S<String>,
    ) -> Option<Request> {
        let mut req = Request {
            path: Vec::new(),
            params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
        };
        let at = pos(path);
        let text = if path.value.starts_with('/') || path.value.is_empty() {
            path.value.clone()
        } else {
            format!("/{}", path.value)
        };
        let template = self.template(&text, at, &mut req, true)?;
        let mut path_parts = Vec::new();
        for part in template.0 {
            path_parts.push(match part {
                TemplatePart::Literal(l) => PathPart::Literal(l),
                TemplatePart::Param(i) => PathPart::Param(i),
                TemplatePart::Bind(_) => {
                    self.diags
                        .error(at, format!("bind variables in a resource path are {LATER}"));
                    return None;
                }
            });
        }
        req.path = path_parts;
        let mut body_members: Vec<(String, JsonTemplate)> = Vec::new();
        for param in consumes.iter().chain(resource).chain(&op.input_parameters) {
            let p = &param.value;
            let ppos = pos(param);
            let Some(name) = self.required(p.name.as_ref(), ppos, "name") else {
                continue;
            };
            let documentation: Vec<(&str, Pos)> = [
                ("type", p.kind.as_ref().map(pos)),
                ("description", p.description.as_ref().map(pos)),
                ("required", p.required.as_ref().map(pos)),
            ]
            .into_iter()
            .filter_map(|(key, at)| Some((key, at?)))
            .collect();
            if let Some(first) = documentation.iter().map(|(_, at)| *at).min() {
                let keys: Vec<String> = documentation
                    .iter()
                    .map(|(k, _)| format!("`{k}`"))
                    .collect();
                self.diags
                    .lenient(
                        first,
                        format!(
                            "{} on consumed parameter `{}` {} not in the official schema; kept as documentation",
                            keys.join(", "),
                            name.value,
                            if keys.len() == 1 { "is" } else { "are" }
                        ),
                    )
                    .help("consumed parameters have `name`, `in` and `value`");
            }
            let location = p.location.as_ref().map_or("query", |l| l.value.as_str());
            if location == "path" {
                match req.params.iter().position(|q| q.name == name.value) {
                    Some(i) => req.params[i].required = true,
                    None => {
                        self.diags
                            .lenient(
                                pos(name),
                                format!(
                                    "path parameter `{}` does not appear in the path `{}`; ignored",
                                    name.value, path.value
                                ),
                            )
                            .help("remove it, or add it to the path as `{{name}}`");
                    }
                }
                if let Some(v) = &p.value {
                    self.diags.error(
                        pos(v),
                        format!("a `value` on path parameter `{}` is {LATER}", name.value),
                    );
                }
                continue;
            }
            let value = match &p.value {
                None => None,
                Some(v) => match &v.value {
                    Scalar::Str(s) => Some((s.clone(), pos(v))),
                    Scalar::Int(i) => Some((i.to_string(), pos(v))),
                    Scalar::Float(f) => Some((f.to_string(), pos(v))),
                    Scalar::Bool(b) => Some((b.to_string(), pos(v))),
                    other => {
                        self.diags.error(
                            pos(v),
                            format!(
                                "parameter value must be a scalar, found {}",
                                other.describe()
                            ),
                        );
                        continue;
                    }
                },
            };
            let (template, optional) = match &value {
                Some((text, vpos)) => match self.template(text, *vpos, &mut req, false) {
                    Some(t) => (t, false),
                    None => continue,
                },
                None => match self.named(pos(name), req.param(&name.value, false)) {
                    Some(i) => (Template(vec![TemplatePart::Param(i)]), true),
                    None => continue,
                },
            };
            let field = Field {
                name: name.value.clone(),
                value: template,
                optional,
            };
            match location {
                "query" => req.query.push(field),
                "header" => {
                    if !is_token(&name.value) {
                        self.diags.error(
                            pos(name),
                            format!("`{}` is not a valid header name", name.value),
                        );
                        continue;
                    }
                    req.headers.push(Field {
                        name: name.value.to_ascii_lowercase(),
                        ..field
                    });
                }
                "cookie" => req.cookies.push(field),
                "body" => {
                    body_members.push((name.value.clone(), JsonTemplate::String(field.value)))
                }
                other => {
                    let at = p.location.as_ref().map_or(ppos, pos);
                    self.diags
                        .error(at, format!("parameter location `{other}` is {LATER}"))
                        .help("supported: path, query, header, cookie, body");
                }
            }
        }
        if let Some(body) = &op.body {
            if !body_members.is_empty() {
                self.diags.error(
                    pos(body),
                    "an operation cannot have both `body` and `in: body` parameters",
                );
            }
            req.body = self.body(body, &mut req);
        } else if let [(name, JsonTemplate::String(Template(parts)))] = body_members.as_slice()
            && name == "body"
            && let [part @ TemplatePart::Param(_)] = parts.as_slice()
        {
            // A single parameter named `body` is the whole body.
            req.body = Some(Body::JsonText(vec![(part.clone(), false)]));
        } else if !body_members.is_empty() {
            req.body = Some(Body::Json(JsonTemplate::Object(body_members)));
        }
        // A parameter written into the body must have a value.
        let in_body = req
            .body
            .as_ref()
            .map(Body::template_parts)
            .unwrap_or_default();
        let indices: Vec<usize> = in_body
            .into_iter()
            .filter_map(|p| match p {
                TemplatePart::Param(i) => Some(*i),
                TemplatePart::Literal(_) | TemplatePart::Bind(_) => None,
            })
            .collect();
        for i in indices {
            req.params[i].required = true;
        }
        Some(req)
    }

    fn body(&mut self, body: &S<spec::Body>, req: &mut Request) -> Option<Body> {
        let at = pos(body);
        match &body.value {
            spec::Body::Text(text) => {
                let template = self.template(text, at, req, false)?;
                if text.trim_start().starts_with(['{', '[']) {
                    Some(Body::JsonText(json_text(template)))
                } else {
                    Some(Body::Text {
                        content_type: "text/plain; charset=utf-8".to_owned(),
                        template,
                    })
                }
            }
            spec::Body::Typed { kind, data } => {
                let kind_name = kind.as_ref().map_or("json", |k| k.value.as_str());
                let kpos = kind.as_ref().map_or(at, pos);
                let Some(data) = data else {
                    self.diags.error(at, "a typed body needs `data`");
                    return None;
                };
                let text_body = |me: &mut Self, ct: &str, req: &mut Request| -> Option<Body> {
                    let serde_json::Value::String(text) = data else {
                        me.diags.error(
                            kpos,
                            format!("a `{kind_name}` body's `data` must be a string"),
                        );
                        return None;
                    };
                    Some(Body::Text {
                        content_type: ct.to_owned(),
                        template: me.template(text, at, req, false)?,
                    })
                };
                match kind_name {
                    "json" => Some(Body::Json(self.json_template(data, at, req)?)),
                    "text" => text_body(self, "text/plain; charset=utf-8", req),
                    "xml" => text_body(self, "application/xml", req),
                    "sparql" => text_body(self, "application/sparql-query", req),
                    "raw" => text_body(self, "application/octet-stream", req),
                    "form" | "formUrlEncoded" => {
                        if kind_name == "form" {
                            self.diags
                                .lenient(kpos, "body `type: form` is read as `formUrlEncoded`")
                                .help("the schema's form is `type: formUrlEncoded`");
                        }
                        let serde_json::Value::Object(map) = data else {
                            self.diags
                                .error(kpos, "a form body's `data` must be a mapping");
                            return None;
                        };
                        let mut pairs = Vec::new();
                        for (k, v) in map {
                            let text = match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            pairs.push((k.clone(), self.template(&text, at, req, false)?));
                        }
                        Some(Body::Form(pairs))
                    }
                    "multipartForm" => self.multipart(data, at, kpos, req),
                    other => {
                        self.diags
                            .error(kpos, format!("body type `{other}` is {LATER}"))
                            .help("supported: json, text, xml, sparql, raw, formUrlEncoded, multipartForm");
                        None
                    }
                }
            }
        }
    }

    /// `multipartForm` data: a list of `{name, value, filename?, contentType?}`, the values
    /// templates.
    fn multipart(
        &mut self,
        data: &serde_json::Value,
        at: Pos,
        kpos: Pos,
        req: &mut Request,
    ) -> Option<Body> {
        let serde_json::Value::Array(items) = data else {
            self.diags.error(
                kpos,
                "a `multipartForm` body's `data` must be a list of parts `{name, value}`",
            );
            return None;
        };
        let mut parts = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str);
            let (Some(name), Some(value)) = (text("name"), text("value")) else {
                self.diags.error(
                    kpos,
                    format!(
                        "part {} of a `multipartForm` body needs a string `name` and `value`",
                        n + 1
                    ),
                );
                continue;
            };
            let value = self.template(value, at, req, false)?;
            parts.push(MultipartPart {
                name: name.to_owned(),
                value,
                filename: text("filename").map(str::to_owned),
                content_type: text("contentType").map(str::to_owned),
            });
        }
        Some(Body::Multipart(parts))
    }

    fn json_template(
        &mut self,
        data: &serde_json::Value,
        at: Pos,
        req: &mut Request,
    ) -> Option<JsonTemplate> {
        Some(match data {
            serde_json::Value::String(s) if s.contains("{{") => {
                JsonTemplate::String(self.template(s, at, req, false)?)
            }
            serde_json::Value::Array(items) => JsonTemplate::Array(
                items
                    .iter()
                    .map(|i| self.json_template(i, at, req))
                    .collect::<Option<_>>()?,
            ),
            serde_json::Value::Object(map) => JsonTemplate::Object(
                map.iter()
                    .map(|(k, v)| Some((k.clone(), self.json_template(v, at, req)?)))
                    .collect::<Option<_>>()?,
            ),
            other => JsonTemplate::Literal(other.clone()),
        })
    }
}

/// Marks each parameter of a JSON text template with whether it sits inside a JSON string.
fn json_text(template: Template) -> Vec<(TemplatePart, bool)> {
    let mut in_string = false;
    let mut out = Vec::new();
    for part in template.0 {
        match &part {
            TemplatePart::Literal(text) => {
                let mut escaped = false;
                for c in text.chars() {
                    match c {
                        '\\' if in_string => escaped = !escaped,
                        '"' if !escaped => in_string = !in_string,
                        _ => escaped = false,
                    }
                }
                out.push((part, false));
            }
            TemplatePart::Param(_) | TemplatePart::Bind(_) => out.push((part, in_string)),
        }
    }
    out
}

pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
