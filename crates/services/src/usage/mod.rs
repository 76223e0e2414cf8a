//! Usage limits on completions: a request is admitted only while the caller's buckets
//! (their own, and each limited group's) have requests left this minute and tokens left
//! today; the answer's tokens are charged to those buckets once it is done. The counters
//! live behind [`UsageCounters`](hearth_domain::ports::UsageCounters), in Redis when
//! several instances share the limits.

mod buckets;
mod meter;
mod settings;

pub use meter::{Admission, metered, prompt_chars, tokens_used};
pub use settings::{limits, my_usage, set_limits};

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::usage::{Bucket, Scope, Window};
use hearth_domain::{User, time::now_epoch};

/// Admits one completion of `user`, or refuses it with 429 and the seconds until the used-up
/// limit frees up. The admission charges the answer's tokens.
pub async fn admit(app: &App, user: &User) -> ServiceResult<Admission> {
    let buckets = buckets::of(app, user).await?;
    if buckets.is_empty() {
        return Ok(Admission::free());
    }
    let now = now_epoch();
    for bucket in &buckets {
        if let Some(limit) = bucket.limits.tokens_per_day {
            let used = app.usage.get(&bucket.key(Window::Day, now)).await;
            if used >= limit {
                return Err(refusal(bucket, Window::Day, limit, now));
            }
        }
    }
    for bucket in &buckets {
        if let Some(limit) = bucket.limits.requests_per_minute {
            let key = bucket.key(Window::Minute, now);
            let count = app.usage.add(&key, 1, Window::Minute.ttl_secs()).await;
            if count > limit {
                return Err(refusal(bucket, Window::Minute, limit, now));
            }
        }
    }
    let charged = buckets
        .iter()
        .filter(|b| b.limits.tokens_per_day.is_some())
        .map(|b| b.key(Window::Day, now))
        .collect();
    Ok(Admission::new(app.usage.clone(), charged))
}

/// The 429 for a used-up limit of `bucket`.
fn refusal(bucket: &Bucket, window: Window, limit: u64, now: i64) -> ServiceError {
    let retry_after = window.retry_after(now);
    let whose = match bucket.scope {
        Scope::User(_) => "You have",
        Scope::Group(_) => "Your group has",
    };
    let what = match window {
        Window::Minute => format!("{limit} requests per minute"),
        Window::Day => format!("{limit} tokens per day"),
    };
    ServiceError::TooManyRequests {
        detail: format!(
            "{whose} reached the usage limit of {what}. Try again in {}.",
            wait_text(retry_after)
        )
        .into(),
        retry_after,
    }
}

/// `42 seconds`, `3 minutes`, `2 hours`.
fn wait_text(secs: u64) -> String {
    let (amount, unit) = match secs {
        0..120 => (secs, "second"),
        120..7_200 => (secs.div_ceil(60), "minute"),
        _ => (secs.div_ceil(3_600), "hour"),
    };
    if amount == 1 {
        format!("1 {unit}")
    } else {
        format!("{amount} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::wait_text;

    #[test]
    fn waits_read_in_the_largest_fitting_unit() {
        assert_eq!(wait_text(1), "1 second");
        assert_eq!(wait_text(59), "59 seconds");
        assert_eq!(wait_text(600), "10 minutes");
        assert_eq!(wait_text(82_800), "23 hours");
    }
}
