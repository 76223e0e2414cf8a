//! From parsed flags to the server's `Settings`.

use super::ServerArgs;
use hearth_api::{SecurityHeaders, Settings};
use hearth_persistence::DatabaseSettings;
use std::time::Duration;

impl ServerArgs {
    /// Database settings from the URL (or the default SQLite file) and pool flags.
    pub fn database(&self) -> DatabaseSettings {
        let url = self
            .database_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("sqlite:///{}", self.data_dir.join("webui.db").display()));
        let mut database = DatabaseSettings::new(url);
        database.pool_size = self.database_pool_size;
        database.max_overflow = self.database_pool_max_overflow;
        database.pool_timeout = Duration::from_secs(self.database_pool_timeout);
        database.pool_recycle = u64::try_from(self.database_pool_recycle)
            .ok()
            .map(Duration::from_secs);
        database.session_cache_ttl = Duration::from_millis(self.session_cache_ttl_ms);
        database.sqlite_mmap_size = self.database_sqlite_mmap_size;
        database
    }

    /// The server settings.
    pub fn into_settings(self) -> Settings {
        let mut settings = Settings::new(self.data_dir.clone());
        settings.database = self.database();
        let optional = |value: String| Some(value).filter(|v| !v.is_empty());
        settings.secret_key = self.webui_secret_key;
        settings.host = self.host;
        settings.port = self.port;
        settings.workers = self.workers;
        settings.webui_name = self.webui_name;
        settings.webui_auth = self.webui_auth;
        settings.enable_signup = self.enable_signup;
        settings.enable_login_form = self.enable_login_form;
        settings.enable_initial_admin_signup = self.enable_initial_admin_signup;
        settings.enable_signup_password_confirmation = self.enable_signup_password_confirmation;
        settings.default_user_role = self.default_user_role;
        settings.jwt_expires_in = self.jwt_expires_in;
        settings.enable_api_keys = self.enable_api_keys;
        settings.api_key_endpoint_restrictions = self.enable_api_keys_endpoint_restrictions;
        settings.api_keys_allowed_endpoints = self.api_keys_allowed_endpoints;
        settings.show_admin_details = self.show_admin_details;
        settings.trusted_email_header = self.trusted_email_header.and_then(optional);
        settings.trusted_name_header = self.trusted_name_header.and_then(optional);
        settings.trusted_role_header = self.trusted_role_header.and_then(optional);
        settings.cors_allow_origin = self.cors_allow_origin.0;
        settings.cookie_same_site = self.cookie_same_site;
        settings.cookie_secure = self.cookie_secure;
        settings.enable_persistent_config = self.enable_persistent_config;
        settings.config_refresh_interval_secs = self.config_refresh_interval;
        settings.password_hash_cost = self.password_hash_cost;
        if let Some(concurrency) = self.password_hash_concurrency {
            settings.password_hash_concurrency = concurrency.max(1);
        }
        settings.signin_rate_limit = self.signin_rate_limit;
        settings.signin_rate_window_secs = self.signin_rate_limit_window;
        settings.max_body_bytes = self.max_request_body_size;
        settings.user_active_update_interval_secs = self.user_active_update_interval;
        settings.profile_image_max_data_uri_size = self.profile_image_max_data_uri_size;
        settings.profile_image_allowed_mime_types = self
            .profile_image_allowed_mime_types
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        settings.profile_image_url_forwarding = self.profile_image_url_forwarding;
        settings.security_headers = SecurityHeaders {
            content_type_options: optional(self.xcontent_type),
            frame_options: optional(self.xframe_options),
            referrer_policy: optional(self.referrer_policy),
            hsts: self.hsts.and_then(optional),
            content_security_policy: self.content_security_policy.and_then(optional),
        };
        settings.deployment_id = self.deployment_id;
        settings.websocket_heartbeat_interval = self.websocket_heartbeat_interval;
        settings.frontend_dir = self.frontend_build_dir;
        settings.admin_email = self.admin_email.and_then(optional);
        settings.admin_password = self.admin_password.and_then(optional);
        settings.admin_name = self.admin_name;
        settings
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::Parser;

    #[test]
    fn every_database_flag_reaches_the_settings() {
        let cli = Cli::try_parse_from([
            "hearth",
            "--database-pool-size",
            "3",
            "--database-pool-max-overflow",
            "2",
            "--database-pool-timeout",
            "7",
            "--database-pool-recycle",
            "-1",
            "--session-cache-ttl-ms",
            "0",
            "--database-sqlite-mmap-size",
            "0",
        ]);
        let database = cli.map(|c| c.server.database()).ok();
        let database = database.as_ref();
        assert_eq!(
            database.map(|d| (d.pool_size, d.max_overflow)),
            Some((3, 2))
        );
        assert_eq!(database.map(|d| d.pool_timeout.as_secs()), Some(7));
        assert_eq!(database.map(|d| d.pool_recycle), Some(None));
        assert_eq!(database.map(|d| d.session_cache_ttl.is_zero()), Some(true));
        assert_eq!(database.map(|d| d.sqlite_mmap_size), Some(0));
    }
}
