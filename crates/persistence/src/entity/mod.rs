//! sea-orm entities, one per table, mirroring Open WebUI 0.12.4.

pub mod access_grant;
pub mod api_key;
pub mod auth;
pub mod chat;
pub mod chat_file;
pub mod chat_message;
pub mod config;
pub mod file;
pub mod folder;
pub mod group;
pub mod group_member;
pub mod knowledge;
pub mod knowledge_directory;
pub mod knowledge_file;
pub mod memory;
pub mod model;
pub mod oauth_session;
pub mod prompt;
pub mod shared_chat;
pub mod tag;
pub mod user;
