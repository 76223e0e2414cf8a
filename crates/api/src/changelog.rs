//! `GET /api/changelog`: Hearth's `CHANGELOG.md` as Open WebUI's JSON shape
//! `{version: {date, <section>: [{title, content, raw}]}}`, newest five versions.

use serde_json::{Map, Value, json};

const CHANGELOG: &str = include_str!("../../../CHANGELOG.md");

/// The parsed changelog (at most five versions, newest first).
pub fn changelog() -> Value {
    let mut versions = Map::new();
    let mut current: Option<(String, Map<String, Value>)> = None;
    let mut section: Option<String> = None;
    for line in CHANGELOG.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if let Some((version, data)) = current.take() {
                versions.insert(version, Value::Object(data));
            }
            let (version, date) = heading.split_once(" - ").unwrap_or((heading, ""));
            let version = version.trim().trim_start_matches('[').trim_end_matches(']');
            let mut data = Map::new();
            data.insert("date".into(), json!(date.trim()));
            current = Some((version.to_owned(), data));
            section = None;
        } else if let Some(name) = line.strip_prefix("### ") {
            section = Some(name.trim().to_lowercase());
        } else if let (Some(item), Some((_, data)), Some(name)) =
            (line.strip_prefix("- "), current.as_mut(), section.as_ref())
        {
            let entries = data.entry(name.clone()).or_insert_with(|| json!([]));
            if let Value::Array(entries) = entries {
                entries.push(entry(item));
            }
        }
    }
    if let Some((version, data)) = current {
        versions.insert(version, Value::Object(data));
    }
    Value::Object(versions.into_iter().take(5).collect())
}

fn entry(item: &str) -> Value {
    let (title, content) = match item
        .strip_prefix("**")
        .and_then(|rest| rest.split_once("**"))
    {
        Some((title, rest)) => (
            title.trim_end_matches('.').to_owned(),
            rest.trim().to_owned(),
        ),
        None => (String::new(), item.trim().to_owned()),
    };
    json!({"title": title, "content": content, "raw": item})
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_versions_sections_and_entries() {
        let log = super::changelog();
        let first = log
            .as_object()
            .and_then(|m| m.values().next())
            .cloned()
            .unwrap_or_default();
        assert!(first["date"].as_str().is_some_and(|d| d.len() == 10));
        let added = first["added"].as_array().cloned().unwrap_or_default();
        assert!(!added.is_empty());
        assert!(added[0]["title"].as_str().is_some_and(|t| !t.is_empty()));
    }
}
