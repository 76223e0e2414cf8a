//! What Hearth does with sockets: authentication from the connect payload (and `user-join`),
//! `heartbeat`, `usage`, and `events:chat` (join/leave a chat's room, typing, read marker).

use hearth_auth::authenticate::{AuthPolicy, Authenticator};
use hearth_domain::ports::{ChatStore, UserStore};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, UserId};
use hearth_realtime::{Realtime, Socket, SocketHandler, SocketUser};
use serde_json::{Value, json};
use std::sync::Arc;

use crate::live_config::LiveConfig;
use hearth_domain::config::keys;

/// The application side of sockets.
pub struct SocketEvents {
    pub(crate) authenticator: Authenticator,
    pub(crate) config: Arc<LiveConfig>,
    pub(crate) users: Arc<dyn UserStore>,
    pub(crate) chats: Arc<dyn ChatStore>,
    pub(crate) realtime: Arc<Realtime>,
}

/// The room of all of a user's sockets.
pub fn user_room(user_id: &str) -> String {
    format!("user:{user_id}")
}

/// The room of a chat's viewers.
pub fn chat_room(chat_id: &str) -> String {
    format!("chat:{chat_id}")
}

/// Whether a chat id names a stored chat (not a temporary or channel one).
pub fn is_saved_chat_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with("temporary:")
        && !id.starts_with("local:")
        && !id.starts_with("channel:")
}

fn token_of(value: Option<&Value>) -> Option<String> {
    value?
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl SocketEvents {
    /// The verified user a token belongs to, if it is still valid.
    pub async fn user_for(&self, token: &str) -> Option<User> {
        let view = self.config.view();
        let policy = AuthPolicy {
            enable_api_keys: view.flag(keys::ENABLE_API_KEYS),
            endpoint_restrictions: view.flag(keys::API_KEY_ENDPOINT_RESTRICTIONS),
            allowed_endpoints: view.text(keys::API_KEY_ALLOWED_ENDPOINTS),
            permissions: &view.permissions,
            trusted_email: None,
        };
        let principal = self
            .authenticator
            .authenticate(token, "/ws/socket.io/", &policy, now_epoch())
            .await
            .ok()?;
        principal.user.role.is_verified().then_some(principal.user)
    }

    async fn sign_in(&self, socket: &Arc<Socket>, token: String) -> Option<User> {
        let user = self.user_for(&token).await?;
        let profile = json!({
            "id": user.id.as_str(), "name": user.name, "email": user.email,
            "role": user.role.as_str(), "last_seen_at": now_epoch(),
        });
        socket.set_user(Some(SocketUser {
            id: user.id.as_str().to_owned(),
            name: user.name.clone(),
            role: user.role.as_str().to_owned(),
            token,
            profile: profile.clone(),
        }));
        socket.join(&user_room(user.id.as_str()));
        self.realtime.pools.set_session(&socket.id, &profile).await;
        Some(user)
    }

    async fn chat_event(
        &self,
        socket: &Arc<Socket>,
        user: &SocketUser,
        data: &Value,
    ) -> Option<Value> {
        let chat_id = data
            .get("chat_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = data
            .pointer("/data/type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !is_saved_chat_id(chat_id) {
            return Some(Value::Bool(false));
        }
        let readable = || async {
            let chat = self.chats.get(chat_id).await.ok().flatten()?;
            (chat.user_id.as_str() == user.id || user.role == Role::Admin.as_str()).then_some(chat)
        };
        match kind {
            "join" => match readable().await {
                Some(_) => {
                    socket.join(&chat_room(chat_id));
                    Some(Value::Bool(true))
                }
                None => Some(Value::Bool(false)),
            },
            "leave" => {
                socket.leave(&chat_room(chat_id));
                Some(Value::Bool(true))
            }
            "typing" => {
                let typing = data.pointer("/data/data/typing").and_then(Value::as_bool)?;
                if !socket.in_room(&chat_room(chat_id)) || readable().await.is_none() {
                    return Some(Value::Bool(false));
                }
                let event = json!({
                    "chat_id": chat_id, "user_id": user.id, "user": {"id": user.id, "name": user.name},
                    "shared": true, "data": {"type": "typing", "data": {"typing": typing}},
                });
                self.realtime
                    .emit_except(&chat_room(chat_id), "events", &event, Some(&socket.id));
                Some(Value::Bool(true))
            }
            "last_read_at" => {
                let mut chat = self.chats.get(chat_id).await.ok().flatten()?;
                if chat.user_id.as_str() != user.id {
                    return None;
                }
                let now = now_epoch();
                chat.last_read_at = Some(now);
                self.chats.save_flags(&chat).await.ok()?;
                let event = json!({
                    "chat_id": chat_id,
                    "data": {"type": "chat:list", "data": {"chat_id": chat_id, "last_read_at": now}},
                });
                self.realtime.emit(&user_room(&user.id), "events", &event);
                None
            }
            _ => None,
        }
    }
}

#[async_trait::async_trait]
impl SocketHandler for SocketEvents {
    async fn connect(&self, socket: &Arc<Socket>, auth: Option<Value>) {
        if let Some(token) = token_of(auth.as_ref()) {
            self.sign_in(socket, token).await;
        }
    }

    async fn event(&self, socket: &Arc<Socket>, name: &str, args: Vec<Value>) -> Option<Value> {
        let data = args.into_iter().next().unwrap_or(Value::Null);
        match name {
            "user-join" => {
                let token = token_of(data.get("auth"))?;
                let user = self.sign_in(socket, token).await?;
                Some(json!({"id": user.id.as_str(), "name": user.name}))
            }
            "heartbeat" => {
                let user = socket.user()?;
                let mut profile = user.profile.clone();
                profile["last_seen_at"] = json!(now_epoch());
                self.realtime.pools.set_session(&socket.id, &profile).await;
                if let Err(error) = self
                    .users
                    .touch(&UserId::from(user.id.as_str()), now_epoch())
                    .await
                {
                    tracing::debug!(%error, "heartbeat could not record activity");
                }
                None
            }
            "usage" => {
                socket.user()?;
                let model = data.get("model").and_then(Value::as_str)?;
                self.realtime
                    .pools
                    .touch_usage(model, &socket.id, now_epoch())
                    .await;
                None
            }
            "events:chat" => {
                let user = socket.user()?;
                self.chat_event(socket, &user, &data).await
            }
            _ => None,
        }
    }

    async fn disconnect(&self, socket: &Arc<Socket>) {
        self.realtime.pools.remove_session(&socket.id).await;
    }
}
