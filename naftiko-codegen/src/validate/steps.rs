//! Aggregates (`ref` to reusable functions, `semantics` to MCP hints) and orchestration
//! (`steps`, `mappings`, orchestrated outputs).

use std::collections::BTreeMap;

use super::inputs::Surface;
use super::{Names, Validator};
use crate::diagnostics::Pos;
use crate::ir::{Client, Hints, Input, Kind, Orchestration, Segment, Shape, Step};
use crate::spec::{self, S, Scalar, pos};

/// The aggregate functions of a capability by `<aggregate namespace>.<function name>`.
pub(super) type Functions<'a> = BTreeMap<String, Function<'a>>;

#[derive(Clone, Copy)]
pub(super) struct Function<'a> {
    pub(super) spec: &'a spec::Function,
    /// The aggregate's namespace, which the function's `with` references use.
    pub(super) namespace: &'a str,
}

/// What an exposed operation or tool does once its `ref` is followed.
pub(super) struct Resolved<'a> {
    pub(super) target: spec::Target<'a>,
    pub(super) function: Option<Function<'a>>,
}

impl Validator<'_> {
    /// Every aggregate function, checked for names and duplicates.
    pub(super) fn functions<'a>(&mut self, aggregates: &'a [S<spec::Aggregate>]) -> Functions<'a> {
        let mut out = Functions::new();
        let mut names = Names::new("aggregate function");
        for aggregate in aggregates {
            let Some(ns) = self.required(
                aggregate.value.namespace.as_ref(),
                pos(aggregate),
                "namespace",
            ) else {
                continue;
            };
            for function in &aggregate.value.functions {
                let Some(name) = self.required(function.value.name.as_ref(), pos(function), "name")
                else {
                    continue;
                };
                let key = format!("{}.{}", ns.value, name.value);
                if names.claim(self.diags, &key, pos(name)) {
                    out.insert(
                        key,
                        Function {
                            spec: &function.value,
                            namespace: &ns.value,
                        },
                    );
                }
            }
        }
        out
    }

    /// Follows `ref`: the function fills in what the operation or tool leaves out.
    pub(super) fn resolve<'a>(
        &mut self,
        target: spec::Target<'a>,
        functions: &Functions<'a>,
    ) -> Option<Resolved<'a>> {
        let Some(reference) = target.reference else {
            return Some(Resolved {
                target,
                function: None,
            });
        };
        let Some(function) = functions.get(&reference.value) else {
            let known: Vec<&str> = functions.keys().map(String::as_str).collect();
            let d = self.diags.error(
                pos(reference),
                format!("`ref: {}` names no aggregate function", reference.value),
            );
            if known.is_empty() {
                d.help("declare it under `capability.aggregates[].functions`");
            } else {
                d.help(format!("aggregate functions: {}", known.join(", ")));
            }
            return None;
        };
        Some(Resolved {
            target: target.inherit(function.spec),
            function: Some(*function),
        })
    }

    /// MCP hints from a function's `semantics`: safe -> read-only and not destructive;
    /// idempotent -> idempotent. Explicit `hints` are applied over these by the caller.
    pub(super) fn semantics_hints(&mut self, function: Option<Function<'_>>) -> Hints {
        let mut hints = Hints::default();
        let Some(semantics) = function.and_then(|f| f.spec.semantics.as_ref()) else {
            return hints;
        };
        if let Some(safe) = self.semantic_flag(semantics.value.safe.as_ref(), "safe") {
            hints.read_only = safe;
            hints.destructive = !safe;
        }
        if let Some(idempotent) =
            self.semantic_flag(semantics.value.idempotent.as_ref(), "idempotent")
        {
            hints.idempotent = idempotent;
        }
        hints
    }

    fn semantic_flag(&mut self, value: Option<&S<Scalar>>, name: &str) -> Option<bool> {
        match &value?.value {
            Scalar::Bool(b) => Some(*b),
            other => {
                self.diags
                    .error(
                        pos(value?),
                        format!(
                            "semantics `{name}` must be a boolean, found {}",
                            other.describe()
                        ),
                    )
                    .help("write `true` or `false`");
                None
            }
        }
    }

    /// Warns where explicit hints or a REST method contradict a safe function.
    pub(super) fn check_semantics(
        &mut self,
        function: Option<Function<'_>>,
        hints: Option<&Hints>,
        method: Option<(&str, Pos)>,
        at: Pos,
    ) {
        let safe = function
            .and_then(|f| f.spec.semantics.as_ref())
            .and_then(|s| s.value.safe.as_ref())
            .is_some_and(|s| s.value == Scalar::Bool(true));
        if !safe {
            return;
        }
        if let Some(hints) = hints
            && (!hints.read_only || hints.destructive)
        {
            self.diags
                .lenient(
                    at,
                    "hints contradict the function's `semantics: {safe: true}` (not read-only, or destructive)",
                )
                .help("drop the contradicting hints, or make the function unsafe");
        }
        if let Some((method, method_at)) = method
            && !matches!(method, "GET" | "HEAD" | "OPTIONS")
        {
            self.diags
                .lenient(
                    method_at,
                    format!("`{method}` on a function with `semantics: {{safe: true}}`"),
                )
                .help("a safe function is exposed with GET");
        }
    }

    /// Compiles `steps` and `mappings`. Call steps take their parameters from the
    /// operation's inputs (`with`), never from each other, so they can run concurrently.
    pub(super) fn orchestration(
        &mut self,
        steps: &S<Vec<S<spec::Step>>>,
        mappings: &[S<spec::StepMapping>],
        namespace: &str,
        inputs: &mut Vec<Input>,
        surface: Surface<'_>,
        clients: &[Client],
    ) -> Option<Orchestration> {
        let errors = self.diags.error_count();
        let mut out = Vec::new();
        let mut names = Names::new("step name");
        for step in &steps.value {
            let s = &step.value;
            let at = pos(step);
            let Some(name) = self.required(s.name.as_ref(), at, "name") else {
                continue;
            };
            names.claim(self.diags, &name.value, pos(name));
            let kind = s.kind.as_ref().map_or("call", |k| k.value.as_str());
            match kind {
                "call" => {
                    let Some(call) = self.required(s.call.as_ref(), at, "call") else {
                        continue;
                    };
                    let Some(op_ref) = self.call(call, clients) else {
                        continue;
                    };
                    let op = &clients[op_ref.client].operations[op_ref.op];
                    let bindings =
                        self.bindings(namespace, s.with.as_ref(), op, inputs, surface, at, false);
                    out.push(Step::Call {
                        name: name.value.clone(),
                        call: op_ref,
                        bindings,
                    });
                }
                "lookup" => {
                    let index = self.required(s.index.as_ref(), at, "index");
                    let match_field = self.required(s.match_field.as_ref(), at, "match");
                    let value = self.required(s.lookup_value.as_ref(), at, "lookupValue");
                    if s.output_parameters.is_empty() {
                        self.diags.error(
                            at,
                            "a lookup step needs `outputParameters`: the fields to keep",
                        );
                    }
                    let (Some(index), Some(match_field), Some(value)) = (index, match_field, value)
                    else {
                        continue;
                    };
                    let earlier = out
                        .iter()
                        .any(|st| matches!(st, Step::Call { name, .. } if *name == index.value));
                    if !earlier {
                        self.diags
                            .error(
                                pos(index),
                                format!("`index: {}` names no earlier call step", index.value),
                            )
                            .help("a lookup searches the output of a `call` step before it");
                    }
                    let value = self.path(value);
                    out.push(Step::Lookup {
                        name: name.value.clone(),
                        index: index.value.clone(),
                        match_field: match_field.value.clone(),
                        value,
                        fields: s
                            .output_parameters
                            .iter()
                            .map(|f| f.value.clone())
                            .collect(),
                    });
                }
                "script" => {
                    self.diags
                        .error(
                            s.kind.as_ref().map_or(at, pos),
                            format!("`script` step `{}` is not supported: naftiko-rs compiles specs to Rust, and scripts need an interpreter at run time", name.value),
                        )
                        .help("express it as `call` and `lookup` steps with `mappings`");
                }
                other => {
                    self.diags
                        .error(
                            s.kind.as_ref().map_or(at, pos),
                            format!("unknown step type `{other}`"),
                        )
                        .help("expected `call`, `lookup` or `script`");
                }
            }
        }
        let step_names: Vec<&str> = out.iter().map(Step::name).collect();
        let mut compiled = Vec::new();
        for mapping in mappings {
            let m = &mapping.value;
            let at = pos(mapping);
            let (Some(target), Some(value)) = (
                self.required(m.target_name.as_ref(), at, "targetName"),
                self.required(m.value.as_ref(), at, "value"),
            ) else {
                continue;
            };
            let path = self.path(value);
            if let Some(Segment::Member(first)) = path.first()
                && !step_names.contains(&first.as_str())
            {
                self.diags
                    .error(
                        pos(value),
                        format!("`{}` names no step `{first}`", value.value),
                    )
                    .help(format!("steps: {}", step_names.join(", ")));
            }
            compiled.push((target.value.split('.').map(str::to_owned).collect(), path));
        }
        (self.diags.error_count() == errors).then_some(Orchestration {
            steps: out,
            mappings: compiled,
        })
    }

    /// The result of an orchestrated operation: its declared outputs picked by name from the
    /// object its `mappings` build (that whole object when none are declared).
    pub(super) fn orchestrated_output(&mut self, outputs: &[S<spec::MappedOutput>]) -> Shape {
        if outputs.is_empty() {
            return Shape::IDENTITY;
        }
        let properties = outputs
            .iter()
            .filter_map(|o| {
                let Some(name) = &o.value.name else {
                    self.diags
                        .error(pos(o), "an orchestrated output needs a `name`")
                        .help("name it after a `targetName` of `mappings`");
                    return None;
                };
                let kind = self.kind(o.value.kind.as_ref());
                let description = o.value.description.clone();
                let path = vec![Segment::Member(name.value.clone())];
                let shape = match kind {
                    Some(Kind::Array) => Shape::Array {
                        path,
                        items: None,
                        description,
                    },
                    _ => Shape::Select {
                        path,
                        kind,
                        description,
                    },
                };
                Some((name.value.clone(), shape))
            })
            .collect();
        Shape::Object {
            path: Vec::new(),
            properties,
            description: None,
        }
    }
}
