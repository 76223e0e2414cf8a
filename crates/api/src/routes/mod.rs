//! HTTP routers, one module per Open WebUI router.

pub mod auths;
pub mod chats;
pub mod completions;
pub mod configs;
pub mod docs;
pub mod folders;
pub mod grants;
pub mod models;
pub mod oauth;
pub mod ollama;
pub mod openai;
pub mod system;
pub mod tasks;
pub mod usage;
pub mod users;
pub mod workspace;

use crate::state::AppState;
use hearth_domain::{Role, User, permissions};
use utoipa_actix_web::service_config::ServiceConfig;

/// Whether a user has a permission (admins have all).
pub(crate) fn may(state: &AppState, user: &User, key: &str) -> bool {
    user.role == Role::Admin || permissions::allows(&state.config.view().permissions, key)
}

/// Registers every documented route. Also used to build the OpenAPI document.
pub fn configure(cfg: &mut ServiceConfig, body_limit: usize) {
    system::configure(cfg);
    docs::configure(cfg);
    auths::configure(cfg, body_limit);
    users::configure(cfg);
    chats::configure(cfg);
    folders::configure(cfg);
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
