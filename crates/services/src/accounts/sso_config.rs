//! The single sign-on settings as Admin ▸ Settings ▸ Authentication reads and saves them: the
//! LDAP server and the OAuth options, under Open WebUI's field names, kept in the
//! configuration table with Open WebUI's defaults. LDAP sign-in uses them (`ldap.rs`); OAuth
//! sign-in arrives later, until then its settings are stored only.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use serde_json::{Map, Value, json};

/// LDAP form fields and their configuration keys.
const LDAP_SERVER_KEYS: [(&str, &str); 17] = [
    ("label", "ldap.server.label"),
    ("host", "ldap.server.host"),
    ("port", "ldap.server.port"),
    ("attribute_for_mail", "ldap.server.attribute_for_mail"),
    ("default_email_domain", "ldap.server.default_email_domain"),
    (
        "attribute_for_username",
        "ldap.server.attribute_for_username",
    ),
    ("app_dn", "ldap.server.app_dn"),
    ("app_dn_password", "ldap.server.app_password"),
    ("search_base", "ldap.server.users_dn"),
    ("search_filters", "ldap.server.search_filter"),
    ("use_tls", "ldap.server.use_tls"),
    ("certificate_path", "ldap.server.ca_cert_file"),
    ("validate_cert", "ldap.server.validate_cert"),
    ("ciphers", "ldap.server.ciphers"),
    ("enable_group_management", "ldap.group.enable_management"),
    ("enable_group_creation", "ldap.group.enable_creation"),
    ("attribute_for_groups", "ldap.server.attribute_for_groups"),
];

/// OAuth form fields with their configuration keys and defaults (as JSON).
const OAUTH_FIELDS: [(&str, &str, &str); 33] = [
    ("ENABLE_OAUTH", "oauth.enable", "true"),
    ("ENABLE_OAUTH_SIGNUP", "oauth.enable_signup", "false"),
    (
        "OAUTH_MERGE_ACCOUNTS_BY_EMAIL",
        "oauth.merge_accounts_by_email",
        "false",
    ),
    ("OAUTH_AUTO_REDIRECT", "oauth.auto_redirect", "false"),
    ("OAUTH_ALLOWED_DOMAINS", "oauth.allowed_domains", "\"*\""),
    ("OAUTH_BLOCKED_GROUPS", "oauth.blocked_groups", "\"[]\""),
    (
        "ENABLE_OAUTH_ROLE_MANAGEMENT",
        "oauth.enable_role_mapping",
        "false",
    ),
    ("OAUTH_ROLES_CLAIM", "oauth.roles_claim", "\"roles\""),
    ("OAUTH_ADMIN_ROLES", "oauth.admin_roles", "\"admin\""),
    (
        "OAUTH_ALLOWED_ROLES",
        "oauth.allowed_roles",
        "\"user,admin\"",
    ),
    (
        "ENABLE_OAUTH_GROUP_MANAGEMENT",
        "oauth.enable_group_mapping",
        "false",
    ),
    (
        "ENABLE_OAUTH_GROUP_CREATION",
        "oauth.enable_group_creation",
        "false",
    ),
    ("OAUTH_GROUP_CLAIM", "oauth.group_claim", "\"groups\""),
    (
        "OAUTH_GROUP_DEFAULT_SHARE",
        "oauth.group_default_share",
        "\"true\"",
    ),
    ("OAUTH_PROVIDER_NAME", "oauth.provider_name", "\"SSO\""),
    ("OPENID_PROVIDER_URL", "oauth.provider_url", "\"\""),
    ("OAUTH_CLIENT_ID", "oauth.client_id", "\"\""),
    ("OAUTH_CLIENT_SECRET", "oauth.client_secret", "\"\""),
    ("OPENID_REDIRECT_URI", "oauth.redirect_uri", "\"\""),
    ("OAUTH_SCOPES", "oauth.scopes", "\"openid email profile\""),
    (
        "OAUTH_CODE_CHALLENGE_METHOD",
        "oauth.code_challenge_method",
        "\"\"",
    ),
    (
        "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD",
        "oauth.token_endpoint_auth_method",
        "\"\"",
    ),
    (
        "OPENID_END_SESSION_ENDPOINT",
        "oauth.end_session_endpoint",
        "\"\"",
    ),
    ("OAUTH_TIMEOUT", "oauth.timeout", "\"\""),
    ("OAUTH_CLIENT_TIMEOUT", "oauth.client.timeout", "\"\""),
    ("OAUTH_EMAIL_CLAIM", "oauth.email_claim", "\"email\""),
    ("OAUTH_USERNAME_CLAIM", "oauth.username_claim", "\"name\""),
    ("OAUTH_PICTURE_CLAIM", "oauth.picture_claim", "\"picture\""),
    ("OAUTH_SUB_CLAIM", "oauth.sub_claim", "\"\""),
    ("OAUTH_AUDIENCE", "oauth.audience", "\"\""),
    (
        "OAUTH_UPDATE_EMAIL_ON_LOGIN",
        "oauth.update_email_on_login",
        "false",
    ),
    (
        "OAUTH_UPDATE_NAME_ON_LOGIN",
        "oauth.update_name_on_login",
        "false",
    ),
    (
        "OAUTH_UPDATE_PICTURE_ON_LOGIN",
        "oauth.update_picture_on_login",
        "false",
    ),
];

/// The OAuth form fields with their keys and default values.
fn oauth_fields() -> impl Iterator<Item = (&'static str, &'static str, Value)> {
    OAUTH_FIELDS.iter().map(|(field, key, default)| {
        (
            *field,
            *key,
            serde_json::from_str(default).unwrap_or(Value::Null),
        )
    })
}

/// The LDAP server settings (admin).
pub fn ldap_server(app: &App) -> Value {
    ldap_values(app)
}

fn ldap_values(app: &App) -> Value {
    let snapshot = &app.config.view().snapshot;
    let fields: Map<String, Value> = LDAP_SERVER_KEYS
        .iter()
        .map(|(field, key)| ((*field).to_owned(), snapshot.value(key)))
        .collect();
    Value::Object(fields)
}

/// Fields the LDAP form must fill.
const LDAP_REQUIRED: [&str; 5] = [
    "label",
    "host",
    "attribute_for_mail",
    "attribute_for_username",
    "search_base",
];

/// Saves the LDAP server settings (admin); the required fields must not be empty.
pub async fn set_ldap_server(app: &App, form: &Map<String, Value>) -> ServiceResult<Value> {
    for field in LDAP_REQUIRED {
        let filled = form
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty());
        if !filled {
            return Err(ServiceError::invalid(format!(
                "Required field {field} is empty"
            )));
        }
    }
    let updates: Vec<(String, Value)> = LDAP_SERVER_KEYS
        .iter()
        .filter_map(|(field, key)| {
            let value = form.get(*field)?;
            let value = match (*field, value) {
                // The form sends the port as text; an empty one means the default.
                ("port", Value::String(text)) => text
                    .trim()
                    .parse::<u16>()
                    .map_or(Value::Null, |port| json!(port)),
                (_, Value::Null) if *field == "app_dn" || *field == "app_dn_password" => json!(""),
                (_, value) => value.clone(),
            };
            Some(((*key).to_owned(), value))
        })
        .collect();
    app.config.set(updates).await?;
    Ok(ldap_values(app))
}

/// Fields the form shows comma-separated and the configuration keeps as lists.
const COMMA_LISTS: [&str; 3] = [
    "OAUTH_ALLOWED_DOMAINS",
    "OAUTH_ADMIN_ROLES",
    "OAUTH_ALLOWED_ROLES",
];

/// The OAuth settings (admin). Lists read as the form shows them: comma-separated.
pub fn oauth_config(app: &App) -> Value {
    oauth_values(app)
}

/// Saves the OAuth settings the form sends (unknown fields and nulls are ignored).
pub async fn set_oauth_config(app: &App, form: &Map<String, Value>) -> ServiceResult<Value> {
    let updates: Vec<(String, Value)> = oauth_fields()
        .filter_map(|(field, key, _)| {
            let value = form.get(field).filter(|v| !v.is_null())?;
            let value = match value.as_str() {
                Some(list) if COMMA_LISTS.contains(&field) => json!(
                    list.split(',')
                        .map(str::trim)
                        .filter(|item| !item.is_empty())
                        .collect::<Vec<_>>()
                ),
                _ => value.clone(),
            };
            Some((key.to_owned(), value))
        })
        .collect();
    app.config.set(updates).await?;
    Ok(oauth_values(app))
}

fn oauth_values(app: &App) -> Value {
    let snapshot = &app.config.view().snapshot;
    let mut fields: Map<String, Value> = oauth_fields()
        .map(|(field, key, default)| {
            let value = match snapshot.value(key) {
                Value::Null => default,
                Value::Array(items) => json!(
                    items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                value => value,
            };
            (field.to_owned(), value)
        })
        .collect();
    fields.insert(
        "ENABLE_OAUTH_PERSISTENT_CONFIG".into(),
        json!(app.settings.enable_persistent_config),
    );
    Value::Object(fields)
}
