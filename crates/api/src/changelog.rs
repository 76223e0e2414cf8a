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

/// One list item as Open WebUI's parser shapes it: `raw` is the item's HTML, `title` the
/// plain text before the first `": "` (empty if none), `content` the rest.
fn entry(item: &str) -> Value {
    let text = item.replace("**", "").replace('`', "");
    let (title, content) = match text.split_once(": ") {
        Some((title, content)) => (title.trim().to_owned(), content.trim().to_owned()),
        None => (String::new(), text.trim().to_owned()),
    };
    json!({"title": title, "content": content, "raw": format!("<li>{}</li>", inline_html(item))})
}

/// Escapes HTML and renders `**bold**` and `` `code` `` spans.
fn inline_html(markdown: &str) -> String {
    let escaped = markdown
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let bold = render_pairs(&escaped, "**", "<strong>", "</strong>");
    render_pairs(&bold, "`", "<code>", "</code>")
}

/// Replaces paired `marker`s with `open`/`close` tags; an unpaired marker stays as text.
fn render_pairs(text: &str, marker: &str, open: &str, close: &str) -> String {
    let parts: Vec<&str> = text.split(marker).collect();
    if parts.len().is_multiple_of(2) {
        return text.to_owned();
    }
    let mut html = String::with_capacity(text.len() + parts.len() * 8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            html.push_str(if i % 2 == 1 { open } else { close });
        }
        html.push_str(part);
    }
    html
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
        assert!(added[0]["content"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(
            added[0]["raw"]
                .as_str()
                .is_some_and(|r| r.starts_with("<li><strong>"))
        );
    }

    #[test]
    fn renders_inline_markdown_safely() {
        assert_eq!(
            super::inline_html("**A.** use `x<y` & go"),
            "<strong>A.</strong> use <code>x&lt;y</code> &amp; go"
        );
        assert_eq!(super::inline_html("odd ** marker"), "odd ** marker");
    }
}
