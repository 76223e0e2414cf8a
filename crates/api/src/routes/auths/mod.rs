//! `/api/v1/auths`: sessions, profile, passwords, API keys and the admin's auth settings (use
//! cases in `hearth_services::accounts`).

mod admin;
mod profile;
mod respond;
mod session;

use actix_web::middleware::DefaultHeaders;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router under `/api/v1/auths`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/auths")
            .app_data(crate::body::BodyErrors::Terse)
            .wrap(DefaultHeaders::new().add(("Cache-Control", "no-store")))
            .service(session::get_session_user)
            .service(session::signin)
            .service(session::signup)
            .service(session::signout)
            .service(session::ldap_signin)
            .service(profile::update_profile)
            .service(profile::update_timezone)
            .service(profile::update_password)
            .service(profile::mfa_status)
            .service(admin::add_user)
            .service(admin::admin_details)
            .service(admin::get_admin_config)
            .service(admin::update_admin_config)
            .service(admin::get_ldap_config)
            .service(admin::update_ldap_config)
            .service(admin::get_ldap_server)
            .service(admin::update_ldap_server)
            .service(admin::get_oauth_config)
            .service(admin::update_oauth_config)
            .service(profile::create_api_key)
            .service(profile::get_api_key)
            .service(profile::delete_api_key),
    );
}
