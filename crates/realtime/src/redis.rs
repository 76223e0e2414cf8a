//! Redis connections that survive Redis going away: commands time out instead of hanging,
//! and clients reconnect (and resubscribe) on their own when Redis returns.

use fred::prelude::{Builder, Config, ReconnectPolicy};
use std::time::Duration;

/// How long a Redis command may take before it counts as failed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);

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
