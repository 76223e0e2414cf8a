//! Building and running the server: the application composed from its adapters
//! (`compose`), the routes, and the HTTP server they are served on (`listen`).

mod compose;
mod document;
mod error;
mod jobs;
mod listen;
mod running;

pub use error::StartError;
pub use running::{Server, StopHandle};

use crate::routes;
use crate::socket::{self, events::SocketEvents};
use crate::state::AppState;
use actix_web::web;
use hearth_realtime::Engine;
use hearth_services::accounts::admin::create_env_admin;
use hearth_settings::Settings;
use std::sync::Arc;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;

/// The OpenAPI document of every route.
pub fn openapi() -> OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .configure(routes::configure)
        .split_for_parts();
    api.info.title = "Hearth".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some("Open WebUI 0.12.4-compatible API served by Hearth.".into());
    document::refine(&mut api);
    api
}

/// Opens storage, migrates, loads configuration, composes the application and starts
/// listening.
pub async fn start(settings: Settings) -> Result<Server, StartError> {
    let settings = Arc::new(settings);
    let composed = compose::compose(settings.clone()).await?;
    let events = Arc::new(SocketEvents {
        app: composed.app.clone(),
        realtime: composed.realtime.clone(),
    });
    let engine = Arc::new(Engine::new(
        settings.sockets.engine.clone(),
        composed.realtime.hub.clone(),
        events.clone(),
    ));
    socket::revalidate(
        engine.clone(),
        events,
        settings.sockets.revalidate_interval.as_secs(),
    );
    let openapi_json = serde_json::to_vec(&openapi()).unwrap_or_default();
    create_env_admin(&composed.app).await?;
    jobs::spawn(&composed.app);
    let state = web::Data::new(AppState {
        app: composed.app,
        openapi_json: openapi_json.into(),
        engine,
    });
    let mut server = listen::listen(settings, state)?;
    server.store = Some(composed.store);
    Ok(server)
}
