//! Usage limits on completions: how many requests a minute and how many tokens a day each
//! user may use, and the members of a group together; the counters' windows and keys; and
//! counters kept in this process's memory.

mod counters;
mod windows;

pub use counters::LocalCounters;
pub use windows::Window;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A pair of limits; `None` is unlimited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Completions started in one clock minute.
    #[serde(default)]
    pub requests_per_minute: Option<u64>,
    /// Tokens (prompt and answer) used in one UTC day.
    #[serde(default)]
    pub tokens_per_day: Option<u64>,
}

impl Limits {
    /// Whether neither limit is set.
    pub fn is_unlimited(&self) -> bool {
        self.requests_per_minute.is_none() && self.tokens_per_day.is_none()
    }
}

/// The admin's usage limits (config key `usage.limits`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageLimits {
    /// Whether limits are enforced at all.
    #[serde(default)]
    pub enabled: bool,
    /// Admins are never limited.
    #[serde(default = "exempt_by_default")]
    pub exempt_admins: bool,
    /// Each user's own limits, unless `users` names them.
    #[serde(default)]
    pub default: Limits,
    /// Users (by id) with limits of their own instead of `default`.
    #[serde(default)]
    pub users: BTreeMap<String, Limits>,
    /// Groups (by id) whose members together may use this much, on top of each member's
    /// own limits.
    #[serde(default)]
    pub groups: BTreeMap<String, Limits>,
}

fn exempt_by_default() -> bool {
    true
}

impl Default for UsageLimits {
    fn default() -> Self {
        Self {
            enabled: false,
            exempt_admins: true,
            default: Limits::default(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
        }
    }
}

/// Whose use a counter counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One user's own use.
    User(String),
    /// A group's members together.
    Group(String),
}

impl Scope {
    /// `user` or `group`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Group(_) => "group",
        }
    }

    /// The user's or group's id.
    pub fn id(&self) -> &str {
        match self {
            Self::User(id) | Self::Group(id) => id,
        }
    }
}

/// One scope a request counts against, with its limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Whose use.
    pub scope: Scope,
    /// How much of it is allowed.
    pub limits: Limits,
}

impl Bucket {
    /// The counter of `window` that holds this bucket's use at `now` (epoch seconds).
    pub fn key(&self, window: Window, now: i64) -> String {
        format!(
            "usage:{}:{}:{}:{}",
            self.scope.kind(),
            self.scope.id(),
            window.name(),
            window.index(now)
        )
    }
}

impl UsageLimits {
    /// Reads the stored value; anything unreadable is "no limits" (and says why).
    pub fn from_value(value: &serde_json::Value) -> Result<Self, String> {
        if value.is_null() {
            return Ok(Self::default());
        }
        Self::deserialize(value).map_err(|e| e.to_string())
    }

    /// Whether `admit` needs the user's groups.
    pub fn has_groups(&self) -> bool {
        self.enabled && !self.groups.is_empty()
    }

    /// The buckets a request of `user_id` (member of `groups`) counts against: the user's
    /// own (their entry in `users`, else `default`) and each of their limited groups. None
    /// when limits are off or the user is an exempt admin.
    pub fn buckets(&self, user_id: &str, is_admin: bool, groups: &[String]) -> Vec<Bucket> {
        if !self.enabled || (is_admin && self.exempt_admins) {
            return Vec::new();
        }
        let own = self.users.get(user_id).copied().unwrap_or(self.default);
        let mut buckets = Vec::with_capacity(1 + groups.len());
        if !own.is_unlimited() {
            buckets.push(Bucket {
                scope: Scope::User(user_id.to_owned()),
                limits: own,
            });
        }
        for group in groups {
            if let Some(limits) = self.groups.get(group).filter(|l| !l.is_unlimited()) {
                buckets.push(Bucket {
                    scope: Scope::Group(group.clone()),
                    limits: *limits,
                });
            }
        }
        buckets
    }

    /// Why these limits cannot be saved (an empty user or group id), if they cannot.
    pub fn problem(&self) -> Option<String> {
        let blank = |id: &String| id.trim().is_empty() || id.contains('\0');
        if self.users.keys().any(blank) {
            return Some("users: a user id is empty".into());
        }
        if self.groups.keys().any(blank) {
            return Some("groups: a group id is empty".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn limits(rpm: Option<u64>, tpd: Option<u64>) -> Limits {
        Limits {
            requests_per_minute: rpm,
            tokens_per_day: tpd,
        }
    }

    #[test]
    fn own_entry_replaces_the_default_and_groups_add_buckets() {
        let config = UsageLimits::from_value(&json!({
            "enabled": true,
            "default": {"requests_per_minute": 5},
            "users": {"vip": {"tokens_per_day": 1000}, "free": {}},
            "groups": {"team": {"requests_per_minute": 20}, "open": {}},
        }))
        .unwrap();
        let plain = config.buckets("u1", false, &[]);
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].limits, limits(Some(5), None));
        let vip = config.buckets("vip", false, &["team".into(), "open".into()]);
        assert_eq!(vip.len(), 2);
        assert_eq!(vip[0].limits, limits(None, Some(1000)));
        assert_eq!(vip[1].scope, Scope::Group("team".into()));
        assert!(config.buckets("free", false, &[]).is_empty());
    }

    #[test]
    fn admins_are_exempt_unless_told_otherwise_and_off_means_no_buckets() {
        let mut config = UsageLimits {
            enabled: true,
            default: limits(Some(1), None),
            ..UsageLimits::default()
        };
        assert!(config.buckets("a", true, &[]).is_empty());
        config.exempt_admins = false;
        assert_eq!(config.buckets("a", true, &[]).len(), 1);
        config.enabled = false;
        assert!(config.buckets("a", true, &[]).is_empty());
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused() {
        assert!(UsageLimits::from_value(&json!({"enabeld": true})).is_err());
        assert!(UsageLimits::from_value(&json!({"default": {"requests_per_minute": -1}})).is_err());
        assert_eq!(
            UsageLimits::from_value(&serde_json::Value::Null).unwrap(),
            UsageLimits::default()
        );
        let blank = UsageLimits::from_value(&json!({"users": {" ": {}}})).unwrap();
        assert!(blank.problem().is_some());
    }

    #[test]
    fn keys_name_scope_window_and_period() {
        let bucket = Bucket {
            scope: Scope::Group("g".into()),
            limits: Limits::default(),
        };
        assert_eq!(bucket.key(Window::Minute, 125), "usage:group:g:rpm:2");
        assert_eq!(
            bucket.key(Window::Day, 86_400 * 3 + 5),
            "usage:group:g:tpd:3"
        );
    }
}
