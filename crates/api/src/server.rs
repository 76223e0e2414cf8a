//! Building and running the server: storage, migrations, configuration, services, routes.

use crate::body::{json_config, path_config, query_config};
use crate::live_config::LiveConfig;
use crate::settings::Settings;
use crate::socket::{self, events::SocketEvents};
use crate::sso::Sso;
use crate::state::{AppState, Services, Stores};
use crate::{frontend, middleware, routes};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, map_config};
use actix_web::dev::{AppConfig, ServerHandle, fn_service};
use actix_web::{App, web};
use hearth_auth::accounts::{Accounts, NewUserRequest};
use hearth_auth::activity::ActivityTracker;
use hearth_auth::authenticate::Authenticator;
use hearth_auth::password::PasswordHasher;
use hearth_auth::rate_limit::RateLimiter;
use hearth_auth::tokens::SessionTokens;
use hearth_auth::{AuthError, secret};
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, StoreError};
use hearth_persistence::{ConnectError, MigrationError, SqlStore};
use hearth_providers::{ProviderError, Providers};
use hearth_realtime::{Engine, Realtime};
use hearth_tasks::TaskRegistry;
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
    Admin(#[from] AuthError),
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
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .configure(|cfg| routes::configure(cfg, body_limit))
        .split_for_parts();
    api.info.title = "Hearth".into();
    api.info.version = env!("CARGO_PKG_VERSION").into();
    api.info.description = Some("Open WebUI 0.12.4-compatible API served by Hearth.".into());
    api
}

/// Opens storage, migrates, loads configuration and starts listening.
pub async fn start(settings: Settings) -> Result<Server, StartError> {
    let settings = Arc::new(settings);
    let store = SqlStore::connect(&settings.database()).await?;
    store.migrate().await?;
    let store = Arc::new(store);
    let stores = Stores {
        users: store.clone(),
        credentials: store.clone(),
        api_keys: store.clone(),
        chats: store.clone(),
        folders: store.clone(),
        shares: store.clone(),
        models: store.clone(),
        config: store.clone(),
        health: store.clone(),
        oauth: store.clone(),
    };
    let secret = match &settings.secret_key {
        Some(secret) if !secret.is_empty() => secret.clone(),
        _ => secret::load_or_create(&settings.data_dir)?,
    };
    let config = Arc::new(LiveConfig::start(stores.config.clone(), settings.clone()).await?);
    config.spawn_refresh(settings.config_refresh_interval);
    let hasher = PasswordHasher::new(
        settings.accounts.password_hash_cost,
        settings.accounts.hash_concurrency(),
    );
    let limiter = Arc::new(RateLimiter::new(
        settings.accounts.signin_rate_limit,
        settings.accounts.signin_rate_window.as_secs(),
    ));
    let accounts = Accounts::new(
        stores.users.clone(),
        stores.credentials.clone(),
        hasher,
        limiter,
    );
    let activity = ActivityTracker::new(
        stores.users.clone(),
        settings.accounts.user_active_update_interval.as_secs(),
    );
    let authenticator = Authenticator::new(
        SessionTokens::new(&secret),
        stores.credentials.clone(),
        stores.api_keys.clone(),
        activity,
    );
    let openapi_json =
        serde_json::to_vec(&openapi(settings.http.max_body_bytes)).unwrap_or_default();
    let providers = Arc::new(Providers::new(settings.providers.clone())?);
    let realtime = Arc::new(Realtime::new(
        &settings.manager().map_err(StartError::Settings)?,
    )?);
    let events = Arc::new(SocketEvents {
        authenticator: authenticator.clone(),
        config: config.clone(),
        users: stores.users.clone(),
        chats: stores.chats.clone(),
        realtime: realtime.clone(),
    });
    let engine = Arc::new(Engine::new(
        settings.sockets.engine.clone(),
        realtime.hub.clone(),
        events.clone(),
    ));
    socket::revalidate(
        engine.clone(),
        events,
        settings.sockets.revalidate_interval.as_secs(),
    );
    let tasks = TaskRegistry::new(&hearth_tasks::TaskSettings::from_redis(&settings.redis))?;
    let sso = Arc::new(Sso::new(&settings.sso, &secret)?);
    let services = Services {
        providers,
        realtime,
        engine,
        tasks,
        sso,
    };
    let state = web::Data::new(AppState::new(
        settings.clone(),
        stores,
        accounts,
        authenticator,
        config,
        openapi_json.into(),
        services,
    ));
    create_env_admin(&state).await?;
    listen(settings, state)
}

/// Creates the `WEBUI_ADMIN_EMAIL` account on an instance without users.
async fn create_env_admin(state: &AppState) -> Result<(), StartError> {
    let settings = &state.settings;
    let (Some(email), Some(password)) = (
        hearth_settings::non_empty(&settings.accounts.admin_email),
        hearth_settings::non_empty(&settings.accounts.admin_password),
    ) else {
        return Ok(());
    };
    if state.users_exist().await? {
        return Ok(());
    }
    let request = NewUserRequest {
        name: settings.accounts.admin_name.clone(),
        email: email.to_owned(),
        password: password.to_owned(),
        profile_image_url: None,
        role: Role::Admin,
    };
    let created = state.accounts.create(request, false, now_epoch()).await?;
    state.mark_users_exist();
    let primary = (
        keys::PRIMARY_ADMIN_ID.to_owned(),
        serde_json::json!(created.user.id.as_str()),
    );
    state.config.set(vec![primary]).await?;
    tracing::info!("created the admin account from WEBUI_ADMIN_EMAIL");
    Ok(())
}

/// Pending connections the kernel queues before `accept` (as actix-web's default).
const BACKLOG: i32 = 1024;

fn bind(address: &str) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let addr = address
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("the address resolves to nothing"))?;
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Serves the app on actix-http directly (rather than through `actix_web::HttpServer`) so
/// websocket upgrades can take over their connection: see [`socket::websocket`].
fn listen(settings: Arc<Settings>, state: web::Data<AppState>) -> Result<Server, StartError> {
    let address = format!("{}:{}", settings.http.host, settings.http.port);
    let bind_error = |source| StartError::Bind {
        address: address.clone(),
        source,
    };
    let listener = bind(&address).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let mut builder = actix_server::Server::build()
        .disable_signals()
        .shutdown_timeout(10);
    if let Some(workers) = settings.http.workers {
        builder = builder.workers(workers.max(1));
    }
    // Idle keep-alive connections close at once when the server stops.
    let stopping = builder.graceful_shutdown_signal();
    let app_state = state.clone();
    let app_settings = settings.clone();
    let factory = move || {
        let limit = app_settings.http.max_body_bytes;
        let root = app_settings.http.frontend_dir.clone();
        let app = App::new()
            .app_data(app_state.clone())
            .app_data(json_config(limit))
            .app_data(query_config())
            .app_data(path_config())
            .app_data(web::PayloadConfig::new(limit))
            .wrap(middleware::cors(&app_settings))
            .wrap(middleware::security_headers(&app_settings))
            .into_utoipa_app()
            .configure(|cfg| routes::configure(cfg, limit))
            .into_app()
            .default_service(fn_service(move |req| frontend::serve(root.clone(), req)));
        let engine = app_state.engine.clone();
        let upgrade = actix_service::fn_service(
            move |(req, framed): (actix_http::Request, actix_codec::Framed<_, _>)| {
                let engine = engine.clone();
                async move {
                    socket::websocket::serve(req, framed, engine).await;
                    Ok::<_, std::convert::Infallible>(())
                }
            },
        );
        let app = app
            .into_factory()
            .map_err(|error: actix_web::Error| error.error_response());
        let stopping = stopping.clone();
        actix_http::HttpService::build()
            .graceful_shutdown_signal(move || {
                let stopping = stopping.clone();
                async move { stopping.notified().await }
            })
            .client_request_timeout(std::time::Duration::from_secs(5))
            .client_disconnect_timeout(std::time::Duration::from_secs(1))
            // A client that closes its side is gone: stop its response (and with it any
            // model server request behind a stream) instead of waiting for a write to fail.
            .h1_allow_half_closed(false)
            .local_addr(addr)
            .upgrade(upgrade)
            .finish(map_config(app, |_| AppConfig::default()))
            .tcp()
    };
    let server = builder
        .listen("hearth", listener, factory)
        .map_err(bind_error)?;
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    Ok(Server {
        addr,
        handle,
        task,
        state,
    })
}
