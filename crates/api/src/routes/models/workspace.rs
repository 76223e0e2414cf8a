//! Workspace model rows: create, read, update, share, switch off and delete. A row with a
//! provider model's id overrides it; a row with `base_model_id` is a custom model.

use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::routes::grants::{self, GrantBody};
use crate::routes::may;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::model::{ModelRecord, valid_model_id};
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use hearth_providers::model_json;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

const MODEL_ID_TAKEN: &str =
    "Uh-oh! This model id is already registered. Please choose another model id string.";
const MODEL_ID_TOO_LONG: &str =
    "The model id is too long. Please make sure your model id is less than 256 characters long.";

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(get_model)
        .service(update)
        .service(update_access)
        .service(toggle)
        .service(delete);
}

fn yes() -> bool {
    true
}

/// A model row as sent by the workspace editor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ModelForm {
    /// Id (no whitespace, at most 256 characters).
    pub id: String,
    /// The model it builds on; absent to override a provider model.
    #[serde(default)]
    pub base_model_id: Option<String>,
    /// Display name.
    pub name: String,
    /// Description, capabilities, tags, ...
    #[serde(default)]
    pub meta: Map<String, Value>,
    /// `system` prompt, sampling parameters, ...
    #[serde(default)]
    pub params: Map<String, Value>,
    /// Who may use it.
    #[serde(default)]
    pub access_grants: Option<Vec<GrantBody>>,
    /// Whether it is offered.
    #[serde(default = "yes")]
    pub is_active: bool,
}

/// `?id=` of the single-model routes.
#[derive(Debug, Deserialize, IntoParams)]
pub struct IdQuery {
    /// Model id.
    pub id: String,
}

/// `{id}` body of the delete route.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IdForm {
    /// Model id.
    pub id: String,
}

/// New grants for a model.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessForm {
    /// Model id.
    pub id: String,
    /// Name for a row created on the way (provider models without one).
    #[serde(default)]
    pub name: Option<String>,
    /// The grants replacing the current ones.
    pub access_grants: Vec<GrantBody>,
}

fn clean(mut map: Map<String, Value>) -> Map<String, Value> {
    let mut value = Value::Object(std::mem::take(&mut map));
    strip_nul_json(&mut value);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The base a row builds on: none when empty or itself; a malformed id is a 400.
fn base_of(base: Option<String>, id: &str) -> ApiResult<Option<String>> {
    match base.filter(|b| !b.is_empty() && b != id) {
        Some(base) if !valid_model_id(&base) => Err(ApiError::bad_request(MODEL_ID_TOO_LONG)),
        other => Ok(other),
    }
}

fn writable(user: &User, record: &ModelRecord) -> bool {
    user.role == Role::Admin || record.writable_by(&user.id)
}

/// Creates a model row (admins, or users with `workspace.models` building on a base model).
#[utoipa::path(tag = "models", request_body = ModelForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/create")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<ModelForm>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let form = form.into_inner();
    if !may(&state, user, "workspace.models") {
        return Err(ApiError::unauthorized(msg::UNAUTHORIZED));
    }
    if !valid_model_id(&form.id) {
        return Err(ApiError::bad_request(MODEL_ID_TOO_LONG));
    }
    let base_model_id = base_of(form.base_model_id, &form.id)?;
    if user.role != Role::Admin && base_model_id.is_none() {
        return Err(ApiError::unauthorized(msg::UNAUTHORIZED));
    }
    if state.stores.models.get(&form.id).await?.is_some() {
        return Err(ApiError::unauthorized(MODEL_ID_TAKEN));
    }
    let public_allowed = may(&state, user, "sharing.public_models");
    let access_grants = grants::accept(form.access_grants.unwrap_or_default(), public_allowed)?;
    let now = now_epoch();
    let record = ModelRecord {
        id: form.id,
        user_id: user.id.clone(),
        base_model_id,
        name: hearth_domain::text::strip_nul(&form.name),
        params: clean(form.params),
        meta: clean(form.meta),
        is_active: form.is_active,
        access_grants,
        updated_at: now,
        created_at: now,
    };
    match state.stores.models.insert(&record).await {
        Ok(()) => Ok(web::Json(model_json(&record))),
        Err(hearth_domain::StoreError::Conflict(_)) => Err(ApiError::unauthorized(MODEL_ID_TAKEN)),
        Err(other) => Err(other.into()),
    }
}

/// One model row with `write_access`; readers without write access get no params.
#[utoipa::path(tag = "models", params(IdQuery), responses((status = 200, body = Object), (status = 404)))]
#[get("/api/v1/models/model")]
pub async fn get_model(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    query: web::Query<IdQuery>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let Some(record) = state.stores.models.get(&query.id).await? else {
        return Err(ApiError::not_found(msg::NOT_FOUND));
    };
    let write_access = writable(user, &record);
    if !write_access && !record.readable_by(&user.id) {
        return Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let mut body = model_json(&record);
    if let Some(object) = body.as_object_mut() {
        if !write_access {
            object.insert("params".into(), Value::Object(Map::new()));
        }
        object.insert("write_access".into(), Value::Bool(write_access));
    }
    Ok(web::Json(body))
}

/// Replaces a row's name, base, meta, params and on/off (grants stay).
#[utoipa::path(tag = "models", request_body = ModelForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<ModelForm>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let form = form.into_inner();
    let Some(mut record) = state.stores.models.get(&form.id).await? else {
        return Err(ApiError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ApiError::bad_request(msg::ACCESS_PROHIBITED));
    }
    let base_model_id = base_of(form.base_model_id, &form.id)?;
    if user.role != Role::Admin && record.base_model_id.is_some() && base_model_id.is_none() {
        return Err(ApiError::unauthorized(msg::UNAUTHORIZED));
    }
    record.base_model_id = base_model_id;
    record.name = hearth_domain::text::strip_nul(&form.name);
    record.meta = clean(form.meta);
    record.params = clean(form.params);
    record.is_active = form.is_active;
    record.updated_at = now_epoch();
    state.stores.models.update(&record).await?;
    Ok(web::Json(model_json(&record)))
}

/// Replaces who may use a model; admins may set grants on provider models without a row
/// (one is created).
#[utoipa::path(tag = "models", request_body = AccessForm, responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/access/update")]
pub async fn update_access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<AccessForm>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let form = form.into_inner();
    if !valid_model_id(&form.id) {
        return Err(ApiError::bad_request(MODEL_ID_TOO_LONG));
    }
    let now = now_epoch();
    let existing = state.stores.models.get(&form.id).await?;
    let is_new = existing.is_none();
    let mut record = match existing {
        Some(record) => record,
        None if user.role == Role::Admin => ModelRecord {
            name: form
                .name
                .as_deref()
                .map(hearth_domain::text::strip_nul)
                .unwrap_or_else(|| form.id.clone()),
            id: form.id.clone(),
            user_id: user.id.clone(),
            base_model_id: None,
            params: Map::new(),
            meta: Map::new(),
            is_active: true,
            access_grants: Vec::new(),
            updated_at: now,
            created_at: now,
        },
        None => return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED)),
    };
    if !writable(user, &record) {
        return Err(ApiError::bad_request(msg::ACCESS_PROHIBITED));
    }
    let public_allowed = may(&state, user, "sharing.public_models");
    record.access_grants = grants::accept(form.access_grants, public_allowed)?;
    record.updated_at = now;
    if is_new {
        state.stores.models.insert(&record).await?;
    } else {
        state.stores.models.update(&record).await?;
    }
    Ok(web::Json(model_json(&record)))
}

/// Switches a model row on or off.
#[utoipa::path(tag = "models", params(IdQuery), responses((status = 200, body = Object)))]
#[post("/api/v1/models/model/toggle")]
pub async fn toggle(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    query: web::Query<IdQuery>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let Some(mut record) = state.stores.models.get(&query.id).await? else {
        return Err(ApiError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ApiError::unauthorized(msg::UNAUTHORIZED));
    }
    record.is_active = !record.is_active;
    record.updated_at = now_epoch();
    state.stores.models.update(&record).await?;
    Ok(web::Json(model_json(&record)))
}

/// Deletes a model row (the provider model, if any, shows again unchanged).
#[utoipa::path(tag = "models", request_body = IdForm, responses((status = 200, body = bool)))]
#[post("/api/v1/models/model/delete")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<IdForm>,
) -> ApiResult<web::Json<bool>> {
    let user = caller.user();
    let Some(record) = state.stores.models.get(&form.id).await? else {
        return Err(ApiError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ApiError::unauthorized(msg::UNAUTHORIZED));
    }
    Ok(web::Json(state.stores.models.delete(&record.id).await?))
}
