//! The spec as written: a serde model of Naftiko capability YAML with source positions.
//!
//! Lenient by design: unknown keys are ignored, and every field a diagnostic may point at is
//! `Spanned`. `type`-keyed unions are flat structs (serde-saphyr loses positions inside
//! internally tagged enums); `validate` turns them into the IR. Scalars whose type we check
//! ourselves (hints, ports, `required`) are read as [`Scalar`] so a wrong type is a collected
//! diagnostic rather than a parse failure.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::diagnostics::Pos;

pub(crate) type S<T> = Spanned<T>;

pub(crate) fn pos<T>(s: &S<T>) -> Pos {
    Pos::of(&s.referenced)
}

/// Just enough of a document to check its version before anything else.
#[derive(Deserialize)]
pub(crate) struct VersionProbe {
    pub(crate) naftiko: Option<S<Scalar>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Document {
    pub(crate) info: Option<Info>,
    #[serde(default)]
    pub(crate) binds: Vec<S<Bind>>,
    /// Top-level consumes: definitions other capabilities import.
    #[serde(default)]
    pub(crate) consumes: Vec<S<Consumes>>,
    pub(crate) capability: Option<S<Capability>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Info {
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Bind {
    pub(crate) location: Option<S<String>>,
    #[serde(default)]
    pub(crate) keys: BTreeMap<String, S<Scalar>>,
}

#[derive(Deserialize)]
pub(crate) struct Capability {
    #[serde(default)]
    pub(crate) consumes: Vec<S<Consumes>>,
    #[serde(default)]
    pub(crate) exposes: Vec<S<Exposes>>,
    #[serde(default)]
    pub(crate) binds: Vec<S<Bind>>,
    #[serde(default)]
    pub(crate) aggregates: Vec<S<Aggregate>>,
}

/// A domain aggregate: reusable functions that tools and operations name with `ref`.
#[derive(Deserialize)]
pub(crate) struct Aggregate {
    pub(crate) namespace: Option<S<String>>,
    #[serde(default)]
    pub(crate) functions: Vec<S<Function>>,
}

/// An aggregate function: what an exposed operation does, without its surface.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Function {
    pub(crate) name: Option<S<String>>,
    pub(crate) description: Option<String>,
    pub(crate) semantics: Option<S<Semantics>>,
    pub(crate) call: Option<S<String>>,
    pub(crate) with: Option<S<BTreeMap<String, S<Scalar>>>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    pub(crate) steps: Option<S<Vec<S<Step>>>>,
    #[serde(default)]
    pub(crate) mappings: Vec<S<StepMapping>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<MappedOutput>>,
}

/// Transport-neutral behaviour of a function, from which MCP hints are derived.
#[derive(Deserialize)]
pub(crate) struct Semantics {
    pub(crate) safe: Option<S<Scalar>>,
    pub(crate) idempotent: Option<S<Scalar>>,
}

/// One orchestration step: every variant's fields (`call`, `lookup`, `script`) in one struct.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Step {
    #[serde(rename = "type")]
    pub(crate) kind: Option<S<String>>,
    pub(crate) name: Option<S<String>>,
    pub(crate) call: Option<S<String>>,
    pub(crate) with: Option<S<BTreeMap<String, S<Scalar>>>>,
    pub(crate) index: Option<S<String>>,
    #[serde(rename = "match")]
    pub(crate) match_field: Option<S<String>>,
    pub(crate) lookup_value: Option<S<String>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<String>>,
}

/// `targetName: value` of an orchestrated operation's `mappings`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StepMapping {
    pub(crate) target_name: Option<S<String>>,
    pub(crate) value: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Consumes {
    #[serde(rename = "type")]
    pub(crate) kind: Option<S<String>>,
    pub(crate) namespace: Option<S<String>>,
    pub(crate) description: Option<String>,
    pub(crate) base_uri: Option<S<String>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    pub(crate) authentication: Option<S<Auth>>,
    #[serde(default)]
    pub(crate) resources: Vec<S<ConsumedResource>>,
    /// `import: <namespace>` of the file at `location` (relative to this spec).
    pub(crate) location: Option<S<String>>,
    pub(crate) import: Option<S<String>>,
    /// The namespace to give an imported entry here.
    #[serde(rename = "as")]
    pub(crate) alias: Option<S<String>>,
}

/// Every authentication variant's fields in one struct, keyed by `type`.
#[derive(Deserialize)]
pub(crate) struct Auth {
    #[serde(rename = "type")]
    pub(crate) kind: S<String>,
    pub(crate) key: Option<S<String>>,
    pub(crate) value: Option<S<String>>,
    pub(crate) placement: Option<S<String>>,
    pub(crate) token: Option<S<String>>,
    pub(crate) username: Option<S<String>>,
    pub(crate) password: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConsumedResource {
    pub(crate) description: Option<String>,
    pub(crate) path: Option<S<String>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    #[serde(default)]
    pub(crate) operations: Vec<S<ConsumedOperation>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConsumedOperation {
    pub(crate) name: Option<S<String>>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) method: Option<S<String>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    pub(crate) output_raw_format: Option<S<String>>,
    /// avro/protobuf: the schema file; html/markdown: a selector (not supported yet).
    pub(crate) output_schema: Option<S<String>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<ConsumedOutput>>,
    pub(crate) body: Option<S<Body>>,
}

#[derive(Deserialize)]
pub(crate) struct ConsumedOutput {
    pub(crate) name: Option<S<String>>,
    pub(crate) value: Option<S<String>>,
}

/// Every adapter variant (`rest`, `mcp`, `skill`, `control`) in one struct, keyed by `type`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Exposes {
    #[serde(rename = "type")]
    pub(crate) kind: Option<S<String>>,
    pub(crate) namespace: Option<S<String>>,
    pub(crate) description: Option<String>,
    pub(crate) address: Option<S<String>>,
    pub(crate) port: Option<S<Scalar>>,
    pub(crate) transport: Option<S<String>>,
    pub(crate) authentication: Option<S<Auth>>,
    #[serde(default)]
    pub(crate) resources: Vec<S<ExposedResource>>,
    #[serde(default)]
    pub(crate) tools: Vec<S<Tool>>,
    #[serde(default)]
    pub(crate) prompts: Vec<S<Prompt>>,
    /// Control adapters: which management endpoint groups to serve.
    pub(crate) management: Option<S<Management>>,
    /// Control adapters: metrics, traces and exporters.
    pub(crate) observability: Option<S<Observability>>,
}

/// An MCP prompt: inline `template` messages or a `location` file, with string arguments.
#[derive(Deserialize)]
pub(crate) struct Prompt {
    pub(crate) name: Option<S<String>>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) arguments: Vec<S<PromptArgument>>,
    pub(crate) template: Option<S<Vec<S<PromptMessage>>>>,
    pub(crate) location: Option<S<String>>,
}

#[derive(Deserialize)]
pub(crate) struct PromptArgument {
    pub(crate) name: Option<S<String>>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) required: Option<S<Scalar>>,
}

#[derive(Deserialize)]
pub(crate) struct PromptMessage {
    pub(crate) role: Option<S<String>>,
    pub(crate) content: Option<S<String>>,
}

/// A control adapter's `management` groups (booleans, or objects for `logs` and `scripting`).
#[derive(Deserialize)]
pub(crate) struct Management {
    pub(crate) health: Option<S<Scalar>>,
    pub(crate) info: Option<S<Scalar>>,
    pub(crate) reload: Option<S<Scalar>>,
    pub(crate) validate: Option<S<Scalar>>,
    pub(crate) logs: Option<S<serde_json::Value>>,
    pub(crate) scripting: Option<S<serde_json::Value>>,
}

/// A control adapter's `observability`: only `enabled` decides anything here.
#[derive(Deserialize)]
pub(crate) struct Observability {
    pub(crate) enabled: Option<S<Scalar>>,
}

/// `forward` of an exposed REST resource: a proxy to a consumed namespace.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Forward {
    pub(crate) target_namespace: Option<S<String>>,
    pub(crate) trusted_headers: Option<S<Vec<S<String>>>>,
}

/// A REST resource, or an MCP resource (which has `uri` instead of `path`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExposedResource {
    pub(crate) name: Option<S<String>>,
    pub(crate) description: Option<String>,
    pub(crate) path: Option<S<String>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    #[serde(default)]
    pub(crate) operations: Vec<S<ExposedOperation>>,
    pub(crate) forward: Option<S<Forward>>,
    // MCP resources.
    pub(crate) label: Option<String>,
    pub(crate) uri: Option<S<String>>,
    pub(crate) mime_type: Option<S<String>>,
    /// A `file:///` URI of the content, for static resources.
    pub(crate) location: Option<S<String>>,
    pub(crate) call: Option<S<String>>,
    pub(crate) with: Option<S<BTreeMap<String, S<Scalar>>>>,
    pub(crate) steps: Option<S<Vec<S<Step>>>>,
    #[serde(default)]
    pub(crate) mappings: Vec<S<StepMapping>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<MappedOutput>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExposedOperation {
    pub(crate) name: Option<S<String>>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) method: Option<S<String>>,
    // The fields REST operations and MCP tools share (no `flatten`: it would drop positions).
    pub(crate) call: Option<S<String>>,
    #[serde(rename = "ref")]
    pub(crate) reference: Option<S<String>>,
    pub(crate) with: Option<S<BTreeMap<String, S<Scalar>>>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    pub(crate) steps: Option<S<Vec<S<Step>>>>,
    #[serde(default)]
    pub(crate) mappings: Vec<S<StepMapping>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<MappedOutput>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tool {
    pub(crate) name: Option<S<String>>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) hints: Option<S<BTreeMap<String, S<Scalar>>>>,
    // The fields REST operations and MCP tools share (no `flatten`: it would drop positions).
    pub(crate) call: Option<S<String>>,
    #[serde(rename = "ref")]
    pub(crate) reference: Option<S<String>>,
    pub(crate) with: Option<S<BTreeMap<String, S<Scalar>>>>,
    #[serde(default)]
    pub(crate) input_parameters: Vec<S<Param>>,
    pub(crate) steps: Option<S<Vec<S<Step>>>>,
    #[serde(default)]
    pub(crate) mappings: Vec<S<StepMapping>>,
    #[serde(default)]
    pub(crate) output_parameters: Vec<S<MappedOutput>>,
}

/// What an exposed operation or tool does: the fields REST operations and MCP tools share.
#[derive(Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) call: Option<&'a S<String>>,
    pub(crate) reference: Option<&'a S<String>>,
    pub(crate) with: Option<&'a S<BTreeMap<String, S<Scalar>>>>,
    pub(crate) input_parameters: &'a [S<Param>],
    pub(crate) steps: Option<&'a S<Vec<S<Step>>>>,
    pub(crate) mappings: &'a [S<StepMapping>],
    pub(crate) output_parameters: &'a [S<MappedOutput>],
}

impl<'a> Target<'a> {
    /// This target with what it leaves out taken from the function it references.
    pub(crate) fn inherit(self, f: &'a Function) -> Target<'a> {
        let or_slice = |own: &'a [S<Param>], theirs: &'a [S<Param>]| {
            if own.is_empty() { theirs } else { own }
        };
        Target {
            call: self.call.or(f.call.as_ref()),
            reference: self.reference,
            with: self.with.or(f.with.as_ref()),
            input_parameters: or_slice(self.input_parameters, &f.input_parameters),
            steps: self.steps.or(f.steps.as_ref()),
            mappings: if self.mappings.is_empty() {
                &f.mappings
            } else {
                self.mappings
            },
            output_parameters: if self.output_parameters.is_empty() {
                &f.output_parameters
            } else {
                self.output_parameters
            },
        }
    }
}

macro_rules! target_of {
    ($($t:ty),*) => {$(
        impl $t {
            pub(crate) fn target(&self) -> Target<'_> {
                Target {
                    call: self.call.as_ref(),
                    reference: self.reference.as_ref(),
                    with: self.with.as_ref(),
                    input_parameters: &self.input_parameters,
                    steps: self.steps.as_ref(),
                    mappings: &self.mappings,
                    output_parameters: &self.output_parameters,
                }
            }
        }
    )*};
}
target_of!(ExposedOperation, Tool);

#[derive(Deserialize)]
pub(crate) struct MappedOutput {
    pub(crate) name: Option<S<String>>,
    #[serde(rename = "type")]
    pub(crate) kind: Option<S<String>>,
    pub(crate) mapping: Option<S<String>>,
    pub(crate) description: Option<String>,
    /// Object members (JSON objects are emitted with sorted keys).
    pub(crate) properties: Option<S<BTreeMap<String, S<MappedOutput>>>>,
    pub(crate) items: Option<Box<S<Items>>>,
    /// A mock value (no upstream call needed for it).
    pub(crate) value: Option<S<serde_json::Value>>,
    #[serde(rename = "const")]
    pub(crate) constant: Option<S<serde_json::Value>>,
}

/// `items` of an array output: one shape, or (as some files write it) a list of named members.
pub(crate) enum Items {
    One(Box<MappedOutput>),
    Members(Vec<S<MappedOutput>>),
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an output shape or a list of named outputs")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
                MappedOutput::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|o| Items::One(Box::new(o)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Items, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Items::Members)
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

/// An input parameter, consumed or exposed: every variant's fields in one struct.
#[derive(Deserialize)]
pub(crate) struct Param {
    pub(crate) name: Option<S<String>>,
    #[serde(rename = "in")]
    pub(crate) location: Option<S<String>>,
    #[serde(rename = "type")]
    pub(crate) kind: Option<S<String>>,
    pub(crate) description: Option<S<String>>,
    pub(crate) required: Option<S<Scalar>>,
    pub(crate) value: Option<S<Scalar>>,
    pub(crate) pattern: Option<S<String>>,
}

/// A request body: a template string, or `{type, data}`.
pub(crate) enum Body {
    Text(String),
    Typed {
        kind: Option<S<String>>,
        data: Option<serde_json::Value>,
    },
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Typed {
            #[serde(rename = "type")]
            kind: Option<S<String>>,
            data: Option<serde_json::Value>,
        }
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Body;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a body template string or `{type, data}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Body, E> {
                Ok(Body::Text(v.to_owned()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
                let t = Typed::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Body::Typed {
                    kind: t.kind,
                    data: t.data,
                })
            }
        }
        deserializer.deserialize_any(BodyVisitor)
    }
}

/// A YAML scalar of any type, kept as written so validation can name what it found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Null,
    /// A sequence or mapping where a scalar was expected.
    Composite,
}

impl Scalar {
    pub(crate) fn describe(&self) -> String {
        match self {
            Scalar::Bool(b) => format!("boolean `{b}`"),
            Scalar::Int(i) => format!("integer `{i}`"),
            Scalar::Float(x) => format!("number `{x}`"),
            Scalar::Str(s) => format!("string `{s}`"),
            Scalar::Null => "null".to_owned(),
            Scalar::Composite => "a sequence or mapping".to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Composite)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Composite)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}
