//! Admin ▸ Settings ▸ Connections and ▸ Models: config-table keys read and written as the
//! web client names them.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::config::keys;
use serde_json::{Map, Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

/// Connection switches (field, config key).
const CONNECTION_KEYS: [(&str, &str); 3] = [
    ("ENABLE_DIRECT_CONNECTIONS", "direct.enable"),
    ("ENABLE_DIRECT_INTEGRATIONS", "direct.integrations.enable"),
    ("ENABLE_BASE_MODELS_CACHE", "models.base_models_cache"),
];

/// Model defaults (field, config key).
const MODEL_KEYS: [(&str, &str); 5] = [
    ("DEFAULT_MODELS", "ui.default_models"),
    ("DEFAULT_PINNED_MODELS", "ui.default_pinned_models"),
    ("MODEL_ORDER_LIST", keys::MODEL_ORDER_LIST),
    ("DEFAULT_MODEL_METADATA", keys::MODELS_DEFAULT_METADATA),
    ("DEFAULT_MODEL_PARAMS", keys::MODELS_DEFAULT_PARAMS),
];

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_connections)
        .service(set_connections)
        .service(get_models)
        .service(set_models)
        .service(model_defaults);
}

fn read(state: &AppState, fields: &[(&str, &str)]) -> Value {
    let view = state.config.view();
    Value::Object(
        fields
            .iter()
            .map(|(field, key)| ((*field).to_owned(), view.snapshot.value(key)))
            .collect(),
    )
}

async fn write(
    state: &AppState,
    fields: &[(&str, &str)],
    form: Map<String, Value>,
) -> ApiResult<Value> {
    let values: Vec<(String, Value)> = fields
        .iter()
        .filter_map(|(field, key)| form.get(*field).map(|v| ((*key).to_owned(), v.clone())))
        .collect();
    state.config.set(values).await?;
    Ok(read(state, fields))
}

/// Connection switches (admin).
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/connections")]
pub async fn get_connections(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(read(&state, &CONNECTION_KEYS))
}

/// Changes the connection switches sent (admin).
#[utoipa::path(tag = "configs", request_body = Object, responses((status = 200, body = Object)))]
#[post("/api/v1/configs/connections")]
pub async fn set_connections(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        write(&state, &CONNECTION_KEYS, form.into_inner()).await?,
    ))
}

/// Default models, order and model defaults (admin).
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/models")]
pub async fn get_models(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(read(&state, &MODEL_KEYS))
}

/// Changes the model defaults sent (admin).
#[utoipa::path(tag = "configs", request_body = Object, responses((status = 200, body = Object)))]
#[post("/api/v1/configs/models")]
pub async fn set_models(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        write(&state, &MODEL_KEYS, form.into_inner()).await?,
    ))
}

/// The metadata every model starts from.
#[utoipa::path(tag = "configs", responses((status = 200, body = Object)))]
#[get("/api/v1/configs/models/defaults")]
pub async fn model_defaults(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    let view = state.config.view();
    web::Json(json!({"DEFAULT_MODEL_METADATA": view.snapshot.value(keys::MODELS_DEFAULT_METADATA)}))
}
