//! The `token` session cookie and the single sign-on cookies.

use actix_web::cookie::{Cookie, SameSite as CookieSameSite, time::Duration};
use hearth_settings::SameSite;

/// The session cookie for `token`, living `max_age_secs` (a session cookie when `None`).
pub fn session(
    token: &str,
    max_age_secs: Option<i64>,
    same_site: SameSite,
    secure: bool,
) -> Cookie<'static> {
    named("token", token, max_age_secs, same_site, secure, true)
}

/// A cookie on path `/` living `max_age_secs` (a session cookie when `None`).
pub fn named(
    name: &'static str,
    value: &str,
    max_age_secs: Option<i64>,
    same_site: SameSite,
    secure: bool,
    http_only: bool,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value.to_owned())
        .path("/")
        .http_only(http_only)
        .secure(secure)
        .same_site(match same_site {
            SameSite::Lax => CookieSameSite::Lax,
            SameSite::Strict => CookieSameSite::Strict,
            SameSite::None => CookieSameSite::None,
        })
        .finish();
    if let Some(secs) = max_age_secs {
        cookie.set_max_age(Duration::seconds(secs.max(0)));
    }
    cookie
}

/// A cookie that deletes `name` in the browser.
pub fn expired(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "").path("/").finish();
    cookie.make_removal();
    cookie
}
