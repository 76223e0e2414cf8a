//! `/api/v1/users`: the user list and admin edits, the caller's settings, permissions and
//! avatars (use cases in `hearth_services::users`).

mod manage;
mod permissions;
mod profile_image;
mod settings;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router under `/api/v1/users`. Fixed paths come before `/{user_id}`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/users")
            .service(manage::list_users)
            .service(manage::all_users)
            .service(manage::search_users)
            .service(permissions::my_permissions)
            .service(permissions::my_groups)
            .service(permissions::get_default_permissions)
            .service(permissions::set_default_permissions)
            .service(permissions::builtin_default_permissions)
            .service(settings::get_settings)
            .service(settings::update_settings)
            .service(settings::user_variables)
            .service(manage::user_info)
            .service(manage::user_groups)
            .service(manage::get_user)
            .service(manage::update_user)
            .service(manage::delete_user)
            .service(profile_image::profile_image),
    );
}
