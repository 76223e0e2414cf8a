//! HS256 session tokens carrying Open WebUI's claims (`id`, `typ`, `auth_method`,
//! `auth_time`, `session_stamp`, `mfa_verified`, `exp`, `jti`, `iat`).

use crate::AuthError;
use hearth_domain::UserId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims of a Hearth / Open WebUI session token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub id: String,
    /// Token type: `session` for people; `automation` and `subagent` for internal tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// How the session was authenticated (`password`, `trusted_header`, `system`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<String>,
    /// When the user authenticated (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// Copy of `auth.session_stamp` at issue time; the token dies when the stamp changes.
    #[serde(default)]
    pub session_stamp: Option<String>,
    /// Whether a second factor was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_verified: Option<bool>,
    /// Expiry (epoch seconds); absent when tokens never expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Unique token id.
    #[serde(default)]
    pub jti: Option<String>,
    /// Issue time (epoch seconds).
    #[serde(default)]
    pub iat: Option<i64>,
}

impl Claims {
    /// The token type, defaulting to `session` as Open WebUI does.
    pub fn token_type(&self) -> &str {
        self.typ.as_deref().unwrap_or("session")
    }
}

/// What a new token should say.
#[derive(Clone, Debug)]
pub struct TokenRequest<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The session stamp to embed.
    pub session_stamp: Option<&'a str>,
    /// The authentication method; `None` leaves the claim out (as Open WebUI's "add user" does).
    pub auth_method: Option<&'a str>,
    /// Lifetime in seconds; `None` for tokens that never expire.
    pub lifetime_secs: Option<i64>,
}

impl<'a> TokenRequest<'a> {
    /// A `session` token authenticated by password.
    pub fn session(
        user_id: &'a UserId,
        stamp: Option<&'a str>,
        lifetime_secs: Option<i64>,
    ) -> Self {
        Self {
            user_id,
            session_stamp: stamp,
            auth_method: Some("password"),
            lifetime_secs,
        }
    }
}

/// A signed token and when it expires.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// `exp`, if the token expires.
    pub expires_at: Option<i64>,
}

/// Signs and verifies session tokens with `WEBUI_SECRET_KEY`.
#[derive(Clone)]
pub struct SessionTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionTokens { .. }")
    }
}

impl SessionTokens {
    /// Keys derived from the shared secret.
    pub fn new(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = true;
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// Signs a new token issued at `now`.
    pub fn issue(&self, request: &TokenRequest<'_>, now: i64) -> Result<IssuedToken, AuthError> {
        let expires_at = request.lifetime_secs.map(|secs| now.saturating_add(secs));
        let claims = Claims {
            id: request.user_id.as_str().to_owned(),
            typ: Some("session".into()),
            auth_method: request.auth_method.map(str::to_owned),
            auth_time: request.auth_method.map(|_| now),
            session_stamp: request.session_stamp.map(str::to_owned),
            mfa_verified: request.auth_method.map(|_| false),
            exp: expires_at,
            jti: Some(uuid::Uuid::new_v4().to_string()),
            iat: Some(now),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Signing(e.to_string()))?;
        Ok(IssuedToken { token, expires_at })
    }

    /// Verifies the signature and expiry; `None` for any token that does not pass.
    pub fn decode(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_tampering() -> Result<(), AuthError> {
        let tokens = SessionTokens::new("secret");
        let now = hearth_domain::time::now_epoch();
        let id = UserId::from("u1");
        let issued = tokens.issue(&TokenRequest::session(&id, Some("s"), Some(60)), now)?;
        assert_eq!(issued.expires_at, Some(now + 60));
        let claims = tokens.decode(&issued.token).ok_or(AuthError::Undecodable)?;
        assert_eq!((claims.id.as_str(), claims.token_type()), ("u1", "session"));
        assert_eq!(claims.session_stamp.as_deref(), Some("s"));

        let mut tampered = issued.token.clone();
        tampered.pop();
        tampered.push(if issued.token.ends_with('A') {
            'B'
        } else {
            'A'
        });
        assert!(tokens.decode(&tampered).is_none());
        assert!(SessionTokens::new("other").decode(&issued.token).is_none());
        assert!(tokens.decode("not.a.token").is_none());
        Ok(())
    }

    #[test]
    fn expired_tokens_do_not_decode_and_endless_ones_do() -> Result<(), AuthError> {
        let tokens = SessionTokens::new("secret");
        let id = UserId::from("u1");
        let old = tokens.issue(&TokenRequest::session(&id, None, Some(60)), 1_000)?;
        assert!(tokens.decode(&old.token).is_none());
        let endless = tokens.issue(&TokenRequest::session(&id, None, None), 1_000)?;
        assert_eq!(endless.expires_at, None);
        assert!(tokens.decode(&endless.token).is_some());
        Ok(())
    }

    #[test]
    fn decodes_tokens_signed_by_open_webui() {
        // Signed by PyJWT with secret "peer-secret" (claims as Open WebUI 0.12.4 writes them).
        let token = concat!(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImNkYzc0YzgyLWI4ZDAtNDQ5Ni04ZjQ1LWM1Nzk2OTExODE2NCIsInR5cCI6InNlc3Npb24iLCJhdXRoX21ldGhvZCI6InBhc3N3b3JkIiwiYXV0aF90aW1lIjoxNzk1NjQxNDY2LCJzZXNzaW9uX3N0YW1wIjoiYjA2MDM1NTYtMzkzMS00ZWRiLThlM2EtMDI3YjRhMmJmYjIwIiwibWZhX3ZlcmlmaWVkIjpmYWxzZSwiZXhwIjo0MTAyNDQ0ODAwLCJqdGkiOiJhODllNzMwOC0xOWVkLTQ2MmItYjgyNS1jMjk5MTc1YmVlZTciLCJpYXQiOjE3OTU2NDE0NjZ9",
            ".RrFSB4ZiqLjxe2Kb7Ljz-tfq6_0M2fR0PXmi8_8s2jI"
        );
        let claims = SessionTokens::new("peer-secret").decode(token);
        let claims = claims.expect("an Open WebUI token decodes");
        assert_eq!(claims.id, "cdc74c82-b8d0-4496-8f45-c57969118164");
        assert_eq!(
            claims.session_stamp.as_deref(),
            Some("b0603556-3931-4edb-8e3a-027b4a2bfb20")
        );
        assert_eq!(claims.exp, Some(4_102_444_800));
    }
}
