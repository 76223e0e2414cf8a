//! One model's answer in the background: the prompt rebuilt from the stored branch, the
//! answer streamed to the user's sockets chunk by chunk, saved when done (or stopped, or
//! failed), then the chat's title, tags and follow-ups when asked.

use super::ChatEvents;
use super::metadata;
use crate::state::AppState;
use actix_web::web;
use futures_util::StreamExt;
use hearth_domain::chat::turn::{self, TurnTarget};
use hearth_domain::time::now_epoch;
use hearth_providers::request::prepare;
use hearth_providers::{BaseModel, ChatAnswer, ProviderConfig};
use hearth_tasks::CancelToken;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Everything one answer needs.
pub(super) struct Run {
    pub state: web::Data<AppState>,
    pub events: ChatEvents,
    pub config: Arc<ProviderConfig>,
    pub target: TurnTarget,
    pub base: BaseModel,
    pub row_params: Option<Map<String, Value>>,
    pub body: Map<String, Value>,
    pub user_message_id: Option<String>,
    pub saved: bool,
    pub first: bool,
    pub tasks: Value,
    pub folder_id: Option<String>,
}

/// How an answer ended.
struct Outcome {
    content: String,
    usage: Option<Value>,
    error: Option<String>,
    cancelled: bool,
}

fn delta_of(chunk: &Value) -> Option<&str> {
    chunk
        .pointer("/choices/0/delta/content")
        .and_then(Value::as_str)
}

impl Run {
    async fn prompt(&self) -> Vec<Value> {
        let given: Vec<Value> = self
            .body
            .get("messages")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !self.saved {
            return given;
        }
        let mut messages: Vec<Value> = given
            .into_iter()
            .filter(|m| m["role"] == "system")
            .collect();
        let anchor = self.user_message_id.clone().or_else(|| {
            self.body
                .get("assistant_message_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        if let (Some(anchor), Ok(Some(chat))) = (
            anchor,
            self.state.stores.chats.get(&self.events.chat_id).await,
        ) {
            messages.extend(turn::prompt_history(&chat.document, &anchor));
        }
        messages
    }

    async fn generate(&self, cancel: &CancelToken) -> Outcome {
        let mut outcome = Outcome {
            content: String::new(),
            usage: None,
            error: None,
            cancelled: false,
        };
        let mut request = self.body.clone();
        request.insert("messages".into(), Value::Array(self.prompt().await));
        request.insert("stream".into(), Value::Bool(true));
        let request = prepare(request, &self.base.id, self.row_params.as_ref());
        let answer = tokio::select! {
            answer = self.state.providers.completions.chat(&self.config, &self.base, request) => answer,
            _ = cancel.cancelled() => {
                outcome.cancelled = true;
                return outcome;
            }
        };
        let mut chunks = match answer {
            Err(error) => {
                outcome.error = Some(
                    crate::upstream::provider_error(error)
                        .detail()
                        .as_str()
                        .map_or_else(|| "The model server failed".to_owned(), str::to_owned),
                );
                return outcome;
            }
            Ok(ChatAnswer::Json(value)) => {
                outcome.content = value
                    .pointer("/choices/0/message/content")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                outcome.usage = value.get("usage").cloned();
                return outcome;
            }
            Ok(ChatAnswer::Stream(chunks)) => chunks,
        };
        let message_id = self.target.message_id.as_str();
        loop {
            let next = tokio::select! {
                biased;
                _ = cancel.cancelled() => {
                    outcome.cancelled = true;
                    break;
                }
                next = chunks.next() => next,
            };
            match next {
                Some(Ok(data)) => {
                    let Ok(chunk) = serde_json::from_str::<Value>(&data) else {
                        continue;
                    };
                    if let Some(error) = chunk.get("error").filter(|e| !e.is_null()) {
                        outcome.error = Some(
                            error
                                .get("message")
                                .and_then(Value::as_str)
                                .map_or_else(|| error.to_string(), str::to_owned),
                        );
                        break;
                    }
                    if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
                        outcome.usage = Some(usage.clone());
                    }
                    if let Some(delta) = delta_of(&chunk).filter(|d| !d.is_empty()) {
                        outcome.content.push_str(delta);
                        self.events.emit(
                            &self.state,
                            Some(message_id),
                            "chat:completion",
                            json!({"content": outcome.content}),
                        );
                        self.state
                            .tasks
                            .set_snapshot(cancel.task_id(), &outcome.content)
                            .await;
                    }
                }
                Some(Err(error)) => {
                    outcome.error = Some(error.to_string());
                    break;
                }
                None => break,
            }
        }
        outcome
    }

    async fn save(&self, fields: Map<String, Value>) {
        if !self.saved {
            return;
        }
        let message_id = self.target.message_id.clone();
        let edit = move |document: &mut Value| {
            if turn::update_message(document, &message_id, &fields) {
                vec![message_id.clone()]
            } else {
                Vec::new()
            }
        };
        if let Err(error) = self
            .state
            .stores
            .chats
            .edit_document(&self.events.chat_id, &edit, true, now_epoch())
            .await
        {
            tracing::error!(%error, chat = %self.events.chat_id, "answer not saved");
        }
    }

    /// The task body.
    pub(super) async fn execute(self, cancel: CancelToken) {
        let outcome = self.generate(&cancel).await;
        let message_id = self.target.message_id.clone();
        let mut fields = Map::new();
        fields.insert("content".into(), json!(outcome.content));
        fields.insert("done".into(), json!(true));
        if let Some(usage) = &outcome.usage {
            fields.insert("usage".into(), usage.clone());
        }
        match &outcome.error {
            Some(error) => {
                fields.insert("error".into(), json!({"content": error}));
                self.save(fields).await;
                self.events.emit(
                    &self.state,
                    Some(&message_id),
                    "chat:message:error",
                    json!({"error": {"content": error}, "done": true}),
                );
            }
            None => {
                self.save(fields).await;
                let title = match self.state.stores.chats.get(&self.events.chat_id).await {
                    Ok(Some(chat)) => chat.title,
                    _ => "New Chat".to_owned(),
                };
                let mut done = json!({"done": true, "content": outcome.content, "title": title});
                if let Some(usage) = &outcome.usage {
                    done["usage"] = usage.clone();
                }
                self.events
                    .emit(&self.state, Some(&message_id), "chat:completion", done);
                if outcome.cancelled {
                    self.events.emit(
                        &self.state,
                        Some(&message_id),
                        "chat:tasks:cancel",
                        json!({}),
                    );
                }
            }
        }
        if self.first && self.saved && outcome.error.is_none() && !outcome.cancelled {
            metadata::after_answer(&self, &outcome.content).await;
        }
        let others = self
            .state
            .tasks
            .list_by_item(&self.events.chat_id)
            .await
            .into_iter()
            .filter(|id| id != cancel.task_id())
            .count();
        if others == 0 {
            self.events.emit(
                &self.state,
                Some(&message_id),
                "chat:active",
                json!({"active": false, "folder_id": self.folder_id}),
            );
        }
    }
}
