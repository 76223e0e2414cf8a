//! Chat completions for any model of the catalog (Open WebUI's `/api/chat/completions`):
//! the web client's background mode (a chat turn), or a direct answer — one JSON document or
//! a stream of chunks — from the connection serving the model, for API clients.

use crate::App;
use crate::chat_turn;
use crate::error::{ServiceError, ServiceResult};
use crate::models::request::prepare;
use crate::models::{load, viewer};
use crate::usage;
use hearth_domain::User;
use hearth_domain::provider::{Api, ChatAnswer};
use serde_json::{Map, Value};
use std::sync::Arc;

/// How a route answers for a model it cannot serve.
pub struct Refusals {
    /// The model does not exist (or is not of the route's API).
    pub unknown: fn(&str) -> ServiceError,
    /// The caller may not use it.
    pub denied: fn(&str) -> ServiceError,
}

/// `/api/chat/completions` answers both with 400 `Model not found`.
pub const CHAT_REFUSALS: Refusals = Refusals {
    unknown: |_| ServiceError::invalid("Model not found"),
    denied: |_| ServiceError::invalid("Model not found"),
};

/// What a chat completion request gets.
pub enum Completion {
    /// Background mode started: `{status, task_ids, chat_id}`.
    Started(Value),
    /// The model server's answer, and the `sources` retrieved for it (Open WebUI's direct
    /// mode sends them first).
    Answer(ChatAnswer, Vec<Value>),
}

/// The web client's background mode, or a direct completion.
pub async fn chat(
    app: &Arc<App>,
    user: &User,
    mut body: Map<String, Value>,
) -> ServiceResult<Completion> {
    crate::files::attach::check_files(app, &body)?;
    let loaded = load(app, false).await?;
    let model_id = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let allowed = loaded
        .catalog
        .get(model_id)
        .is_some_and(|m| loaded.catalog.allows(&viewer(app, user), m));
    if !allowed {
        return Err((CHAT_REFUSALS.unknown)(model_id));
    }
    let admission = usage::admit(app, user).await?;
    if !chat_turn::wants_background(&body) {
        let sources = crate::files::attach::apply(app, user, &mut body).await?;
        let prompt = usage::prompt_chars(&body);
        let answer = complete(app, user, body, None, &CHAT_REFUSALS).await?;
        let answer = usage::metered(answer, admission, prompt).await;
        return Ok(Completion::Answer(answer, sources));
    }
    chat_turn::start(app, user, body, loaded, admission)
        .await
        .map(Completion::Started)
}

/// Resolves the model of `body` (of API `only`, when given), checks the caller may use it,
/// shapes the request and sends it. Usage limits are the caller's to check.
pub async fn complete(
    app: &App,
    user: &User,
    body: Map<String, Value>,
    only: Option<Api>,
    refusals: &Refusals,
) -> ServiceResult<ChatAnswer> {
    let model_id = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let loaded = load(app, false).await?;
    let Some(model) = loaded.catalog.get(&model_id) else {
        return Err((refusals.unknown)(&model_id));
    };
    if !loaded.catalog.allows(&viewer(app, user), model) {
        return Err((refusals.denied)(&model_id));
    }
    let Some(target) = model
        .target
        .as_ref()
        .filter(|t| only.is_none_or(|api| t.api == api))
    else {
        return Err((refusals.unknown)(&model_id));
    };
    let row_params = model.record.as_ref().map(|r| &r.params);
    let request = prepare(body, &target.id, row_params);
    Ok(app.models.chat(&loaded.config, target, request).await?)
}
