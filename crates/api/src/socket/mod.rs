//! Socket.IO at `/ws/socket.io/`: Engine.IO long-polling (GET held until there is something
//! to send, POST for client packets) and websocket (fresh, or upgraded from polling), over
//! `hearth-realtime`'s engine. Authentication happens in the Socket.IO connect payload.
//! Websocket handshakes arrive as HTTP upgrades, which the server hands to
//! [`websocket::serve`] before routing; the routes here document them and serve polling.

pub mod events;
pub mod websocket;

use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use hearth_realtime::PollError;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the Engine.IO endpoint (with and without the trailing slash).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_slash)
        .service(get_bare)
        .service(post_slash)
        .service(post_bare);
}

/// Engine.IO query parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EngineQuery {
    /// Protocol version (`4`).
    #[serde(rename = "EIO")]
    pub eio: Option<String>,
    /// `polling` or `websocket`.
    pub transport: Option<String>,
    /// Session id (after the handshake).
    pub sid: Option<String>,
}

/// The body of an Engine.IO error answer (`{"code", "message"}`, plus `detail` like every
/// Hearth error).
fn engine_error_body(code: u8, message: &str) -> String {
    json!({"code": code, "message": message, "detail": message}).to_string()
}

fn engine_error(code: u8, message: &str) -> HttpResponse {
    HttpResponse::build(StatusCode::BAD_REQUEST)
        .content_type("application/json")
        .body(engine_error_body(code, message))
}

fn poll_error(error: PollError) -> HttpResponse {
    let code = match error {
        PollError::UnknownSession => 1,
        PollError::BadPayload => 3,
        PollError::Overlap | PollError::Upgraded => 3,
    };
    engine_error(code, &error.to_string())
}

fn text(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=UTF-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

async fn handle_get(state: web::Data<AppState>, query: EngineQuery) -> HttpResponse {
    if query.eio.as_deref() != Some("4") {
        return engine_error(5, "Unsupported protocol version");
    }
    let engine = &state.engine;
    match query.transport.as_deref() {
        // Websocket handshakes never get here: every upgrade request is handed to
        // `websocket::serve` before routing.
        Some("websocket") if engine.settings().websocket => {
            engine_error(3, "Bad request: a websocket needs an upgrade request")
        }
        Some("polling") => match query.sid {
            None => {
                let (_, open) = engine.open(false);
                text(open)
            }
            Some(sid) => match engine.session(&sid) {
                None => poll_error(PollError::UnknownSession),
                Some(session) => match engine.poll(&session).await {
                    Ok(body) => text(body),
                    Err(error) => {
                        engine.close(&session).await;
                        poll_error(error)
                    }
                },
            },
        },
        _ => engine_error(0, "Transport unknown"),
    }
}

async fn handle_post(
    state: web::Data<AppState>,
    query: EngineQuery,
    body: web::Bytes,
) -> HttpResponse {
    if query.eio.as_deref() != Some("4") {
        return engine_error(5, "Unsupported protocol version");
    }
    let engine = &state.engine;
    let Some(session) = query.sid.as_deref().and_then(|sid| engine.session(sid)) else {
        return poll_error(PollError::UnknownSession);
    };
    let Ok(body) = std::str::from_utf8(&body) else {
        engine.close(&session).await;
        return poll_error(PollError::BadPayload);
    };
    match engine.post(&session, body).await {
        Ok(()) => text("ok".into()),
        Err(error) => poll_error(error),
    }
}

/// Engine.IO: polling handshake and poll, or websocket upgrade.
#[utoipa::path(tag = "socket.io", params(EngineQuery), responses(
    (status = 200, description = "Engine.IO packets (text/plain), or 101 Switching Protocols"),
    (status = 400, description = "Unknown session, transport or protocol version"),
))]
#[get("/ws/socket.io/")]
pub async fn get_slash(state: web::Data<AppState>, query: web::Query<EngineQuery>) -> HttpResponse {
    handle_get(state, query.into_inner()).await
}

/// Same as `GET /ws/socket.io/`.
#[utoipa::path(tag = "socket.io", params(EngineQuery), responses((status = 200, description = "Engine.IO packets")))]
#[get("/ws/socket.io")]
pub async fn get_bare(state: web::Data<AppState>, query: web::Query<EngineQuery>) -> HttpResponse {
    handle_get(state, query.into_inner()).await
}

/// Engine.IO long-polling: packets from the client.
#[utoipa::path(tag = "socket.io", params(EngineQuery), request_body(content = String, content_type = "text/plain"), responses(
    (status = 200, description = "`ok`"),
    (status = 400, description = "Unknown session or bad payload"),
))]
#[post("/ws/socket.io/")]
pub async fn post_slash(
    state: web::Data<AppState>,
    query: web::Query<EngineQuery>,
    body: web::Bytes,
) -> HttpResponse {
    handle_post(state, query.into_inner(), body).await
}

/// Same as `POST /ws/socket.io/`.
#[utoipa::path(tag = "socket.io", params(EngineQuery), request_body(content = String, content_type = "text/plain"), responses((status = 200, description = "`ok`")))]
#[post("/ws/socket.io")]
pub async fn post_bare(
    state: web::Data<AppState>,
    query: web::Query<EngineQuery>,
    body: web::Bytes,
) -> HttpResponse {
    handle_post(state, query.into_inner(), body).await
}

/// Re-checks every socket's token every `interval_secs` and closes the sockets whose user
/// was deleted, demoted to pending, or signed out everywhere.
pub fn revalidate(
    engine: std::sync::Arc<hearth_realtime::Engine>,
    events: std::sync::Arc<events::SocketEvents>,
    interval_secs: u64,
) {
    if interval_secs == 0 {
        return;
    }
    let engine = std::sync::Arc::downgrade(&engine);
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_secs(interval_secs));
        ticker.tick().await;
        loop {
            ticker.tick().await;
            let Some(engine) = engine.upgrade() else {
                break;
            };
            for session in engine.sessions() {
                let Some(user) = session.socket.user() else {
                    continue;
                };
                if events.user_for(&user.token).await.is_none() {
                    tracing::info!(socket = %session.socket.id, "socket token no longer valid; disconnecting");
                    session.socket.emit("access:updated", &json!({}));
                    engine.close(&session).await;
                }
            }
        }
    });
}
