//! Bodies of the model use cases (`/api/models`, `/api/v1/models/...`).

use crate::grants::GrantBody;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

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

/// Search and paging of the workspace list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ModelListParams {
    /// Case-insensitive text in the id or name.
    pub query: Option<String>,
    /// `created` (the caller's own) or `shared` (others'); all by default.
    pub view_option: Option<String>,
    /// 1-based page.
    pub page: Option<usize>,
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
