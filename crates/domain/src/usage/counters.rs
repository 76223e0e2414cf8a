//! Counters in this process's memory: what one instance uses, and what the Redis counters
//! fall back to while Redis is away.

use crate::ports::UsageCounters;
use crate::time::now_epoch;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// Expiring counters in memory.
#[derive(Debug, Default)]
pub struct LocalCounters {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Value and expiry (epoch seconds) by key.
    counts: HashMap<String, (u64, i64)>,
    swept_at: i64,
}

/// Expired counters are dropped at most this often (seconds).
const SWEEP_EVERY: i64 = 60;

impl LocalCounters {
    /// Adds `amount` to `key` (created to live `ttl_secs` from `now`); the new value.
    pub fn add_at(&self, key: &str, amount: u64, ttl_secs: u64, now: i64) -> u64 {
        let Ok(mut state) = self.state.lock() else {
            return 0;
        };
        if now - state.swept_at >= SWEEP_EVERY {
            state.counts.retain(|_, (_, expires)| *expires > now);
            state.swept_at = now;
        }
        let expires = now.saturating_add(i64::try_from(ttl_secs).unwrap_or(i64::MAX));
        let entry = state.counts.entry(key.to_owned()).or_insert((0, expires));
        if entry.1 <= now {
            *entry = (0, expires);
        }
        entry.0 = entry.0.saturating_add(amount);
        entry.0
    }

    /// The value of `key` at `now` (0 when absent or expired).
    pub fn get_at(&self, key: &str, now: i64) -> u64 {
        self.state
            .lock()
            .ok()
            .and_then(|state| state.counts.get(key).copied())
            .filter(|(_, expires)| *expires > now)
            .map_or(0, |(value, _)| value)
    }

    /// How many counters are held (to test the sweep).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state.lock().map_or(0, |s| s.counts.len())
    }
}

#[async_trait]
impl UsageCounters for LocalCounters {
    async fn add(&self, key: &str, amount: u64, ttl_secs: u64) -> u64 {
        self.add_at(key, amount, ttl_secs, now_epoch())
    }

    async fn get(&self, key: &str) -> u64 {
        self.get_at(key, now_epoch())
    }
}

#[cfg(test)]
mod tests {
    use super::LocalCounters;

    #[test]
    fn counters_add_expire_and_are_swept() {
        let counters = LocalCounters::default();
        assert_eq!(counters.add_at("a", 2, 10, 100), 2);
        assert_eq!(counters.add_at("a", 3, 10, 105), 5);
        assert_eq!(counters.get_at("a", 109), 5);
        assert_eq!(counters.get_at("a", 110), 0);
        assert_eq!(counters.add_at("a", 1, 10, 111), 1);
        counters.add_at("b", 1, 5, 111);
        assert_eq!(counters.len(), 2);
        counters.add_at("c", 1, 5, 200);
        assert_eq!(counters.len(), 1, "expired counters were swept");
        assert_eq!(counters.add_at("d", u64::MAX, 5, 200), u64::MAX);
        assert_eq!(counters.add_at("d", 1, 5, 200), u64::MAX);
    }
}
