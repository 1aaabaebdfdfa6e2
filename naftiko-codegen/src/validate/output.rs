//! Output parameters to compiled result shapes.

use super::Validator;
use crate::diagnostics::Pos;
use crate::ir::{Kind, Segment, Shape};
use crate::spec::{self, S, pos};

impl Validator<'_> {
    pub(super) fn path(&mut self, path: &S<String>) -> Vec<Segment> {
        match super::jsonpath::parse(&path.value) {
            Some(p) => p,
            None => {
                self.diags
                    .error(
                        pos(path),
                        format!("JSONPath `{}` is {}", path.value, super::LATER),
                    )
                    .help("supported: `$`, `$.a.b`, `$['a b']`, `$.a[0]`, `$.a[*]`");
                Vec::new()
            }
        }
    }

    pub(super) fn kind(&mut self, kind: Option<&S<String>>) -> Option<Kind> {
        let k = kind?;
        Some(match k.value.as_str() {
            "string" => Kind::String,
            "integer" => Kind::Integer,
            "number" => Kind::Number,
            "boolean" => Kind::Boolean,
            "array" => Kind::Array,
            "object" => Kind::Object,
            other => {
                self.diags
                    .error(pos(k), format!("unknown type `{other}`"))
                    .help("expected string, integer, number, boolean, array or object");
                return None;
            }
        })
    }

    /// The result of an exposed operation: named outputs make an object of those names;
    /// unnamed ones are alternatives, the first non-null wins.
    pub(super) fn exposed_output(&mut self, outputs: &[S<spec::MappedOutput>]) -> Shape {
        if outputs.len() > 1 && outputs.iter().all(|o| o.value.name.is_some()) {
            return Shape::Object {
                path: Vec::new(),
                properties: self.named_members(outputs),
                description: None,
            };
        }
        let mut shapes: Vec<Shape> = outputs
            .iter()
            .map(|o| self.shape(&o.value, pos(o), true))
            .collect();
        match shapes.len() {
            0 => Shape::IDENTITY,
            1 => shapes.remove(0),
            _ => Shape::FirstOf(shapes),
        }
    }

    fn named_members(&mut self, members: &[S<spec::MappedOutput>]) -> Vec<(String, Shape)> {
        members
            .iter()
            .filter_map(|m| {
                let Some(name) = &m.value.name else {
                    self.diags.error(pos(m), "a member output needs a `name`");
                    return None;
                };
                Some((name.value.clone(), self.shape(&m.value, pos(m), false)))
            })
            .collect()
    }

    fn shape(&mut self, o: &spec::MappedOutput, at: Pos, top: bool) -> Shape {
        if let Some(c) = o.constant.as_ref().or(o.value.as_ref()) {
            return Shape::Const(c.value.clone());
        }
        let kind = self.kind(o.kind.as_ref());
        let path = o.mapping.as_ref().map(|m| self.path(m)).unwrap_or_default();
        let description = o.description.clone();
        match kind {
            Some(Kind::Object) if o.properties.is_some() => {
                let props = o.properties.as_ref().map(|p| &p.value);
                let properties = props
                    .into_iter()
                    .flatten()
                    .map(|(name, p)| (name.clone(), self.shape(&p.value, pos(p), false)))
                    .collect();
                Shape::Object {
                    path,
                    properties,
                    description,
                }
            }
            Some(Kind::Array) if o.items.is_some() => {
                let items = o.items.as_ref().map(|items| {
                    Box::new(match &items.value {
                        spec::Items::One(one) => self.shape(one, pos(items), false),
                        spec::Items::Members(members) => Shape::Object {
                            path: Vec::new(),
                            properties: self.named_members(members),
                            description: None,
                        },
                    })
                });
                Shape::Array {
                    path,
                    items,
                    description,
                }
            }
            _ => {
                if o.mapping.is_none() {
                    self.diags
                        .error(at, "output parameter without `mapping`, `value` or `const`");
                }
                if top
                    && matches!(kind, Some(Kind::Object | Kind::Array))
                    && let Some(mapping) = &o.mapping
                {
                    let (k, member) = if kind == Some(Kind::Array) {
                        ("array", "items")
                    } else {
                        ("object", "properties")
                    };
                    self.diags
                        .lenient(pos(mapping), format!("`type: {k}` output without `{member}` passes `{}` through unchanged", mapping.value))
                        .help(format!("declare its {member} to get a typed, documented result"));
                }
                Shape::Select {
                    path,
                    kind,
                    description,
                }
            }
        }
    }
}
