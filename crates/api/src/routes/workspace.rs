//! Endpoints the web client calls at start-up for features Hearth does not offer yet: they
//! answer honest empty lists (and `/api/config` reports those features off), plus the
//! admin's banners.

use crate::avatar::default_avatar;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde_json::{Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the endpoints.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(banners)
        .service(tools)
        .service(functions)
        .service(skills)
        .service(prompts)
        .service(pinned_notes)
        .service(search_notes)
        .service(channels)
        .service(prompt_list)
        .service(skill_list)
        .service(prompt_tags)
        .service(event_catalog)
        .service(event_webhooks)
        .service(memories)
        .service(groups)
        .service(model_image);
}

/// The admin's banners (`ui.banners`).
#[utoipa::path(tag = "configs", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/configs/banners")]
pub async fn banners(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    web::Json(hearth_services::settings_pages::banners(&state.app))
}

/// Tools (not available yet: empty).
#[utoipa::path(tag = "tools", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/tools/")]
pub async fn tools(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// Functions (not available yet: empty).
#[utoipa::path(tag = "functions", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/functions/")]
pub async fn functions(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// Skills (not available yet: empty).
#[utoipa::path(tag = "skills", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/skills/")]
pub async fn skills(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// Saved prompts (not available yet: empty).
#[utoipa::path(tag = "prompts", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/prompts/")]
pub async fn prompts(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// Pinned notes (notes are off: empty).
#[utoipa::path(tag = "notes", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/notes/pinned")]
pub async fn pinned_notes(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// The workspace's prompt list (prompts arrive in a later release: empty).
#[utoipa::path(tag = "prompts", responses((status = 200, body = Object)))]
#[get("/api/v1/prompts/list")]
pub async fn prompt_list(_caller: VerifiedUser) -> web::Json<Value> {
    web::Json(json!({"items": [], "total": 0}))
}

/// The workspace's skill list (empty).
#[utoipa::path(tag = "skills", responses((status = 200, body = Object)))]
#[get("/api/v1/skills/list")]
pub async fn skill_list(_caller: VerifiedUser) -> web::Json<Value> {
    web::Json(json!({"items": [], "total": 0}))
}

/// Tags of saved prompts (none).
#[utoipa::path(tag = "prompts", responses((status = 200, body = Vec<String>)))]
#[get("/api/v1/prompts/tags")]
pub async fn prompt_tags(_caller: VerifiedUser) -> web::Json<Vec<String>> {
    web::Json(Vec::new())
}

/// Channels (off: none). The client asks for them when it rebuilds the sidebar.
#[utoipa::path(tag = "channels", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/channels/")]
pub async fn channels(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// The catalogue of events webhooks can subscribe to (webhooks are not available yet: none).
#[utoipa::path(tag = "events", responses((status = 200, body = Object)))]
#[get("/api/events")]
pub async fn event_catalog(_admin: AdminUser) -> web::Json<Value> {
    web::Json(json!({"schema": hearth_services::config::COMPATIBLE_VERSION, "events": []}))
}

/// Event webhooks (none).
#[utoipa::path(tag = "events", responses((status = 200, body = Vec<Object>)))]
#[get("/api/events/webhooks")]
pub async fn event_webhooks(_admin: AdminUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// Note search (notes are off: no results).
#[utoipa::path(tag = "notes", responses((status = 200, body = Object)))]
#[get("/api/v1/notes/search")]
pub async fn search_notes(_caller: VerifiedUser) -> web::Json<Value> {
    web::Json(json!({"items": [], "total": 0}))
}

/// Memories (off: empty).
#[utoipa::path(tag = "memories", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/memories/")]
pub async fn memories(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// User groups (groups arrive in a later release; none exist yet: empty).
#[utoipa::path(tag = "groups", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/groups/")]
pub async fn groups(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// A model's icon (model icons are not stored yet: the default image). Signed-in callers
/// only, as upstream.
#[utoipa::path(tag = "models", responses((status = 200, content_type = "image/png", description = "Image bytes")))]
#[get("/api/v1/models/model/profile/image")]
pub async fn model_image(_caller: VerifiedUser) -> HttpResponse {
    default_avatar()
}
