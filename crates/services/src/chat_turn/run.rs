//! One model's answer in the background: the prompt rebuilt from the stored branch, the
//! answer streamed to the user's sockets chunk by chunk, saved when done (or stopped, or
//! failed), then the chat's title, tags and follow-ups when asked.

use super::events::ChatEvents;
use super::metadata::{self, Answered};
use crate::App;
use crate::files::attach;
use crate::models::request::prepare;
use crate::usage::{self, Admission};
use futures_util::StreamExt;
use hearth_domain::chat::ChatDocument;
use hearth_domain::ids::{FolderId, MessageId};
use hearth_domain::ports::{Edited, StopSignal};
use hearth_domain::provider::{
    BaseModel, ChatAnswer, ChunkStream, ProviderConfig, ProviderError, UpstreamBody,
};
use hearth_domain::time::now_epoch;
use hearth_domain::{User, UserId};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use tokio::time::Instant;

/// Everything one answer needs.
pub(super) struct Run {
    pub app: Arc<App>,
    pub user: User,
    pub events: ChatEvents,
    pub config: Arc<ProviderConfig>,
    pub message_id: MessageId,
    pub base: BaseModel,
    pub row_params: Option<Map<String, Value>>,
    pub body: Map<String, Value>,
    pub user_message_id: Option<MessageId>,
    pub saved: bool,
    pub first: bool,
    pub tasks: Value,
    pub folder_id: Option<FolderId>,
    pub admission: Admission,
}

/// How an answer ended.
#[derive(Default)]
pub(super) struct Outcome {
    pub content: String,
    pub usage: Option<Value>,
    pub error: Option<String>,
    pub cancelled: bool,
    /// Characters of the prompt sent (for the token estimate).
    pub prompt_chars: usize,
}

impl Outcome {
    fn failed(error: String) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }
}

/// What the chat shows when the model server failed before answering (the text API
/// clients get as `detail`).
fn failure_text(error: &ProviderError) -> String {
    match error {
        ProviderError::Upstream { status, body } if (400..500).contains(status) => match body {
            UpstreamBody::Text(text) => text.clone(),
            UpstreamBody::Json(_) => "The model server failed".to_owned(),
        },
        ProviderError::Upstream { status, body } => {
            format!(
                "The model server answered HTTP {status}: {}",
                body.message()
            )
        }
        other => other.to_string(),
    }
}

impl Run {
    /// The messages to send: the request's system messages, then the stored branch up to
    /// the turn (temporary chats send what the client sent).
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
                .map(MessageId::from)
        });
        if let (Some(anchor), Ok(Some(chat))) = (
            anchor,
            self.app.storage.chats().get(&self.events.chat_id).await,
        ) {
            messages.extend(chat.document.prompt_history(&anchor));
        }
        messages
    }

    /// Asks the model server; the answer, or how it ended without one.
    async fn ask(&self, stop: &dyn StopSignal) -> Result<(ChunkStream, usize), Outcome> {
        let mut request = self.body.clone();
        let mut messages = self.prompt().await;
        let files = match self.body.get("files") {
            Some(Value::Array(files)) => files.as_slice(),
            _ => &[],
        };
        let model_id = self.base.id.as_str();
        match attach::apply_to(&self.app, &self.user, &mut messages, files, model_id).await {
            Ok(sources) if !sources.is_empty() => self.cite(sources).await,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "applying attached files failed"),
        }
        request.insert("messages".into(), Value::Array(messages));
        request.insert("stream".into(), Value::Bool(true));
        let prompt_chars = usage::prompt_chars(&request);
        let request = prepare(request, &self.base.id, self.row_params.as_ref());
        let answer = tokio::select! {
            answer = self.app.models.chat(&self.config, &self.base, request) => answer,
            () = stop.stopped() => {
                return Err(Outcome { cancelled: true, prompt_chars, ..Outcome::default() });
            }
        };
        match answer {
            Err(error) => Err(Outcome::failed(failure_text(&error))),
            Ok(ChatAnswer::Json(value)) => Err(Outcome {
                content: value
                    .pointer("/choices/0/message/content")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                usage: value.get("usage").cloned(),
                prompt_chars,
                ..Outcome::default()
            }),
            Ok(ChatAnswer::Stream(chunks)) => Ok((chunks, prompt_chars)),
        }
    }

    /// Streams the answer to the user's sockets until it ends, fails or is stopped.
    /// The text so far is saved at most `CHAT_STREAM_SAVE_INTERVAL` after it arrived (the
    /// message stays not done), so that a crash of the instance loses at most that much.
    async fn stream(&self, mut chunks: ChunkStream, stop: &dyn StopSignal) -> Outcome {
        let mut outcome = Outcome::default();
        let interval = self.app.settings.providers.stream_save_interval;
        let mut saved_at = Instant::now();
        let mut unsaved = false;
        loop {
            let save_due = saved_at + interval;
            let next = tokio::select! {
                biased;
                () = stop.stopped() => {
                    outcome.cancelled = true;
                    break;
                }
                () = tokio::time::sleep_until(save_due), if unsaved => {
                    self.save_progress(&outcome.content).await;
                    (saved_at, unsaved) = (Instant::now(), false);
                    continue;
                }
                next = chunks.next() => next,
            };
            let chunk = match next {
                Some(Ok(chunk)) => chunk,
                Some(Err(error)) => {
                    outcome.error = Some(error.to_string());
                    break;
                }
                None => break,
            };
            let Some(delta) = chunk.delta() else { continue };
            if let Some(error) = delta.error {
                outcome.error = Some(error);
                break;
            }
            if delta.usage.is_some() {
                outcome.usage = delta.usage;
            }
            if let Some(content) = delta.content.filter(|d| !d.is_empty()) {
                outcome.content.push_str(&content);
                self.events.emit(
                    &self.app,
                    Some(&self.message_id),
                    "chat:completion",
                    json!({"content": outcome.content}),
                );
                self.app
                    .tasks
                    .set_snapshot(stop.task_id(), &outcome.content)
                    .await;
                unsaved = true;
            }
        }
        outcome
    }

    /// Saves the answer's text so far (not done yet).
    async fn save_progress(&self, content: &str) {
        let mut fields = Map::new();
        fields.insert("content".into(), json!(content));
        self.save(fields).await;
    }

    /// Sends the retrieved sources to the user's sockets (the web client shows them as
    /// citations under the answer) and keeps them on the message.
    async fn cite(&self, sources: Vec<Value>) {
        let sources = Value::Array(sources);
        let message = Some(&self.message_id);
        let event = json!({"sources": sources});
        self.events
            .emit(&self.app, message, "chat:completion", event);
        let mut fields = Map::new();
        fields.insert("sources".into(), sources);
        self.save(fields).await;
    }

    /// Merges `fields` into the answer's message of the stored chat.
    pub(super) async fn save(&self, fields: Map<String, Value>) {
        if !self.saved {
            return;
        }
        let message = self.message_id.clone();
        let edit = move |document: &mut ChatDocument, _: &UserId| {
            if document.update_message(&message, &fields) {
                Edited::changed(vec![message.clone()])
            } else {
                Edited::default()
            }
        };
        let saved = self
            .app
            .storage
            .chats()
            .edit_document(&self.events.chat_id, &edit, true, now_epoch())
            .await;
        if let Err(error) = saved {
            tracing::error!(%error, chat = %self.events.chat_id, "answer not saved");
        }
    }

    /// Saves the outcome and tells the user's sockets how the answer ended.
    async fn finish(&self, outcome: &Outcome) {
        let mut fields = Map::new();
        fields.insert("content".into(), json!(outcome.content));
        fields.insert("done".into(), json!(true));
        if let Some(usage) = &outcome.usage {
            fields.insert("usage".into(), usage.clone());
        }
        let message = Some(&self.message_id);
        if let Some(error) = &outcome.error {
            fields.insert("error".into(), json!({"content": error}));
            self.save(fields).await;
            let event = json!({"error": {"content": error}, "done": true});
            self.events
                .emit(&self.app, message, "chat:message:error", event);
            return;
        }
        self.save(fields).await;
        let title = match self.app.storage.chats().get(&self.events.chat_id).await {
            Ok(Some(chat)) => chat.title,
            _ => "New Chat".to_owned(),
        };
        let mut done = json!({"done": true, "content": outcome.content, "title": title});
        if let Some(usage) = &outcome.usage {
            done["usage"] = usage.clone();
        }
        self.events
            .emit(&self.app, message, "chat:completion", done);
        if outcome.cancelled {
            self.events
                .emit(&self.app, message, "chat:tasks:cancel", json!({}));
        }
    }

    /// The task body.
    pub(super) async fn execute(self, stop: Box<dyn StopSignal>) {
        let outcome = match self.ask(stop.as_ref()).await {
            Ok((chunks, prompt_chars)) => Outcome {
                prompt_chars,
                ..self.stream(chunks, stop.as_ref()).await
            },
            Err(outcome) => outcome,
        };
        self.finish(&outcome).await;
        if outcome.error.is_none() || !outcome.content.is_empty() {
            let chars = outcome.prompt_chars + outcome.content.chars().count();
            let tokens = usage::tokens_used(outcome.usage.as_ref(), chars);
            self.admission.charge(tokens).await;
        }
        if self.first && self.saved && outcome.error.is_none() && !outcome.cancelled {
            let answered = Answered {
                app: &self.app,
                events: &self.events,
                message_id: &self.message_id,
                base: &self.base,
                tasks: &self.tasks,
            };
            metadata::after_answer(&answered, &outcome.content).await;
        }
        let others = self
            .app
            .tasks
            .of_chat(&self.events.chat_id)
            .await
            .into_iter()
            .filter(|id| id != stop.task_id())
            .count();
        if others == 0 {
            self.events.emit(
                &self.app,
                Some(&self.message_id),
                "chat:active",
                json!({"active": false, "folder_id": self.folder_id}),
            );
        }
    }
}
