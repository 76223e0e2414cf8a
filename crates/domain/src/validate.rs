//! Input checks Open WebUI applies before storing account data.

/// Open WebUI's email check: `local@domain.tld` (any non-`@` characters around one `@` and a
/// dot in the domain), or anything ending in `@localhost`.
pub fn is_valid_email(email: &str) -> bool {
    if email.ends_with("@localhost") {
        return true;
    }
    let Some((local, rest)) = email.split_once('@') else {
        return false;
    };
    if local.is_empty() {
        return false;
    }
    let domain = rest.split('@').next().unwrap_or_default();
    domain
        .char_indices()
        .any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

/// Static paths Open WebUI assigns as profile images.
const SAFE_STATIC_PATHS: [&str; 3] = ["/user.png", "/favicon.png", "/static/favicon.png"];

/// Image types accepted in `data:` profile images by default.
pub const DEFAULT_IMAGE_MIME_TYPES: [&str; 4] =
    ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The profile image URLs [`check_profile_image_url`] accepts with the default settings, as
/// an OpenAPI `pattern` (a little narrower: lower-case schemes and types only).
pub const PROFILE_IMAGE_URL_PATTERN: &str = concat!(
    r"^(?:|/user\.png|/favicon\.png|/static/favicon\.png",
    r"|/api/v1/users/[^/?#]+/profile/image",
    r"|https?://(?:[^/?#]*@)?[^/?#@:][^/?#@]*(?:[/?#].*)?",
    r"|data:image/(?:png|jpeg|gif|webp);base64,.*)$",
);

/// Why a profile image URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageUrlError {
    /// An `http(s)` URL without a host.
    #[error("Invalid profile image URL: HTTP(S) URLs must include a host.")]
    MissingHost,
    /// A data URI over the configured size limit.
    #[error("Invalid profile image URL: data URI exceeds the {0}-byte limit.")]
    TooLarge(usize),
    /// Anything else (other schemes, relative paths, SVG, ...).
    #[error(
        "Invalid profile image URL: must be a known internal path, an HTTP(S) URL with a host, or a data:image URI (png/jpeg/gif/webp)."
    )]
    Unsupported,
}

/// Checks a profile image URL the way Open WebUI does: empty, a known static path, a user
/// avatar route, an `http(s)` URL with a host, or a base64 `data:image/...` URI of an
/// allowed type no longer than `max_data_uri_len` bytes (when set).
pub fn check_profile_image_url(
    url: &str,
    allowed_mime_types: &[String],
    max_data_uri_len: Option<usize>,
) -> Result<(), ImageUrlError> {
    if url.is_empty() || SAFE_STATIC_PATHS.contains(&url) || is_avatar_route(url) {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        return if host.is_empty() {
            Err(ImageUrlError::MissingHost)
        } else {
            Ok(())
        };
    }
    if let Some(media) = data_uri_media_type(&lower) {
        if !allowed_mime_types
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(media))
        {
            return Err(ImageUrlError::Unsupported);
        }
        if let Some(limit) = max_data_uri_len.filter(|limit| url.len() > *limit) {
            return Err(ImageUrlError::TooLarge(limit));
        }
        return Ok(());
    }
    Err(ImageUrlError::Unsupported)
}

/// The media type of a `data:<type>;base64,` URI (lower-cased input), if it is one.
pub fn data_uri_media_type(lower_url: &str) -> Option<&str> {
    let rest = lower_url.strip_prefix("data:")?;
    let (media, _) = rest.split_once(";base64,")?;
    media.starts_with("image/").then_some(media)
}

fn is_avatar_route(url: &str) -> bool {
    url.strip_prefix("/api/v1/users/")
        .and_then(|rest| rest.strip_suffix("/profile/image"))
        .is_some_and(|id| !id.is_empty() && !id.contains(['/', '?', '#']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        DEFAULT_IMAGE_MIME_TYPES
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn email_rules_match_open_webui() {
        for ok in [
            "a@b.co",
            "admin@localhost",
            "x.y@sub.example.org",
            "a@b.c@d",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in ["", "plain", "@b.co", "a@bco", "a@.co", "a@b.", "a@@b.co"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn profile_image_rules() {
        let a = allowed();
        for ok in [
            "",
            "/user.png",
            "/api/v1/users/abc/profile/image",
            "https://img.example/x.png",
            "data:image/png;base64,AAAA",
            "DATA:IMAGE/JPEG;BASE64,AAAA",
        ] {
            assert_eq!(check_profile_image_url(ok, &a, None), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "/etc/passwd",
            "//host/x.png",
            "data:image/svg+xml;base64,AAAA",
            "data:text/html;base64,AAAA",
            "/api/v1/users/a/b/profile/image",
        ] {
            assert!(check_profile_image_url(bad, &a, None).is_err(), "{bad}");
        }
        assert_eq!(
            check_profile_image_url("http://:80/x", &a, None),
            Err(ImageUrlError::MissingHost)
        );
        assert_eq!(
            check_profile_image_url("data:image/png;base64,AAAAAAAA", &a, Some(10)),
            Err(ImageUrlError::TooLarge(10))
        );
    }
}
