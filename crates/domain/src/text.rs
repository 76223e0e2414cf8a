//! Text hygiene for stored strings.

/// Removes NUL characters, which PostgreSQL rejects in `text` columns and which have no
/// meaning in user-facing text. Open WebUI strips them the same way before storing.
pub fn strip_nul(value: &str) -> String {
    if value.contains('\0') {
        value.replace('\0', "")
    } else {
        value.to_owned()
    }
}

/// Strips NUL characters from every string inside a JSON value, recursively.
pub fn strip_nul_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains('\0') => {
            *text = text.replace('\0', "");
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nul_json),
        serde_json::Value::Object(map) => {
            let dirty: Vec<String> = map.keys().filter(|k| k.contains('\0')).cloned().collect();
            for key in dirty {
                if let Some(inner) = map.remove(&key) {
                    map.insert(key.replace('\0', ""), inner);
                }
            }
            map.values_mut().for_each(strip_nul_json);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strips_nul_from_text_and_json() {
        assert_eq!(strip_nul("a\0b"), "ab");
        let mut value = json!({"k\0": ["x\0y", {"z": "\0"}], "n": 1});
        strip_nul_json(&mut value);
        assert_eq!(value, json!({"k": ["xy", {"z": ""}], "n": 1}));
    }
}
