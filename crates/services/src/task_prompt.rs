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

/// The model task prompts go to and the parameters they are sent with.
#[derive(Clone, Debug)]
pub struct TaskModel {
    /// The connections.
    pub config: Arc<ProviderConfig>,
    /// The provider model asked.
    pub model: BaseModel,
    /// Sampling parameters every task request carries (`task.model.params`).
    pub params: Map<String, Value>,
    /// The `max_tokens` of the model's workspace row, if it sets one.
    row_max_tokens: Option<Value>,
}

impl TaskModel {
    /// The parameters of a title request: the admin's task parameters, else `max_tokens` of
    /// the model's row or 1000, as Open WebUI bounds title generation.
    pub fn for_title(&self) -> Self {
        let mut title = self.clone();
        if title.params.is_empty() {
            let max = self.row_max_tokens.clone().unwrap_or_else(|| json!(1000));
            title.params.insert("max_tokens".into(), max);
        }
        title
    }
}

/// The admin's task parameters (`task.model.params`), without empty values.
fn task_params(view: &ConfigView) -> Map<String, Value> {
    match view.snapshot.get("task.model.params") {
        Some(Value::Object(params)) => params
            .iter()
            .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Map::new(),
    }
}

/// The model task prompts go to: the admin's task model, else `fallback` (the chat's model,
/// by id or resolved); `None` when the catalog cannot load or names neither.
pub async fn task_model(app: &App, view: &ConfigView, fallback: Fallback<'_>) -> Option<TaskModel> {
    let chosen = [
        view.text("task.model.default"),
        view.text("task.model.external"),
    ]
    .into_iter()
    .find(|m| !m.is_empty());
    let loaded = models::load(app, false).await.ok()?;
    let entry = |id: &str| loaded.catalog.get(id).filter(|m| m.target.is_some());
    let (model, found) = match (chosen.and_then(entry), fallback) {
        (Some(found), _) => (found.target.clone()?, Some(found)),
        (None, Fallback::Base(base)) => (base.clone(), loaded.catalog.get(&base.id)),
        (None, Fallback::Id(id)) => {
            let found = entry(id)?;
            (found.target.clone()?, Some(found))
        }
    };
    let row_max_tokens = found
        .and_then(|m| m.record.as_ref())
        .and_then(|r| r.params.get("max_tokens"))
        .filter(|v| !v.is_null())
        .cloned();
    Some(TaskModel {
        config: loaded.config,
        model,
        params: task_params(view),
        row_max_tokens,
    })
}

/// The model asked when no task model is set.
#[derive(Clone, Copy, Debug)]
pub enum Fallback<'a> {
    /// A resolved model.
    Base(&'a BaseModel),
    /// A catalog id.
    Id(&'a str),
}

/// The text of the model's answer to one user message, not streamed, with the task's
/// parameters.
pub async fn ask(app: &App, task: &TaskModel, prompt: String) -> Option<String> {
    let mut request = Map::new();
    request.insert("model".into(), json!(task.model.id));
    request.insert("stream".into(), json!(false));
    request.insert(
        "messages".into(),
        json!([{"role": "user", "content": prompt}]),
    );
    for (key, value) in &task.params {
        request.entry(key.clone()).or_insert_with(|| value.clone());
    }
    let answer = app
        .models
        .chat(&task.config, &task.model, request)
        .await
        .ok()?;
    let ChatAnswer::Json(answer) = answer else {
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
