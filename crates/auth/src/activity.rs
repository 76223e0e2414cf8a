//! Throttled `last_active_at` updates: at most one write per user per interval, off the
//! request path.

use hearth_domain::UserId;
use hearth_domain::ports::UserStore;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Records user activity without writing on every request.
#[derive(Clone)]
pub struct ActivityTracker {
    users: Arc<dyn UserStore>,
    interval_secs: i64,
    last_written: Arc<Mutex<HashMap<UserId, i64>>>,
}

impl ActivityTracker {
    /// Writes at most once per `interval_secs` per user (Open WebUI's
    /// `DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL`, 60 s by default).
    pub fn new(users: Arc<dyn UserStore>, interval_secs: u64) -> Self {
        Self {
            users,
            interval_secs: i64::try_from(interval_secs).unwrap_or(i64::MAX),
            last_written: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Notes that `user` was active at `now`; may spawn a background write.
    pub fn seen(&self, user: &UserId, stored_last_active: i64, now: i64) {
        if now - stored_last_active < self.interval_secs {
            return;
        }
        {
            let Ok(mut map) = self.last_written.lock() else {
                return;
            };
            if map
                .get(user)
                .is_some_and(|last| now - last < self.interval_secs)
            {
                return;
            }
            if map.len() > 100_000 {
                map.clear();
            }
            map.insert(user.clone(), now);
        }
        let users = Arc::clone(&self.users);
        let user = user.clone();
        tokio::spawn(async move {
            if let Err(error) = users.touch(&user, now).await {
                tracing::warn!(%error, "could not record user activity");
            }
        });
    }
}
