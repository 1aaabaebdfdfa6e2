//! Upstream bodies in other formats, turned into JSON before output mappings apply.

use serde_json::{Map, Value};

use crate::error::ClientError;

mod avro;
mod protobuf;

pub use avro::AvroSchema;
pub use protobuf::ProtobufSchema;

/// A consumed operation's `outputRawFormat`.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    Json,
    Xml,
    /// Delimiter-separated values with a header row: an array of objects.
    Delimited(u8),
    /// Kept as text: a JSON string (html, markdown).
    Text,
    /// A format with a large parser (YAML, avro, protobuf). Generated code names the decoder
    /// only where a spec reads that format, so a server links only the parsers its spec
    /// needs: together they are 2 MiB of a stripped binary.
    Decoder(&'static dyn Decoder),
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Format::Json, Format::Json)
            | (Format::Xml, Format::Xml)
            | (Format::Text, Format::Text) => true,
            (Format::Delimited(a), Format::Delimited(b)) => a == b,
            (Format::Decoder(a), Format::Decoder(b)) => std::ptr::addr_eq(*a, *b),
            _ => false,
        }
    }
}

impl Eq for Format {}

/// The decoder of a format with a large parser: [`Yaml`]; avro by an `outputSchema`
/// ([`AvroSchema`]) or by the schema in the file ([`AvroContainer`]); protobuf by an
/// `outputSchema` ([`ProtobufSchema`]) or by field number ([`ProtobufRaw`]).
pub trait Decoder: Sync + std::fmt::Debug {
    /// The body as JSON.
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError>;
}

/// YAML; a blank body is `null`.
#[derive(Debug)]
pub struct Yaml;

impl Decoder for Yaml {
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        let text = std::str::from_utf8(body).map_err(|e| decode_error("YAML", &e))?;
        serde_saphyr::from_str(text).map_err(|e| decode_error("YAML", &e.without_snippet()))
    }
}

/// Avro without `outputSchema`: an object container file, read by the schema it carries.
#[derive(Debug)]
pub struct AvroContainer;

/// Protobuf without `outputSchema`: fields by number, as `protoc --decode_raw` shows them.
#[derive(Debug)]
pub struct ProtobufRaw;

impl Decoder for AvroSchema {
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError> {
        avro_body(body, Some(self))
    }
}

impl Decoder for AvroContainer {
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError> {
        avro_body(body, None)
    }
}

impl Decoder for ProtobufSchema {
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError> {
        protobuf::decode(body, Some(self)).map_err(|e| decode_error("protobuf", &e))
    }
}

impl Decoder for ProtobufRaw {
    fn decode(&self, body: &[u8]) -> Result<Value, ClientError> {
        protobuf::decode(body, None).map_err(|e| decode_error("protobuf", &e))
    }
}

/// An empty Avro body is `null` (an empty protobuf body is a message with every field at its
/// default).
fn avro_body(body: &[u8], schema: Option<&AvroSchema>) -> Result<Value, ClientError> {
    if body.is_empty() {
        return Ok(Value::Null);
    }
    avro::decode(body, schema).map_err(|e| decode_error("Avro", &e))
}

fn decode_error(what: &str, e: &dyn std::fmt::Display) -> ClientError {
    ClientError::Decode(format!("{what}: {e}"))
}

/// The body as JSON; an empty (or, in a text format, blank) body is `null`, except in
/// protobuf, where it is a message with every field at its default.
pub fn decode(body: &[u8], format: Format) -> Result<Value, ClientError> {
    match format {
        // Each decoder decides about blank bodies: whitespace bytes are data in binary ones.
        Format::Decoder(decoder) => decoder.decode(body),
        _ if body.iter().all(u8::is_ascii_whitespace) => Ok(Value::Null),
        Format::Json => serde_json::from_slice(body).map_err(|e| decode_error("JSON", &e)),
        Format::Xml => xml(body).map_err(|e| decode_error("XML", &e)),
        Format::Delimited(delimiter) => {
            delimited(body, delimiter).map_err(|e| decode_error("CSV", &e))
        }
        Format::Text => Ok(Value::String(String::from_utf8_lossy(body).into_owned())),
    }
}

fn delimited(body: &[u8], delimiter: u8) -> Result<Value, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

/// `<root><user id="1"><name>A</name></user>...</root>` ->
/// `{"user": [{"id": "1", "name": "A"}, ...]}`: the root element's content, as the reference
/// engine's Jackson `XmlMapper` reads it (so `$.user` finds the users); attributes and child
/// elements become members, repeated children arrays, text-only elements strings, mixed text
/// `#text`.
fn xml(body: &[u8]) -> Result<Value, quick_xml::Error> {
    use quick_xml::events::Event;
    struct Node {
        name: String,
        members: Map<String, Value>,
        text: String,
    }
    fn add(members: &mut Map<String, Value>, name: String, value: Value) {
        match members.get_mut(&name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                members.insert(name, value);
            }
        }
    }
    fn finish(node: Node) -> (String, Value) {
        let text = node.text.trim().to_owned();
        let value = if node.members.is_empty() {
            Value::String(text)
        } else {
            let mut members = node.members;
            if !text.is_empty() {
                members.insert("#text".to_owned(), Value::String(text));
            }
            Value::Object(members)
        };
        (node.name, value)
    }
    let open = |e: &quick_xml::events::BytesStart<'_>| -> Result<Node, quick_xml::Error> {
        let mut members = Map::new();
        for attr in e.attributes() {
            let attr = attr.map_err(quick_xml::Error::from)?;
            let key = attr.key.local_name().as_ref().to_owned();
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)?
                .into_owned();
            members.insert(key, Value::String(value));
        }
        Ok(Node {
            name: e.local_name().as_ref().to_owned(),
            members,
            text: String::new(),
        })
    };
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = Map::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => stack.push(open(&e)?),
            Event::Empty(e) => {
                let (name, value) = finish(open(&e)?);
                match stack.last_mut() {
                    Some(parent) => add(&mut parent.members, name, value),
                    None => add(&mut root, name, value),
                }
            }
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    let (name, value) = finish(node);
                    match stack.last_mut() {
                        Some(parent) => add(&mut parent.members, name, value),
                        None => add(&mut root, name, value),
                    }
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text
                        .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(node) = stack.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        node.text.push(c);
                    } else {
                        let name = r.into_inner();
                        let resolved =
                            quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default();
                        node.text.push_str(resolved);
                    }
                }
            }
            // A truncated body: what was read so far is not the document.
            Event::Eof => match stack.pop() {
                Some(open) => {
                    return Err(quick_xml::errors::IllFormedError::MissingEndTag(open.name).into());
                }
                None => break,
            },
            _ => {}
        }
        buf.clear();
    }
    // A well-formed document has one root element: its name is not part of the data.
    if root.len() == 1
        && let Some((_, content)) = root.iter().next()
    {
        return Ok(content.clone());
    }
    Ok(Value::Object(root))
}

/// Deterministic noise for the decoders' no-panic tests: `count` byte strings of 0 to 63
/// bytes (xorshift64 from `seed`).
#[cfg(test)]
fn noise(mut state: u64, count: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count).map(move |_| {
        let len = (next() % 64) as usize;
        (0..len).map(|_| next() as u8).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truncated_xml_is_an_error_not_the_part_that_arrived() {
        for truncated in [&b"<a>"[..], b"<root><user id=\"1\"><name>Ann</name>"] {
            assert!(matches!(
                decode(truncated, Format::Xml),
                Err(ClientError::Decode(e)) if e.contains("not closed")
            ));
        }
    }

    #[test]
    fn xml_to_json() {
        let body = br#"<root><user id="1"><name>Ann &amp; Bo</name></user><user id="2"><name>Cy</name></user><empty/></root>"#;
        assert_eq!(
            decode(body, Format::Xml).unwrap(),
            json!({"user": [{"id": "1", "name": "Ann & Bo"}, {"id": "2", "name": "Cy"}], "empty": ""})
        );
    }

    /// The tutorial's legacy dockyard: `$.vessel` must find the vessels under `<vessels>`.
    #[test]
    fn xml_root_element_is_unwrapped() {
        let body = b"<?xml version=\"1.0\"?>\n<vessels>\n  <vessel><code>A</code></vessel>\n  <vessel><code>B</code></vessel>\n</vessels>\n";
        assert_eq!(
            decode(body, Format::Xml).unwrap(),
            json!({"vessel": [{"code": "A"}, {"code": "B"}]})
        );
        assert_eq!(decode(b"<vessels/>", Format::Xml).unwrap(), json!(""));
    }

    #[test]
    fn csv_tsv_yaml_text() {
        assert_eq!(
            decode(b"id,name\n1,Ann\n2,\"B, C\"\n", Format::Delimited(b',')).unwrap(),
            json!([{"id": "1", "name": "Ann"}, {"id": "2", "name": "B, C"}])
        );
        assert_eq!(
            decode(b"a\tb\nx\ty\n", Format::Delimited(b'\t')).unwrap(),
            json!([{"a": "x", "b": "y"}])
        );
        assert_eq!(
            decode(b"a: 1\nb: [x]\n", Format::Decoder(&Yaml)).unwrap(),
            json!({"a": 1, "b": ["x"]})
        );
        assert_eq!(decode(b"# T", Format::Text).unwrap(), json!("# T"));
        assert!(matches!(
            decode(b"{", Format::Json),
            Err(ClientError::Decode(_))
        ));
    }
}
