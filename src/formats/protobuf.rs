//! Protocol Buffers bodies: by the message of the spec's `outputSchema` (a `.proto` the
//! generator compiled), else the raw wire format keyed by field number.

use std::sync::OnceLock;

use base64::Engine as _;
use prost::encoding::{WireType, decode_key, decode_varint};
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, SerializeOptions};
use serde_json::{Map, Value};

/// A compiled `outputSchema` embedded by the generator: an encoded `FileDescriptorSet`
/// (imports included) and the message a body holds. The descriptor pool is built once,
/// when first used.
pub struct ProtobufSchema {
    descriptor_set: &'static [u8],
    message: &'static str,
    descriptor: OnceLock<Result<MessageDescriptor, String>>,
}

impl ProtobufSchema {
    pub const fn new(descriptor_set: &'static [u8], message: &'static str) -> Self {
        ProtobufSchema {
            descriptor_set,
            message,
            descriptor: OnceLock::new(),
        }
    }

    fn get(&self) -> Result<&MessageDescriptor, String> {
        self.descriptor
            .get_or_init(|| {
                let pool = DescriptorPool::decode(self.descriptor_set)
                    .map_err(|e| format!("the embedded outputSchema does not load: {e}"))?;
                pool.get_message_by_name(self.message)
                    .ok_or_else(|| format!("the embedded outputSchema has no `{}`", self.message))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl std::fmt::Debug for ProtobufSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProtobufSchema")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

/// Each schema is a `static` of its own: the same one is the same `static`.
impl PartialEq for ProtobufSchema {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ProtobufSchema {}

/// The proto3 JSON mapping, except that fields keep the names the `.proto` declares (so a
/// mapping reads `$.created_at`, not `$.createdAt`), 64-bit integers are numbers as every
/// other format's are, and fields left at their default are present with that default
/// (proto3 does not tell "absent" from "default", and a mapping should find `0`, not null).
const JSON: SerializeOptions = SerializeOptions::new()
    .use_proto_field_name(true)
    .stringify_64_bit_integers(false)
    .skip_default_fields(false);

pub(super) fn decode(body: &[u8], schema: Option<&ProtobufSchema>) -> Result<Value, String> {
    let Some(schema) = schema else {
        return raw_message(body, 0).map(Value::Object);
    };
    let message = DynamicMessage::decode(schema.get()?.clone(), body)
        .map_err(|e| format!("not a `{}`: {e}", schema.message))?;
    message
        .serialize_with_options(serde_json::value::Serializer, &JSON)
        .map_err(|e| e.to_string())
}

/// Nesting deeper than this is kept as bytes rather than tried as a message, so hostile
/// data costs at most this many passes over the body.
const MAX_DEPTH: u32 = 32;

/// The wire format without a schema, as `protoc --decode_raw` reads it: `{"1": ..., "2":
/// ...}`. Varints and fixed-width numbers are unsigned integers (the wire does not say
/// whether they were signed, zigzag-encoded or floats); a length-delimited field is a nested
/// message when it parses completely as one, else its UTF-8 text, else its bytes in base64.
/// A number seen more than once is an array of its values.
fn raw_message(mut buf: &[u8], depth: u32) -> Result<Map<String, Value>, String> {
    let mut fields = Map::new();
    while !buf.is_empty() {
        let (number, wire_type) = decode_key(&mut buf).map_err(|e| e.to_string())?;
        let value = match wire_type {
            WireType::Varint => Value::from(decode_varint(&mut buf).map_err(|e| e.to_string())?),
            WireType::SixtyFourBit => {
                let (bytes, rest) = split(buf, 8)?;
                buf = rest;
                Value::from(u64::from_le_bytes(bytes.try_into().map_err(|_| TRUNCATED)?))
            }
            WireType::ThirtyTwoBit => {
                let (bytes, rest) = split(buf, 4)?;
                buf = rest;
                Value::from(u32::from_le_bytes(bytes.try_into().map_err(|_| TRUNCATED)?))
            }
            WireType::LengthDelimited => {
                let len = decode_varint(&mut buf).map_err(|e| e.to_string())?;
                let len = usize::try_from(len).map_err(|_| TRUNCATED)?;
                let (bytes, rest) = split(buf, len)?;
                buf = rest;
                length_delimited(bytes, depth)
            }
            WireType::StartGroup | WireType::EndGroup => {
                return Err(format!(
                    "field {number} is a group (deprecated), which is not read without an outputSchema"
                ));
            }
        };
        match fields.get_mut(&number.to_string()) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => {
                let first = first.take();
                fields.insert(number.to_string(), Value::Array(vec![first, value]));
            }
            None => {
                fields.insert(number.to_string(), value);
            }
        }
    }
    Ok(fields)
}

const TRUNCATED: &str = "truncated protobuf field";

fn split(buf: &[u8], len: usize) -> Result<(&[u8], &[u8]), &'static str> {
    if buf.len() < len {
        return Err(TRUNCATED);
    }
    Ok(buf.split_at(len))
}

fn length_delimited(bytes: &[u8], depth: u32) -> Value {
    if !bytes.is_empty()
        && depth < MAX_DEPTH
        && let Ok(message) = raw_message(bytes, depth + 1)
    {
        return Value::Object(message);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::encoding::{encode_key, encode_varint};
    use serde_json::json;

    fn key(number: u32, wire_type: WireType, buf: &mut Vec<u8>) {
        encode_key(number, wire_type, buf);
    }

    fn bytes_field(number: u32, bytes: &[u8], buf: &mut Vec<u8>) {
        key(number, WireType::LengthDelimited, buf);
        encode_varint(bytes.len() as u64, buf);
        buf.extend_from_slice(bytes);
    }

    /// `{1: "r1", 2: "Title", 3: 42}`, then twice in field 1 of an outer message.
    fn sample() -> Vec<u8> {
        let mut record = Vec::new();
        bytes_field(1, b"r1", &mut record);
        bytes_field(2, b"Title", &mut record);
        key(3, WireType::Varint, &mut record);
        encode_varint(42, &mut record);
        let mut outer = Vec::new();
        bytes_field(1, &record, &mut outer);
        bytes_field(1, &record, &mut outer);
        key(2, WireType::SixtyFourBit, &mut outer);
        outer.extend(7u64.to_le_bytes());
        key(3, WireType::ThirtyTwoBit, &mut outer);
        outer.extend(9u32.to_le_bytes());
        bytes_field(4, &[0xff, 0xfe], &mut outer);
        bytes_field(5, b"", &mut outer);
        outer
    }

    #[test]
    fn raw_fields_are_keyed_by_number() {
        let record = json!({"1": "r1", "2": "Title", "3": 42});
        assert_eq!(
            decode(&sample(), None).unwrap(),
            json!({"1": [record, record], "2": 7, "3": 9, "4": "//4=", "5": ""})
        );
        assert_eq!(decode(b"", None).unwrap(), json!({}));
    }

    /// Cut or corrupted data is an error, never a panic; deep nesting stays bounded.
    #[test]
    fn truncated_and_garbage_bodies_are_errors() {
        let body = sample();
        // Inside the first field (15 bytes) every cut is an error; later ones may fall on a
        // field boundary, which is a shorter valid message.
        for cut in 1..body.len() {
            let decoded = decode(&body[..cut], None);
            assert!(cut >= 15 || decoded.is_err(), "cut at {cut}");
        }
        for i in 0..body.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut mutated = body.clone();
                mutated[i] ^= flip;
                let _ = decode(&mutated, None);
            }
        }
        // A length past the end, a field number 0, a group.
        assert!(decode(&[0x0a, 0x05, b'a'], None).is_err());
        assert!(decode(&[0x00, 0x01], None).is_err());
        assert!(decode(&[0x0b, 0x0c], None).is_err());
        let mut deep = b"leaf".to_vec();
        for _ in 0..200 {
            let mut outer = Vec::new();
            bytes_field(1, &deep, &mut outer);
            deep = outer;
        }
        let mut value = &decode(&deep, None).unwrap();
        let mut depth = 0;
        while let Some(inner) = value.get("1") {
            value = inner;
            depth += 1;
        }
        // Below the depth limit, the rest is kept as bytes (here, text).
        assert_eq!(depth, MAX_DEPTH as usize + 1);
        assert!(value.is_string());
        for bytes in crate::formats::noise(0x9e37_79b9_7f4a_7c15_u64, 2000) {
            let _ = decode(&bytes, None);
        }
    }

    #[test]
    fn a_bad_embedded_schema_is_an_error_not_a_panic() {
        static BROKEN: ProtobufSchema = ProtobufSchema::new(b"\xff\xff", "x.Y");
        assert!(decode(b"", Some(&BROKEN)).is_err());
    }
}
