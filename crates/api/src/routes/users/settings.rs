//! The caller's settings document.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_services::users::dto::SettingsQuery;
use hearth_services::users::settings;
use serde_json::{Map, Value, json};

/// The caller's settings (`null` when none), with the admin's interface defaults under `ui`
/// unless `raw=true`.
#[utoipa::path(tag = "users", params(SettingsQuery), responses((status = 200, body = Option<Object>)))]
#[get("/user/settings")]
pub async fn get_settings(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    query: web::Query<SettingsQuery>,
) -> web::Json<Value> {
    web::Json(settings::get_settings(&state.app, caller.user(), query.raw))
}

/// Saves settings: top-level keys are replaced; keys under `ui` are patched one by one
/// (`null` removes a key). Returns the stored settings.
#[utoipa::path(tag = "users", request_body = Object, responses((status = 200, body = Object)))]
#[post("/user/settings/update")]
pub async fn update_settings(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    let form = form.into_inner();
    Ok(web::Json(
        settings::update_settings(&state.app, caller.user(), form).await?,
    ))
}

/// The caller's prompt variables (none are kept yet).
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/user/variables")]
pub async fn user_variables(_caller: VerifiedUser) -> web::Json<Value> {
    web::Json(json!({"variables": {}}))
}
