//! Admin ▸ Settings ▸ Connections and ▸ Models (Open WebUI's `routers/configs.py`), as
//! config-table keys under the web client's field names.

use crate::App;
use crate::config::forms::{self, Fields};
use crate::error::ServiceResult;
use hearth_domain::config::keys;
use serde_json::{Map, Value, json};

const CONNECTION_FIELDS: &Fields = &[
    ("ENABLE_DIRECT_CONNECTIONS", "direct.enable"),
    ("ENABLE_DIRECT_INTEGRATIONS", "direct.integrations.enable"),
    ("ENABLE_BASE_MODELS_CACHE", "models.base_models_cache"),
];

const MODEL_FIELDS: &Fields = &[
    ("DEFAULT_MODELS", "ui.default_models"),
    ("DEFAULT_PINNED_MODELS", "ui.default_pinned_models"),
    ("MODEL_ORDER_LIST", keys::MODEL_ORDER_LIST),
    ("DEFAULT_MODEL_METADATA", keys::MODELS_DEFAULT_METADATA),
    ("DEFAULT_MODEL_PARAMS", keys::MODELS_DEFAULT_PARAMS),
];

/// The connection switches.
pub fn connections(app: &App) -> Value {
    forms::read(app, CONNECTION_FIELDS)
}

/// Saves the connection switches.
pub async fn set_connections(app: &App, form: Map<String, Value>) -> ServiceResult<Value> {
    forms::write(app, CONNECTION_FIELDS, form).await
}

/// The model defaults and order.
pub fn models(app: &App) -> Value {
    forms::read(app, MODEL_FIELDS)
}

/// Saves the model defaults and order.
pub async fn set_models(app: &App, form: Map<String, Value>) -> ServiceResult<Value> {
    forms::write(app, MODEL_FIELDS, form).await
}

/// The metadata every model starts from (any signed-in user).
pub fn model_defaults(app: &App) -> Value {
    let view = app.view();
    json!({"DEFAULT_MODEL_METADATA": view.snapshot.value(keys::MODELS_DEFAULT_METADATA)})
}

/// The admin's banners (`ui.banners`).
pub fn banners(app: &App) -> Value {
    let banners = app.view().snapshot.value("ui.banners");
    if banners.is_array() {
        banners
    } else {
        Value::Array(Vec::new())
    }
}
