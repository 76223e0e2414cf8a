//! Usage limits on completions: the defaults of Admin ▸ Settings ▸ Usage limits (the
//! config key `usage.limits`; saved settings win).

use clap::Args;
use hearth_domain::config::keys;
use hearth_domain::usage::{Limits, UsageLimits};
use serde_json::Value;

/// The default usage limits.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct UsageSettings {
    /// Enforce usage limits on completions.
    #[arg(id = "USAGE_LIMITS_ENABLED", long = "usage-limits-enabled", env = "USAGE_LIMITS_ENABLED", value_name = "USAGE_LIMITS_ENABLED", default_value = "false", value_parser = crate::parse::flag, action = clap::ArgAction::Set)]
    pub enabled: bool,
    /// Completions each user may start in one clock minute (unset: unlimited).
    #[arg(
        id = "USAGE_LIMIT_REQUESTS_PER_MINUTE",
        long = "usage-limit-requests-per-minute",
        env = "USAGE_LIMIT_REQUESTS_PER_MINUTE",
        value_name = "USAGE_LIMIT_REQUESTS_PER_MINUTE"
    )]
    pub requests_per_minute: Option<u64>,
    /// Tokens (prompt and answer) each user may use in one UTC day (unset: unlimited).
    #[arg(
        id = "USAGE_LIMIT_TOKENS_PER_DAY",
        long = "usage-limit-tokens-per-day",
        env = "USAGE_LIMIT_TOKENS_PER_DAY",
        value_name = "USAGE_LIMIT_TOKENS_PER_DAY"
    )]
    pub tokens_per_day: Option<u64>,
    /// Admins are not limited.
    #[arg(id = "USAGE_LIMITS_EXEMPT_ADMINS", long = "usage-limits-exempt-admins", env = "USAGE_LIMITS_EXEMPT_ADMINS", value_name = "USAGE_LIMITS_EXEMPT_ADMINS", default_value = "true", value_parser = crate::parse::flag, action = clap::ArgAction::Set)]
    pub exempt_admins: bool,
}

impl UsageSettings {
    /// The `usage.limits` these settings start from.
    pub fn limits(&self) -> UsageLimits {
        UsageLimits {
            enabled: self.enabled,
            exempt_admins: self.exempt_admins,
            default: Limits {
                requests_per_minute: self.requests_per_minute,
                tokens_per_day: self.tokens_per_day,
            },
            ..UsageLimits::default()
        }
    }

    pub(crate) fn config_defaults(&self) -> Vec<(String, Value)> {
        serde_json::to_value(self.limits())
            .map(|value| vec![(keys::USAGE_LIMITS.to_owned(), value)])
            .unwrap_or_default()
    }
}
