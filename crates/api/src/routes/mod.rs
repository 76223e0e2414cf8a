//! HTTP routers, one module per Open WebUI router.

pub mod auths;
pub mod chats;
pub mod docs;
pub mod folders;
pub mod system;
pub mod users;
pub mod workspace;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Also used to build the OpenAPI document.
pub fn configure(cfg: &mut ServiceConfig, body_limit: usize) {
    system::configure(cfg);
    docs::configure(cfg);
    auths::configure(cfg, body_limit);
    users::configure(cfg);
    chats::configure(cfg);
    folders::configure(cfg);
    workspace::configure(cfg);
}
