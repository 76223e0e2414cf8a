//! A user's avatar as image bytes: a `data:` URL decoded, an external URL to redirect to,
//! or the default avatar.

use super::manage::user_or_400;
use crate::App;
use crate::error::ServiceResult;
use base64::Engine;
use hearth_domain::UserId;
use hearth_domain::validate::data_uri_media_type;

/// The default avatar (PNG).
pub const DEFAULT_AVATAR: &[u8] = include_bytes!("../../assets/user.png");

/// What to answer for an avatar.
#[derive(Debug, PartialEq, Eq)]
pub enum Avatar {
    /// The default avatar.
    Default,
    /// Redirect to the user's external image.
    Redirect(String),
    /// The user's image.
    Image {
        /// Its media type.
        media_type: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
}

/// A user's avatar.
pub async fn avatar(app: &App, id: &UserId) -> ServiceResult<Avatar> {
    let user = user_or_400(app, id).await?;
    let Some(url) = user.profile_image_url.filter(|u| !u.is_empty()) else {
        return Ok(Avatar::Default);
    };
    let accounts = &app.settings.accounts;
    if url.starts_with("http") {
        if accounts.profile_image_url_forwarding {
            return Ok(Avatar::Redirect(url));
        }
        return Ok(Avatar::Default);
    }
    Ok(
        decode_data_uri(&url, &accounts.profile_image_allowed_mime_types)
            .unwrap_or(Avatar::Default),
    )
}

fn decode_data_uri(url: &str, allowed: &[String]) -> Option<Avatar> {
    let lower = url.get(..url.find(',')?)?.to_ascii_lowercase() + ",";
    let media_type = data_uri_media_type(&lower)?.to_owned();
    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&media_type)) {
        return None;
    }
    let (_, encoded) = url.split_once(',')?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    Some(Avatar::Image { media_type, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_allowed_data_uris_only() {
        let allowed = vec!["image/png".to_owned()];
        assert!(decode_data_uri("data:image/png;base64,iVBORw0KGgo=", &allowed).is_some());
        assert!(decode_data_uri("data:image/gif;base64,R0lGOD==", &allowed).is_none());
        assert!(decode_data_uri("data:image/png;base64,!!!", &allowed).is_none());
        assert!(decode_data_uri("data:image/png;base64", &allowed).is_none());
    }
}
