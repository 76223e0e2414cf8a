//! Collections of chunks: index a text or a file, search collections, clear them (use cases in
//! `hearth_services::collections`).

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{post, web};
use hearth_services::collections::{self, dto};
use serde_json::{Value, json};

/// Indexes a text into a collection (named, or the text's SHA-256).
#[utoipa::path(tag = "retrieval", request_body = dto::ProcessTextForm, responses((status = 200, body = dto::Processed), (status = 400), (status = 403)))]
#[post("/process/text")]
pub async fn process_text(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<dto::ProcessTextForm>,
) -> ApiResult<web::Json<dto::Processed>> {
    Ok(web::Json(
        collections::process_text(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// Processes a file: new text, a knowledge base's collection, or its own collection again.
#[utoipa::path(tag = "retrieval", request_body = dto::ProcessFileForm, responses((status = 200, body = dto::Processed), (status = 400), (status = 403), (status = 404)))]
#[post("/process/file")]
pub async fn process_file(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<dto::ProcessFileForm>,
) -> ApiResult<web::Json<dto::Processed>> {
    Ok(web::Json(
        collections::process_file(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// The best chunks of one collection (`{ids, documents, metadatas, distances}`, one list
/// per query; no ids with hybrid search).
#[utoipa::path(tag = "retrieval", request_body = dto::QueryForm, responses((status = 200, body = dto::QueryResult), (status = 400), (status = 403)))]
#[post("/query/doc")]
pub async fn query_doc(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<dto::QueryForm>,
) -> ApiResult<web::Json<dto::QueryResult>> {
    Ok(web::Json(
        collections::query_doc(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// The best chunks of several collections (`{documents, metadatas, distances}`).
#[utoipa::path(tag = "retrieval", request_body = dto::QueryForm, responses((status = 200, body = dto::QueryResult), (status = 400), (status = 403)))]
#[post("/query/collection")]
pub async fn query_collection(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<dto::QueryForm>,
) -> ApiResult<web::Json<dto::QueryResult>> {
    Ok(web::Json(
        collections::query_collections(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// Removes a file's chunks from a collection (admins): `{status}`, false when the
/// collection does not exist.
#[utoipa::path(tag = "retrieval", request_body = dto::DeleteForm, responses((status = 200, body = Object), (status = 401), (status = 404)))]
#[post("/delete")]
pub async fn delete(
    state: web::Data<AppState>,
    admin: AdminUser,
    form: JsonBody<dto::DeleteForm>,
) -> ApiResult<web::Json<Value>> {
    let done = collections::delete_file_chunks(&state.app, admin.user(), form.into_inner()).await?;
    Ok(web::Json(json!({ "status": done })))
}

/// Removes every chunk and every knowledge base (admins); answers `null`.
#[utoipa::path(tag = "retrieval", responses((status = 200, body = Object), (status = 401)))]
#[post("/reset/db")]
pub async fn reset_db(state: web::Data<AppState>, admin: AdminUser) -> ApiResult<web::Json<Value>> {
    collections::reset_all(&state.app, admin.user()).await?;
    Ok(web::Json(Value::Null))
}
