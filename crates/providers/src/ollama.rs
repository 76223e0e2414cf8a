//! Translation between the OpenAI chat format Hearth speaks and Ollama's `/api/chat`
//! (request body, NDJSON stream lines, final JSON answer).

use serde_json::{Map, Value, json};

/// OpenAI sampling fields that Ollama takes inside `options` (OpenAI name, Ollama name).
const OPTION_FIELDS: &[(&str, &str)] = &[
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("top_k", "top_k"),
    ("seed", "seed"),
    ("max_tokens", "num_predict"),
    ("max_completion_tokens", "num_predict"),
    ("frequency_penalty", "frequency_penalty"),
    ("presence_penalty", "presence_penalty"),
    ("stop", "stop"),
];

/// An OpenAI chat request as an Ollama `/api/chat` body for `model` (the server's own id).
pub fn chat_request(openai: &Map<String, Value>, model: &str) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("model".into(), Value::from(model));
    let messages = openai
        .get("messages")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(message).collect())
        .unwrap_or_default();
    body.insert("messages".into(), Value::Array(messages));
    body.insert(
        "stream".into(),
        Value::Bool(
            openai
                .get("stream")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    );
    if let Some(tools) = openai.get("tools") {
        body.insert("tools".into(), tools.clone());
    }
    let mut options = openai
        .get("options")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for root in ["format", "keep_alive", "think"] {
        if let Some(value) = options.remove(root) {
            body.insert(root.into(), value);
        }
    }
    for (from, to) in OPTION_FIELDS {
        if let Some(value) = openai.get(*from).filter(|v| !v.is_null()) {
            options.insert((*to).into(), value.clone());
        }
    }
    if !options.is_empty() {
        body.insert("options".into(), Value::Object(options));
    }
    if let Some(schema) = openai
        .get("response_format")
        .and_then(|f| {
            let kind = f.get("type")?.as_str()?;
            f.get(kind)
        })
        .and_then(|s| s.get("schema"))
    {
        body.insert("format".into(), schema.clone());
    }
    body
}

fn message(openai: &Value) -> Value {
    let mut out = Map::new();
    out.insert(
        "role".into(),
        openai.get("role").cloned().unwrap_or(Value::from("user")),
    );
    if let Some(thinking) = openai
        .get("thinking")
        .or_else(|| openai.get("reasoning_content"))
        .filter(|v| !v.is_null())
    {
        out.insert("thinking".into(), thinking.clone());
    }
    if let Some(calls) = openai.get("tool_calls").and_then(Value::as_array) {
        let calls: Vec<Value> = calls
            .iter()
            .map(|call| {
                let function = call.get("function").cloned().unwrap_or_default();
                let arguments = match function.get("arguments") {
                    Some(Value::String(text)) => {
                        serde_json::from_str(text).unwrap_or(Value::String(text.clone()))
                    }
                    Some(other) => other.clone(),
                    None => json!({}),
                };
                json!({
                    "function": {
                        "name": function.get("name").cloned().unwrap_or(Value::from("")),
                        "arguments": arguments,
                    }
                })
            })
            .collect();
        out.insert("tool_calls".into(), Value::Array(calls));
        out.insert("content".into(), Value::from(""));
        return Value::Object(out);
    }
    match openai.get("content") {
        Some(Value::Array(parts)) => {
            let mut text = String::new();
            let mut images = Vec::new();
            for part in parts {
                match part.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        text.push_str(part.get("text").and_then(Value::as_str).unwrap_or(""));
                    }
                    Some("image_url") => {
                        let url = part
                            .pointer("/image_url/url")
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        // Ollama takes bare base64; data URLs lose their header.
                        let image = url.rsplit_once(',').map_or(url, |(_, data)| data);
                        if !image.is_empty() {
                            images.push(Value::from(image));
                        }
                    }
                    _ => {}
                }
            }
            out.insert("content".into(), Value::from(text.trim()));
            if !images.is_empty() {
                out.insert("images".into(), Value::Array(images));
            }
        }
        Some(Value::String(text)) => {
            out.insert("content".into(), Value::from(text.as_str()));
        }
        _ => {
            out.insert("content".into(), Value::from(""));
        }
    }
    if let Some(id) = openai.get("tool_call_id") {
        out.insert("tool_call_id".into(), id.clone());
    }
    Value::Object(out)
}

/// Token counts and timings of a final Ollama line, in OpenAI's `usage` shape (plus
/// Ollama's own counters).
pub fn usage(done: &Value) -> Value {
    let int = |field: &str| done.get(field).and_then(Value::as_u64).unwrap_or(0);
    let prompt = int("prompt_eval_count");
    let completion = int("eval_count");
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "input_tokens": prompt,
        "output_tokens": completion,
        "total_duration": int("total_duration"),
        "load_duration": int("load_duration"),
        "prompt_eval_count": prompt,
        "prompt_eval_duration": int("prompt_eval_duration"),
        "eval_count": completion,
        "eval_duration": int("eval_duration"),
    })
}

fn tool_calls(message: &Value) -> Option<Value> {
    let calls = message.get("tool_calls")?.as_array()?;
    if calls.is_empty() {
        return None;
    }
    let converted = calls
        .iter()
        .enumerate()
        .map(|(i, call)| {
            let function = call.get("function").cloned().unwrap_or_default();
            json!({
                "index": i,
                "id": format!("call_{}", uuid::Uuid::new_v4()),
                "type": "function",
                "function": {
                    "name": function.get("name").cloned().unwrap_or(Value::from("")),
                    "arguments": function.get("arguments").map(Value::to_string).unwrap_or_else(|| "{}".into()),
                },
            })
        })
        .collect();
    Some(Value::Array(converted))
}

/// Turns Ollama's NDJSON lines into OpenAI `chat.completion.chunk` objects: one shared id,
/// `role` on the first chunk, `finish_reason` and `usage` on the last.
#[derive(Debug)]
pub struct ChunkTranslator {
    id: String,
    created: i64,
    first: bool,
    saw_tool_calls: bool,
}

impl ChunkTranslator {
    /// A translator for one answer.
    pub fn new(created: i64) -> Self {
        Self {
            id: format!("chatcmpl-{}", uuid::Uuid::new_v4()),
            created,
            first: true,
            saw_tool_calls: false,
        }
    }

    /// One Ollama line as an OpenAI chunk; the bool says whether it was the last.
    pub fn chunk(&mut self, line: &Value) -> (Value, bool) {
        let message = line.get("message").cloned().unwrap_or_default();
        let mut delta = Map::new();
        if self.first {
            delta.insert("role".into(), Value::from("assistant"));
            self.first = false;
        }
        let content = message.get("content").and_then(Value::as_str).unwrap_or("");
        if !content.is_empty() {
            delta.insert("content".into(), Value::from(content));
        }
        if let Some(thinking) = message
            .get("thinking")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            delta.insert("reasoning_content".into(), Value::from(thinking));
        }
        if let Some(calls) = tool_calls(&message) {
            self.saw_tool_calls = true;
            delta.insert("tool_calls".into(), calls);
        }
        let done = line.get("done").and_then(Value::as_bool).unwrap_or(false);
        let finish = if done {
            if self.saw_tool_calls {
                Value::from("tool_calls")
            } else {
                line.get("done_reason")
                    .cloned()
                    .unwrap_or(Value::from("stop"))
            }
        } else {
            Value::Null
        };
        let mut chunk = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": line.get("model").cloned().unwrap_or(Value::from("ollama")),
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
        });
        if done && let Some(object) = chunk.as_object_mut() {
            object.insert("usage".into(), usage(line));
        }
        (chunk, done)
    }
}

/// A complete (non-streamed) Ollama answer as an OpenAI `chat.completion`.
pub fn completion(answer: &Value, created: i64) -> Value {
    let message = answer.get("message").cloned().unwrap_or_default();
    let mut out = Map::new();
    out.insert("role".into(), Value::from("assistant"));
    out.insert(
        "content".into(),
        message.get("content").cloned().unwrap_or(Value::from("")),
    );
    if let Some(thinking) = message.get("thinking").filter(|t| !t.is_null()) {
        out.insert("reasoning_content".into(), thinking.clone());
    }
    let calls = tool_calls(&message);
    let finish = if calls.is_some() {
        Value::from("tool_calls")
    } else {
        answer
            .get("done_reason")
            .cloned()
            .unwrap_or(Value::from("stop"))
    };
    if let Some(calls) = calls {
        out.insert("tool_calls".into(), calls);
    }
    json!({
        "id": format!("chatcmpl-{}", uuid::Uuid::new_v4()),
        "object": "chat.completion",
        "created": created,
        "model": answer.get("model").cloned().unwrap_or(Value::from("ollama")),
        "choices": [{"index": 0, "message": out, "logprobs": null, "finish_reason": finish}],
        "usage": usage(answer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_move_sampling_fields_into_options() {
        let openai = json!({
            "model": "ignored",
            "stream": true,
            "temperature": 0.2,
            "max_tokens": 64,
            "stop": ["\n\n"],
            "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": [
                    {"type": "text", "text": "what is this? "},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUJD"}}
                ]}
            ],
            "response_format": {"type": "json_schema", "json_schema": {"schema": {"type": "object"}}}
        });
        let body = chat_request(openai.as_object().unwrap(), "llama3:8b");
        assert_eq!(body["model"], "llama3:8b");
        assert_eq!(body["stream"], true);
        assert_eq!(
            body["options"],
            json!({"temperature": 0.2, "num_predict": 64, "stop": ["\n\n"]})
        );
        assert_eq!(
            body["messages"][0],
            json!({"role": "system", "content": "be brief"})
        );
        assert_eq!(body["messages"][1]["content"], "what is this?");
        assert_eq!(body["messages"][1]["images"], json!(["QUJD"]));
        assert_eq!(body["format"], json!({"type": "object"}));
    }

    #[test]
    fn stream_lines_become_openai_chunks() {
        let mut translator = ChunkTranslator::new(7);
        let (first, done) = translator.chunk(&json!({
            "model": "llama3", "message": {"role": "assistant", "content": "Hel"}, "done": false
        }));
        assert!(!done);
        assert_eq!(first["object"], "chat.completion.chunk");
        assert_eq!(
            first["choices"][0]["delta"],
            json!({"role": "assistant", "content": "Hel"})
        );
        assert_eq!(first["choices"][0]["finish_reason"], Value::Null);
        let (last, done) = translator.chunk(&json!({
            "model": "llama3", "message": {"role": "assistant", "content": ""}, "done": true,
            "done_reason": "stop", "prompt_eval_count": 5, "eval_count": 3
        }));
        assert!(done);
        assert_eq!(last["id"], first["id"]);
        assert_eq!(last["choices"][0]["delta"], json!({}));
        assert_eq!(last["choices"][0]["finish_reason"], "stop");
        assert_eq!(last["usage"]["total_tokens"], 8);
    }

    #[test]
    fn complete_answers_become_chat_completions() {
        let answer = json!({
            "model": "llama3", "message": {"role": "assistant", "content": "Hi"}, "done": true,
            "prompt_eval_count": 2, "eval_count": 1
        });
        let out = completion(&answer, 9);
        assert_eq!(out["object"], "chat.completion");
        assert_eq!(
            out["choices"][0]["message"],
            json!({"role": "assistant", "content": "Hi"})
        );
        assert_eq!(out["choices"][0]["finish_reason"], "stop");
        assert_eq!(out["usage"]["prompt_tokens"], 2);
    }

    #[test]
    fn tool_calls_travel_both_ways() {
        let openai = json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"x\":1}"}}
        ]}]});
        let body = chat_request(openai.as_object().unwrap(), "m");
        assert_eq!(
            body["messages"][0]["tool_calls"][0]["function"]["arguments"],
            json!({"x": 1})
        );
        let mut translator = ChunkTranslator::new(0);
        let (chunk, _) = translator.chunk(&json!({"message": {"content": "", "tool_calls": [
            {"function": {"name": "f", "arguments": {"x": 1}}}
        ]}, "done": false}));
        assert_eq!(
            chunk["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"],
            "{\"x\":1}"
        );
        let (last, _) = translator.chunk(&json!({"message": {"content": ""}, "done": true}));
        assert_eq!(last["choices"][0]["finish_reason"], "tool_calls");
    }
}
