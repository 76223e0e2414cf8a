//! What Hearth does with sockets: authentication from the connect payload (and `user-join`),
//! `heartbeat`, `usage`, and `events:chat` (join/leave a chat's room, typing, read marker).

use hearth_domain::ports::{chat_room, user_room};
use hearth_domain::time::now_epoch;
use hearth_domain::{User, UserId};
use hearth_realtime::{Realtime, Socket, SocketHandler, SocketUser};
use hearth_services::{App, live};
use serde_json::{Value, json};
use std::sync::Arc;

/// The application side of sockets.
pub struct SocketEvents {
    pub(crate) app: Arc<App>,
    pub(crate) realtime: Arc<Realtime>,
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
        live::socket_user(&self.app, token).await
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
        socket.join(&user_room(&user.id));
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
        let user_id = UserId::from(user.id.as_str());
        let readable = || live::may_view_chat(&self.app, &user_id, &user.role, chat_id);
        match kind {
            "join" if readable().await => {
                socket.join(&chat_room(chat_id));
                Some(Value::Bool(true))
            }
            "join" => Some(Value::Bool(false)),
            "leave" => {
                socket.leave(&chat_room(chat_id));
                Some(Value::Bool(true))
            }
            "typing" => {
                let typing = data.pointer("/data/data/typing").and_then(Value::as_bool)?;
                if !socket.in_room(&chat_room(chat_id)) || !readable().await {
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
                live::mark_read(&self.app, &user_id, chat_id).await;
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
                live::record_activity(&self.app, &UserId::from(user.id.as_str())).await;
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
