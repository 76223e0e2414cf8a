//! Moving one value between engines: what a column holds, read as JSON from the source row
//! (sea-orm's dynamic reading), written back as the target column's own type. JSON columns
//! are JSON on PostgreSQL and JSON text on SQLite; each side is converted, never re-guessed.

use crate::Backend;
use sea_orm::Value;
use serde_json::Value as Json;

/// How a column's values are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Float,
    /// A PostgreSQL `json`/`jsonb` column.
    Json,
    Bytes,
    Text,
    /// Any other PostgreSQL type, written as text and cast (`CAST(? AS type)`).
    Cast(String),
}

impl Kind {
    /// The kind of a column from its declared type on `backend`.
    pub fn of(declared: &str, backend: Backend) -> Kind {
        let t = declared.to_ascii_lowercase();
        match backend {
            Backend::Postgres => match t.as_str() {
                "bool" => Kind::Bool,
                "int2" | "int4" | "int8" => Kind::Int,
                "float4" | "float8" | "numeric" => Kind::Float,
                "json" | "jsonb" => Kind::Json,
                "bytea" => Kind::Bytes,
                "text" | "varchar" | "bpchar" | "name" => Kind::Text,
                other => Kind::Cast(other.to_owned()),
            },
            Backend::Sqlite => {
                if t.contains("bool") {
                    Kind::Bool
                } else if t.contains("int") {
                    Kind::Int
                } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
                    Kind::Float
                } else if t.contains("blob") {
                    Kind::Bytes
                } else {
                    // TEXT, VARCHAR, JSON (stored as JSON text), dates as text.
                    Kind::Text
                }
            }
        }
    }
}

/// Converts `value`, read from a column of kind `from`, for a column of kind `to`.
/// `Err` says why the value does not fit.
pub fn convert(value: Json, from: &Kind, to: &Kind) -> Result<Value, String> {
    if value.is_null() {
        return Ok(null(to));
    }
    Ok(match to {
        Kind::Bool => Value::Bool(Some(match &value {
            Json::Bool(b) => *b,
            Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            Json::String(s) => matches!(s.to_ascii_lowercase().as_str(), "1" | "t" | "true"),
            _ => return Err(format!("{value} is not a boolean")),
        })),
        Kind::Int => Value::BigInt(Some(match &value {
            Json::Number(n) => match n.as_i64() {
                Some(i) => i,
                None => n.as_f64().map(|f| f as i64).ok_or("not an integer")?,
            },
            Json::Bool(b) => i64::from(*b),
            Json::String(s) => s
                .trim()
                .parse()
                .map_err(|_| format!("{s:?} is not an integer"))?,
            _ => return Err(format!("{value} is not an integer")),
        })),
        Kind::Float => Value::Double(Some(match &value {
            Json::Number(n) => n.as_f64().unwrap_or_default(),
            Json::String(s) => s
                .trim()
                .parse()
                .map_err(|_| format!("{s:?} is not a number"))?,
            Json::Bool(b) => f64::from(u8::from(*b)),
            _ => return Err(format!("{value} is not a number")),
        })),
        Kind::Json => Value::Json(Some(Box::new(match (from, value) {
            (Kind::Json, v) => v,
            // JSON text: parsed; text that is not JSON stays a JSON string.
            (_, Json::String(s)) => serde_json::from_str(&s).unwrap_or(Json::String(s)),
            (_, v) => v,
        }))),
        Kind::Bytes => Value::Bytes(Some(match value {
            Json::String(s) => s.into_bytes(),
            Json::Array(items) => items
                .iter()
                .map(|i| i.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect::<Option<Vec<u8>>>()
                .ok_or("not bytes")?,
            other => other.to_string().into_bytes(),
        })),
        Kind::Text | Kind::Cast(_) => Value::String(Some(match (from, value) {
            // A JSON column's value becomes its JSON text (strings too).
            (Kind::Json, v) => v.to_string(),
            (_, Json::String(s)) => s,
            (_, v) => v.to_string(),
        })),
    })
}

fn null(kind: &Kind) -> Value {
    match kind {
        Kind::Bool => Value::Bool(None),
        Kind::Int => Value::BigInt(None),
        Kind::Float => Value::Double(None),
        Kind::Json => Value::Json(None),
        Kind::Bytes => Value::Bytes(None),
        Kind::Text | Kind::Cast(_) => Value::String(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_text_becomes_json_and_back() {
        let text = Kind::Text;
        let pg = Kind::Json;
        let v = convert(json!("{\"a\":[1,2]}"), &text, &pg).unwrap();
        assert_eq!(v, Value::Json(Some(Box::new(json!({"a": [1, 2]})))));
        // a JSON string that looks like a number stays a string when read from JSON
        let v = convert(json!("123"), &pg, &pg).unwrap();
        assert_eq!(v, Value::Json(Some(Box::new(json!("123")))));
        let v = convert(json!("123"), &pg, &text).unwrap();
        assert_eq!(v, Value::String(Some("\"123\"".into())));
        let v = convert(json!({"k": null}), &pg, &text).unwrap();
        assert_eq!(v, Value::String(Some("{\"k\":null}".into())));
    }

    #[test]
    fn kinds_and_nulls() {
        assert_eq!(Kind::of("BIGINT", Backend::Sqlite), Kind::Int);
        assert_eq!(Kind::of("JSON", Backend::Sqlite), Kind::Text);
        assert_eq!(Kind::of("boolean", Backend::Sqlite), Kind::Bool);
        assert_eq!(Kind::of("jsonb", Backend::Postgres), Kind::Json);
        assert_eq!(
            Kind::of("timestamp", Backend::Postgres),
            Kind::Cast("timestamp".into())
        );
        assert_eq!(
            convert(json!(null), &Kind::Text, &Kind::Json).unwrap(),
            Value::Json(None)
        );
        assert_eq!(
            convert(json!(1), &Kind::Int, &Kind::Bool).unwrap(),
            Value::Bool(Some(true))
        );
        assert!(convert(json!("x"), &Kind::Text, &Kind::Int).is_err());
    }
}
