//! Workspace model rows: create, read, update, share, switch off and delete.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::ids::ModelId;
use hearth_services::models::dto::{AccessForm, IdForm, IdQuery, ModelForm};
use hearth_services::models::workspace;
use serde_json::Value;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(get_model)
        .service(update)
        .service(update_access)
        .service(toggle)
        .service(delete);
}

type Row = ApiResult<web::Json<Value>>;

/// Creates a model row (admins, or users with `workspace.models` building on a base model).
#[utoipa::path(tag = "models", request_body = ModelForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/create")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<ModelForm>,
) -> Row {
    Ok(web::Json(
        workspace::create(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// One model row with `write_access`; readers without write access get no params.
#[utoipa::path(tag = "models", params(IdQuery), responses((status = 200, body = Object), (status = 404)))]
#[get("/api/v1/models/model")]
pub async fn get_model(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    query: web::Query<IdQuery>,
) -> Row {
    let id = ModelId::from(query.into_inner().id);
    Ok(web::Json(
        workspace::get_model(&state.app, caller.user(), &id).await?,
    ))
}

/// Replaces a row's name, base, meta, params and on/off (grants stay).
#[utoipa::path(tag = "models", request_body = ModelForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<ModelForm>,
) -> Row {
    Ok(web::Json(
        workspace::update(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// Replaces who may use a model; admins may set grants on provider models without a row
/// (one is created).
#[utoipa::path(tag = "models", request_body = AccessForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/access/update")]
pub async fn update_access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<AccessForm>,
) -> Row {
    let row = workspace::update_access(&state.app, caller.user(), form.into_inner()).await?;
    Ok(web::Json(row))
}

/// Switches a model row on or off.
#[utoipa::path(tag = "models", params(IdQuery), responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/toggle")]
pub async fn toggle(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    query: web::Query<IdQuery>,
) -> Row {
    let id = ModelId::from(query.into_inner().id);
    Ok(web::Json(
        workspace::toggle(&state.app, caller.user(), &id).await?,
    ))
}

/// Deletes a model row (the provider model, if any, shows again unchanged).
#[utoipa::path(tag = "models", request_body = IdForm, responses((status = 200, body = bool)))]
#[post("/api/v1/models/model/delete")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<IdForm>,
) -> ApiResult<web::Json<bool>> {
    let id = ModelId::from(form.into_inner().id);
    Ok(web::Json(
        workspace::delete(&state.app, caller.user(), &id).await?,
    ))
}
