//! Workspace model rows (Open WebUI's `routers/models.py`): create, read, update, share,
//! switch off and delete. A row with a provider model's id overrides it; a row with
//! `base_model_id` is a custom model.

use super::catalog::model_json;
use super::dto::{AccessForm, ModelForm};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::grants;
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::ids::ModelId;
use hearth_domain::model::{ModelRecord, valid_model_id};
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Map, Value};

const MODEL_ID_TAKEN: &str =
    "Uh-oh! This model id is already registered. Please choose another model id string.";
const MODEL_ID_TOO_LONG: &str =
    "The model id is too long. Please make sure your model id is less than 256 characters long.";

fn clean(mut map: Map<String, Value>) -> Map<String, Value> {
    let mut value = Value::Object(std::mem::take(&mut map));
    strip_nul_json(&mut value);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The base a row builds on: none when empty or itself; a malformed id is a 400.
fn base_of(base: Option<String>, id: &str) -> ServiceResult<Option<ModelId>> {
    match base.filter(|b| !b.is_empty() && b != id) {
        Some(base) if !valid_model_id(&base) => Err(ServiceError::invalid(MODEL_ID_TOO_LONG)),
        other => Ok(other.map(ModelId::from)),
    }
}

fn writable(user: &User, record: &ModelRecord) -> bool {
    user.role == Role::Admin || record.writable_by(&user.id)
}

/// Creates a model row (admins, or users with `workspace.models` building on a base model).
pub async fn create(app: &App, user: &User, form: ModelForm) -> ServiceResult<Value> {
    if !may(app, user, "workspace.models") {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    if !valid_model_id(&form.id) {
        return Err(ServiceError::invalid(MODEL_ID_TOO_LONG));
    }
    let base_model_id = base_of(form.base_model_id, &form.id)?;
    if user.role != Role::Admin && base_model_id.is_none() {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    if app
        .storage
        .models()
        .get(&ModelId::from(&form.id))
        .await?
        .is_some()
    {
        return Err(ServiceError::unauthorized(MODEL_ID_TAKEN));
    }
    let public_allowed = may(app, user, "sharing.public_models");
    let access_grants = grants::accept(form.access_grants.unwrap_or_default(), public_allowed)?;
    let now = now_epoch();
    let record = ModelRecord {
        id: ModelId::from(form.id),
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
    match app.storage.models().insert(&record).await {
        Ok(()) => Ok(model_json(&record)),
        Err(hearth_domain::StoreError::Conflict(_)) => {
            Err(ServiceError::unauthorized(MODEL_ID_TAKEN))
        }
        Err(other) => Err(other.into()),
    }
}

/// One model row with `write_access`; readers without write access get no params.
pub async fn get_model(app: &App, user: &User, id: &ModelId) -> ServiceResult<Value> {
    let Some(record) = app.storage.models().get(id).await? else {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    };
    let write_access = writable(user, &record);
    if !write_access && !record.readable_by(&user.id) {
        return Err(ServiceError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let mut body = model_json(&record);
    if let Some(object) = body.as_object_mut() {
        if !write_access {
            object.insert("params".into(), Value::Object(Map::new()));
        }
        object.insert("write_access".into(), Value::Bool(write_access));
    }
    Ok(body)
}

/// Replaces a row's name, base, meta, params and on/off (grants stay).
pub async fn update(app: &App, user: &User, form: ModelForm) -> ServiceResult<Value> {
    let Some(mut record) = app.storage.models().get(&ModelId::from(&form.id)).await? else {
        return Err(ServiceError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ServiceError::invalid(msg::ACCESS_PROHIBITED));
    }
    let base_model_id = base_of(form.base_model_id, &form.id)?;
    if user.role != Role::Admin && record.base_model_id.is_some() && base_model_id.is_none() {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    record.base_model_id = base_model_id;
    record.name = hearth_domain::text::strip_nul(&form.name);
    record.meta = clean(form.meta);
    record.params = clean(form.params);
    record.is_active = form.is_active;
    record.updated_at = now_epoch();
    app.storage.models().update(&record).await?;
    Ok(model_json(&record))
}

/// Replaces who may use a model; admins may set grants on provider models without a row
/// (one is created).
pub async fn update_access(app: &App, user: &User, form: AccessForm) -> ServiceResult<Value> {
    if !valid_model_id(&form.id) {
        return Err(ServiceError::invalid(MODEL_ID_TOO_LONG));
    }
    let now = now_epoch();
    let existing = app.storage.models().get(&ModelId::from(&form.id)).await?;
    let is_new = existing.is_none();
    let mut record = match existing {
        Some(record) => record,
        None if user.role == Role::Admin => ModelRecord {
            name: form
                .name
                .as_deref()
                .map(hearth_domain::text::strip_nul)
                .unwrap_or_else(|| form.id.clone()),
            id: ModelId::from(&form.id),
            user_id: user.id.clone(),
            base_model_id: None,
            params: Map::new(),
            meta: Map::new(),
            is_active: true,
            access_grants: Vec::new(),
            updated_at: now,
            created_at: now,
        },
        None => return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED)),
    };
    if !writable(user, &record) {
        return Err(ServiceError::invalid(msg::ACCESS_PROHIBITED));
    }
    let public_allowed = may(app, user, "sharing.public_models");
    record.access_grants = grants::accept(form.access_grants, public_allowed)?;
    record.updated_at = now;
    if is_new {
        app.storage.models().insert(&record).await?;
    } else {
        app.storage.models().update(&record).await?;
    }
    Ok(model_json(&record))
}

/// Switches a model row on or off.
pub async fn toggle(app: &App, user: &User, id: &ModelId) -> ServiceResult<Value> {
    let Some(mut record) = app.storage.models().get(id).await? else {
        return Err(ServiceError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    record.is_active = !record.is_active;
    record.updated_at = now_epoch();
    app.storage.models().update(&record).await?;
    Ok(model_json(&record))
}

/// Deletes a model row (the provider model, if any, shows again unchanged).
pub async fn delete(app: &App, user: &User, id: &ModelId) -> ServiceResult<bool> {
    let Some(record) = app.storage.models().get(id).await? else {
        return Err(ServiceError::unauthorized(msg::NOT_FOUND));
    };
    if !writable(user, &record) {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    Ok(app.storage.models().delete(&record.id).await?)
}
