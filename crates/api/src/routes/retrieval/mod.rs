//! `/api/v1/retrieval`: the Documents settings and the embedding engine (use cases in
//! `hearth_services::retrieval::settings`); indexing and searching collections in
//! [`collections`].

use crate::error::ApiResult;
use crate::extract::AdminUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_services::retrieval::settings;
use serde_json::{Map, Value};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

mod collections;
mod pages;

/// Registers the router.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/retrieval")
            .service(config)
            .service(update_config)
            .service(embedding)
            .service(update_embedding)
            .service(collections::process_text)
            .service(collections::process_file)
            .service(pages::process_url)
            .service(pages::process_web)
            .service(collections::query_doc)
            .service(collections::query_collection)
            .service(collections::delete)
            .service(collections::reset_db),
    );
}

type Json = ApiResult<web::Json<Value>>;

/// The Documents settings (`{status, RAG_TEMPLATE, TOP_K, CHUNK_SIZE, ..., web: {...}}`).
#[utoipa::path(tag = "retrieval", responses((status = 200, body = Object), (status = 401)))]
#[get("/config")]
pub async fn config(state: web::Data<AppState>, _admin: AdminUser) -> Json {
    Ok(web::Json(settings::config(&state.app)))
}

/// Saves the Documents settings the form sends.
#[utoipa::path(tag = "retrieval", request_body = Object, responses((status = 200, body = Object), (status = 401), (status = 422)))]
#[post("/config/update")]
pub async fn update_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Map<String, Value>>,
) -> Json {
    Ok(web::Json(
        settings::update_config(&state.app, form.into_inner()).await?,
    ))
}

/// The embedding engine and its connection.
#[utoipa::path(tag = "retrieval", responses((status = 200, body = Object), (status = 401)))]
#[get("/embedding")]
pub async fn embedding(state: web::Data<AppState>, _admin: AdminUser) -> Json {
    Ok(web::Json(settings::embedding(&state.app)))
}

/// Saves the embedding engine and its connection.
#[utoipa::path(tag = "retrieval", request_body = Object, responses((status = 200, body = Object), (status = 401), (status = 422)))]
#[post("/embedding/update")]
pub async fn update_embedding(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Map<String, Value>>,
) -> Json {
    Ok(web::Json(
        settings::update_embedding(&state.app, form.into_inner()).await?,
    ))
}
