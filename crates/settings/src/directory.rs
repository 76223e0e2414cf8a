//! LDAP sign-in: defaults of the `ldap.*` settings (saved admin settings win), and the time
//! limit of directory operations.

use crate::parse;
use clap::Args;
use serde_json::{Value, json};
use std::time::Duration;

/// LDAP settings; unset ones keep the built-in defaults of the config table.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct LdapSettings {
    /// Allow sign-in with directory credentials.
    #[arg(id = "ENABLE_LDAP", long = "enable-ldap", env = "ENABLE_LDAP", value_name = "ENABLE_LDAP", value_parser = parse::flag)]
    pub enable: Option<bool>,
    /// Name of the directory shown to users.
    #[arg(
        id = "LDAP_SERVER_LABEL",
        long = "ldap-server-label",
        env = "LDAP_SERVER_LABEL",
        value_name = "LDAP_SERVER_LABEL"
    )]
    pub label: Option<String>,
    /// Directory host.
    #[arg(
        id = "LDAP_SERVER_HOST",
        long = "ldap-server-host",
        env = "LDAP_SERVER_HOST",
        value_name = "LDAP_SERVER_HOST"
    )]
    pub host: Option<String>,
    /// Directory port (389, or 636 with TLS).
    #[arg(
        id = "LDAP_SERVER_PORT",
        long = "ldap-server-port",
        env = "LDAP_SERVER_PORT",
        value_name = "LDAP_SERVER_PORT"
    )]
    pub port: Option<u16>,
    /// Attribute holding the email.
    #[arg(
        id = "LDAP_ATTRIBUTE_FOR_MAIL",
        long = "ldap-attribute-for-mail",
        env = "LDAP_ATTRIBUTE_FOR_MAIL",
        value_name = "LDAP_ATTRIBUTE_FOR_MAIL"
    )]
    pub attribute_for_mail: Option<String>,
    /// Attribute holding the username.
    #[arg(
        id = "LDAP_ATTRIBUTE_FOR_USERNAME",
        long = "ldap-attribute-for-username",
        env = "LDAP_ATTRIBUTE_FOR_USERNAME",
        value_name = "LDAP_ATTRIBUTE_FOR_USERNAME"
    )]
    pub attribute_for_username: Option<String>,
    /// Application account DN used for the user search (empty: anonymous).
    #[arg(
        id = "LDAP_APP_DN",
        long = "ldap-app-dn",
        env = "LDAP_APP_DN",
        value_name = "LDAP_APP_DN"
    )]
    pub app_dn: Option<String>,
    /// Its password.
    #[arg(
        id = "LDAP_APP_PASSWORD",
        long = "ldap-app-password",
        env = "LDAP_APP_PASSWORD",
        value_name = "LDAP_APP_PASSWORD",
        hide_env_values = true
    )]
    pub app_password: Option<String>,
    /// Base DN of the user search.
    #[arg(
        id = "LDAP_SEARCH_BASE",
        long = "ldap-search-base",
        env = "LDAP_SEARCH_BASE",
        value_name = "LDAP_SEARCH_BASE"
    )]
    pub search_base: Option<String>,
    /// Extra filter ANDed to the username match.
    #[arg(
        id = "LDAP_SEARCH_FILTERS",
        long = "ldap-search-filters",
        env = "LDAP_SEARCH_FILTERS",
        value_name = "LDAP_SEARCH_FILTERS"
    )]
    pub search_filters: Option<String>,
    /// Connect with `ldaps://`.
    #[arg(id = "LDAP_USE_TLS", long = "ldap-use-tls", env = "LDAP_USE_TLS", value_name = "LDAP_USE_TLS", value_parser = parse::flag)]
    pub use_tls: Option<bool>,
    /// With TLS, check the directory's certificate.
    #[arg(id = "LDAP_VALIDATE_CERT", long = "ldap-validate-cert", env = "LDAP_VALIDATE_CERT", value_name = "LDAP_VALIDATE_CERT", value_parser = parse::flag)]
    pub validate_cert: Option<bool>,
    /// With TLS, a PEM file of the trusted certificate authorities (replaces the system's).
    #[arg(
        id = "LDAP_CA_CERT_FILE",
        long = "ldap-ca-cert-file",
        env = "LDAP_CA_CERT_FILE",
        value_name = "LDAP_CA_CERT_FILE"
    )]
    pub ca_cert_file: Option<String>,
    /// Domain for `user@domain` when an entry has no email.
    #[arg(
        id = "LDAP_DEFAULT_EMAIL_DOMAIN",
        long = "ldap-default-email-domain",
        env = "LDAP_DEFAULT_EMAIL_DOMAIN",
        value_name = "LDAP_DEFAULT_EMAIL_DOMAIN"
    )]
    pub default_email_domain: Option<String>,
    /// Seconds an LDAP connection or operation may take.
    #[arg(id = "LDAP_TIMEOUT", long = "ldap-timeout", env = "LDAP_TIMEOUT", value_name = "LDAP_TIMEOUT", default_value = "10", value_parser = parse::positive_seconds)]
    pub timeout: Duration,
}

impl LdapSettings {
    /// The `ldap.*` config defaults these settings give (only those set).
    pub fn config_defaults(&self) -> Vec<(String, Value)> {
        let text =
            |key: &'static str, value: &Option<String>| value.as_ref().map(|v| (key, json!(v)));
        let pairs = [
            self.enable.map(|v| ("ldap.enable", json!(v))),
            text("ldap.server.label", &self.label),
            text("ldap.server.host", &self.host),
            self.port.map(|v| ("ldap.server.port", json!(v))),
            text("ldap.server.attribute_for_mail", &self.attribute_for_mail),
            text(
                "ldap.server.attribute_for_username",
                &self.attribute_for_username,
            ),
            text("ldap.server.app_dn", &self.app_dn),
            text("ldap.server.app_password", &self.app_password),
            text("ldap.server.users_dn", &self.search_base),
            text("ldap.server.search_filter", &self.search_filters),
            self.use_tls.map(|v| ("ldap.server.use_tls", json!(v))),
            self.validate_cert
                .map(|v| ("ldap.server.validate_cert", json!(v))),
            text("ldap.server.ca_cert_file", &self.ca_cert_file),
            text(
                "ldap.server.default_email_domain",
                &self.default_email_domain,
            ),
        ];
        pairs
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.to_owned(), value))
            .collect()
    }
}
