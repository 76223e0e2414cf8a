//! Visible text of an HTML page, like BeautifulSoup's `get_text()`: the contents of
//! `<script>`, `<style>`, `<template>` and of `<head>` (but its `<title>`) are dropped, as are
//! comments; entities are decoded; block elements start new lines; blank line runs collapse.

mod entities;

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// Extracts the visible text of an HTML document.
pub fn extract(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut in_head = false;
    let mut in_title = false;
    while let Some(lt) = rest.find('<') {
        let (text, tail) = rest.split_at(lt);
        if !in_head || in_title {
            entities::decode_into(text, &mut out);
        }
        rest = match parse_markup(tail) {
            Markup::Skip(after) => after,
            Markup::Tag {
                name,
                closing,
                after,
            } => {
                match (name.as_str(), closing) {
                    ("head", false) => in_head = true,
                    ("head", true) | ("body", false) => in_head = false,
                    ("title", c) => in_title = !c,
                    _ => {}
                }
                if BLOCKS.contains(&name.as_str()) {
                    out.push('\n');
                }
                if !closing && matches!(name.as_str(), "script" | "style" | "template") {
                    skip_raw_text(after, &name)
                } else {
                    after
                }
            }
            Markup::Text(after) => {
                out.push('<');
                after
            }
        };
    }
    if !in_head || in_title {
        entities::decode_into(rest, &mut out);
    }
    collapse_blank_lines(&out)
}

enum Markup<'a> {
    /// A comment, doctype or processing instruction, and what follows it.
    Skip(&'a str),
    /// A start or end tag, lowercase name, and what follows it.
    Tag {
        name: String,
        closing: bool,
        after: &'a str,
    },
    /// A literal `<` that starts no markup; what follows it.
    Text(&'a str),
}

/// Parses the markup at the start of `s` (which starts with `<`).
fn parse_markup(s: &str) -> Markup<'_> {
    let body = s.get(1..).unwrap_or("");
    if let Some(c) = body.strip_prefix("!--") {
        return Markup::Skip(c.find("-->").and_then(|i| c.get(i + 3..)).unwrap_or(""));
    }
    if body.starts_with('!') || body.starts_with('?') {
        return Markup::Skip(after_gt(body));
    }
    let (closing, name_part) = match body.strip_prefix('/') {
        Some(n) => (true, n),
        None => (false, body),
    };
    let name: String = name_part
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || !name_part.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Markup::Text(body);
    }
    Markup::Tag {
        name,
        closing,
        after: after_gt(name_part),
    }
}

/// What follows the `>` closing a tag, skipping quoted attribute values.
fn after_gt(s: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return s.get(i + 1..).unwrap_or(""),
            _ => {}
        }
    }
    ""
}

/// Skips the raw text of a `<script>`-like element up to and including its end tag.
fn skip_raw_text<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let end_tag = format!("</{name}");
    match lower.find(&end_tag) {
        Some(i) => after_gt(s.get(i..).unwrap_or("")),
        None => "",
    }
}

/// Trims line ends and keeps at most one blank line between text lines.
fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 1 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_script_style_head_and_comments() {
        let html = "<!DOCTYPE html><html><head><title>T &amp; C</title>\
            <meta charset=utf-8><style>p{color:red}</style></head>\
            <body><!-- secret --><p>Hello&nbsp;<b>world</b> &lt;3 &#233;&#x263A;</p>\
            <SCRIPT type=\"text/javascript\">var x = '</p>';</SCRIPT>\
            <div data-x=\"a>b\">Second</div></body></html>";
        let text = extract(html);
        assert_eq!(text, "T & C\nHello world <3 é☺\nSecond");
    }

    #[test]
    fn collapses_blank_lines_and_keeps_stray_lt() {
        let text = extract("<p>a < b</p>\n\n\n\n<p>c</p>");
        assert_eq!(text, "a < b\n\nc");
    }

    #[test]
    fn unterminated_markup_is_safe() {
        assert_eq!(extract("x<!-- never closed"), "x");
        assert_eq!(extract("y<script>alert(1)"), "y");
        assert_eq!(extract("z<a href='"), "z");
    }
}
