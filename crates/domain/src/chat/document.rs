//! The chat document (`chat.chat`): a JSON object with `title`, `models`, `history`
//! (`{currentId, messages: {id: message}}`, a tree linked by `parentId`/`childrenIds`), the
//! legacy linear `messages` list, `files` and `timestamp`. Pure functions, as Open WebUI
//! applies them on every save.

use super::{DEFAULT_TITLE, MessageRecord};
use serde_json::{Map, Value};

/// The document's title, or "New Chat".
pub fn title_of(document: &Value) -> String {
    document
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_TITLE)
        .to_owned()
}

/// The leaf of the current branch: `history.currentId`, else `currentId`, else
/// `branchPointMessageId`, else the last message of the legacy list.
pub fn current_message_id(document: &Value) -> Option<String> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    text(document.pointer("/history/currentId"))
        .or_else(|| text(document.get("currentId")))
        .or_else(|| text(document.get("branchPointMessageId")))
        .or_else(|| {
            document
                .get("messages")?
                .as_array()?
                .iter()
                .rev()
                .find_map(|m| text(m.get("id")))
        })
}

/// The document's messages by id: `history.messages`, or the legacy list keyed by `id`.
pub fn messages_of(document: &Value) -> Map<String, Value> {
    if let Some(Value::Object(messages)) = document.pointer("/history/messages")
        && !messages.is_empty()
    {
        return messages.clone();
    }
    let mut messages = Map::new();
    for message in document
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = message.get("id").and_then(Value::as_str) {
            messages.insert(id.to_owned(), message.clone());
        }
    }
    messages
}

/// Merges two histories: all messages of both (incoming wins per id), `childrenIds` rebuilt
/// from `parentId`, `currentId` from incoming if it exists, else existing, else `null`.
pub fn merge_history(existing: Option<&Value>, incoming: Option<&Value>) -> Value {
    let messages = |h: Option<&Value>| {
        h.and_then(|h| h.get("messages"))
            .and_then(Value::as_object)
            .cloned()
    };
    let mut combined = messages(existing).unwrap_or_default();
    combined.extend(messages(incoming).unwrap_or_default());
    let mut merged: Map<String, Value> = Map::new();
    for (id, message) in combined {
        if let Value::Object(mut message) = message {
            message.insert("childrenIds".into(), Value::Array(Vec::new()));
            merged.insert(id, Value::Object(message));
        }
    }
    let links: Vec<(String, String)> = merged
        .iter()
        .filter_map(|(id, m)| Some((m.get("parentId")?.as_str()?.to_owned(), id.clone())))
        .collect();
    for (parent, child) in links {
        if let Some(Value::Array(children)) = merged
            .get_mut(&parent)
            .and_then(|p| p.get_mut("childrenIds"))
        {
            children.push(Value::String(child));
        }
    }
    let current = |h: Option<&Value>| {
        h.and_then(|h| h.get("currentId"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let current_id = current(incoming)
        .filter(|id| merged.contains_key(id))
        .or_else(|| current(existing).filter(|id| merged.contains_key(id)));
    let mut history = Map::new();
    for source in [existing, incoming].into_iter().flatten() {
        if let Value::Object(map) = source {
            history.extend(map.clone());
        }
    }
    history.insert("messages".into(), Value::Object(merged));
    history.insert(
        "currentId".into(),
        current_id.map_or(Value::Null, Value::String),
    );
    Value::Object(history)
}

/// Applies a client's partial document to the stored one, as Open WebUI's save does:
/// top-level keys replace; `history` merges so that messages saved since the client read
/// survive; messages of other authors and unfinished assistant messages keep their stored
/// version.
pub fn apply_update(stored: &Value, patch: &Map<String, Value>, owner_id: &str) -> Value {
    let mut updated = match stored {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    updated.extend(patch.clone());
    if let Some(incoming) = patch.get("history") {
        let mut history = merge_history(stored.get("history"), Some(incoming));
        let stored_messages = stored
            .pointer("/history/messages")
            .and_then(Value::as_object);
        if let (Some(stored_messages), Some(Value::Object(merged))) =
            (stored_messages, history.get_mut("messages"))
        {
            let not_done =
                |m: Option<&Value>| m.and_then(|m| m.get("done")) == Some(&Value::Bool(false));
            for (id, message) in stored_messages {
                let author = message
                    .get("user_id")
                    .and_then(Value::as_str)
                    .unwrap_or(owner_id);
                let assistant = message.get("role").and_then(Value::as_str) == Some("assistant");
                if author != owner_id
                    || (assistant && (not_done(Some(message)) || not_done(merged.get(id))))
                {
                    merged.insert(id.clone(), message.clone());
                }
            }
        }
        history = merge_history(Some(&history), None);
        updated.insert("history".into(), history);
    }
    Value::Object(updated)
}

/// Ids of messages named by `patch.history` whose value differs from the stored one (these
/// are re-written to `chat_message`).
pub fn changed_message_ids(
    stored: &Value,
    updated: &Value,
    patch: &Map<String, Value>,
) -> Vec<String> {
    let Some(Value::Object(sent)) = patch.get("history").and_then(|h| h.get("messages")) else {
        return Vec::new();
    };
    sent.keys()
        .filter(|id| {
            let now = updated.pointer(&format!("/history/messages/{}", escape_pointer(id)));
            let before = stored.pointer(&format!("/history/messages/{}", escape_pointer(id)));
            now.is_some_and(|m| m.get("role").is_some()) && now != before
        })
        .cloned()
        .collect()
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The `chat_message` row for a message, or `None` if it has no role.
pub fn message_record(
    message_id: &str,
    message: &Value,
    owner_id: &str,
    now: i64,
) -> Option<MessageRecord> {
    let role = message.get("role")?.as_str()?.to_owned();
    let text = |key: &str| message.get(key).and_then(Value::as_str).map(str::to_owned);
    let json = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| message.get(*k).filter(|v| !v.is_null()).cloned())
    };
    let user_id = text("user_id")
        .or_else(|| {
            message
                .pointer("/user/id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| owner_id.to_owned());
    let created_at = message
        .get("timestamp")
        .and_then(|t| t.as_i64().or_else(|| t.as_f64().map(|f| f as i64)))
        .filter(|t| *t > 0)
        .unwrap_or(now);
    Some(MessageRecord {
        message_id: message_id.into(),
        user_id: user_id.into(),
        role,
        parent_id: text("parentId")
            .or_else(|| text("parent_id"))
            .map(Into::into),
        content: json(&["content"]),
        output: json(&["output"]),
        model_id: text("model").or_else(|| text("model_id")).map(Into::into),
        files: json(&["files"]),
        sources: json(&["sources"]),
        embeds: json(&["embeds"]),
        meta: json(&["meta"]),
        done: message.get("done").and_then(Value::as_bool).unwrap_or(true),
        status_history: json(&["statusHistory", "status_history"]),
        error: json(&["error"]),
        usage: json(&["usage"]),
        context_summary: text("contextSummary").or_else(|| text("context_summary")),
        created_at,
    })
}

/// Removes a message and its direct replies from a history; grandchildren move up to the
/// message's parent and `currentId` moves to the last leaf below the parent. Returns the
/// removed ids.
pub fn delete_message(history: &mut Value, message_id: &str) -> Vec<String> {
    let Some(Value::Object(messages)) = history.get_mut("messages") else {
        return Vec::new();
    };
    let Some(message) = messages.get(message_id).cloned() else {
        return Vec::new();
    };
    let ids = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect()
    };
    let parent_id = message
        .get("parentId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let children: Vec<String> = ids(message.get("childrenIds"))
        .into_iter()
        .filter(|c| messages.contains_key(c))
        .collect();
    let grandchildren: Vec<String> = children
        .iter()
        .flat_map(|c| ids(messages.get(c).and_then(|m| m.get("childrenIds"))))
        .filter(|g| messages.contains_key(g))
        .collect();
    if let Some(parent) = parent_id.as_ref().and_then(|p| messages.get_mut(p)) {
        let mut kept: Vec<Value> = ids(parent.get("childrenIds"))
            .into_iter()
            .filter(|c| c != message_id)
            .map(Value::String)
            .collect();
        kept.extend(grandchildren.iter().cloned().map(Value::String));
        parent["childrenIds"] = Value::Array(kept);
    }
    for grandchild in &grandchildren {
        if let Some(g) = messages.get_mut(grandchild) {
            g["parentId"] = parent_id.clone().map_or(Value::Null, Value::String);
        }
    }
    let mut deleted = vec![message_id.to_owned()];
    deleted.extend(children);
    for id in &deleted {
        messages.remove(id);
    }
    let mut current = parent_id.clone();
    let mut next: Vec<String> = match &current {
        None => messages
            .iter()
            .filter(|(_, m)| m.get("parentId").is_none_or(Value::is_null))
            .map(|(id, _)| id.clone())
            .collect(),
        Some(id) => ids(messages.get(id).and_then(|m| m.get("childrenIds"))),
    };
    let mut visited = std::collections::HashSet::new();
    while let Some(last) = next.last().cloned() {
        if !visited.insert(last.clone()) {
            break;
        }
        next = ids(messages.get(&last).and_then(|m| m.get("childrenIds")));
        current = Some(last);
    }
    let current = current.filter(|id| messages.contains_key(id));
    history["currentId"] = current.map_or(Value::Null, Value::String);
    deleted
}

/// Why a branch could not be forked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForkError {
    /// The chat has no messages.
    #[error("chat has no messages to fork")]
    Empty,
    /// The message is not in the chat.
    #[error("message not found")]
    NotFound,
    /// Parent links loop.
    #[error("message branch contains a cycle")]
    Cycle,
}

/// The branch ending at `source`, as a new linear history: `(history, ordered messages)`.
/// Unfinished assistant messages are marked done.
pub fn fork_branch(
    messages: &Map<String, Value>,
    source: &str,
) -> Result<(Value, Vec<Value>), ForkError> {
    if messages.is_empty() {
        return Err(ForkError::Empty);
    }
    let mut branch = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut next = Some(source.to_owned());
    while let Some(id) = next {
        if !seen.insert(id.clone()) {
            return Err(ForkError::Cycle);
        }
        let message = messages
            .get(&id)
            .filter(|m| m.is_object())
            .ok_or(ForkError::NotFound)?;
        next = message
            .get("parentId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        branch.push((id, message.clone()));
    }
    let mut forked = Map::new();
    let mut ordered = Vec::new();
    let mut parent: Option<String> = None;
    for (id, mut message) in branch.into_iter().rev() {
        message["id"] = Value::String(id.clone());
        message["parentId"] = parent.clone().map_or(Value::Null, Value::String);
        message["childrenIds"] = Value::Array(Vec::new());
        if message.get("role").and_then(Value::as_str) == Some("assistant")
            && message.get("done") == Some(&Value::Bool(false))
        {
            message["done"] = Value::Bool(true);
        }
        if let Some(p) = parent.as_ref().and_then(|p| forked.get_mut(p)) {
            p["childrenIds"] = Value::Array(vec![Value::String(id.clone())]);
        }
        ordered.push(message.clone());
        forked.insert(id.clone(), message);
        parent = Some(id);
    }
    let ordered = ordered
        .iter()
        .map(|m| {
            forked
                .get(m["id"].as_str().unwrap_or_default())
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    Ok((
        serde_json::json!({"messages": forked, "currentId": source}),
        ordered,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(id: &str, parent: Option<&str>, role: &str) -> Value {
        json!({"id": id, "parentId": parent, "childrenIds": [], "role": role, "content": id, "timestamp": 100})
    }

    #[test]
    fn current_message_falls_back_through_the_legacy_fields() {
        assert_eq!(
            current_message_id(&json!({"history": {"currentId": "b"}})),
            Some("b".into())
        );
        assert_eq!(
            current_message_id(&json!({"currentId": "c"})),
            Some("c".into())
        );
        assert_eq!(
            current_message_id(&json!({"messages": [{"id": "x"}, {"id": "y"}]})),
            Some("y".into())
        );
        assert_eq!(current_message_id(&json!({})), None);
        assert_eq!(title_of(&json!({})), "New Chat");
    }

    #[test]
    fn merge_keeps_messages_saved_since_the_client_read() {
        let stored = json!({"messages": {"a": message("a", None, "user"), "b": message("b", Some("a"), "assistant")}, "currentId": "b"});
        let incoming = json!({"messages": {"a": message("a", None, "user"), "c": message("c", Some("a"), "assistant")}, "currentId": "c"});
        let merged = merge_history(Some(&stored), Some(&incoming));
        assert_eq!(merged["currentId"], "c");
        let children = merged["messages"]["a"]["childrenIds"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(children.len(), 2);
        assert!(merged["messages"].get("b").is_some());
        let dangling = merge_history(
            Some(&stored),
            Some(&json!({"messages": {}, "currentId": "zz"})),
        );
        assert_eq!(dangling["currentId"], "b");
    }

    #[test]
    fn updates_protect_unfinished_answers_and_other_authors() {
        let mut streaming = message("b", Some("a"), "assistant");
        streaming["done"] = json!(false);
        streaming["content"] = json!("partial from the server");
        let mut other = message("o", Some("a"), "user");
        other["user_id"] = json!("someone-else");
        let stored = json!({"title": "t", "history": {"messages": {"a": message("a", None, "user"), "b": streaming, "o": other}, "currentId": "b"}});
        let mut stale = message("b", Some("a"), "assistant");
        stale["content"] = json!("");
        let mut forged = message("o", Some("a"), "user");
        forged["content"] = json!("changed");
        let patch = json!({"title": "new", "history": {"messages": {"b": stale, "o": forged}, "currentId": "b"}});
        let updated = apply_update(&stored, patch.as_object().unwrap_or(&Map::new()), "owner");
        assert_eq!(updated["title"], "new");
        assert_eq!(
            updated["history"]["messages"]["b"]["content"],
            "partial from the server"
        );
        assert_eq!(updated["history"]["messages"]["o"]["content"], "o");
        assert!(updated["history"]["messages"].get("a").is_some());
    }

    #[test]
    fn deleting_a_message_reattaches_grandchildren() {
        let mut history = json!({"messages": {
            "a": {"id": "a", "parentId": null, "childrenIds": ["b"], "role": "user"},
            "b": {"id": "b", "parentId": "a", "childrenIds": ["c"], "role": "assistant"},
            "c": {"id": "c", "parentId": "b", "childrenIds": ["d"], "role": "user"},
            "d": {"id": "d", "parentId": "c", "childrenIds": [], "role": "assistant"}
        }, "currentId": "d"});
        let deleted = delete_message(&mut history, "b");
        assert_eq!(deleted, vec!["b".to_owned(), "c".to_owned()]);
        assert_eq!(history["messages"]["a"]["childrenIds"], json!(["d"]));
        assert_eq!(history["messages"]["d"]["parentId"], "a");
        assert_eq!(history["currentId"], "d");
        assert!(delete_message(&mut history, "missing").is_empty());
    }

    #[test]
    fn forks_keep_only_the_branch() {
        let messages = json!({
            "a": message("a", None, "user"), "b": message("b", Some("a"), "assistant"),
            "c": message("c", Some("a"), "assistant"), "d": message("d", Some("b"), "user")
        });
        let map = messages.as_object().cloned().unwrap_or_default();
        let (history, ordered) = fork_branch(&map, "d").unwrap_or_else(|_| unreachable!());
        assert_eq!(history["currentId"], "d");
        assert_eq!(history["messages"].as_object().map(|m| m.len()), Some(3));
        assert_eq!(history["messages"]["a"]["childrenIds"], json!(["b"]));
        assert_eq!(ordered.len(), 3);
        assert_eq!(fork_branch(&map, "zz"), Err(ForkError::NotFound));
        assert_eq!(fork_branch(&Map::new(), "a"), Err(ForkError::Empty));
    }

    #[test]
    fn message_records_take_the_author_and_columns() {
        let record = message_record(
            "m",
            &json!({"role": "assistant", "model": "gpt", "done": false, "statusHistory": [1], "user": {"id": "u2"}}),
            "owner",
            7,
        );
        let record = record.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (
                record.user_id.as_str(),
                record.model_id.as_deref(),
                record.done,
                record.created_at
            ),
            ("u2", Some("gpt"), false, 7)
        );
        assert_eq!(record.status_history, Some(json!([1])));
        assert!(message_record("m", &json!({"content": "no role"}), "owner", 7).is_none());
    }
}
