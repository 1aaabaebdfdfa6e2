//! Avro bodies: an object container file (the writer's schema travels in it), or with the
//! spec's `outputSchema` also one bare binary datum of that schema.

use std::sync::OnceLock;

use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::types::Value as Avro;
use apache_avro::{Reader, Schema};
use serde_json::{Map, Value};

/// The first bytes of every Avro object container file.
const CONTAINER_MAGIC: &[u8] = b"Obj\x01";

/// The largest allocation a decode may make. A length or item count in the data is
/// otherwise trusted up to apache-avro's default of 512 MiB, so a body of a few bytes could
/// make one request allocate that much. Four times the default response limit leaves room
/// for real data (a collection of small values outgrows its encoded size).
/// The setting is process-wide, and apache-avro keeps the first value it is given.
const MAX_ALLOCATION_BYTES: usize = 4 * crate::client::DEFAULT_MAX_RESPONSE_BYTES;

/// An `outputSchema` (`.avsc`) embedded by the generator, which checked it at build time;
/// parsed once, when first used.
pub struct AvroSchema {
    json: &'static str,
    parsed: OnceLock<Result<Schema, String>>,
}

impl AvroSchema {
    pub const fn new(json: &'static str) -> Self {
        AvroSchema {
            json,
            parsed: OnceLock::new(),
        }
    }

    fn get(&self) -> Result<&Schema, String> {
        self.parsed
            .get_or_init(|| Schema::parse_str(self.json).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| format!("the embedded outputSchema does not parse: {e}"))
    }
}

impl std::fmt::Debug for AvroSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AvroSchema").finish_non_exhaustive()
    }
}

/// Each schema is a `static` of its own: the same one is the same `static`.
impl PartialEq for AvroSchema {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for AvroSchema {}

/// A container file holding one datum gives that datum (so `$.records` reads a record's
/// `records` field); any other count gives an array of them. Without a container header,
/// the body is one datum of `schema`, which must then be given.
pub(super) fn decode(body: &[u8], schema: Option<&AvroSchema>) -> Result<Value, String> {
    apache_avro::util::max_allocation_bytes(MAX_ALLOCATION_BYTES);
    let schema = schema.map(AvroSchema::get).transpose()?;
    if body.starts_with(CONTAINER_MAGIC) {
        let reader = Reader::builder(body)
            .maybe_reader_schema(schema)
            .build()
            .map_err(|e| e.to_string())?;
        let mut data = reader
            .map(|datum| datum.map_err(|e| e.to_string()).and_then(to_json))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(match data.len() {
            1 => data.remove(0),
            _ => Value::Array(data),
        });
    }
    let Some(schema) = schema else {
        return Err("not an Avro object container file, and the spec gives no outputSchema to read a bare datum with".to_owned());
    };
    let mut rest = body;
    let datum = GenericDatumReader::builder(schema)
        .build()
        .and_then(|reader| reader.read_value(&mut rest))
        .map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes left after one datum of the outputSchema",
            rest.len()
        ));
    }
    to_json(datum)
}

/// Avro's value model as JSON: records and maps are objects, enums their symbol, unions
/// their branch, logical types their underlying number (a UUID its text), bytes and fixed
/// an array of byte values. A NaN or infinite float, which JSON cannot hold, is null.
fn to_json(value: Avro) -> Result<Value, String> {
    Ok(match value {
        Avro::Null => Value::Null,
        Avro::Boolean(b) => Value::Bool(b),
        Avro::Int(n) | Avro::Date(n) | Avro::TimeMillis(n) => Value::from(n),
        Avro::Long(n)
        | Avro::TimeMicros(n)
        | Avro::TimestampMillis(n)
        | Avro::TimestampMicros(n)
        | Avro::TimestampNanos(n)
        | Avro::LocalTimestampMillis(n)
        | Avro::LocalTimestampMicros(n)
        | Avro::LocalTimestampNanos(n) => Value::from(n),
        Avro::Float(x) => float(f64::from(x)),
        Avro::Double(x) => float(x),
        Avro::Bytes(bytes) | Avro::Fixed(_, bytes) => {
            Value::Array(bytes.into_iter().map(Value::from).collect())
        }
        Avro::String(s) | Avro::Enum(_, s) => Value::String(s),
        Avro::Uuid(u) => Value::String(u.to_string()),
        Avro::Union(_, inner) => to_json(*inner)?,
        Avro::Array(items) => Value::Array(
            items
                .into_iter()
                .map(to_json)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Avro::Map(entries) => object(entries)?,
        Avro::Record(fields) => object(fields)?,
        // Decimals and durations: apache-avro's own JSON form (their bytes).
        other @ (Avro::Decimal(_) | Avro::BigDecimal(_) | Avro::Duration(_)) => {
            Value::try_from(other).map_err(|e| e.to_string())?
        }
    })
}

fn float(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn object(entries: impl IntoIterator<Item = (String, Avro)>) -> Result<Value, String> {
    let mut members = Map::new();
    for (key, value) in entries {
        members.insert(key, to_json(value)?);
    }
    Ok(Value::Object(members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use apache_avro::Writer;
    use apache_avro::writer::datum::GenericDatumWriter;
    use serde_json::json;

    static RECORDS: AvroSchema = AvroSchema::new(
        r#"{"type": "record", "name": "Page", "fields": [
            {"name": "records", "type": {"type": "array", "items": {"type": "record", "name": "Rec", "fields": [
                {"name": "id", "type": "string"},
                {"name": "score", "type": ["null", "double"]},
                {"name": "count", "type": "long"},
                {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}}
            ]}}}
        ]}"#,
    );

    fn page(ids: &[&str]) -> Avro {
        let records = ids
            .iter()
            .map(|id| {
                Avro::Record(vec![
                    ("id".into(), Avro::String((*id).into())),
                    (
                        "score".into(),
                        Avro::Union(1, Box::new(Avro::Double(f64::NAN))),
                    ),
                    ("count".into(), Avro::Long(i64::MAX)),
                    ("kind".into(), Avro::Enum(1, "B".into())),
                ])
            })
            .collect();
        Avro::Record(vec![("records".into(), Avro::Array(records))])
    }

    fn container(data: &[Avro]) -> Vec<u8> {
        let schema = RECORDS.get().unwrap();
        let mut writer = Writer::new(schema, Vec::new()).unwrap();
        for datum in data {
            writer.append_value_ref(datum).unwrap();
        }
        writer.into_inner().unwrap()
    }

    #[test]
    fn a_container_of_one_datum_is_that_datum() {
        let body = container(&[page(&["a", "b"])]);
        let rec = json!({"id": "a", "score": null, "count": i64::MAX, "kind": "B"});
        let mut rec_b = rec.clone();
        rec_b["id"] = json!("b");
        assert_eq!(
            decode(&body, None).unwrap(),
            json!({"records": [rec, rec_b]})
        );
        // With the schema as reader schema, the same.
        assert_eq!(
            decode(&body, Some(&RECORDS)).unwrap()["records"][1]["id"],
            "b"
        );
    }

    #[test]
    fn a_container_of_several_data_is_an_array() {
        let body = container(&[page(&["a"]), page(&["b"])]);
        let value = decode(&body, None).unwrap();
        assert_eq!(value[0]["records"][0]["id"], "a");
        assert_eq!(value[1]["records"][0]["id"], "b");
        assert_eq!(decode(&container(&[]), None).unwrap(), json!([]));
    }

    #[test]
    fn a_bare_datum_needs_the_schema() {
        let schema = RECORDS.get().unwrap();
        let body = GenericDatumWriter::builder(schema)
            .build()
            .unwrap()
            .write_value_to_vec(page(&["x"]))
            .unwrap();
        assert_eq!(
            decode(&body, Some(&RECORDS)).unwrap()["records"][0]["id"],
            "x"
        );
        let err = decode(&body, None).unwrap_err();
        assert!(err.contains("no outputSchema"), "{err}");
        let mut longer = body.clone();
        longer.push(0);
        let err = decode(&longer, Some(&RECORDS)).unwrap_err();
        assert!(err.contains("1 bytes left"), "{err}");
    }

    /// Cut or corrupted data is an error, never a panic or a huge allocation.
    #[test]
    fn truncated_and_garbage_bodies_are_errors() {
        let body = container(&[page(&["a", "b", "c"])]);
        for cut in 0..body.len() {
            let _ = decode(&body[..cut], None);
            let _ = decode(&body[..cut], Some(&RECORDS));
        }
        assert!(decode(&body[..body.len() - 1], None).is_err());
        // Every byte of a valid file changed, one at a time: an answer or an error.
        for i in 0..body.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut mutated = body.clone();
                mutated[i] ^= flip;
                let _ = decode(&mutated, None);
                let _ = decode(&mutated, Some(&RECORDS));
            }
        }
        assert!(decode(b"Obj\x01garbage", None).is_err());
        // A string claiming 2^62 bytes.
        let mut huge = vec![0x02];
        huge.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert!(decode(&huge, Some(&RECORDS)).is_err());
        for bytes in crate::formats::noise(0x2545_f491_4f6c_dd1d_u64, 2000) {
            let _ = decode(&bytes, Some(&RECORDS));
            let mut framed = CONTAINER_MAGIC.to_vec();
            framed.extend(&bytes);
            let _ = decode(&framed, None);
        }
    }
}
