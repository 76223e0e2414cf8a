//! A short-lived cache of session subjects (user + session stamp), the one read every
//! authenticated request makes. Writes through this store forget the entry at once; writes
//! made by other instances are seen after at most the time-to-live.

use hearth_domain::account::SessionSubject;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Entries kept at most; the cache is emptied when it would grow past this.
const MAX_ENTRIES: usize = 50_000;

#[derive(Debug)]
pub(crate) struct SessionCache {
    ttl: Duration,
    writes: AtomicU64,
    entries: Mutex<HashMap<String, (Instant, SessionSubject)>>,
}

impl SessionCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            writes: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// A fresh entry, if any.
    pub(crate) fn get(&self, id: &str) -> Option<SessionSubject> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        let (stored, subject) = entries.get(id)?;
        (stored.elapsed() < self.ttl).then(|| subject.clone())
    }

    /// A token to pass to [`SessionCache::put`]: taken before reading the database, it lets
    /// `put` drop values that a concurrent write has made stale.
    pub(crate) fn ticket(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Stores a value read after `ticket` was taken, unless a write happened since.
    pub(crate) fn put(&self, id: &str, subject: SessionSubject, ticket: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if self.writes.load(Ordering::Acquire) != ticket {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(id.to_owned(), (Instant::now(), subject));
    }

    /// Forgets `id` when the returned guard drops: hold it across a write to the user's
    /// `user` or `auth` row, so that reads racing the write cannot cache the old values.
    pub(crate) fn forget_after<'a>(&'a self, id: &str) -> ForgetGuard<'a> {
        ForgetGuard {
            cache: self,
            id: id.to_owned(),
        }
    }

    fn forget(&self, id: &str) {
        self.writes.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(id);
        }
    }
}

/// Forgets one entry when dropped.
pub(crate) struct ForgetGuard<'a> {
    cache: &'a SessionCache,
    id: String,
}

impl Drop for ForgetGuard<'_> {
    fn drop(&mut self) {
        self.cache.forget(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::{Role, User, UserId};

    fn subject(name: &str) -> SessionSubject {
        let user = User {
            id: UserId::from("u"),
            email: "e".into(),
            username: None,
            role: Role::User,
            name: name.into(),
            profile_image_url: None,
            profile_banner_image_url: None,
            bio: None,
            gender: None,
            date_of_birth: None,
            timezone: None,
            presence_state: None,
            status_emoji: None,
            status_message: None,
            status_expires_at: None,
            info: None,
            variables: None,
            settings: None,
            oauth: None,
            scim: None,
            last_active_at: 0,
            updated_at: 0,
            created_at: 0,
        };
        SessionSubject {
            user,
            session_stamp: None,
            active: true,
        }
    }

    #[test]
    fn a_write_during_a_read_keeps_the_stale_value_out() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let ticket = cache.ticket();
        drop(cache.forget_after("u"));
        cache.put("u", subject("old"), ticket);
        assert!(cache.get("u").is_none());
        cache.put("u", subject("new"), cache.ticket());
        assert_eq!(cache.get("u").map(|s| s.user.name), Some("new".into()));
        drop(cache.forget_after("u"));
        assert!(cache.get("u").is_none());
    }

    #[test]
    fn entries_expire_and_zero_ttl_disables() {
        let cache = SessionCache::new(Duration::from_millis(1));
        cache.put("u", subject("x"), cache.ticket());
        std::thread::sleep(Duration::from_millis(5));
        assert!(cache.get("u").is_none());
        let off = SessionCache::new(Duration::ZERO);
        off.put("u", subject("x"), off.ticket());
        assert!(off.get("u").is_none());
    }
}
