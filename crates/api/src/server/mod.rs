//! Building and running the server: the application composed from its adapters
//! (`compose`), the routes, and the HTTP server they are served on (`listen`).

mod compose;
mod listen;

use crate::routes;
use crate::socket::{self, events::SocketEvents};
use crate::state::AppState;
use actix_web::dev::ServerHandle;
use actix_web::web;
use hearth_auth::secret;
use hearth_domain::StoreError;
use hearth_persistence::{ConnectError, MigrationError};
use hearth_providers::ProviderError;
use hearth_realtime::Engine;
use hearth_services::ServiceError;
use hearth_services::accounts::admin::create_env_admin;
use hearth_settings::Settings;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A combination of settings is refused.
    #[error("{0}")]
    Settings(String),
    /// The database could not be opened.
    #[error(transparent)]
    Database(#[from] ConnectError),
    /// A migration failed.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// The secret key file could not be read or written.
    #[error(transparent)]
    Secret(#[from] secret::SecretError),
    /// The configuration table could not be read.
    #[error("cannot load the configuration: {0}")]
    Config(#[from] StoreError),
    /// The admin account from `WEBUI_ADMIN_EMAIL` could not be created.
    #[error("cannot create the admin account: {0}")]
    Admin(#[from] ServiceError),
    /// The HTTP client for model servers could not be built.
    #[error("cannot set up model connections: {0}")]
    Providers(#[from] ProviderError),
    /// Redis (for Socket.IO across instances) is misconfigured.
    #[error("cannot set up the websocket manager: {0}")]
    Realtime(#[from] fred::error::Error),
    /// The single sign-on client could not be built.
    #[error("cannot set up single sign-on: {0}")]
    Sso(#[from] hearth_sso::SsoError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    state: web::Data<AppState>,
}

impl Server {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Shared state, for embedders and tests.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> StopHandle {
        StopHandle {
            handle: self.handle.clone(),
            engine: self.state.engine.clone(),
        }
    }

    /// Runs until the server stops (Ctrl-C / SIGTERM, or [`StopHandle::stop`]).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }

    /// Stops gracefully and waits.
    pub async fn stop(self) -> std::io::Result<()> {
        self.handle().stop().await;
        self.wait().await
    }
}

/// Stops a running [`Server`] from elsewhere (a signal handler).
#[derive(Clone)]
pub struct StopHandle {
    handle: ServerHandle,
    engine: Arc<Engine>,
}

impl StopHandle {
    /// Closes every socket (their clients reconnect, possibly to another instance), then
    /// stops accepting and lets requests in flight finish (10 s at most).
    pub async fn stop(&self) {
        for session in self.engine.sessions() {
            self.engine.close(&session).await;
        }
        self.handle.stop(true).await;
    }
}

/// The OpenAPI document of every route.
pub fn openapi(body_limit: usize) -> OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .configure(|cfg| routes::configure(cfg, body_limit))
        .split_for_parts();
    api.info.title = "Hearth".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some("Open WebUI 0.12.4-compatible API served by Hearth.".into());
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
    let openapi_json =
        serde_json::to_vec(&openapi(settings.http.max_body_bytes)).unwrap_or_default();
    create_env_admin(&composed.app).await?;
    let state = web::Data::new(AppState {
        app: composed.app,
        openapi_json: openapi_json.into(),
        engine,
    });
    listen::listen(settings, state)
}
