//! The HTTP server: where it listens, what it allows, which headers it adds.

use crate::parse;
use clap::Args;
use std::path::PathBuf;

/// `SameSite` attribute of the session cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=lax` (the default).
    Lax,
    /// `SameSite=strict`.
    Strict,
    /// `SameSite=none` (requires `Secure`).
    None,
}

/// Security headers added to every response; an empty value leaves a header out.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct SecurityHeaders {
    /// X-Content-Type-Options header ('' to omit).
    #[arg(
        id = "XCONTENT_TYPE",
        long = "xcontent-type",
        env = "XCONTENT_TYPE",
        value_name = "XCONTENT_TYPE",
        default_value = "nosniff"
    )]
    pub content_type_options: String,
    /// X-Frame-Options header: DENY or SAMEORIGIN ('' to omit).
    #[arg(id = "XFRAME_OPTIONS", long = "xframe-options", env = "XFRAME_OPTIONS", value_name = "XFRAME_OPTIONS", default_value = "SAMEORIGIN", value_parser = parse::frame_options)]
    pub frame_options: String,
    /// Referrer-Policy header ('' to omit).
    #[arg(
        id = "REFERRER_POLICY",
        long = "referrer-policy",
        env = "REFERRER_POLICY",
        value_name = "REFERRER_POLICY",
        default_value = "strict-origin-when-cross-origin"
    )]
    pub referrer_policy: String,
    /// Strict-Transport-Security header, e.g. max-age=31536000;includeSubDomains (off by default).
    #[arg(id = "HSTS", long = "hsts", env = "HSTS", value_name = "HSTS", value_parser = parse::hsts)]
    pub hsts: Option<String>,
    /// Content-Security-Policy header (off by default).
    #[arg(
        id = "CONTENT_SECURITY_POLICY",
        long = "content-security-policy",
        env = "CONTENT_SECURITY_POLICY",
        value_name = "CONTENT_SECURITY_POLICY"
    )]
    pub content_security_policy: Option<String>,
}

impl SecurityHeaders {
    /// The headers to add, by name, with their values (empty ones left out).
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("x-content-type-options", Some(&self.content_type_options)),
            ("x-frame-options", Some(&self.frame_options)),
            ("referrer-policy", Some(&self.referrer_policy)),
            ("strict-transport-security", self.hsts.as_ref()),
            (
                "content-security-policy",
                self.content_security_policy.as_ref(),
            ),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?.as_str())))
        .filter(|(_, value)| !value.trim().is_empty())
        .collect()
    }
}

/// Where the server listens and what it lets through.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct HttpSettings {
    /// Address to listen on.
    #[arg(
        id = "HOST",
        long = "host",
        env = "HOST",
        value_name = "HOST",
        default_value = "0.0.0.0"
    )]
    pub host: String,
    /// Port to listen on (0: any free port).
    #[arg(
        id = "PORT",
        long = "port",
        env = "PORT",
        value_name = "PORT",
        default_value_t = 8080
    )]
    pub port: u16,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(
        id = "HEARTH_WORKERS",
        long = "workers",
        env = "HEARTH_WORKERS",
        value_name = "HEARTH_WORKERS"
    )]
    pub workers: Option<usize>,
    /// Allowed CORS origins, separated by ';' ('*' allows any).
    #[arg(id = "CORS_ALLOW_ORIGIN", long = "cors-allow-origin", env = "CORS_ALLOW_ORIGIN", value_name = "CORS_ALLOW_ORIGIN", default_value = "*", value_parser = parse::origins)]
    pub cors_allow_origin: crate::List,
    /// SameSite of the session cookie: lax, strict or none.
    #[arg(id = "WEBUI_AUTH_COOKIE_SAME_SITE", long = "cookie-same-site", env = "WEBUI_AUTH_COOKIE_SAME_SITE", value_name = "WEBUI_AUTH_COOKIE_SAME_SITE", default_value = "lax", value_parser = parse::same_site)]
    pub cookie_same_site: SameSite,
    /// Mark the session cookie Secure (HTTPS only).
    #[arg(id = "WEBUI_AUTH_COOKIE_SECURE", long = "cookie-secure", env = "WEBUI_AUTH_COOKIE_SECURE", value_name = "WEBUI_AUTH_COOKIE_SECURE", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,
    /// Largest accepted request body in bytes (larger bodies get 413).
    #[arg(id = "MAX_REQUEST_BODY_SIZE", long = "max-request-body-size", env = "MAX_REQUEST_BODY_SIZE", value_name = "MAX_REQUEST_BODY_SIZE", default_value_t = 32 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Security response headers.
    #[command(flatten)]
    pub security_headers: SecurityHeaders,
    /// Folder of the Open WebUI web build served at / (see scripts/fetch-frontend).
    #[arg(
        id = "FRONTEND_BUILD_DIR",
        long = "frontend-build-dir",
        env = "FRONTEND_BUILD_DIR",
        value_name = "FRONTEND_BUILD_DIR",
        default_value = "./frontend"
    )]
    pub frontend_dir: PathBuf,
    /// Reported by /api/version; changing it makes open web clients reload.
    #[arg(
        id = "DEPLOYMENT_ID",
        long = "deployment-id",
        env = "DEPLOYMENT_ID",
        value_name = "DEPLOYMENT_ID",
        default_value = ""
    )]
    pub deployment_id: String,
}
