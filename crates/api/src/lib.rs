//! Hearth's HTTP edge: actix-web handlers (one module per Open WebUI router), the error
//! mapping to FastAPI's `{"detail": ...}` bodies, authentication extractors, the live
//! configuration and the server builder. The `hearth` binary is a thin wrapper around
//! [`start`]; tests and embedders call it directly.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mut settings = hearth_api::Settings::new("./data");
//! settings.http.port = 0; // any free port
//! let server = hearth_api::start(settings).await?;
//! println!("listening on {}", server.addr());
//! server.wait().await?;
//! # Ok(()) }
//! ```

mod avatar;
mod body;
mod changelog;
pub mod cookies;
mod disposition;
pub mod error;
mod events;
pub mod extract;
mod frontend;
mod json_body;
mod middleware;
pub mod routes;
mod server;
pub mod socket;
pub mod state;
pub mod upstream;

pub use hearth_settings::{self as settings, SameSite, SecurityHeaders, Settings};
pub use server::{Server, StartError, StopHandle, openapi, start};
