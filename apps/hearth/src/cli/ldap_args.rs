//! LDAP sign-in flags: defaults of the `ldap.*` settings (saved admin settings win).

use super::parsers::flag;
use clap::Args;
use hearth_api::Settings;
use serde_json::{Value, json};

/// LDAP settings, each from a flag or its environment variable; unset ones keep the defaults.
#[derive(Debug, Args)]
pub struct LdapArgs {
    /// Allow sign-in with directory credentials.
    #[arg(long, env = "ENABLE_LDAP", value_name = "ENABLE_LDAP", value_parser = flag)]
    pub enable_ldap: Option<bool>,
    /// Name of the directory shown to users.
    #[arg(long, env = "LDAP_SERVER_LABEL", value_name = "LDAP_SERVER_LABEL")]
    pub ldap_server_label: Option<String>,
    /// Directory host.
    #[arg(long, env = "LDAP_SERVER_HOST", value_name = "LDAP_SERVER_HOST")]
    pub ldap_server_host: Option<String>,
    /// Directory port (389, or 636 with TLS).
    #[arg(long, env = "LDAP_SERVER_PORT", value_name = "LDAP_SERVER_PORT")]
    pub ldap_server_port: Option<u16>,
    /// Attribute holding the email.
    #[arg(
        long,
        env = "LDAP_ATTRIBUTE_FOR_MAIL",
        value_name = "LDAP_ATTRIBUTE_FOR_MAIL"
    )]
    pub ldap_attribute_for_mail: Option<String>,
    /// Attribute holding the username.
    #[arg(
        long,
        env = "LDAP_ATTRIBUTE_FOR_USERNAME",
        value_name = "LDAP_ATTRIBUTE_FOR_USERNAME"
    )]
    pub ldap_attribute_for_username: Option<String>,
    /// Application account DN used for the user search (empty: anonymous).
    #[arg(long, env = "LDAP_APP_DN", value_name = "LDAP_APP_DN")]
    pub ldap_app_dn: Option<String>,
    /// Its password.
    #[arg(
        long,
        env = "LDAP_APP_PASSWORD",
        value_name = "LDAP_APP_PASSWORD",
        hide_env_values = true
    )]
    pub ldap_app_password: Option<String>,
    /// Base DN of the user search.
    #[arg(long, env = "LDAP_SEARCH_BASE", value_name = "LDAP_SEARCH_BASE")]
    pub ldap_search_base: Option<String>,
    /// Extra filter ANDed to the username match.
    #[arg(long, env = "LDAP_SEARCH_FILTERS", value_name = "LDAP_SEARCH_FILTERS")]
    pub ldap_search_filters: Option<String>,
    /// Connect with `ldaps://`.
    #[arg(long, env = "LDAP_USE_TLS", value_name = "LDAP_USE_TLS", value_parser = flag)]
    pub ldap_use_tls: Option<bool>,
    /// With TLS, check the directory's certificate.
    #[arg(long, env = "LDAP_VALIDATE_CERT", value_name = "LDAP_VALIDATE_CERT", value_parser = flag)]
    pub ldap_validate_cert: Option<bool>,
    /// With TLS, a PEM file of extra trusted certificate authorities.
    #[arg(long, env = "LDAP_CA_CERT_FILE", value_name = "LDAP_CA_CERT_FILE")]
    pub ldap_ca_cert_file: Option<String>,
    /// Domain for `user@domain` when an entry has no email.
    #[arg(
        long,
        env = "LDAP_DEFAULT_EMAIL_DOMAIN",
        value_name = "LDAP_DEFAULT_EMAIL_DOMAIN"
    )]
    pub ldap_default_email_domain: Option<String>,
    /// Seconds an LDAP connection or operation may take.
    #[arg(long, env = "LDAP_TIMEOUT", value_name = "LDAP_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub ldap_timeout: u64,
}

impl LdapArgs {
    /// Applies the flags that are set to `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let text = |key: &str, value: Option<String>| value.map(|v| (key.to_owned(), json!(v)));
        let pairs: [Option<(String, Value)>; 14] = [
            self.enable_ldap
                .map(|v| ("ldap.enable".to_owned(), json!(v))),
            text("ldap.server.label", self.ldap_server_label),
            text("ldap.server.host", self.ldap_server_host),
            self.ldap_server_port
                .map(|v| ("ldap.server.port".to_owned(), json!(v))),
            text(
                "ldap.server.attribute_for_mail",
                self.ldap_attribute_for_mail,
            ),
            text(
                "ldap.server.attribute_for_username",
                self.ldap_attribute_for_username,
            ),
            text("ldap.server.app_dn", self.ldap_app_dn),
            text("ldap.server.app_password", self.ldap_app_password),
            text("ldap.server.users_dn", self.ldap_search_base),
            text("ldap.server.search_filter", self.ldap_search_filters),
            self.ldap_use_tls
                .map(|v| ("ldap.server.use_tls".to_owned(), json!(v))),
            self.ldap_validate_cert
                .map(|v| ("ldap.server.validate_cert".to_owned(), json!(v))),
            text("ldap.server.ca_cert_file", self.ldap_ca_cert_file),
            text(
                "ldap.server.default_email_domain",
                self.ldap_default_email_domain,
            ),
        ];
        settings.ldap_config = pairs.into_iter().flatten().collect();
        settings.ldap_timeout_secs = self.ldap_timeout;
    }
}
