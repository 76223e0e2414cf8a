//! The model lists: the catalog the chat page reads (base models with the workspace's rows
//! applied, only those the caller may use), the connections' own models, and the
//! workspace's rows (paged for the Workspace page, all for the admin's settings).

use super::catalog::{Catalog, Viewer, model_json};
use super::dto::{ModelList, ModelListParams};
use crate::App;
use crate::error::ServiceResult;
use hearth_domain::config::keys;
use hearth_domain::provider::ProviderConfig;
use hearth_domain::{Role, User};
use serde_json::{Value, json};
use std::sync::Arc;

/// Rows per page of the workspace list.
const PAGE: usize = 30;

/// The catalog as it stands, with the connections it was built from.
pub struct Models {
    /// The connections.
    pub config: Arc<ProviderConfig>,
    /// Base models with the workspace rows applied.
    pub catalog: Catalog,
}

/// Loads the catalog: the cached base models plus the `model` table.
pub async fn load(app: &App, refresh: bool) -> ServiceResult<Models> {
    let view = app.view();
    let config = Arc::clone(&view.providers);
    let base = app.models.base_models(&config, refresh).await;
    let records = app.storage.models().all().await?;
    let defaults = view
        .snapshot
        .get(keys::MODELS_DEFAULT_METADATA)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(Models {
        config,
        catalog: Catalog::build(&base, records, &defaults),
    })
}

/// How access rules see `user`.
pub fn viewer<'a>(app: &App, user: &'a User) -> Viewer<'a> {
    Viewer {
        user: &user.id,
        is_admin: user.role == Role::Admin,
        bypass_all: app.settings.models.bypass_model_access_control,
        bypass_admin: app.settings.models.bypass_admin_access_control,
    }
}

/// The models the caller may use, from every connection, with workspace settings applied,
/// in the admin's order.
pub async fn visible(app: &App, user: &User, refresh: bool) -> ServiceResult<ModelList> {
    let models = load(app, refresh).await?;
    let view = app.view();
    let order: Vec<String> = view
        .snapshot
        .get(keys::MODEL_ORDER_LIST)
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let data = models
        .catalog
        .visible(&viewer(app, user), &order)
        .into_iter()
        .map(|m| m.body.clone())
        .collect();
    Ok(ModelList { data })
}

/// The connections' own models, without workspace settings.
pub async fn base_list(app: &App) -> ModelList {
    let config = Arc::clone(&app.view().providers);
    let base = app.models.base_models(&config, false).await;
    ModelList {
        data: base.models.iter().map(|m| m.body.clone()).collect(),
    }
}

/// The rows the caller may read, newest first, 30 per page, with `write_access`.
pub async fn workspace_rows(
    app: &App,
    user: &User,
    params: &ModelListParams,
) -> ServiceResult<Value> {
    let admin = user.role == Role::Admin;
    let needle = params.query.as_deref().map(str::to_lowercase);
    let mut rows: Vec<_> = app
        .storage
        .models()
        .all()
        .await?
        .into_iter()
        .filter(|r| admin || r.readable_by(&user.id))
        .filter(|r| match params.view_option.as_deref() {
            Some("created") => r.user_id == user.id,
            Some("shared") => r.user_id != user.id,
            _ => true,
        })
        .filter(|r| {
            needle.as_deref().is_none_or(|n| {
                r.id.to_lowercase().contains(n) || r.name.to_lowercase().contains(n)
            })
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    let total = rows.len();
    let skip = params
        .page
        .unwrap_or(1)
        .max(1)
        .saturating_sub(1)
        .saturating_mul(PAGE);
    let items: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(PAGE)
        .map(|record| {
            let mut body = model_json(record);
            body["write_access"] = json!(admin || record.writable_by(&user.id));
            body
        })
        .collect();
    Ok(json!({"items": items, "total": total}))
}

/// Rows that stand for provider models themselves (no base model).
pub async fn base_rows(app: &App) -> ServiceResult<Vec<Value>> {
    let rows = app.storage.models().all().await?;
    Ok(rows
        .iter()
        .filter(|r| r.base_model_id.is_none())
        .map(model_json)
        .collect())
}

/// Every row.
pub async fn all_rows(app: &App) -> ServiceResult<Vec<Value>> {
    let rows = app.storage.models().all().await?;
    Ok(rows.iter().map(model_json).collect())
}
