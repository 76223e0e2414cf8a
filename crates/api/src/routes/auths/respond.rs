//! A session as the answer of a sign-in: its body, and the `token` cookie.

use crate::cookies;
use crate::state::AppState;
use actix_web::HttpResponse;
use hearth_services::accounts::Session;

/// The session's body, with the `token` cookie set for as long as the session lives.
pub(super) fn session_response(state: &AppState, session: Session) -> HttpResponse {
    let http = &state.app.settings.http;
    let cookie = cookies::session(
        &session.token,
        session.lifetime,
        http.cookie_same_site,
        http.cookie_secure,
    );
    HttpResponse::Ok().cookie(cookie).json(session.body)
}
