//! Models: the merged list every chat page reads (`/api/models`), and the workspace's model
//! rows that rename, hide, share or build on provider models (`/api/v1/models/...`).

pub mod listing;
pub mod workspace;

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, web};
use hearth_domain::Role;
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_providers::{Catalog, ProviderConfig, Viewer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the model list routes and the workspace model routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(list_v1).service(base_list);
    cfg.service(listing::list)
        .service(listing::all)
        .service(listing::tags)
        .service(listing::base_rows);
    workspace::configure(cfg);
}

/// The catalog as it stands, with the connections it was built from.
pub(crate) struct Models {
    /// The connections.
    pub config: Arc<ProviderConfig>,
    /// Base models with the workspace rows applied.
    pub catalog: Catalog,
}

/// Loads the catalog: the cached base models plus the `model` table.
pub(crate) async fn load(state: &AppState, refresh: bool) -> ApiResult<Models> {
    let view = state.config.view();
    let config = Arc::clone(&view.providers);
    let base = state.providers.registry.base_models(&config, refresh).await;
    let records = state.stores.models.all().await?;
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
pub(crate) fn viewer<'a>(state: &AppState, user: &'a User) -> Viewer<'a> {
    Viewer {
        user: &user.id,
        is_admin: user.role == Role::Admin,
        bypass_all: state.settings.models.bypass_model_access_control,
        bypass_admin: state.settings.models.bypass_admin_access_control,
    }
}

/// Query of the model lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RefreshParams {
    /// Ask every connection again instead of using the cached list.
    #[serde(default)]
    pub refresh: bool,
}

/// `{"data": [model, ...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelList {
    /// Model objects (`id`, `name`, `owned_by`, `info`, ...).
    pub data: Vec<Map<String, Value>>,
}

async fn visible(state: &AppState, user: &User, refresh: bool) -> ApiResult<web::Json<ModelList>> {
    let models = load(state, refresh).await?;
    let view = state.config.view();
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
        .visible(&viewer(state, user), &order)
        .into_iter()
        .map(|m| m.body.clone())
        .collect();
    Ok(web::Json(ModelList { data }))
}

/// The models the caller may use, from every connection, with workspace settings applied.
#[utoipa::path(tag = "models", params(RefreshParams), responses((status = 200, body = ModelList)))]
#[get("/api/models")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<RefreshParams>,
) -> ApiResult<web::Json<ModelList>> {
    visible(&state, caller.user(), params.refresh).await
}

/// Same as `GET /api/models` (the path OpenAI clients use).
#[utoipa::path(tag = "models", params(RefreshParams), responses((status = 200, body = ModelList)))]
#[get("/api/v1/models")]
pub async fn list_v1(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<RefreshParams>,
) -> ApiResult<web::Json<ModelList>> {
    visible(&state, caller.user(), params.refresh).await
}

/// The connections' own models, without workspace settings (admin).
#[utoipa::path(tag = "models", responses((status = 200, body = ModelList)))]
#[get("/api/models/base")]
pub async fn base_list(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<ModelList> {
    let config = Arc::clone(&state.config.view().providers);
    let base = state.providers.registry.base_models(&config, false).await;
    let data = base.models.iter().map(|m| m.body.clone()).collect();
    web::Json(ModelList { data })
}
