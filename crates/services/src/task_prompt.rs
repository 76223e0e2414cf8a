//! Asking the task model: Open WebUI's prompt templates filled with the conversation
//! (`{{MESSAGES:END:n}}`, `{{CURRENT_DATE}}`), sent to the admin's task model (else the chat's
//! model), and the JSON object of its answer. Title, tags, follow-ups and retrieval queries
//! are asked this way.

use crate::App;
use crate::config::ConfigView;
use crate::models;
use hearth_domain::provider::{BaseModel, ChatAnswer, ProviderConfig};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The prompt template with the last `n` messages of the conversation in place of
/// `{{MESSAGES:END:n}}` and today's date in place of `{{CURRENT_DATE}}`.
pub fn fill(template: &str, conversation: &[Value]) -> String {
    let template = template.replace(
        "{{CURRENT_DATE}}",
        &chrono::Utc::now().format("%Y-%m-%d").to_string(),
    );
    let Some(start) = template.find("{{MESSAGES:END:") else {
        return template;
    };
    let rest = &template[start + 15..];
    let Some(end) = rest.find("}}") else {
        return template.clone();
    };
    let count: usize = rest[..end].parse().unwrap_or(2);
    let skip = conversation.len().saturating_sub(count);
    let lines: Vec<String> = conversation[skip..]
        .iter()
        .map(|m| {
            format!(
                "{}: {}",
                m["role"].as_str().unwrap_or("user").to_uppercase(),
                text_of(m)
            )
        })
        .collect();
    format!(
        "{}{}{}",
        &template[..start],
        lines.join("\n"),
        &rest[end + 2..]
    )
}

/// The text of a message (its text parts joined when the content is a list).
pub fn text_of(message: &Value) -> String {
    match &message["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// The JSON object of a model's answer: from its first `{` to its last `}`.
pub fn json_in(text: &str) -> Option<Value> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    serde_json::from_str(text.get(start..=end)?).ok()
}

/// The model task prompts go to: the admin's task model, else `fallback` (the chat's model,
/// by id or resolved); `None` when the catalog cannot load or names neither.
pub async fn task_model(
    app: &App,
    view: &ConfigView,
    fallback: Fallback<'_>,
) -> Option<(Arc<ProviderConfig>, BaseModel)> {
    let chosen = [
        view.text("task.model.default"),
        view.text("task.model.external"),
    ]
    .into_iter()
    .find(|m| !m.is_empty());
    let loaded = models::load(app, false).await.ok()?;
    let target = |id: &str| loaded.catalog.get(id).and_then(|m| m.target.clone());
    let model = chosen.and_then(target).or_else(|| match fallback {
        Fallback::Base(base) => Some(base.clone()),
        Fallback::Id(id) => target(id),
    })?;
    Some((loaded.config, model))
}

/// The model asked when no task model is set.
#[derive(Clone, Copy, Debug)]
pub enum Fallback<'a> {
    /// A resolved model.
    Base(&'a BaseModel),
    /// A catalog id.
    Id(&'a str),
}

/// The text of the model's answer to one user message, not streamed.
pub async fn ask(
    app: &App,
    (config, model): &(Arc<ProviderConfig>, BaseModel),
    prompt: String,
) -> Option<String> {
    let mut request = Map::new();
    request.insert("model".into(), json!(model.id));
    request.insert("stream".into(), json!(false));
    request.insert(
        "messages".into(),
        json!([{"role": "user", "content": prompt}]),
    );
    let ChatAnswer::Json(answer) = app.models.chat(config, model, request).await.ok()? else {
        return None;
    };
    answer
        .pointer("/choices/0/message/content")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_take_the_last_messages_and_the_date() {
        let conversation = vec![
            json!({"role": "user", "content": "a"}),
            json!({"role": "assistant", "content": "b"}),
            json!({"role": "user", "content": [{"type": "text", "text": "c"}]}),
        ];
        assert_eq!(
            fill("H\n{{MESSAGES:END:2}}\nT", &conversation),
            "H\nASSISTANT: b\nUSER: c\nT"
        );
        assert_eq!(fill("no marker", &conversation), "no marker");
        let dated = fill("on {{CURRENT_DATE}}", &conversation);
        assert!(dated.starts_with("on 20") && dated.len() == "on 2026-12-01".len());
    }

    #[test]
    fn answers_are_read_as_json_objects() {
        assert_eq!(
            json_in("Sure! {\"title\": \"Rust\"} done"),
            Some(json!({"title": "Rust"}))
        );
        assert_eq!(json_in("nothing"), None);
    }
}
