//! Hearth's use cases, between the HTTP edge and the adapters: the chat turn, the chat
//! history, accounts and sign-in, users, the model catalog and who may use it, permissions
//! and the live settings. Each use case is a function over an [`App`] — the domain's ports
//! (storage, model servers, realtime events, background tasks) plus the live configuration —
//! and answers a result or a [`ServiceError`]. No web framework, database driver or network
//! client is compiled in; tests run the use cases over in-memory ports.
//!
//! ```ignore
//! let chat = hearth_services::chats::crud::create(&app, &user, form).await?;
//! ```

pub mod accounts;
pub mod app;
pub mod body_schema;
pub mod chat_turn;
pub mod chats;
pub mod collections;
pub mod completions;
pub mod config;
pub mod connections;
pub mod error;
pub mod files;
pub mod folders;
pub mod grants;
pub mod knowledge;
pub mod live;
pub mod messages;
pub mod models;
pub mod permissions;
pub mod retention;
pub mod retrieval;
pub mod settings_pages;
pub mod sso;
pub mod system;
pub mod task_prompt;
pub mod tasks;
pub mod usage;
pub mod users;

pub use app::App;
pub use error::{ServiceError, ServiceResult};
