//! Admin ▸ Settings ▸ Connections and ▸ Models: config-table keys read and written as the
//! web client names them.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_services::settings_pages as pages;
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_connections)
        .service(set_connections)
        .service(get_models)
        .service(set_models)
        .service(model_defaults);
}

/// Connection switches (admin).
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/connections")]
pub async fn get_connections(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(pages::connections(&state.app))
}

/// Changes the connection switches sent (admin).
#[utoipa::path(tag = "configs", request_body = Object, responses((status = 200, body = Object)))]
#[post("/api/v1/configs/connections")]
pub async fn set_connections(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        pages::set_connections(&state.app, form.into_inner()).await?,
    ))
}

/// Default models, order and model defaults (admin).
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/models")]
pub async fn get_models(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(pages::models(&state.app))
}

/// Changes the model defaults sent (admin).
#[utoipa::path(tag = "configs", request_body = Object, responses((status = 200, body = Object)))]
#[post("/api/v1/configs/models")]
pub async fn set_models(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        pages::set_models(&state.app, form.into_inner()).await?,
    ))
}

/// The metadata every model starts from.
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/models/defaults")]
pub async fn model_defaults(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    web::Json(pages::model_defaults(&state.app))
}
