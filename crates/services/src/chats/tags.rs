//! Chat tags: the caller's tags, a chat's tags, adding and removing one.

use super::access::{own_chat, readable_chat};
use super::dto::TagResponse;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::User;
use hearth_domain::chat::Chat;
use hearth_domain::chat::tags::{Tag, tag_id};
use hearth_domain::ids::ChatId;
use hearth_domain::text::strip_nul;
use serde_json::{Value, json};

/// Every tag of the caller.
pub async fn all_tags(app: &App, user: &User) -> ServiceResult<Vec<TagResponse>> {
    let tags = app.storage.chats().tags(&user.id).await?;
    Ok(tags.into_iter().map(Into::into).collect())
}

async fn tags_of(app: &App, chat: &Chat) -> ServiceResult<Vec<TagResponse>> {
    let ids = chat.tag_ids();
    let tags = app.storage.chats().tags(&chat.user_id).await?;
    Ok(tags
        .into_iter()
        .filter(|t| ids.contains(&t.id))
        .map(Into::into)
        .collect())
}

/// A chat's tags.
pub async fn chat_tags(app: &App, user: &User, id: &ChatId) -> ServiceResult<Vec<TagResponse>> {
    let chat = readable_chat(app, user, id).await?;
    tags_of(app, &chat).await
}

/// Tags a chat (creating the tag); answers with the chat's tags.
pub async fn add_tag(
    app: &App,
    user: &User,
    id: &ChatId,
    name: &str,
) -> ServiceResult<Vec<TagResponse>> {
    let mut chat = own_chat(app, user, id, msg::DEFAULT).await?;
    let name = strip_nul(name.trim());
    let id = tag_id(&name);
    if id == "none" {
        return Err(ServiceError::invalid("[ERROR: Tag name cannot be 'None']"));
    }
    if id.is_empty() {
        return Err(ServiceError::invalid("[ERROR: Tag name cannot be empty]"));
    }
    let mut ids = chat.tag_ids();
    if !ids.contains(&id) {
        let tag = Tag {
            id: id.clone(),
            name,
            user_id: user.id.to_string(),
            meta: None,
        };
        app.storage.chats().ensure_tag(&tag).await?;
        ids.push(id);
        set_tags(&mut chat, ids);
        app.storage.chats().save_flags(&chat).await?;
    }
    tags_of(app, &chat).await
}

/// Untags a chat; the tag row goes when no chat uses it.
pub async fn remove_tag(
    app: &App,
    user: &User,
    id: &ChatId,
    name: &str,
) -> ServiceResult<Vec<TagResponse>> {
    let mut chat = own_chat(app, user, id, msg::NOT_FOUND).await?;
    let id = tag_id(name);
    let ids: Vec<String> = chat.tag_ids().into_iter().filter(|t| *t != id).collect();
    set_tags(&mut chat, ids);
    app.storage.chats().save_flags(&chat).await?;
    app.storage.chats().delete_unused_tags(&user.id).await?;
    tags_of(app, &chat).await
}

/// Gives a chat more tags by name (creating them); returns the names that were new.
pub async fn add_named_tags(app: &App, chat: &mut Chat, names: &[String]) -> ServiceResult<()> {
    let mut ids = chat.tag_ids();
    for name in names {
        let id = tag_id(name);
        let tag = Tag {
            id: id.clone(),
            name: name.clone(),
            user_id: chat.user_id.to_string(),
            meta: None,
        };
        app.storage.chats().ensure_tag(&tag).await?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    set_tags(chat, ids);
    app.storage.chats().save_flags(chat).await?;
    Ok(())
}

/// Stores `ids` as the chat's tags (`meta.tags`), making `meta` an object if it is not one.
pub fn set_tags(chat: &mut Chat, ids: Vec<String>) {
    if !chat.meta.is_object() {
        chat.meta = json!({});
    }
    if let Value::Object(meta) = &mut chat.meta {
        meta.insert("tags".into(), json!(ids));
    }
}
