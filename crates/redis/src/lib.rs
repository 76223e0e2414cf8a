//! Redis connections that survive Redis going away, shared by the realtime layer and the task
//! registry: commands time out instead of hanging, clients reconnect (and resubscribe) on their
//! own when Redis returns, and a [`Breaker`] skips Redis for a few seconds after a failure.

use fred::prelude::{Builder, Config, ReconnectPolicy};
use std::time::Duration;

/// How long a Redis command may take before it counts as failed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(500);

/// A builder for `url` with timeouts and endless reconnection.
pub fn builder(url: &str) -> Result<Builder, fred::error::Error> {
    let config = Config::from_url(url)?;
    let mut builder = Builder::from_config(config);
    builder
        .with_config(|c| c.fail_fast = false)
        .with_connection_config(|c| {
            c.connection_timeout = COMMAND_TIMEOUT;
            c.internal_command_timeout = COMMAND_TIMEOUT;
            c.max_command_attempts = 1;
        })
        .with_performance_config(|c| c.default_command_timeout = COMMAND_TIMEOUT)
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    Ok(builder)
}

/// Skips Redis for a while after a failure, so a Redis outage costs one timeout every few
/// seconds instead of one per command.
#[derive(Debug, Default)]
pub struct Breaker {
    failed_at: std::sync::Mutex<Option<std::time::Instant>>,
}

/// How long commands are skipped after a failure.
const OPEN_FOR: Duration = Duration::from_secs(3);

impl Breaker {
    /// Whether to try Redis now.
    pub fn closed(&self) -> bool {
        self.failed_at
            .lock()
            .map(|at| at.is_none_or(|at| at.elapsed() >= OPEN_FOR))
            .unwrap_or(true)
    }

    /// Records the outcome of a command.
    pub fn record<T, E>(&self, result: &Result<T, E>) {
        if let Ok(mut at) = self.failed_at.lock() {
            *at = if result.is_ok() {
                None
            } else {
                Some(std::time::Instant::now())
            };
        }
    }
}
