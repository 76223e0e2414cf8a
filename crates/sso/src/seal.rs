//! Sealing: authenticated encryption (Fernet) of what leaves the server's hands, the pending
//! login in the browser's cookie and the provider tokens in the `oauth_session` table.
//!
//! The key follows Open WebUI's rule, so tables written by one can be read by the other: a
//! 44-character key is used as the Fernet key itself; any other text is hashed with SHA-256
//! and the digest becomes the key.

use crate::SsoError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use fernet::Fernet;
use sha2::{Digest, Sha256};

/// Seals and opens values with one key.
pub struct Sealer {
    fernet: Fernet,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// A sealer keyed by `secret` (see the module notes for the derivation).
    pub fn new(secret: &str) -> Result<Self, SsoError> {
        let fernet = match (secret.len() == 44).then(|| Fernet::new(secret)).flatten() {
            Some(fernet) => fernet,
            None => Self::hashed(secret)?,
        };
        Ok(Self { fernet })
    }

    /// A sealer whose key is derived from `secret` and a purpose, so values sealed for one
    /// purpose never open as another.
    pub fn for_purpose(secret: &str, purpose: &str) -> Result<Self, SsoError> {
        Ok(Self {
            fernet: Self::hashed(&format!("{purpose}\u{0}{secret}"))?,
        })
    }

    fn hashed(secret: &str) -> Result<Fernet, SsoError> {
        let key = URL_SAFE.encode(Sha256::digest(secret.as_bytes()));
        Fernet::new(&key).ok_or_else(|| SsoError::Config("unusable sealing key".into()))
    }

    /// Seals `plain`.
    pub fn seal(&self, plain: &[u8]) -> String {
        self.fernet.encrypt(plain)
    }

    /// Opens a sealed value of any age.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, SsoError> {
        self.fernet.decrypt(sealed).map_err(|_| SsoError::Unseal)
    }

    /// Opens a sealed value no older than `ttl_secs`.
    pub fn open_fresh(&self, sealed: &str, ttl_secs: u64) -> Result<Vec<u8>, SsoError> {
        self.fernet
            .decrypt_with_ttl(sealed, ttl_secs)
            .map_err(|_| SsoError::Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_same_key_only() {
        let sealer = Sealer::new("a secret").unwrap();
        let sealed = sealer.seal(b"{\"access_token\":\"x\"}");
        assert!(!sealed.contains("access_token"));
        assert_eq!(sealer.open(&sealed).unwrap(), b"{\"access_token\":\"x\"}");
        assert!(Sealer::new("another").unwrap().open(&sealed).is_err());
        assert!(
            Sealer::for_purpose("a secret", "login")
                .unwrap()
                .open(&sealed)
                .is_err()
        );
        let mut tampered = sealed.clone();
        tampered.replace_range(20..21, if &sealed[20..21] == "A" { "B" } else { "A" });
        assert!(sealer.open(&tampered).is_err());
    }

    #[test]
    fn a_44_character_key_is_the_fernet_key_itself() {
        let key = Fernet::generate_key();
        let theirs = Fernet::new(&key).unwrap().encrypt(b"hello");
        assert_eq!(Sealer::new(&key).unwrap().open(&theirs).unwrap(), b"hello");
    }
}
