//! Chat tags: rows in `tag` (keyed by id and owner) linked from `chat.meta.tags`.

use serde_json::Value;

/// A user's tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// `name` lower-cased with spaces as `_`.
    pub id: String,
    /// The name as first written.
    pub name: String,
    /// Owner.
    pub user_id: String,
    /// Metadata.
    pub meta: Option<Value>,
}

/// The id of a tag name, as Open WebUI derives it.
pub fn tag_id(name: &str) -> String {
    name.replace(' ', "_").to_lowercase()
}

/// Tag ids listed in a chat's `meta.tags`.
pub fn ids_in_meta(meta: &Value) -> Vec<String> {
    meta.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_lower_case_with_underscores() {
        assert_eq!(super::tag_id("Rust Lang"), "rust_lang");
        assert_eq!(
            super::ids_in_meta(&serde_json::json!({"tags": ["a", 1, "b"]})),
            vec!["a", "b"]
        );
    }
}
