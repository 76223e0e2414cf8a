//! After the first answer of a turn: a title for a new chat, tags, and follow-up
//! suggestions, each asked of the task model (or the chat's model) as a JSON object.

use super::events::ChatEvents;
use crate::App;
use crate::chats::tags::add_named_tags;
use crate::config::ConfigView;
use crate::task_prompt::{Fallback, TaskModel, ask, fill, json_in, task_model};
use hearth_domain::UserId;
use hearth_domain::chat::ChatDocument;
use hearth_domain::chat::tags::tag_id;
use hearth_domain::ids::MessageId;
use hearth_domain::ports::Edited;
use hearth_domain::provider::BaseModel;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value, json};

const TITLE_PROMPT: &str = "### Task:\nGenerate a concise, 3-5 word title summarizing the chat history.\n### Guidelines:\n- Write the title in the chat's primary language.\n- No quotation marks or special formatting.\n### Output:\nJSON format: { \"title\": \"your concise title here\" }\n### Chat History:\n<chat_history>\n{{MESSAGES:END:2}}\n</chat_history>";
const TAGS_PROMPT: &str = "### Task:\nGenerate 1-3 broad tags categorizing the main themes of the chat history.\n### Output:\nJSON format: { \"tags\": [\"tag1\", \"tag2\"] }\n### Chat History:\n<chat_history>\n{{MESSAGES:END:6}}\n</chat_history>";
const FOLLOW_UP_PROMPT: &str = "### Task:\nSuggest 3-5 relevant follow-up questions the user might ask next.\n### Output:\nJSON format: { \"follow_ups\": [\"Question 1?\", \"Question 2?\"] }\n### Chat History:\n<chat_history>\n{{MESSAGES:END:6}}\n</chat_history>";

/// The answer the metadata is about.
pub(super) struct Answered<'a> {
    /// The application.
    pub app: &'a App,
    /// The chat's events.
    pub events: &'a ChatEvents,
    /// The answer's message.
    pub message_id: &'a MessageId,
    /// The model that answered (asked when no task model is set).
    pub base: &'a BaseModel,
    /// The request's `background_tasks`.
    pub tasks: &'a Value,
}

fn asked(tasks: &Value, name: &str) -> bool {
    tasks.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// What every metadata request shares: the answer, the settings, the model asked (the
/// admin's task model, else the one that answered, resolved once; none when the catalog
/// cannot load) and the conversation.
struct Asking<'a> {
    run: &'a Answered<'a>,
    view: &'a ConfigView,
    model: Option<TaskModel>,
    conversation: Vec<Value>,
}

impl Asking<'_> {
    /// The JSON object the model answers to the task's prompt (`template_key`, the admin's
    /// template, else `fallback`).
    async fn ask(&self, template_key: &str, fallback: &str) -> Option<Value> {
        self.ask_with(self.model.as_ref()?, template_key, fallback)
            .await
    }

    /// [`Self::ask`] of `model` (the task model with a task's own parameters).
    async fn ask_with(
        &self,
        model: &TaskModel,
        template_key: &str,
        fallback: &str,
    ) -> Option<Value> {
        let custom = self.view.text(template_key);
        let template = if custom.is_empty() { fallback } else { custom };
        let prompt = fill(template, &self.conversation);
        json_in(&ask(self.run.app, model, prompt).await?)
    }

    /// The list under `field` of the answer to the task's prompt (empty when none).
    async fn ask_list(&self, template_key: &str, fallback: &str, field: &str) -> Vec<Value> {
        self.ask(template_key, fallback)
            .await
            .and_then(|v| v.get(field).and_then(Value::as_array).cloned())
            .unwrap_or_default()
    }
}

/// Title, tags and follow-ups, as the request asked. Nothing is read unless one is asked.
pub(super) async fn after_answer(run: &Answered<'_>, answer: &str) {
    let view = run.app.view();
    let want_title = asked(run.tasks, "title_generation") && view.flag("task.title.enable");
    let want_tags = asked(run.tasks, "tags_generation") && view.flag("task.tags.enable");
    let want_follow_ups =
        asked(run.tasks, "follow_up_generation") && view.flag("task.follow_up.enable");
    if !(want_title || want_tags || want_follow_ups) {
        return;
    }
    let Ok(Some(chat)) = run.app.storage.chats().get(&run.events.chat_id).await else {
        return;
    };
    let model = task_model(run.app, &view, Fallback::Base(run.base)).await;
    let conversation = chat.document.prompt_history(run.message_id);
    let conversation = if conversation.is_empty() {
        vec![json!({"role": "assistant", "content": answer})]
    } else {
        conversation
    };
    let asking = Asking {
        run,
        view: &view,
        model,
        conversation,
    };
    if want_title && chat.document.has_default_title() {
        title(&asking).await;
    }
    if want_tags {
        tags(&asking).await;
    }
    if want_follow_ups {
        follow_ups(&asking).await;
    }
}

/// A title for a new chat (the first words of the conversation when the model gives none).
async fn title(asking: &Asking<'_>) {
    let (run, conversation) = (asking.run, &asking.conversation);
    let model = asking.model.as_ref().map(TaskModel::for_title);
    let asked = match &model {
        Some(model) => {
            asking
                .ask_with(model, "task.title.prompt_template", TITLE_PROMPT)
                .await
        }
        None => None,
    };
    let title = asked
        .and_then(|v| {
            v.get("title")
                .and_then(Value::as_str)
                .map(|t| t.trim().to_owned())
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            let first = conversation
                .first()
                .and_then(|m| m["content"].as_str())
                .unwrap_or("New Chat");
            first.chars().take(50).collect()
        });
    let new_title = title.clone();
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        document.set("title", json!(new_title));
        Edited::default()
    };
    let chats = run.app.storage.chats();
    if chats
        .edit_document(&run.events.chat_id, &edit, false, now_epoch())
        .await
        .is_ok()
    {
        run.events
            .emit(run.app, Some(run.message_id), "chat:title", json!(title));
    }
}

/// Up to six tags for the chat.
async fn tags(asking: &Asking<'_>) {
    let run = asking.run;
    let tags: Vec<String> = asking
        .ask_list("task.tags.prompt_template", TAGS_PROMPT, "tags")
        .await
        .iter()
        .filter_map(Value::as_str)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && tag_id(t) != "none")
        .take(6)
        .collect();
    if tags.is_empty() {
        return;
    }
    let Ok(Some(mut chat)) = run.app.storage.chats().get(&run.events.chat_id).await else {
        return;
    };
    if add_named_tags(run.app, &mut chat, &tags).await.is_ok() {
        run.events
            .emit(run.app, Some(run.message_id), "chat:tags", json!(tags));
    }
}

/// Up to five questions the user might ask next, stored on the answer.
async fn follow_ups(asking: &Asking<'_>) {
    let run = asking.run;
    let follow_ups: Vec<Value> = asking
        .ask_list(
            "task.follow_up.prompt_template",
            FOLLOW_UP_PROMPT,
            "follow_ups",
        )
        .await
        .into_iter()
        .filter(Value::is_string)
        .take(5)
        .collect();
    if follow_ups.is_empty() {
        return;
    }
    let mut fields = Map::new();
    fields.insert("followUps".into(), json!(follow_ups));
    let message = run.message_id.clone();
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        if document.update_message(&message, &fields) {
            Edited::changed(vec![message.clone()])
        } else {
            Edited::default()
        }
    };
    let chats = run.app.storage.chats();
    if chats
        .edit_document(&run.events.chat_id, &edit, false, now_epoch())
        .await
        .is_ok()
    {
        run.events.emit(
            run.app,
            Some(run.message_id),
            "chat:message:follow_ups",
            json!({"follow_ups": follow_ups}),
        );
    }
}
