//! The websocket transport: a new session, or the upgrade of a long-polling one (probe,
//! then `5`), then frames both ways until either side goes away.

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::Message;
use futures_util::StreamExt;
use hearth_realtime::{Engine, Session};
use std::sync::Arc;

/// Accepts the websocket and runs it in the background.
pub fn start(
    req: &HttpRequest,
    payload: web::Payload,
    engine: Arc<Engine>,
    upgrade_sid: Option<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let (response, ws, stream) = actix_ws::handle(req, payload)?;
    let max_frame = usize::try_from(engine.settings().max_payload).unwrap_or(1_000_000);
    let stream = stream.max_frame_size(max_frame);
    actix_web::rt::spawn(run(engine, ws, stream, upgrade_sid));
    Ok(response)
}

async fn upgrade(
    engine: &Engine,
    ws: &mut actix_ws::Session,
    stream: &mut actix_ws::MessageStream,
    sid: &str,
) -> Option<Arc<Session>> {
    let session = engine.session(sid)?;
    while let Some(Ok(message)) = stream.next().await {
        match message {
            Message::Text(text) if &*text == "2probe" => {
                let pong = engine.probe(&session)?;
                ws.text(pong).await.ok()?;
            }
            Message::Text(text) if &*text == "5" => {
                engine.upgrade(&session);
                return Some(session);
            }
            Message::Ping(bytes) => ws.pong(&bytes).await.ok()?,
            Message::Close(_) => return None,
            _ => {}
        }
    }
    None
}

async fn run(
    engine: Arc<Engine>,
    mut ws: actix_ws::Session,
    mut stream: actix_ws::MessageStream,
    upgrade_sid: Option<String>,
) {
    let session = match upgrade_sid {
        Some(sid) => match upgrade(&engine, &mut ws, &mut stream, &sid).await {
            Some(session) => session,
            None => {
                let _ = ws.close(None).await;
                return;
            }
        },
        None => {
            let (session, open) = engine.open(true);
            if ws.text(open).await.is_err() {
                engine.close(&session).await;
                return;
            }
            session
        }
    };
    let mut frames = session.frames().await;
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => engine.receive(&session, &text).await,
                Some(Ok(Message::Ping(bytes))) => {
                    if ws.pong(&bytes).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            frame = frames.recv() => match frame {
                Some(frame) => {
                    if ws.text(&*frame).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            _ = session.closed() => break,
        }
    }
    drop(frames);
    engine.close(&session).await;
    let _ = ws.close(None).await;
}
