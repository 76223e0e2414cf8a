//! The smallest body a JSON Schema of Hearth's OpenAPI document accepts: required properties
//! only (plus the fields `fill` names, so ids can be planted), the first of each enum or
//! variant, bounds respected. Tests use it to call every operation of the document without
//! listing the operations.

use serde_json::{Map, Value, json};

/// A minimal value for `schema` (resolving `$ref`s in `document`); `fill` may supply the value
/// of any property by name (e.g. `chat_id` → a chat's id) and is asked for every property,
/// required or not.
pub fn example(document: &Value, schema: &Value, fill: &dyn Fn(&str) -> Option<Value>) -> Value {
    build(document, schema, fill, 0)
}

/// The schema `#/components/schemas/...` a `$ref` names, or the schema itself.
pub fn resolve<'d>(document: &'d Value, schema: &'d Value) -> &'d Value {
    let mut current = schema;
    for _ in 0..8 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                match document.pointer(pointer) {
                    Some(target) => current = target,
                    None => return current,
                }
            }
            None => return current,
        }
    }
    current
}

fn build(
    document: &Value,
    schema: &Value,
    fill: &dyn Fn(&str) -> Option<Value>,
    depth: usize,
) -> Value {
    let schema = resolve(document, schema);
    if depth > 6 {
        return Value::Null;
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(constant) = schema.get("const") {
        return constant.clone();
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(variants) = schema.get(combinator).and_then(Value::as_array) {
            let chosen = variants
                .iter()
                .find(|v| resolve(document, v).get("type") != Some(&json!("null")));
            return chosen.map_or(Value::Null, |v| build(document, v, fill, depth + 1));
        }
    }
    match type_of(schema).as_deref() {
        Some("object") => object(document, schema, fill, depth),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(
                (0..min)
                    .map(|_| build(document, &item, fill, depth + 1))
                    .collect(),
            )
        }
        Some("string") => string(schema),
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                .max(0)
        ),
        Some("number") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
                .max(0.0)
        ),
        Some("boolean") => json!(false),
        Some("null") => Value::Null,
        _ if schema.get("properties").is_some() => object(document, schema, fill, depth),
        _ => json!({}),
    }
}

fn type_of(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(kind) => Some(kind.clone()),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .map(str::to_owned),
        _ => None,
    }
}

fn object(
    document: &Value,
    schema: &Value,
    fill: &dyn Fn(&str) -> Option<Value>,
    depth: usize,
) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if let Some(value) = fill(name) {
                fields.insert(name.clone(), value);
            } else if required.contains(&name.as_str()) {
                fields.insert(name.clone(), build(document, property, fill, depth + 1));
            }
        }
    }
    Value::Object(fields)
}

fn string(schema: &Value) -> Value {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let format = schema.get("format").and_then(Value::as_str);
    let text = match format {
        Some("email") => "probe@example.com".to_owned(),
        Some("uri") => "https://example.com/".to_owned(),
        _ => "probe".to_owned(),
    };
    let pad = usize::try_from(min).unwrap_or(0).saturating_sub(text.len());
    json!(format!("{text}{}", "x".repeat(pad)))
}

#[cfg(test)]
mod tests {
    use super::example;
    use serde_json::json;

    #[test]
    fn required_fields_refs_enums_and_planted_ids() {
        let document = json!({"components": {"schemas": {
            "Form": {"type": "object", "required": ["name", "kind", "inner"], "properties": {
                "name": {"type": "string", "minLength": 8},
                "kind": {"enum": ["read", "write"]},
                "inner": {"$ref": "#/components/schemas/Inner"},
                "chat_id": {"type": ["string", "null"]},
                "optional": {"type": "integer"}
            }},
            "Inner": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer", "minimum": 2}}}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Form"});
        let body = example(&document, &schema, &|name| {
            (name == "chat_id").then(|| json!("c1"))
        });
        assert_eq!(
            body,
            json!({"name": "probexxx", "kind": "read", "inner": {"count": 2}, "chat_id": "c1"})
        );
    }
}
