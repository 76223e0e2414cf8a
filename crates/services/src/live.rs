//! What connected clients may do on their sockets (Open WebUI's `socket/main.py` use cases):
//! sign a socket in by its token, join a chat's room when they may read it, and mark a chat
//! read from the page that shows it.

use crate::App;
use crate::accounts::authenticate::authenticate;
use hearth_domain::chat::is_saved_chat_id;
use hearth_domain::ids::ChatId;
use hearth_domain::ports::user_room;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, UserId};
use serde_json::json;

/// The verified user a socket's token belongs to, if it is still valid.
pub async fn socket_user(app: &App, token: &str) -> Option<User> {
    let principal = authenticate(app, token, "/ws/socket.io/", None)
        .await
        .ok()?;
    principal.user.role.is_verified().then_some(principal.user)
}

/// Whether the user may follow a chat's events: a stored chat of theirs, or any for an admin.
pub async fn may_view_chat(app: &App, user: &UserId, role: &str, chat: &str) -> bool {
    if !is_saved_chat_id(chat) {
        return false;
    }
    match app.storage.chats().get(&ChatId::from(chat)).await {
        Ok(Some(found)) => found.user_id == *user || role == Role::Admin.as_str(),
        _ => false,
    }
}

/// Marks one of the user's chats read now, and tells their sidebars.
pub async fn mark_read(app: &App, user: &UserId, chat: &str) {
    if !is_saved_chat_id(chat) {
        return;
    }
    let Ok(Some(mut found)) = app.storage.chats().get(&ChatId::from(chat)).await else {
        return;
    };
    if found.user_id != *user {
        return;
    }
    let now = now_epoch();
    found.last_read_at = Some(now);
    if app.storage.chats().save_flags(&found).await.is_err() {
        return;
    }
    let event = json!({
        "chat_id": chat,
        "data": {"type": "chat:list", "data": {"chat_id": chat, "last_read_at": now}},
    });
    app.clients.emit(&user_room(user), "events", &event);
}

/// Records that the user is active (a heartbeat).
pub async fn record_activity(app: &App, user: &UserId) {
    if let Err(error) = app.storage.users().touch(user, now_epoch()).await {
        tracing::debug!(%error, "heartbeat could not record activity");
    }
}
