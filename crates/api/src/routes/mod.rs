//! HTTP routers, one module per Open WebUI router.

pub mod auths;
pub mod chats;
pub mod completions;
pub mod configs;
pub mod docs;
pub mod files;
pub mod folders;
pub mod knowledge;
pub mod models;
pub mod oauth;
pub mod ollama;
pub mod openai;
pub mod retrieval;
pub mod system;
pub mod tasks;
pub mod usage;
pub mod users;
pub mod workspace;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Also used to build the OpenAPI document.
pub fn configure(cfg: &mut ServiceConfig) {
    system::configure(cfg);
    docs::configure(cfg);
    auths::configure(cfg);
    users::configure(cfg);
    chats::configure(cfg);
    folders::configure(cfg);
    files::configure(cfg);
    retrieval::configure(cfg);
    knowledge::configure(cfg);
    workspace::configure(cfg);
    models::configure(cfg);
    completions::configure(cfg);
    configs::configure(cfg);
    openai::configure(cfg);
    ollama::configure(cfg);
    usage::configure(cfg);
    crate::socket::configure(cfg);
    tasks::configure(cfg);
    oauth::configure(cfg);
}
