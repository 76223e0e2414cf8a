//! Admin ▸ usage limits (read and saved as one document) and a user's view of their own
//! use.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::config::keys;
use hearth_domain::usage::{Bucket, UsageLimits, Window};
use hearth_domain::{User, time::now_epoch};
use serde_json::{Value, json};

/// The usage limits in force.
pub fn limits(app: &App) -> UsageLimits {
    UsageLimits::clone(&app.view().usage_limits)
}

/// Replaces the usage limits with `form` (fields left out take their defaults); 422 when
/// it is not a usage-limits document.
pub async fn set_limits(app: &App, form: Value) -> ServiceResult<UsageLimits> {
    let parsed = UsageLimits::from_value(&form)
        .map_err(|e| ServiceError::Unprocessable(format!("Invalid usage limits: {e}").into()))?;
    if let Some(problem) = parsed.problem() {
        return Err(ServiceError::Unprocessable(
            format!("Invalid usage limits: {problem}").into(),
        ));
    }
    let stored = serde_json::to_value(&parsed).map_err(ServiceError::internal)?;
    app.config
        .set(vec![(keys::USAGE_LIMITS.to_owned(), stored)])
        .await?;
    Ok(limits(app))
}

/// The caller's limits and what is used of them now: one entry per bucket.
pub async fn my_usage(app: &App, user: &User) -> ServiceResult<Value> {
    let enabled = app.view().usage_limits.enabled;
    let now = now_epoch();
    let mut buckets = Vec::new();
    for bucket in super::buckets::of(app, user).await? {
        buckets.push(report(app, &bucket, now).await);
    }
    Ok(json!({"enabled": enabled, "buckets": buckets}))
}

async fn report(app: &App, bucket: &Bucket, now: i64) -> Value {
    let mut entry = json!({"scope": bucket.scope.kind(), "id": bucket.scope.id()});
    let windows = [
        (
            "requests_per_minute",
            bucket.limits.requests_per_minute,
            Window::Minute,
        ),
        ("tokens_per_day", bucket.limits.tokens_per_day, Window::Day),
    ];
    for (name, limit, window) in windows {
        if let Some(limit) = limit {
            let used = app.usage.get(&bucket.key(window, now)).await;
            entry[name] = json!({
                "limit": limit,
                "used": used,
                "resets_in": window.retry_after(now),
            });
        }
    }
    entry
}
