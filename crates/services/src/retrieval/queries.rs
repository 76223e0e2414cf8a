//! Search queries for a chat turn: with `task.query.retrieval.enable`, the task model reads
//! the conversation and answers `{"queries": [...]}` (Open WebUI's template unless the admin
//! set one); an answer that is not JSON is itself the query. Without queries, the last user
//! message is the query.

use crate::App;
use crate::task_prompt::{Fallback, ask, fill, json_in, task_model};
use serde_json::Value;

/// Open WebUI's default query-generation prompt.
pub const QUERY_PROMPT: &str = r#"### Task:
Analyze the chat history to determine the necessity of generating search queries, in the given language. By default, **prioritize generating 1-3 broad and relevant search queries** unless it is absolutely certain that no additional information is required. The aim is to retrieve comprehensive, updated, and valuable information even with minimal uncertainty. If no search is unequivocally needed, return an empty list.

### Guidelines:
- Respond **EXCLUSIVELY** with a JSON object. Any form of extra commentary, explanation, or additional text is strictly prohibited.
- When generating search queries, respond in the format: { "queries": ["query1", "query2"] }, ensuring each query is distinct, concise, and relevant to the topic.
- If and only if it is entirely certain that no useful results can be retrieved by a search, return: { "queries": [] }.
- Err on the side of suggesting search queries if there is **any chance** they might provide useful or updated information.
- Be concise and focused on composing high-quality search queries, avoiding unnecessary elaboration, commentary, or assumptions.
- Today's date is: {{CURRENT_DATE}}.
- Always prioritize providing actionable and broad queries that maximize informational coverage.

### Output:
Strictly return in JSON format: 
{
  "queries": ["query1", "query2"]
}

### Chat History:
<chat_history>
{{MESSAGES:END:6}}
</chat_history>"#;

/// The queries of the task model's answer.
fn parse(answer: &str) -> Vec<String> {
    match json_in(answer) {
        Some(value) => value["queries"]
            .as_array()
            .map(|qs| {
                qs.iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|q| !q.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        None if !answer.trim().is_empty() => vec![answer.trim().to_owned()],
        None => Vec::new(),
    }
}

/// The queries to search with for `conversation` (its last message is the question).
pub async fn queries(app: &App, conversation: &[Value], model_id: &str) -> Vec<String> {
    let question = conversation
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(crate::task_prompt::text_of)
        .unwrap_or_default();
    let view = app.view();
    let generated = if view.flag("task.query.retrieval.enable") {
        match task_model(app, &view, Fallback::Id(model_id)).await {
            Some(model) => {
                let custom = view.text("task.query.prompt_template");
                let template = if custom.is_empty() {
                    QUERY_PROMPT
                } else {
                    custom
                };
                let prompt = fill(template, conversation);
                ask(app, &model, prompt)
                    .await
                    .map(|a| parse(&a))
                    .unwrap_or_default()
            }
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    if generated.is_empty() {
        vec![question]
    } else {
        generated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_upstream_reads_them() {
        assert_eq!(parse(r#"ok {"queries": ["a", " b ", ""]}"#), ["a", "b"]);
        assert_eq!(parse("just words"), ["just words"]);
        assert!(parse(r#"{"queries": []}"#).is_empty());
        assert!(parse("  ").is_empty());
    }
}
