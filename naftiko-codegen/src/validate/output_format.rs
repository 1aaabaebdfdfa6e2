//! `outputRawFormat` and `outputSchema`: how an upstream body becomes JSON. The avro and
//! protobuf schemas are read, checked and compiled here, at build time, so a bad schema is a
//! located error and the binary embeds only what it needs to decode.

use super::{LATER, Validator};
use crate::diagnostics::Pos;
use crate::ir::{Action, Capability, Format, OutputSchema, ResourceContent, Segment, Shape, Step};
use crate::spec::{self, S, pos};

/// A protobuf operation without `outputSchema`: its fields are known only by number, so a
/// mapping by name cannot match. Checked once the exposed operations are known.
pub(super) struct RawProtobuf {
    namespace: String,
    operation: String,
    at: Pos,
}

impl Validator<'_> {
    /// The operation's format and, for avro and protobuf, its compiled `outputSchema`.
    pub(super) fn output_format(
        &mut self,
        namespace: &str,
        operation: &str,
        o: &spec::ConsumedOperation,
    ) -> (Format, Option<OutputSchema>) {
        let Some(f) = &o.output_raw_format else {
            self.unused_output_schema(o, "json");
            return (Format::Json, None);
        };
        let format = match f.value.as_str() {
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            "xml" => Format::Xml,
            "csv" => Format::Delimited(b','),
            "tsv" => Format::Delimited(b'\t'),
            "psv" => Format::Delimited(b'|'),
            "html" | "markdown" => Format::Text,
            "avro" => {
                let schema = o.output_schema.as_ref().and_then(|s| self.avro_schema(s));
                return (Format::Avro, schema);
            }
            "protobuf" => {
                let Some(s) = &o.output_schema else {
                    self.raw_protobuf.push(RawProtobuf {
                        namespace: namespace.to_owned(),
                        operation: operation.to_owned(),
                        at: pos(f),
                    });
                    return (Format::Protobuf, None);
                };
                return (Format::Protobuf, self.protobuf_schema(s));
            }
            other => {
                self.diags
                    .error(pos(f), format!("unknown outputRawFormat `{other}`"))
                    .help(
                        "expected json, yaml, xml, csv, tsv, psv, html, markdown, avro or protobuf",
                    );
                Format::Json
            }
        };
        self.unused_output_schema(o, &f.value);
        (format, None)
    }

    /// `outputSchema` means something only for avro and protobuf here: for html and markdown
    /// the official schema makes it a selector, which would change the result, so it is
    /// named rather than silently dropped.
    fn unused_output_schema(&mut self, o: &spec::ConsumedOperation, format: &str) {
        let Some(s) = &o.output_schema else { return };
        let message = match format {
            "html" | "markdown" => format!(
                "`outputSchema` for {format} (a selector) is {LATER}: the whole body is kept as text"
            ),
            _ => format!("`outputSchema` is not used for outputRawFormat `{format}`"),
        };
        self.diags
            .lenient(pos(s), message)
            .help("`outputSchema` names the schema file of an avro or protobuf body");
    }

    /// The text of a schema file named relative to the spec, tracked for rebuilds.
    fn schema_file(&mut self, at: Pos, location: &str) -> Option<String> {
        let Some(resolve) = self.resolve else {
            self.diags
                .error(at, "`outputSchema` files need the spec's directory")
                .help("generate through the CLI, a build script or the macro");
            return None;
        };
        match resolve(location) {
            Ok((_, text)) => Some(text),
            Err(why) => {
                self.diags
                    .error(
                        at,
                        format!("cannot read `outputSchema` `{location}`: {why}"),
                    )
                    .help("`outputSchema` is a path relative to the spec");
                None
            }
        }
    }

    /// An `.avsc` file, parsed by the same library the server decodes with.
    fn avro_schema(&mut self, s: &S<String>) -> Option<OutputSchema> {
        let at = pos(s);
        let text = self.schema_file(at, &s.value)?;
        match apache_avro::Schema::parse_str(&text) {
            Ok(_) => Some(OutputSchema::Avro { json: text }),
            Err(e) => {
                self.diags
                    .error(at, format!("`{}` is not an Avro schema: {e}", s.value))
                    .help("an `.avsc` file: one Avro schema as JSON");
                None
            }
        }
    }

    /// `FILE.proto` or `FILE.proto#package.Message`, compiled by protox (no `protoc`); the
    /// message is the named one, else the file's first top-level message.
    fn protobuf_schema(&mut self, s: &S<String>) -> Option<OutputSchema> {
        let at = pos(s);
        let (location, wanted) = match s.value.split_once('#') {
            Some((file, message)) => (file, Some(message)),
            None => (s.value.as_str(), None),
        };
        let text = self.schema_file(at, location)?;
        let resolve = self.resolve?;
        // As the front ends' resolvers read it: `file:///./x` is `./x`, relative to the spec.
        let relative = location.strip_prefix("file://").unwrap_or(location);
        let relative = relative
            .strip_prefix('/')
            .filter(|r| r.starts_with('.'))
            .unwrap_or(relative);
        let (dir, name) = match relative.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), name.to_owned()),
            None => (String::new(), relative.to_owned()),
        };
        let sources = match proto_sources(resolve, &dir, name.clone(), text) {
            Ok(sources) => sources,
            Err(e) => {
                self.diags
                    .error(at, format!("cannot compile `{location}`: {e:?}"))
                    .help("a `.proto` file protoc would accept; imports are read relative to it");
                return None;
            }
        };
        let mut files = protox::file::ChainFileResolver::new();
        files.add(ProtoSources(sources));
        files.add(protox::file::GoogleFileResolver::new());
        let mut compiler = protox::Compiler::with_file_resolver(files);
        compiler.include_imports(true).include_source_info(false);
        if let Err(e) = compiler.open_file(&name) {
            self.diags
                .error(at, format!("cannot compile `{location}`: {e:?}"))
                .help("a `.proto` file protoc would accept; imports are read relative to it");
            return None;
        }
        let pool = compiler.descriptor_pool();
        let file = pool.get_file_by_name(&name)?;
        let message = match wanted {
            Some(wanted) => {
                let qualified = format!("{}.{wanted}", file.package_name());
                pool.get_message_by_name(wanted)
                    .or_else(|| pool.get_message_by_name(&qualified))
            }
            None => file.messages().next(),
        };
        let Some(message) = message else {
            let known: Vec<String> = file.messages().map(|m| m.full_name().to_owned()).collect();
            let what = match wanted {
                Some(w) => format!("no message `{w}` in `{location}`"),
                None => format!("`{location}` declares no message"),
            };
            let help = if known.is_empty() {
                "declare the message the upstream sends".to_owned()
            } else {
                format!("messages: {}", known.join(", "))
            };
            self.diags.error(at, what).help(help);
            return None;
        };
        Some(OutputSchema::Protobuf {
            descriptor_set: compiler.encode_file_descriptor_set(),
            message: message.full_name().to_owned(),
        })
    }

    /// Warns, at its `outputRawFormat`, for each protobuf operation without `outputSchema`
    /// whose results are mapped by a field name: on the wire fields have numbers only, so
    /// such a mapping finds nothing.
    pub(super) fn raw_protobuf_warnings(&mut self, cap: &Capability) {
        for raw in std::mem::take(&mut self.raw_protobuf) {
            let Some((client, op)) = cap.clients.iter().enumerate().find_map(|(c, client)| {
                (client.namespace == raw.namespace)
                    .then(|| {
                        client
                            .operations
                            .iter()
                            .position(|o| o.name == raw.operation)
                    })
                    .flatten()
                    .map(|op| (c, op))
            }) else {
                continue;
            };
            let mut names: Vec<&str> = Vec::new();
            shape_names(&cap.clients[client].operations[op].output, &mut names);
            let actions = cap
                .rest
                .iter()
                .flat_map(|r| r.operations.iter().map(|o| (&o.action, &o.output)))
                .chain(cap.mcp.iter().flat_map(|m| {
                    m.tools.iter().map(|t| (&t.action, &t.output)).chain(
                        m.resources.iter().filter_map(|r| match &r.content {
                            ResourceContent::Read { action, output, .. } => Some((action, output)),
                            ResourceContent::Static(_) => None,
                        }),
                    )
                }));
            for (action, output) in actions {
                match action {
                    Action::Call { call, .. } if call.client == client && call.op == op => {
                        shape_names(output, &mut names);
                    }
                    Action::Steps(o) => {
                        for step in &o.steps {
                            let Step::Call { name, call, .. } = step else {
                                continue;
                            };
                            if call.client != client || call.op != op {
                                continue;
                            }
                            // Mappings read `$.<step>.<field>`: the field names after the step's.
                            for (_, path) in &o.mappings {
                                if let [Segment::Member(first), rest @ ..] = path.as_slice()
                                    && first == name
                                {
                                    path_names(rest, &mut names);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let Some(first) = names.first() {
                self.diags
                    .lenient(
                        raw.at,
                        format!(
                            "protobuf without outputSchema: fields are known only by number; mapping `$.{first}` cannot match"
                        ),
                    )
                    .help("add `outputSchema: FILE.proto` (or `FILE.proto#package.Message`)");
            }
        }
    }
}

/// Field names (not numbers) a shape reads, in order.
fn shape_names<'s>(shape: &'s Shape, names: &mut Vec<&'s str>) {
    match shape {
        Shape::Select { path, .. } => path_names(path, names),
        Shape::Object {
            path, properties, ..
        } => {
            path_names(path, names);
            for (_, s) in properties {
                shape_names(s, names);
            }
        }
        Shape::Array { path, items, .. } => {
            path_names(path, names);
            if let Some(items) = items {
                shape_names(items, names);
            }
        }
        Shape::FirstOf(shapes) => shapes.iter().for_each(|s| shape_names(s, names)),
        Shape::Const(_) | Shape::Template(_) => {}
    }
}

fn path_names<'s>(path: &'s [Segment], names: &mut Vec<&'s str>) {
    names.extend(path.iter().filter_map(|s| match s {
        Segment::Member(m) if !m.bytes().all(|b| b.is_ascii_digit()) => Some(m.as_str()),
        _ => None,
    }));
}

/// The main `.proto` and every file it imports, transitively, read relative to it through
/// the front end's resolver (so each is tracked for rebuilds). protox's resolvers must own
/// their data, hence this read ahead. An import not found here is left to the next resolver
/// (Google's well-known types), and to protox's located error when none has it.
fn proto_sources(
    resolve: crate::Resolver<'_>,
    dir: &str,
    name: String,
    text: String,
) -> Result<std::collections::BTreeMap<String, protox::file::File>, protox::Error> {
    let mut sources = std::collections::BTreeMap::new();
    let mut pending = vec![(name, text)];
    while let Some((name, text)) = pending.pop() {
        let file = protox::file::File::from_source(&name, &text)?;
        for import in &file.file_descriptor_proto().dependency {
            if sources.contains_key(import) || pending.iter().any(|(n, _)| n == import) {
                continue;
            }
            if let Ok((_, text)) = resolve(&format!("{dir}{import}")) {
                pending.push((import.clone(), text));
            }
        }
        sources.insert(name, file);
    }
    Ok(sources)
}

struct ProtoSources(std::collections::BTreeMap<String, protox::file::File>);

impl protox::file::FileResolver for ProtoSources {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| protox::Error::file_not_found(name))
    }
}
