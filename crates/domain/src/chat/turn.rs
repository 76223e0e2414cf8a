//! One turn of a conversation as the web client sends it to `POST /api/chat/completions`:
//! a user message and one assistant placeholder per selected model, written into the chat
//! document; the prompt rebuilt from the stored branch; the answer written back.

use super::DEFAULT_TITLE;
use serde_json::{Map, Value, json};

/// One model answering in this turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnTarget {
    /// The model.
    pub model_id: String,
    /// The assistant message it writes.
    pub message_id: String,
    /// Column of the model in a side-by-side view.
    pub model_idx: Option<i64>,
}

/// Why a turn cannot be added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TurnError {
    /// A message id is missing, repeated, or already used by another message.
    #[error("Message already exists or has an invalid ID.")]
    Conflict,
    /// The parent message is not in the chat.
    #[error("Parent message no longer exists.")]
    MissingParent,
    /// The user message id names a message that is not a user's.
    #[error("You can only regenerate replies to user messages.")]
    NotUserMessage,
}

/// The turn's models from `message_ids` (list or legacy `{model: message}` map), or the
/// single `model` with `id`.
pub fn targets(body: &Map<String, Value>) -> Vec<TurnTarget> {
    match body.get("message_ids") {
        Some(Value::Array(entries)) => entries
            .iter()
            .filter_map(|e| {
                Some(TurnTarget {
                    model_id: e.get("model_id")?.as_str()?.to_owned(),
                    message_id: e.get("message_id")?.as_str()?.to_owned(),
                    model_idx: e.get("modelIdx").and_then(Value::as_i64),
                })
            })
            .collect(),
        Some(Value::Object(entries)) => entries
            .iter()
            .filter_map(|(model, message)| {
                Some(TurnTarget {
                    model_id: model.clone(),
                    message_id: message.as_str()?.to_owned(),
                    model_idx: None,
                })
            })
            .collect(),
        _ => {
            let model = body.get("model").and_then(Value::as_str);
            let id = body.get("id").and_then(Value::as_str);
            match (model, id) {
                (Some(model), Some(id)) => vec![TurnTarget {
                    model_id: model.to_owned(),
                    message_id: id.to_owned(),
                    model_idx: None,
                }],
                _ => Vec::new(),
            }
        }
    }
}

fn placeholder(target: &TurnTarget, parent: Option<&str>, user_id: &str, now: i64) -> Value {
    let mut message = json!({
        "id": target.message_id, "parentId": parent, "childrenIds": [], "role": "assistant",
        "content": "", "done": false, "model": target.model_id, "timestamp": now, "user_id": user_id,
    });
    if let (Some(idx), Some(object)) = (target.model_idx, message.as_object_mut()) {
        object.insert("modelIdx".into(), json!(idx));
    }
    message
}

fn author(
    user_message: &Value,
    user_id: &str,
    user_name: &str,
    parent: Option<&str>,
    now: i64,
) -> Value {
    let mut message = user_message.clone();
    if let Some(object) = message.as_object_mut() {
        object.insert("role".into(), json!("user"));
        object.insert("parentId".into(), json!(parent));
        object.insert("user_id".into(), json!(user_id));
        object.insert("user".into(), json!({"id": user_id, "name": user_name}));
        object.entry("timestamp").or_insert(json!(now));
        object.entry("childrenIds").or_insert(json!([]));
    }
    message
}

/// The document of a chat created by its first message.
pub fn new_document(
    chat_id: &str,
    user: (&str, &str),
    user_message: Option<&Value>,
    targets: &[TurnTarget],
    files: Value,
    now: i64,
) -> Value {
    let (user_id, user_name) = user;
    let mut messages = Map::new();
    let user_message_id = user_message
        .and_then(|m| m.get("id"))
        .and_then(Value::as_str);
    if let (Some(message), Some(id)) = (user_message, user_message_id) {
        let mut message = author(message, user_id, user_name, None, now);
        message["childrenIds"] = json!(
            targets
                .iter()
                .map(|t| t.message_id.clone())
                .collect::<Vec<_>>()
        );
        messages.insert(id.to_owned(), message);
    }
    for target in targets {
        messages.insert(
            target.message_id.clone(),
            placeholder(target, user_message_id, user_id, now),
        );
    }
    let current = targets
        .first()
        .map(|t| t.message_id.as_str())
        .or(user_message_id);
    let content = user_message
        .and_then(|m| m.get("content"))
        .cloned()
        .unwrap_or(json!(""));
    json!({
        "id": chat_id,
        "title": DEFAULT_TITLE,
        "models": targets.iter().map(|t| t.model_id.clone()).collect::<Vec<_>>(),
        "history": {"currentId": current, "messages": messages},
        "messages": if user_message_id.is_some() { json!([{"role": "user", "content": content}]) } else { json!([]) },
        "files": files,
        "tags": [],
        "timestamp": now * 1000,
    })
}

/// Every id of the turn is present and different (a user message must have one).
fn check_ids(
    targets: &[TurnTarget],
    user_message: Option<&Value>,
    user_message_id: Option<&str>,
) -> Result<(), TurnError> {
    let mut ids: Vec<&str> = targets.iter().map(|t| t.message_id.as_str()).collect();
    ids.extend(user_message_id);
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    if ids.iter().any(|id| id.is_empty())
        || unique.len() != ids.len()
        || (user_message.is_some() && user_message_id.is_none())
    {
        return Err(TurnError::Conflict);
    }
    Ok(())
}

/// Adds a turn to an existing document: the user message (unless it is already there, as
/// when regenerating) and the placeholders. Returns the ids of the messages written.
pub fn add_turn(
    document: &mut Value,
    user: (&str, &str),
    user_message: Option<&Value>,
    targets: &[TurnTarget],
    now: i64,
) -> Result<Vec<String>, TurnError> {
    let (user_id, user_name) = user;
    let user_message_id = user_message
        .and_then(|m| m.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    check_ids(targets, user_message, user_message_id.as_deref())?;
    if !document.get("history").is_some_and(Value::is_object) {
        document["history"] = json!({"messages": {}, "currentId": null});
    }
    let history = &mut document["history"];
    if !history.get("messages").is_some_and(Value::is_object) {
        history["messages"] = json!({});
    }
    let messages = history["messages"]
        .as_object_mut()
        .ok_or(TurnError::Conflict)?;
    let reusable = |existing: &Value| {
        existing["role"] == "assistant"
            && existing.get("done") != Some(&Value::Bool(true))
            && existing
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
            && existing.get("parentId").and_then(Value::as_str) == user_message_id.as_deref()
    };
    let taken = targets
        .iter()
        .filter_map(|t| messages.get(&t.message_id))
        .any(|existing| !reusable(existing));
    if taken {
        return Err(TurnError::Conflict);
    }
    let mut written = Vec::new();
    if let (Some(message), Some(id)) = (user_message, &user_message_id) {
        match messages.get(id) {
            Some(existing) if existing["role"] != "user" => return Err(TurnError::NotUserMessage),
            Some(_) => {}
            None => {
                let parent = message
                    .get("parentId")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if let Some(parent) = &parent {
                    let Some(parent_message) = messages.get_mut(parent) else {
                        return Err(TurnError::MissingParent);
                    };
                    push_child(parent_message, id);
                    written.push(parent.clone());
                }
                messages.insert(
                    id.clone(),
                    author(message, user_id, user_name, parent.as_deref(), now),
                );
            }
        }
        written.push(id.clone());
    }
    for target in targets {
        messages.insert(
            target.message_id.clone(),
            placeholder(target, user_message_id.as_deref(), user_id, now),
        );
        if let Some(parent) = user_message_id.as_ref().and_then(|id| messages.get_mut(id)) {
            push_child(parent, &target.message_id);
        }
        written.push(target.message_id.clone());
    }
    if let Some(first) = targets.first() {
        document["history"]["currentId"] = json!(first.message_id);
    }
    written.sort();
    written.dedup();
    Ok(written)
}

fn push_child(parent: &mut Value, child: &str) {
    if !parent.get("childrenIds").is_some_and(Value::is_array) {
        parent["childrenIds"] = json!([]);
    }
    if let Some(children) = parent["childrenIds"].as_array_mut()
        && !children.iter().any(|c| c == child)
    {
        children.push(json!(child));
    }
}

/// The conversation up to `message_id` (inclusive), root first, as `{role, content}`
/// messages. Assistant messages that failed or are empty are left out.
pub fn prompt_history(document: &Value, message_id: &str) -> Vec<Value> {
    let Some(messages) = document
        .pointer("/history/messages")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    let mut next = Some(message_id.to_owned());
    while let Some(id) = next {
        if chain.len() > messages.len() {
            break;
        }
        let Some(message) = messages.get(&id) else {
            break;
        };
        chain.push(message);
        next = message
            .get("parentId")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    chain
        .into_iter()
        .rev()
        .filter_map(|m| {
            let role = m.get("role")?.as_str()?;
            let content = m.get("content").and_then(Value::as_str).unwrap_or("");
            if role == "assistant"
                && (content.is_empty() || m.get("error").is_some_and(|e| !e.is_null()))
            {
                return None;
            }
            let images = if role == "user" {
                image_urls(m)
            } else {
                Vec::new()
            };
            if images.is_empty() {
                return Some(json!({"role": role, "content": content}));
            }
            let mut parts = vec![json!({"type": "text", "text": content})];
            parts.extend(
                images
                    .into_iter()
                    .map(|url| json!({"type": "image_url", "image_url": {"url": url}})),
            );
            Some(json!({"role": role, "content": parts}))
        })
        .collect()
}

/// Whether a content type is a raster image a vision model can take (not SVG).
pub fn is_raster_image(content_type: &str) -> bool {
    let kind = content_type.split(';').next().unwrap_or_default().trim();
    kind.starts_with("image/") && kind != "image/svg+xml"
}

/// The URLs of a message's image files (`type: image`, or a file whose `content_type` is a
/// raster image), as the web client and Open WebUI put them into a user message.
fn image_urls(message: &Value) -> Vec<String> {
    let Some(files) = message.get("files").and_then(Value::as_array) else {
        return Vec::new();
    };
    files
        .iter()
        .filter(|f| {
            f.get("type").and_then(Value::as_str) == Some("image")
                || f.get("content_type")
                    .and_then(Value::as_str)
                    .is_some_and(is_raster_image)
        })
        .filter_map(|f| f.get("url").and_then(Value::as_str))
        .filter(|url| !url.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Merges `fields` into one message of the document; false when it is not there.
pub fn update_message(document: &mut Value, message_id: &str, fields: &Map<String, Value>) -> bool {
    let Some(message) = document
        .pointer_mut(&format!(
            "/history/messages/{}",
            message_id.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    for (key, value) in fields {
        message.insert(key.clone(), value.clone());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(model: &str, id: &str) -> TurnTarget {
        TurnTarget {
            model_id: model.into(),
            message_id: id.into(),
            model_idx: Some(0),
        }
    }

    #[test]
    fn targets_come_from_message_ids_or_the_single_model() {
        let body = json!({"message_ids": [{"model_id": "m", "message_id": "a1", "modelIdx": 0}]});
        assert_eq!(targets(body.as_object().unwrap()), vec![target("m", "a1")]);
        let legacy = json!({"message_ids": {"m": "a1"}});
        assert_eq!(targets(legacy.as_object().unwrap())[0].message_id, "a1");
        let single = json!({"model": "m", "id": "a1"});
        assert_eq!(targets(single.as_object().unwrap())[0].model_id, "m");
        assert!(targets(&Map::new()).is_empty());
    }

    #[test]
    fn a_new_chat_holds_the_user_message_and_placeholders() {
        let user_message = json!({"id": "u1", "parentId": null, "childrenIds": [], "role": "user", "content": "Hi"});
        let doc = new_document(
            "c1",
            ("uid", "Ann"),
            Some(&user_message),
            &[target("m", "a1"), target("n", "a2")],
            json!([]),
            10,
        );
        assert_eq!(doc["title"], "New Chat");
        assert_eq!(doc["models"], json!(["m", "n"]));
        assert_eq!(doc["history"]["currentId"], "a1");
        assert_eq!(
            doc["history"]["messages"]["u1"]["childrenIds"],
            json!(["a1", "a2"])
        );
        assert_eq!(
            doc["history"]["messages"]["u1"]["user"],
            json!({"id": "uid", "name": "Ann"})
        );
        assert_eq!(doc["history"]["messages"]["a2"]["parentId"], "u1");
        assert_eq!(doc["history"]["messages"]["a2"]["done"], false);
        assert_eq!(doc["messages"], json!([{"role": "user", "content": "Hi"}]));
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
    fn turns_append_regenerate_and_refuse_conflicts() {
        let first = json!({"id": "u1", "role": "user", "content": "Hi"});
        let mut doc = new_document(
            "c1",
            ("uid", "Ann"),
            Some(&first),
            &[target("m", "a1")],
            json!([]),
            10,
        );
        update_message(
            &mut doc,
            "a1",
            json!({"content": "Hello!", "done": true})
                .as_object()
                .unwrap(),
        );
        let second = json!({"id": "u2", "parentId": "a1", "role": "user", "content": "More"});
        let written = add_turn(
            &mut doc,
            ("uid", "Ann"),
            Some(&second),
            &[target("m", "a2")],
            20,
        )
        .unwrap();
        assert_eq!(written, vec!["a1", "a2", "u2"]);
        assert_eq!(
            doc["history"]["messages"]["a1"]["childrenIds"],
            json!(["u2"])
        );
        assert_eq!(doc["history"]["currentId"], "a2");
        let prompt = prompt_history(&doc, "u2");
        assert_eq!(
            prompt,
            vec![
                json!({"role": "user", "content": "Hi"}),
                json!({"role": "assistant", "content": "Hello!"}),
                json!({"role": "user", "content": "More"}),
            ]
        );
        // Regenerate: the same user message, a new reply.
        add_turn(
            &mut doc,
            ("uid", "Ann"),
            Some(&second),
            &[target("m", "a3")],
            30,
        )
        .unwrap();
        assert_eq!(
            doc["history"]["messages"]["u2"]["childrenIds"],
            json!(["a2", "a3"])
        );
        // A finished reply cannot be overwritten, ids cannot repeat, parents must exist.
        assert_eq!(
            add_turn(&mut doc, ("uid", "Ann"), None, &[target("m", "a1")], 40),
            Err(TurnError::Conflict)
        );
        assert_eq!(
            add_turn(
                &mut doc,
                ("uid", "Ann"),
                Some(&second),
                &[target("m", "u2")],
                40
            ),
            Err(TurnError::Conflict)
        );
        let orphan = json!({"id": "u9", "parentId": "gone", "role": "user", "content": "?"});
        assert_eq!(
            add_turn(
                &mut doc,
                ("uid", "Ann"),
                Some(&orphan),
                &[target("m", "a9")],
                40
            ),
            Err(TurnError::MissingParent)
        );
        let not_user = json!({"id": "a1", "role": "user", "content": "x"});
        assert_eq!(
            add_turn(
                &mut doc,
                ("uid", "Ann"),
                Some(&not_user),
                &[target("m", "a8")],
                40
            ),
            Err(TurnError::NotUserMessage)
        );
    }
}
