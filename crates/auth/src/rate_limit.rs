//! The sign-in rate limiter: a rolling window of one-minute buckets per key (the lower-cased
//! email), as Open WebUI counts attempts (15 per 3 minutes by default). Every attempt counts,
//! successful or not; the attempt that goes over the limit is refused.

use std::collections::HashMap;
use std::sync::Mutex;

/// Distinct keys one one-minute bucket keeps before it is reset.
const MAX_KEYS_PER_BUCKET: usize = 100_000;

/// Limits events per key over a rolling window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    bucket_secs: i64,
    buckets: i64,
    state: Mutex<HashMap<i64, HashMap<String, u32>>>,
}

impl RateLimiter {
    /// Allows `limit` events per `window_secs` (rounded to whole minutes, at least one).
    pub fn new(limit: u32, window_secs: u64) -> Self {
        let bucket_secs = 60;
        Self {
            limit,
            bucket_secs,
            buckets: (i64::try_from(window_secs).unwrap_or(i64::MAX) / bucket_secs).max(1),
            state: Mutex::new(HashMap::new()),
        }
    }

    /// Records one event for `key` at `now` (epoch seconds) and says whether it is over the
    /// limit. A limit of zero disables limiting.
    pub fn hit(&self, key: &str, now: i64) -> bool {
        if self.limit == 0 {
            return false;
        }
        let current = now.div_euclid(self.bucket_secs);
        let oldest = current - self.buckets;
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        state.retain(|bucket, _| *bucket >= oldest);
        let counts = state.entry(current).or_default();
        if counts.len() >= MAX_KEYS_PER_BUCKET && !counts.contains_key(key) {
            // Bounded memory under a spray of distinct emails: forget this minute's counts.
            counts.clear();
        }
        *counts.entry(key.to_owned()).or_default() += 1;
        let total: u32 = state.values().filter_map(|counts| counts.get(key)).sum();
        total > self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_forgets_old_buckets() {
        let limiter = RateLimiter::new(3, 180);
        let t = 1_000_020;
        assert!(!limiter.hit("a", t));
        assert!(!limiter.hit("a", t + 1));
        assert!(!limiter.hit("a", t + 2));
        assert!(
            limiter.hit("a", t + 3),
            "the fourth attempt is over the limit"
        );
        assert!(!limiter.hit("b", t + 3), "other keys are independent");
        assert!(!limiter.hit("a", t + 60 * 5), "old buckets expire");
        assert!(!RateLimiter::new(0, 180).hit("a", t));
    }
}
