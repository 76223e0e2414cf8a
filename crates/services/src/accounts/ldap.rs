//! Sign-in through the directory (`hearth_auth::ldap`): the account is found by the email the
//! directory holds, or created on first sign-in; a session is issued only after the directory
//! accepted the user's own password.

use super::dto::LdapForm;
use super::sessions::{Session, issue_current};
use super::signin::find_or_create;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_auth::ldap::{LdapSettings, authenticate};
use hearth_domain::config::ConfigSnapshot;
use std::time::Duration;

fn text(snapshot: &ConfigSnapshot, key: &str) -> String {
    snapshot.value(key).as_str().unwrap_or_default().to_owned()
}

/// The `ldap.server.*` settings as the sign-in needs them.
pub fn ldap_settings(snapshot: &ConfigSnapshot, timeout: Duration) -> LdapSettings {
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
pub async fn sign_in(app: &App, form: &LdapForm) -> ServiceResult<Session> {
    let view = app.view();
    if !view.flag("ldap.enable") {
        return Err(ServiceError::invalid("LDAP authentication is not enabled"));
    }
    let timeout = app.settings.ldap.timeout.max(Duration::from_secs(1));
    let settings = ldap_settings(&view.snapshot, timeout);
    let identity = authenticate(&settings, &form.user, &form.password)
        .await
        .map_err(|error| ServiceError::invalid(error.to_string()))?;
    let user = find_or_create(app, &identity.email, identity.name.clone()).await?;
    issue_current(app, &user, "ldap").await
}
