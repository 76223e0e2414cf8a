//! Shaping a chat request before it goes to a model server: the web client's own fields are
//! removed, and a workspace model's parameters and system prompt are applied under what the
//! request itself asks for.

use serde_json::{Map, Value};

/// Fields the web client sends that are for Hearth, not for the model server.
const CLIENT_FIELDS: &[&str] = &[
    "model_item",
    "background_tasks",
    "session_id",
    "chat_id",
    "id",
    "message_ids",
    "parent_id",
    "parent_message",
    "user_message",
    "features",
    "variables",
    "chat_variables",
    "tool_ids",
    "filter_ids",
    "skill_ids",
    "tool_servers",
    "terminal_id",
    "files",
    "folder_id",
    "metadata",
    "params",
    "regeneration_prompt",
    "regeneration_message_id",
    "assistant_message_id",
    "new_chat",
    "automation_id",
];

/// Sampling parameters a model row or the request's `params` may set, by request field.
const SAMPLING_FIELDS: &[&str] = &[
    "temperature",
    "top_p",
    "top_k",
    "min_p",
    "max_tokens",
    "max_completion_tokens",
    "seed",
    "stop",
    "frequency_penalty",
    "presence_penalty",
    "repeat_penalty",
    "logit_bias",
    "reasoning_effort",
    "response_format",
];

/// The body to send for `model_id`: client fields removed; sampling parameters from the
/// request's `params`, then from the model row's `params`, fill fields the request does not
/// set; the row's `system` prompt goes first in the system message.
pub fn prepare(
    mut body: Map<String, Value>,
    model_id: &str,
    row_params: Option<&Map<String, Value>>,
) -> Map<String, Value> {
    let request_params = match body.remove("params") {
        Some(Value::Object(params)) => params,
        _ => Map::new(),
    };
    for field in CLIENT_FIELDS {
        body.remove(*field);
    }
    body.insert("model".into(), Value::from(model_id));
    for params in [Some(&request_params), row_params].into_iter().flatten() {
        for field in SAMPLING_FIELDS {
            if let Some(value) = params.get(*field).filter(|v| !v.is_null())
                && body.get(*field).is_none_or(Value::is_null)
            {
                body.insert((*field).into(), value.clone());
            }
        }
    }
    let system = row_params
        .and_then(|p| p.get("system"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    if let (Some(system), Some(Value::Array(messages))) = (system, body.get_mut("messages")) {
        add_system_prompt(messages, system);
    }
    body
}

/// Puts `system` first: before the text of an existing leading system message, or as a new
/// one.
fn add_system_prompt(messages: &mut Vec<Value>, system: &str) {
    if let Some(first) = messages.first_mut()
        && first.get("role").and_then(Value::as_str) == Some("system")
        && let Some(object) = first.as_object_mut()
    {
        let existing = object.get("content").and_then(Value::as_str).unwrap_or("");
        let merged = if existing.is_empty() {
            system.to_owned()
        } else {
            format!("{system}\n{existing}")
        };
        object.insert("content".into(), Value::from(merged));
        return;
    }
    let mut message = Map::new();
    message.insert("role".into(), Value::from("system"));
    message.insert("content".into(), Value::from(system));
    messages.insert(0, Value::Object(message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn client_fields_go_and_the_request_wins_over_the_row() {
        let body = map(json!({
            "model": "custom", "stream": true, "chat_id": "c", "session_id": "s",
            "messages": [{"role": "user", "content": "hi"}],
            "temperature": 0.1,
            "params": {"top_p": 0.5, "temperature": 0.9}
        }));
        let row = map(json!({"temperature": 0.7, "seed": 3, "system": "You are terse."}));
        let out = prepare(body, "base", Some(&row));
        assert_eq!(out["model"], "base");
        assert!(out.get("chat_id").is_none() && out.get("params").is_none());
        assert_eq!(out["temperature"], 0.1);
        assert_eq!(out["top_p"], 0.5);
        assert_eq!(out["seed"], 3);
        assert_eq!(
            out["messages"],
            json!([{"role": "system", "content": "You are terse."}, {"role": "user", "content": "hi"}])
        );
    }

    #[test]
    fn a_row_prompt_leads_an_existing_system_message() {
        let body = map(json!({"messages": [{"role": "system", "content": "Be kind."}]}));
        let row = map(json!({"system": "You are terse."}));
        let out = prepare(body, "m", Some(&row));
        assert_eq!(out["messages"][0]["content"], "You are terse.\nBe kind.");
    }
}
