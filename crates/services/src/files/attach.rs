//! Files in a chat request, as Open WebUI applies them before the model sees it: attached
//! documents' text goes into the last user message through the RAG template (the whole text
//! until retrieval picks passages), and images referenced by file id or
//! `/api/v1/files/{id}/content` become `data:` URLs. Every file is read only if the caller
//! may read it; one they may not is skipped as if it did not exist.

use super::access::readable_file;
use super::limits::check_count;
use crate::App;
use crate::error::ServiceResult;
use crate::permissions::may_read_knowledge;
use base64::Engine;
use hearth_domain::User;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::{ChatId, FileId, KnowledgeId, MessageId};
use hearth_domain::knowledge::Knowledge;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value};

/// The file id a message image URL names: a bare id or `/api/v1/files/{id}/content`.
fn image_file_id(url: &str) -> Option<&str> {
    if url.starts_with("data:") || url.starts_with("http://") || url.starts_with("https://") {
        return None;
    }
    let id = match url.strip_prefix("/api/v1/files/") {
        Some(rest) => rest
            .split(['/', '?', '#'])
            .next()
            .filter(|_| rest.contains("/content"))?,
        None => url,
    };
    (!id.is_empty() && id.len() <= 64 && !id.contains(['/', ' '])).then_some(id)
}

async fn image_data_url(app: &App, user: &User, id: &str) -> ServiceResult<Option<String>> {
    let Some(file) = readable_file(app, user, &FileId::from(id)).await? else {
        return Ok(None);
    };
    let Some(path) = file.path.as_deref() else {
        return Ok(None);
    };
    let bytes = match app.files.blobs.read(path).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(e) => {
            tracing::warn!(error = %e, "reading an image for a model failed");
            return Ok(None);
        }
    };
    let content_type = file
        .content_type()
        .filter(|t| t.starts_with("image/"))
        .unwrap_or("image/png");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(Some(format!("data:{content_type};base64,{encoded}")))
}

/// Replaces file-backed image URLs in the messages with `data:` URLs.
async fn inline_images(app: &App, user: &User, messages: &mut [Value]) -> ServiceResult<()> {
    for message in messages {
        let Some(Value::Array(parts)) = message.get_mut("content") else {
            continue;
        };
        for part in parts {
            let kind = part.get("type").and_then(Value::as_str);
            if !matches!(kind, Some("image_url" | "input_image")) {
                continue;
            }
            let url = match part.get("image_url") {
                Some(Value::Object(inner)) => inner.get("url").and_then(Value::as_str),
                Some(Value::String(url)) => Some(url.as_str()),
                _ => None,
            };
            let Some(id) = url.and_then(image_file_id).map(str::to_owned) else {
                continue;
            };
            if let Some(data) = image_data_url(app, user, &id).await? {
                match part.get_mut("image_url") {
                    Some(Value::Object(inner)) => {
                        inner.insert("url".into(), Value::from(data));
                    }
                    Some(slot) => *slot = Value::from(data),
                    None => {}
                }
            }
        }
    }
    Ok(())
}

/// The ids of attached documents (`files` entries of type `file`).
fn document_ids(files: &[Value]) -> Vec<String> {
    files
        .iter()
        .filter(|f| {
            f.get("type")
                .and_then(Value::as_str)
                .is_none_or(|t| t == "file")
        })
        .filter_map(|f| {
            f.get("id")
                .or_else(|| f.get("file").and_then(|inner| inner.get("id")))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

/// The attached knowledge bases (`type: collection`) the caller may read.
async fn readable_collections(
    app: &App,
    user: &User,
    files: &[Value],
) -> ServiceResult<Vec<Knowledge>> {
    let mut found: Vec<Knowledge> = Vec::new();
    for entry in files
        .iter()
        .filter(|f| f.get("type").and_then(Value::as_str) == Some("collection"))
    {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            continue;
        };
        let knowledge = app
            .storage
            .knowledge()
            .knowledge(&KnowledgeId::from(id))
            .await?;
        if let Some(k) = knowledge.filter(|k| may_read_knowledge(app, user, k))
            && !found.iter().any(|f| f.id == k.id)
        {
            found.push(k);
        }
    }
    Ok(found)
}

/// The attached documents the caller may read, in order.
async fn readable_documents(
    app: &App,
    user: &User,
    ids: &[String],
) -> ServiceResult<Vec<StoredFile>> {
    let mut files = Vec::new();
    for id in ids {
        if let Some(file) = readable_file(app, user, &FileId::from(id.as_str())).await?
            && !files.iter().any(|f: &StoredFile| f.id == file.id)
        {
            files.push(file);
        }
    }
    Ok(files)
}

fn text_of(message: &Value) -> String {
    match message.get("content") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// Puts `text` before the content of the last message (a user message), as Open WebUI's
/// `add_or_update_user_message(..., append=False)`; adds a user message otherwise.
fn prepend_to_last_user(messages: &mut Vec<Value>, text: &str) {
    let last_is_user = messages
        .last()
        .and_then(|m| m.get("role"))
        .and_then(Value::as_str)
        == Some("user");
    let Some(last) = messages.last_mut().filter(|_| last_is_user) else {
        let mut message = Map::new();
        message.insert("role".into(), Value::from("user"));
        message.insert("content".into(), Value::from(text));
        messages.push(Value::Object(message));
        return;
    };
    match last.get_mut("content") {
        Some(Value::Array(parts)) => {
            for part in parts
                .iter_mut()
                .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            {
                let old = part.get("text").and_then(Value::as_str).unwrap_or_default();
                part["text"] = Value::from(format!("{text}\n{old}"));
            }
        }
        Some(content) => {
            let old = content.as_str().unwrap_or_default();
            *content = Value::from(format!("{text}\n{old}"));
        }
        None => {}
    }
}

/// The RAG template with the context and the query filled in.
fn fill_template(template: &str, context: &str, query: &str) -> String {
    template
        .replace("[context]", context)
        .replace("{{CONTEXT}}", context)
        .replace("[query]", query)
        .replace("{{QUERY}}", query)
}

/// Links the files of a chat message that the caller may read to the chat (`chat_file`), so
/// that sharing the chat shares them.
pub async fn link_to_chat(
    app: &App,
    user: &User,
    chat_id: &ChatId,
    message_id: Option<&MessageId>,
    files: &[Value],
) -> ServiceResult<()> {
    let mut readable = Vec::new();
    for entry in files {
        let id = entry.get("id").and_then(Value::as_str).or_else(|| {
            entry
                .get("url")
                .and_then(Value::as_str)
                .and_then(image_file_id)
        });
        let Some(id) = id.map(FileId::from) else {
            continue;
        };
        if readable_file(app, user, &id).await?.is_some() && !readable.contains(&id) {
            readable.push(id);
        }
    }
    if readable.is_empty() {
        return Ok(());
    }
    app.storage
        .files()
        .link_chat_files(&user.id, chat_id, message_id, &readable, now_epoch())
        .await?;
    Ok(())
}

/// Refuses more attached files than `rag.file.max_count` allows.
pub fn check_files(app: &App, body: &Map<String, Value>) -> ServiceResult<()> {
    let count = body
        .get("files")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    check_count(app, count)
}

/// Applies attached documents (`files` entries) and file-backed images to the messages about
/// to be sent; returns the `sources` (citations) of what was retrieved.
pub async fn apply_to(
    app: &App,
    user: &User,
    messages: &mut Vec<Value>,
    files: &[Value],
    model_id: &str,
) -> ServiceResult<Vec<Value>> {
    inline_images(app, user, messages).await?;
    let ids = document_ids(files);
    let wants_collections = files
        .iter()
        .any(|f| f.get("type").and_then(Value::as_str) == Some("collection"));
    if ids.is_empty() && !wants_collections {
        return Ok(Vec::new());
    }
    let documents = readable_documents(app, user, &ids).await?;
    let knowledge = readable_collections(app, user, files).await?;
    let query = messages.last().map(text_of).unwrap_or_default();
    let whole = files
        .iter()
        .all(|f| f.get("context").and_then(Value::as_str) == Some("full"));
    let queries = if whole {
        vec![query.clone()]
    } else {
        crate::retrieval::queries(app, messages, model_id).await
    };
    let found = crate::retrieval::passages(app, &documents, &knowledge, &queries).await;
    if found.context.is_empty() {
        return Ok(Vec::new());
    }
    let view = app.view();
    let filled = fill_template(view.text("rag.template"), &found.context, &query);
    prepend_to_last_user(messages, &filled);
    Ok(found.sources)
}

/// Applies a request's attached files and images to its own messages (a direct
/// completion); returns the `sources` of what was retrieved.
pub async fn apply(
    app: &App,
    user: &User,
    body: &mut Map<String, Value>,
) -> ServiceResult<Vec<Value>> {
    let files = match body.get("files") {
        Some(Value::Array(files)) => files.clone(),
        _ => Vec::new(),
    };
    let model_id = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match body.get_mut("messages") {
        Some(Value::Array(messages)) => apply_to(app, user, messages, &files, &model_id).await,
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_urls_that_name_files() {
        assert_eq!(image_file_id("abc-123"), Some("abc-123"));
        assert_eq!(image_file_id("/api/v1/files/abc/content"), Some("abc"));
        assert_eq!(image_file_id("/api/v1/files/abc/content?x=1"), Some("abc"));
        assert_eq!(image_file_id("data:image/png;base64,AAAA"), None);
        assert_eq!(image_file_id("https://example.com/a.png"), None);
        assert_eq!(image_file_id("/api/v1/files/abc"), None);
    }

    #[test]
    fn context_goes_before_the_last_user_message() {
        let mut messages = vec![json!({"role": "user", "content": "what?"})];
        prepend_to_last_user(&mut messages, "CTX");
        assert_eq!(messages[0]["content"], "CTX\nwhat?");
        let mut parts = vec![
            json!({"role": "user", "content": [{"type": "text", "text": "q"}, {"type": "image_url"}]}),
        ];
        prepend_to_last_user(&mut parts, "CTX");
        assert_eq!(parts[0]["content"][0]["text"], "CTX\nq");
        assert_eq!(
            fill_template("<c>{{CONTEXT}}</c> [query]", "x", "y"),
            "<c>x</c> y"
        );
    }
}
