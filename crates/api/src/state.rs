//! Shared application state, built once and handed to every worker: the use cases'
//! application, and what only the HTTP edge needs.

use actix_web::web::Bytes;
use hearth_realtime::Engine;
use hearth_services::App;
use std::sync::Arc;

/// Everything handlers share.
pub struct AppState {
    /// The use cases' application: settings, live configuration and the ports.
    pub app: Arc<App>,
    /// The OpenAPI document, serialized.
    pub openapi_json: Bytes,
    /// Socket.IO sessions of this instance.
    pub engine: Arc<Engine>,
}
