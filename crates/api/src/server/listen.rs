//! The HTTP server: actix-http's service with the app and the websocket upgrade, on a
//! listener bound here.

use super::error::StartError;
use super::running::Server;
use crate::body::{path_config, query_config};
use crate::state::AppState;
use crate::{frontend, middleware, routes, socket};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, map_config};
use actix_web::dev::{AppConfig, fn_service};
use actix_web::web;
use hearth_settings::Settings;
use std::sync::Arc;
use utoipa_actix_web::AppExt;

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
pub(super) fn listen(
    settings: Arc<Settings>,
    state: web::Data<AppState>,
) -> Result<Server, StartError> {
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
        let app = actix_web::App::new()
            .app_data(app_state.clone())
            .app_data(query_config())
            .app_data(path_config())
            .app_data(web::PayloadConfig::new(limit))
            .wrap(actix_web::middleware::from_fn(middleware::catch_panics))
            .wrap(middleware::cors(&app_settings))
            .wrap(middleware::security_headers(&app_settings))
            .into_utoipa_app()
            .configure(routes::configure)
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
        store: None,
    })
}
