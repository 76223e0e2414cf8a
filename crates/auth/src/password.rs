//! bcrypt password hashing on blocking threads, with a bound on how many hashes run at once
//! so that sign-ins never starve the request workers of CPU.

use crate::AuthError;
use std::sync::Arc;
use tokio::sync::{OnceCell, Semaphore};

/// Lowest bcrypt cost accepted.
pub const MIN_COST: u32 = 4;
/// Highest bcrypt cost accepted.
pub const MAX_COST: u32 = 31;

/// bcrypt only reads the first 72 bytes of a password.
pub const BCRYPT_MAX_BYTES: usize = 72;

/// Hashes and verifies passwords.
#[derive(Clone, Debug)]
pub struct PasswordHasher {
    cost: u32,
    permits: Arc<Semaphore>,
    placeholder: Arc<OnceCell<String>>,
}

impl PasswordHasher {
    /// A hasher with bcrypt `cost` (4–31; Open WebUI uses 12) running at most
    /// `concurrency` hashes at a time (at least one).
    pub fn new(cost: u32, concurrency: usize) -> Self {
        Self {
            cost: cost.clamp(MIN_COST, MAX_COST),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            placeholder: Arc::new(OnceCell::new()),
        }
    }

    /// The bcrypt cost in use.
    pub fn cost(&self) -> u32 {
        self.cost
    }

    /// Hashes a password into a `$2b$` string.
    pub async fn hash(&self, password: &str) -> Result<String, AuthError> {
        let bytes = truncate(password).to_vec();
        let cost = self.cost;
        self.run(move || bcrypt::hash(bytes, cost).map_err(|e| AuthError::Hashing(e.to_string())))
            .await?
    }

    /// Checks a password against a stored hash. Unknown hash formats (including Argon2,
    /// which Hearth does not implement) never match.
    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, AuthError> {
        if !hash.starts_with("$2") {
            return Ok(false);
        }
        let bytes = truncate(password).to_vec();
        let hash = hash.to_owned();
        self.run(move || Ok(bcrypt::verify(bytes, &hash).unwrap_or(false)))
            .await?
    }

    /// Spends the same time as a real check, for sign-ins of unknown or disabled accounts,
    /// so response times do not reveal which emails exist.
    pub async fn verify_placeholder(&self, password: &str) -> Result<(), AuthError> {
        let placeholder = self
            .placeholder
            .get_or_try_init(|| async { self.hash("placeholder").await })
            .await?
            .clone();
        self.verify(password, &placeholder).await.map(|_| ())
    }

    async fn run<T, F>(&self, work: F) -> Result<T, AuthError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AuthError::Hashing("hasher closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AuthError::Hashing(e.to_string()))
    }
}

fn truncate(password: &str) -> &[u8] {
    let bytes = password.as_bytes();
    &bytes[..bytes.len().min(BCRYPT_MAX_BYTES)]
}

/// Whether a new password fits bcrypt's limit (Open WebUI refuses longer ones).
pub fn fits_bcrypt(password: &str) -> bool {
    password.len() <= BCRYPT_MAX_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_reject() -> Result<(), AuthError> {
        let hasher = PasswordHasher::new(4, 2);
        let hash = hasher.hash("correct horse").await?;
        assert!(hash.starts_with("$2b$04$"));
        assert!(hasher.verify("correct horse", &hash).await?);
        assert!(!hasher.verify("wrong", &hash).await?);
        assert!(!hasher.verify("x", "not-a-hash").await?);
        assert!(!hasher.verify("x", "$argon2id$v=19$...").await?);
        hasher.verify_placeholder("anything").await?;
        Ok(())
    }

    #[tokio::test]
    async fn verifies_hashes_made_by_python_bcrypt() -> Result<(), AuthError> {
        // Written by Python's `bcrypt.hashpw(b"secret-pass", bcrypt.gensalt(4))`, as Open WebUI stores it.
        let python = "$2b$04$BbQ5oN073kkHvAu1ROFrnOgNwS9pKvk/NzhMSlN1NRp9UQSMoVL0i";
        let hasher = PasswordHasher::new(4, 1);
        assert!(hasher.verify("secret-pass", python).await?);
        assert!(!hasher.verify("secret-pasS", python).await?);
        Ok(())
    }

    #[test]
    fn long_passwords_are_detected() {
        assert!(fits_bcrypt(&"a".repeat(72)));
        assert!(!fits_bcrypt(&"a".repeat(73)));
        assert!(!fits_bcrypt(&"é".repeat(37)));
    }
}
