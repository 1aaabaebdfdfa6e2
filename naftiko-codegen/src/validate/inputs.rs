//! Exposed inputs (REST parameters, MCP arguments) and `with`: where each consumed
//! parameter's value comes from.

use std::collections::BTreeMap;

use super::{LATER, Validator};
use crate::diagnostics::Pos;
use crate::ir::{Binding, ClientOp, Input, InputLocation, Kind, Shape, Source, SourcePart};
use crate::naming;
use crate::spec::{self, S, Scalar, pos};
use crate::template::{self, Piece};

/// Which surface the inputs belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Surface<'a> {
    /// A REST operation on `path` (axum form), written at `at`.
    Rest {
        path: &'a str,
        at: Pos,
    },
    Mcp,
}

impl Validator<'_> {
    fn add_input(&mut self, inputs: &mut Vec<Input>, input: Input, at: Pos) {
        if let Some(other) = inputs
            .iter()
            .find(|i| i.name == input.name || i.field == input.field)
        {
            self.diags.error(
                at,
                format!("input `{}` clashes with input `{}`", input.name, other.name),
            );
            return;
        }
        inputs.push(input);
    }

    /// A `pattern`, compiled here so that a bad one is a located error at build time, not a
    /// surprise at run time. The generated server uses the same engine (the `regex` crate),
    /// which has no look-around or back-references: those are refused here.
    fn pattern(&mut self, pattern: &S<String>, kind: Kind) -> Option<String> {
        if kind != Kind::String {
            self.diags.error(
                pos(pattern),
                format!(
                    "`pattern` applies to string inputs only; this input is {}",
                    kind.json_name()
                ),
            );
            return None;
        }
        match regex::Regex::new(&pattern.value) {
            Ok(_) => Some(pattern.value.clone()),
            Err(e) => {
                let why = e.to_string();
                // The regex crate's message spans lines (the pattern, a caret, the reason).
                let reason = why
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("error: ");
                self.diags.error(
                    pos(pattern),
                    format!(
                        "`pattern` `{}` is not a valid regular expression: {reason}",
                        pattern.value
                    ),
                );
                None
            }
        }
    }

    /// Declared inputs, then implicit REST path inputs.
    pub(super) fn inputs(
        &mut self,
        declared: &[&S<spec::Param>],
        surface: Surface<'_>,
    ) -> Vec<Input> {
        let mut inputs = Vec::new();
        for param in declared {
            let p = &param.value;
            let at = pos(param);
            let Some(name) = self.required(p.name.as_ref(), at, "name") else {
                continue;
            };
            let field = match naming::field_ident(&name.value) {
                Ok(f) => f,
                Err(why) => {
                    self.diags.error(pos(name), format!("input name {why}"));
                    continue;
                }
            };
            let kind = self.kind(p.kind.as_ref()).unwrap_or(Kind::String);
            let pattern = p.pattern.as_ref().and_then(|pat| self.pattern(pat, kind));
            let required = match &p.required {
                None => matches!(surface, Surface::Mcp),
                Some(r) => match r.value {
                    Scalar::Bool(b) => b,
                    ref other => {
                        self.diags.error(
                            pos(r),
                            format!("`required` must be a boolean, found {}", other.describe()),
                        );
                        true
                    }
                },
            };
            let location = match surface {
                Surface::Mcp => InputLocation::Argument,
                Surface::Rest { path, .. } => {
                    let loc = p.location.as_ref().map_or("query", |l| l.value.as_str());
                    match loc {
                        "path" => {
                            if !path.contains(&format!("{{{}}}", name.value)) {
                                self.diags.error(
                                    pos(name),
                                    format!(
                                        "path input `{}` does not appear in `{path}`",
                                        name.value
                                    ),
                                );
                            }
                            InputLocation::Path
                        }
                        "query" => InputLocation::Query,
                        "header" => InputLocation::Header,
                        "cookie" => InputLocation::Cookie,
                        "body" => {
                            InputLocation::Body(match &p.value {
                                Some(v) => match &v.value {
                                    Scalar::Str(s) => {
                                        let s = S {
                                            value: s.clone(),
                                            referenced: v.referenced,
                                            defined: v.defined,
                                        };
                                        self.path(&s)
                                    }
                                    other => {
                                        self.diags.error(pos(v), format!("a body input's `value` must be a JSONPath, found {}", other.describe()));
                                        Vec::new()
                                    }
                                },
                                None => vec![crate::ir::Segment::Member(name.value.clone())],
                            })
                        }
                        other => {
                            let at = p.location.as_ref().map_or(at, pos);
                            self.diags
                                .error(at, format!("input location `{other}` is {LATER}"));
                            continue;
                        }
                    }
                }
            };
            let required = required || location == InputLocation::Path;
            let input = Input {
                name: name.value.clone(),
                field,
                location,
                kind,
                required,
                description: p.description.as_ref().map(|d| d.value.clone()),
                pattern,
            };
            self.add_input(&mut inputs, input, pos(name));
        }
        if let Surface::Rest { path, at } = surface {
            for var in path_variables(path) {
                if !inputs.iter().any(|i| i.name == var) {
                    match naming::field_ident(&var) {
                        Ok(field) => {
                            self.diags
                                .lenient(
                                    at,
                                    format!(
                                        "path variable `{var}` is not declared in `inputParameters`; read as a required string path input"
                                    ),
                                )
                                .help(format!(
                                    "declare it: `{{name: {var}, in: path, type: string, description: ...}}`"
                                ));
                            inputs.push(Input {
                                name: var,
                                field,
                                location: InputLocation::Path,
                                kind: Kind::String,
                                required: true,
                                description: None,
                                pattern: None,
                            });
                        }
                        Err(why) => {
                            self.diags.error(at, format!("path variable {why}"));
                        }
                    }
                }
            }
        }
        inputs
    }

    /// Binds each consumed parameter to an input (`with`, or the input of the same name);
    /// a parameter with no source becomes a new input of its name.
    /// `derive`: a parameter with no source becomes an input of its own (exposed operations)
    /// or stays unset (orchestration steps, which name their sources in `with`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bindings(
        &mut self,
        namespace: &str,
        with: Option<&S<BTreeMap<String, S<Scalar>>>>,
        op: &ClientOp,
        inputs: &mut Vec<Input>,
        surface: Surface<'_>,
        at: Pos,
        derive: bool,
    ) -> Vec<Binding> {
        let mut out = Vec::new();
        let with_map = with.map(|w| &w.value);
        for (key, value) in with_map.into_iter().flatten() {
            if !op.params.iter().any(|p| &p.name == key) {
                self.diags
                    .lenient(
                        pos(value),
                        format!("`with: {key}` names no parameter of `{}`; ignored", op.name),
                    )
                    .help(format!(
                        "its parameters: {}",
                        op.params
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
            }
        }
        for (index, param) in op.params.iter().enumerate() {
            let source = match with_map.and_then(|w| w.get(&param.name)) {
                Some(value) => self.with_source(namespace, value, inputs, surface, param.required),
                None => match inputs.iter().position(|i| i.name == param.name) {
                    Some(i) => Some(Source::Input(i)),
                    None if !derive => {
                        if param.required {
                            self.diags
                                .error(
                                    at,
                                    format!(
                                        "parameter `{}` of `{}` has no value in this step",
                                        param.name, op.name
                                    ),
                                )
                                .help(format!(
                                    "give it in the step's `with`, or declare an input `{}`",
                                    param.name
                                ));
                        }
                        None
                    }
                    None => {
                        let derived = Input {
                            name: param.name.clone(),
                            field: param.field.clone(),
                            location: match surface {
                                Surface::Mcp => InputLocation::Argument,
                                Surface::Rest { .. } => InputLocation::Query,
                            },
                            kind: Kind::String,
                            required: param.required,
                            description: None,
                            pattern: None,
                        };
                        if matches!(surface, Surface::Rest { .. }) || with.is_none() {
                            self.diags.lenient(at, format!("consumed parameter `{}` has no source; exposed as the input `{}`", param.name, param.name)).help("declare it in `inputParameters`");
                        }
                        self.add_input(inputs, derived, at);
                        Some(Source::Input(inputs.len() - 1))
                    }
                },
            };
            if let Some(source) = source {
                out.push(Binding {
                    param: index,
                    source,
                });
            }
        }
        out
    }

    /// A `with` value: `<ns>.x` (an input), a template over inputs, or a literal. An input
    /// `<ns>.x` derived here is required when the parameter it fills is.
    fn with_source(
        &mut self,
        namespace: &str,
        value: &S<Scalar>,
        inputs: &mut Vec<Input>,
        surface: Surface<'_>,
        required: bool,
    ) -> Option<Source> {
        let at = pos(value);
        let text = match &value.value {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
            other => {
                self.diags.error(
                    at,
                    format!(
                        "a `with` value must be a scalar, found {}",
                        other.describe()
                    ),
                );
                return None;
            }
        };
        let text = text
            .strip_prefix("$this.")
            .map_or(text.clone(), str::to_owned);
        if !text.contains("{{") {
            for prefix in [namespace, "rest", "tools", "mcp"] {
                if let Some(name) = text.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) {
                    if prefix != namespace {
                        self.diags
                            .lenient(
                                at,
                                format!(
                                    "`{text}` is read as `{namespace}.{name}`, the input `{name}`"
                                ),
                            )
                            .help(format!("write `{namespace}.{name}`"));
                    }
                    return Some(Source::Input(
                        self.input_named(name, inputs, surface, at, required),
                    ));
                }
            }
            return Some(Source::Template(vec![SourcePart::Literal(text)]));
        }
        let pieces = match template::split(&text, false) {
            Ok(p) => p,
            Err((_, msg)) => {
                self.diags.error(at, msg);
                return None;
            }
        };
        let parts = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Literal(l) => SourcePart::Literal(l),
                Piece::Variable { name, .. } => {
                    let var = [namespace, "rest", "tools", "mcp"]
                        .iter()
                        .find_map(|prefix| {
                            name.strip_prefix(prefix).and_then(|r| r.strip_prefix('.'))
                        })
                        .unwrap_or(&name)
                        .to_owned();
                    SourcePart::Input(self.input_named(&var, inputs, surface, at, true))
                }
            })
            .collect();
        Some(Source::Template(parts))
    }

    /// Mock outputs: constant strings with `{{input}}` become templates over the inputs.
    pub(super) fn input_templates(
        &mut self,
        shape: Shape,
        inputs: &mut Vec<Input>,
        surface: Surface<'_>,
        at: Pos,
    ) -> Shape {
        match shape {
            Shape::Const(serde_json::Value::String(text)) if text.contains("{{") => {
                let Ok(pieces) = template::split(&text, false) else {
                    return Shape::Const(serde_json::Value::String(text));
                };
                let parts = pieces
                    .into_iter()
                    .map(|p| match p {
                        Piece::Literal(l) => SourcePart::Literal(l),
                        Piece::Variable { name, .. } => {
                            let var = name.rsplit('.').next().unwrap_or(&name).to_owned();
                            SourcePart::Input(self.input_named(&var, inputs, surface, at, true))
                        }
                    })
                    .collect();
                Shape::Template(parts)
            }
            Shape::Object {
                path,
                properties,
                description,
            } => Shape::Object {
                path,
                properties: properties
                    .into_iter()
                    .map(|(k, s)| (k, self.input_templates(s, inputs, surface, at)))
                    .collect(),
                description,
            },
            Shape::Array {
                path,
                items,
                description,
            } => Shape::Array {
                path,
                items: items.map(|i| Box::new(self.input_templates(*i, inputs, surface, at))),
                description,
            },
            Shape::FirstOf(shapes) => Shape::FirstOf(
                shapes
                    .into_iter()
                    .map(|s| self.input_templates(s, inputs, surface, at))
                    .collect(),
            ),
            other => other,
        }
    }

    /// The input called `name`, derived as a string input (`required` or not) when undeclared.
    fn input_named(
        &mut self,
        name: &str,
        inputs: &mut Vec<Input>,
        surface: Surface<'_>,
        at: Pos,
        required: bool,
    ) -> usize {
        if let Some(i) = inputs.iter().position(|i| i.name == name) {
            return i;
        }
        let field = naming::field_ident(name).unwrap_or_else(|why| {
            self.diags.error(at, format!("input name {why}"));
            "_invalid".to_owned()
        });
        if let Surface::Rest { .. } = surface {
            self.diags.lenient(at, format!("`with` references the undeclared input `{name}`; exposed as a query parameter")).help("declare it in `inputParameters`");
        }
        let location = match surface {
            Surface::Mcp => InputLocation::Argument,
            Surface::Rest { .. } => InputLocation::Query,
        };
        let input = Input {
            name: name.to_owned(),
            field,
            location,
            kind: Kind::String,
            required,
            description: None,
            pattern: None,
        };
        self.add_input(inputs, input, at);
        inputs.len() - 1
    }
}

/// `{name}` variables of a REST path, in order.
pub(super) fn path_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].trim_matches(['{', '}']).to_owned());
        rest = &after[end + 1..];
    }
    out
}
