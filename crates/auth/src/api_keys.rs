//! `sk-` API keys: generation and the endpoint allow-list.

/// A new key: `sk-` followed by 32 lowercase hex digits (a UUID v4 without hyphens).
pub fn generate() -> String {
    format!("sk-{}", uuid::Uuid::new_v4().simple())
}

/// Whether a credential is an API key rather than a session token.
pub fn is_api_key(credential: &str) -> bool {
    credential.starts_with("sk-")
}

/// Whether `path` is allowed by a comma-separated allow-list of path prefixes: equal to an
/// entry, or below it (`/api/models` allows `/api/models/x` but not `/api/modelsx`).
pub fn endpoint_allowed(path: &str, allowed_csv: &str) -> bool {
    allowed_csv
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            path == entry
                || path
                    .strip_prefix(entry)
                    .is_some_and(|rest| rest.starts_with('/') || entry.ends_with('/'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_open_webui_format() {
        let key = generate();
        assert_eq!(key.len(), 35);
        assert!(is_api_key(&key));
        assert!(
            key[3..]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(generate(), key);
    }

    #[test]
    fn allow_list_matches_prefixes_on_segment_boundaries() {
        let allowed = " /api/models , /api/v1/chats";
        assert!(endpoint_allowed("/api/models", allowed));
        assert!(endpoint_allowed("/api/models/base", allowed));
        assert!(endpoint_allowed("/api/v1/chats/abc", allowed));
        assert!(!endpoint_allowed("/api/modelsx", allowed));
        assert!(!endpoint_allowed("/api/v1/auths/", allowed));
        assert!(!endpoint_allowed("/api/models", ""));
    }
}
