//! Server-sent events of JSON values (`data: {json}` per event), the shape the status and
//! pending-files streams answer with.

use actix_web::HttpResponse;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use serde_json::Value;

/// A `text/event-stream` response sending each value as one event, unbuffered.
pub fn json_events(events: impl Stream<Item = Value> + 'static) -> HttpResponse {
    let body =
        events.map(|event| Ok::<_, actix_web::Error>(Bytes::from(format!("data: {event}\n\n"))));
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body)
}
