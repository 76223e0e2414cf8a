//! LDAP sign-in as Open WebUI does it: bind with the application account (or anonymously),
//! find the user's entry by the username attribute, then bind as that entry with the user's
//! password. Only a successful bind of the user's own DN proves the password; nothing here
//! ever treats a failed or skipped bind as success.

use ldap3::{LdapConnAsync, LdapConnSettings, Scope, SearchEntry, ldap_escape};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;
use std::time::Duration;

/// Where and how to look users up (the `ldap.server.*` settings).
#[derive(Clone, Debug, Default)]
pub struct LdapSettings {
    /// Server host name.
    pub host: String,
    /// Port (389, or 636 with TLS, when unset).
    pub port: Option<u16>,
    /// `ldaps://` instead of `ldap://`.
    pub use_tls: bool,
    /// With TLS, check the server's certificate (off: any certificate is accepted).
    pub validate_cert: bool,
    /// With TLS, a PEM file of the certificate authorities to trust (instead of the system's,
    /// which are trusted when this is empty).
    pub ca_cert_file: String,
    /// Application account DN (empty: anonymous search).
    pub app_dn: String,
    /// Application account password.
    pub app_password: String,
    /// Base DN of the user search.
    pub search_base: String,
    /// Extra filter ANDed to the username match, e.g. `(objectClass=person)`.
    pub search_filters: String,
    /// Attribute holding the username (`uid`).
    pub attribute_for_username: String,
    /// Attribute holding the email (`mail`).
    pub attribute_for_mail: String,
    /// Domain for `user@domain` when the entry has no email.
    pub default_email_domain: String,
    /// Connection and operation time limit.
    pub timeout: Duration,
}

/// The person LDAP vouched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LdapIdentity {
    /// Lower-cased email.
    pub email: String,
    /// Display name (`cn`, else the username).
    pub name: String,
}

/// Why an LDAP sign-in failed. Every variant refuses the sign-in.
#[derive(Debug, thiserror::Error)]
pub enum LdapError {
    /// Empty password (an empty simple bind is anonymous on many servers).
    #[error(
        "The email or password provided is incorrect. Please check for typos and try logging in again."
    )]
    EmptyPassword,
    /// The CA certificate file cannot be used.
    #[error("The LDAP CA certificate file cannot be read: {0}")]
    CaFile(String),
    /// The directory could not be reached or answered garbage.
    #[error("The LDAP server could not be reached: {0}")]
    Unreachable(String),
    /// The application account was refused.
    #[error("Application account bind failed")]
    AppBindFailed,
    /// No entry matches the username.
    #[error("User not found in the LDAP server")]
    UserNotFound,
    /// The entry has no email and no default domain applies.
    #[error("User does not have a valid email address.")]
    NoEmail,
    /// The user's own bind failed: wrong password (or a locked account).
    #[error("Authentication failed.")]
    WrongPassword,
}

impl LdapSettings {
    fn url(&self) -> String {
        let (scheme, default_port) = if self.use_tls {
            ("ldaps", 636)
        } else {
            ("ldap", 389)
        };
        format!(
            "{scheme}://{}:{}",
            self.host,
            self.port.unwrap_or(default_port)
        )
    }

    /// The TLS client configuration when a CA file adds trusted authorities.
    fn tls_config(&self) -> Result<Option<Arc<rustls::ClientConfig>>, LdapError> {
        if self.ca_cert_file.trim().is_empty() || !self.validate_cert {
            return Ok(None);
        }
        let failed = |e: &dyn std::fmt::Display| LdapError::CaFile(e.to_string());
        let mut roots = rustls::RootCertStore::empty();
        for cert in
            CertificateDer::pem_file_iter(self.ca_cert_file.trim()).map_err(|e| failed(&e))?
        {
            roots
                .add(cert.map_err(|e| failed(&e))?)
                .map_err(|e| failed(&e))?;
        }
        if roots.is_empty() {
            return Err(LdapError::CaFile("no certificate in the file".into()));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| failed(&e))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Some(Arc::new(config)))
    }

    async fn connect(&self) -> Result<ldap3::Ldap, LdapError> {
        let mut settings = LdapConnSettings::new().set_conn_timeout(self.timeout);
        if self.use_tls {
            settings = settings.set_no_tls_verify(!self.validate_cert);
            if let Some(config) = self.tls_config()? {
                settings = settings.set_config(config);
            }
        }
        let (connection, ldap) = LdapConnAsync::with_settings(settings, &self.url())
            .await
            .map_err(|e| LdapError::Unreachable(e.to_string()))?;
        tokio::spawn(async move {
            if let Err(error) = connection.drive().await {
                tracing::debug!(%error, "LDAP connection ended");
            }
        });
        Ok(ldap)
    }
}

/// Checks `username` and `password` against the directory.
pub async fn authenticate(
    settings: &LdapSettings,
    username: &str,
    password: &str,
) -> Result<LdapIdentity, LdapError> {
    if password.trim().is_empty() {
        return Err(LdapError::EmptyPassword);
    }
    let username = username.trim().to_lowercase();
    let timeout = settings.timeout;
    let mut app = settings.connect().await?;
    app.with_timeout(timeout);
    if !settings.app_dn.is_empty() {
        app.simple_bind(&settings.app_dn, &settings.app_password)
            .await
            .map_err(|e| LdapError::Unreachable(e.to_string()))?
            .success()
            .map_err(|_| LdapError::AppBindFailed)?;
    }
    let filter = format!(
        "(&({}={}){})",
        settings.attribute_for_username,
        ldap_escape(&username),
        settings.search_filters
    );
    let attributes = vec![
        settings.attribute_for_username.as_str(),
        settings.attribute_for_mail.as_str(),
        "cn",
    ];
    app.with_timeout(timeout);
    let (entries, _) = app
        .search(&settings.search_base, Scope::Subtree, &filter, attributes)
        .await
        .map_err(|e| LdapError::Unreachable(e.to_string()))?
        .success()
        .map_err(|_| LdapError::UserNotFound)?;
    let _ = app.unbind().await;
    let entry = entries
        .into_iter()
        .next()
        .map(SearchEntry::construct)
        .ok_or(LdapError::UserNotFound)?;
    let first = |attribute: &str| {
        entry
            .attrs
            .get(attribute)
            .and_then(|values| values.first())
            .cloned()
    };
    let usernames: Vec<String> = entry
        .attrs
        .get(&settings.attribute_for_username)
        .map(|values| values.iter().map(|v| v.to_lowercase()).collect())
        .unwrap_or_default();
    if !usernames.contains(&username) {
        return Err(LdapError::UserNotFound);
    }
    let email = first(&settings.attribute_for_mail)
        .filter(|mail| mail.contains('@'))
        .or_else(|| {
            (!settings.default_email_domain.is_empty())
                .then(|| format!("{username}@{}", settings.default_email_domain))
        })
        .ok_or(LdapError::NoEmail)?
        .to_lowercase();
    let name = first("cn").unwrap_or_else(|| username.clone());

    let mut user = settings.connect().await?;
    user.with_timeout(timeout);
    let bound = user
        .simple_bind(&entry.dn, password)
        .await
        .map_err(|e| LdapError::Unreachable(e.to_string()))?
        .success();
    let _ = user.unbind().await;
    bound.map_err(|_| LdapError::WrongPassword)?;
    Ok(LdapIdentity { email, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_empty_password_never_reaches_the_directory() {
        let settings = LdapSettings {
            host: "203.0.113.1".into(),
            ..LdapSettings::default()
        };
        assert!(matches!(
            authenticate(&settings, "alice", "  ").await,
            Err(LdapError::EmptyPassword)
        ));
    }

    #[tokio::test]
    async fn an_unreadable_ca_file_is_a_clear_error() {
        let settings = LdapSettings {
            host: "203.0.113.1".into(),
            use_tls: true,
            validate_cert: true,
            ca_cert_file: "/nonexistent/ca.pem".into(),
            timeout: Duration::from_secs(1),
            ..LdapSettings::default()
        };
        assert!(matches!(
            authenticate(&settings, "alice", "secret").await,
            Err(LdapError::CaFile(_))
        ));
    }

    #[test]
    fn the_url_follows_tls_and_port() {
        let mut settings = LdapSettings {
            host: "dir.example".into(),
            ..LdapSettings::default()
        };
        assert_eq!(settings.url(), "ldap://dir.example:389");
        settings.use_tls = true;
        assert_eq!(settings.url(), "ldaps://dir.example:636");
        settings.port = Some(1636);
        assert_eq!(settings.url(), "ldaps://dir.example:1636");
    }
}
