//! Usage counters: how much of a limit is used, shared by every instance.

use async_trait::async_trait;

/// Expiring counters by key. They never fail: an implementation that loses its backend
/// counts in memory instead, so limits hold per instance during an outage.
#[async_trait]
pub trait UsageCounters: Send + Sync {
    /// Adds `amount` to `key` (a new key lives `ttl_secs`); the value afterwards.
    async fn add(&self, key: &str, amount: u64, ttl_secs: u64) -> u64;
    /// The value of `key` (0 when it does not exist).
    async fn get(&self, key: &str) -> u64;
}
