//! `POST /api/v1/auths/ldap`: sign-in through the directory (`hearth_auth::ldap`). The account
//! is found by the email the directory holds, or created on first sign-in; a token is issued
//! only after the directory accepted the user's own password.

use super::issue_session;
use super::session::create_promoting_first;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{HttpResponse, post, web};
use hearth_auth::accounts::NewUserRequest;
use hearth_auth::ldap::{LdapSettings, authenticate};
use hearth_domain::config::ConfigSnapshot;
use serde::Deserialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Body of `POST /ldap`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LdapForm {
    /// The directory username.
    pub user: String,
    /// Its password.
    pub password: String,
}

fn text(snapshot: &ConfigSnapshot, key: &str) -> String {
    snapshot.value(key).as_str().unwrap_or_default().to_owned()
}

/// The `ldap.server.*` settings as the sign-in needs them.
pub(crate) fn ldap_settings(snapshot: &ConfigSnapshot, timeout: Duration) -> LdapSettings {
    LdapSettings {
        host: text(snapshot, "ldap.server.host"),
        port: snapshot
            .value("ldap.server.port")
            .as_u64()
            .and_then(|p| u16::try_from(p).ok()),
        use_tls: snapshot.value("ldap.server.use_tls").as_bool() == Some(true),
        validate_cert: snapshot.value("ldap.server.validate_cert").as_bool() != Some(false),
        ca_cert_file: text(snapshot, "ldap.server.ca_cert_file"),
        app_dn: text(snapshot, "ldap.server.app_dn"),
        app_password: text(snapshot, "ldap.server.app_password"),
        search_base: text(snapshot, "ldap.server.users_dn"),
        search_filters: text(snapshot, "ldap.server.search_filter"),
        attribute_for_username: text(snapshot, "ldap.server.attribute_for_username"),
        attribute_for_mail: text(snapshot, "ldap.server.attribute_for_mail"),
        default_email_domain: text(snapshot, "ldap.server.default_email_domain"),
        timeout,
    }
}

/// Signs in with directory credentials.
#[utoipa::path(tag = "auths", request_body = LdapForm, responses((status = 200, body = Object), (status = 400)))]
#[post("/ldap")]
pub async fn ldap_signin(
    state: web::Data<AppState>,
    form: web::Json<LdapForm>,
) -> ApiResult<HttpResponse> {
    let view = state.config.view();
    if !view.flag("ldap.enable") {
        return Err(ApiError::bad_request("LDAP authentication is not enabled"));
    }
    let settings = ldap_settings(
        &view.snapshot,
        state.settings.ldap.timeout.max(Duration::from_secs(1)),
    );
    let identity = authenticate(&settings, &form.user, &form.password)
        .await
        .map_err(|error| ApiError::bad_request(error.to_string()))?;
    let user = match state.stores.users.get_by_email(&identity.email).await? {
        Some(user) => user,
        None => {
            let request = NewUserRequest {
                name: identity.name.clone(),
                email: identity.email.clone(),
                password: uuid::Uuid::new_v4().to_string(),
                profile_image_url: None,
                role: view.default_role(),
            };
            match create_promoting_first(&state, request).await {
                Ok(created) => created.user,
                Err(error) => state
                    .stores
                    .users
                    .get_by_email(&identity.email)
                    .await?
                    .ok_or(error)?,
            }
        }
    };
    let stamp = state.accounts.session_stamp(&user.id).await?;
    issue_session(&state, &user, stamp.as_deref(), Some("ldap"))
}
