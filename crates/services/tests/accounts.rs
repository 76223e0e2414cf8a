//! Accounts over in-memory storage: the first sign-up makes the admin and closes sign-up,
//! newcomers wait as pending, passwords are checked and changing one ends every session,
//! and an authenticating proxy's header signs people in.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_auth::AuthError;
use hearth_domain::config::keys;
use hearth_services::ServiceError;
use hearth_services::accounts::authenticate::session_user;
use hearth_services::accounts::signin::{self, TrustedHeaders};
use hearth_services::accounts::{dto, profile};
use hearth_test_support::{ScriptedModels, TestApp, test_settings};
use serde_json::json;

fn form<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn signup(email: &str) -> dto::SignupForm {
    form(json!({"name": "Someone", "email": email, "password": "secret-1"}))
}

#[tokio::test]
async fn the_first_sign_up_is_the_admin_and_closes_sign_up() {
    let t = TestApp::new().await;

    let first = signin::sign_up(&t.app, signup("First@Example.com"))
        .await
        .unwrap();
    assert_eq!(first.body.role, "admin");
    assert_eq!(first.body.email, "first@example.com");

    let second = signin::sign_up(&t.app, signup("second@example.com")).await;
    assert!(
        matches!(second, Err(ServiceError::Auth(AuthError::SignupClosed))),
        "{second:?}"
    );
}

#[tokio::test]
async fn newcomers_wait_as_pending_once_the_admin_opens_sign_up() {
    let t = TestApp::new().await;
    signin::sign_up(&t.app, signup("admin@example.com"))
        .await
        .unwrap();
    t.app
        .config
        .set(vec![(keys::ENABLE_SIGNUP.into(), json!(true))])
        .await
        .unwrap();

    let newcomer = signin::sign_up(&t.app, signup("new@example.com"))
        .await
        .unwrap();
    assert_eq!(newcomer.body.role, "pending");
    let taken = signin::sign_up(&t.app, signup("NEW@example.com")).await;
    assert!(
        matches!(taken, Err(ServiceError::Auth(AuthError::EmailTaken))),
        "{taken:?}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_a_new_one_ends_every_session() {
    let t = TestApp::new().await;
    signin::sign_up(&t.app, signup("admin@example.com"))
        .await
        .unwrap();
    let wrong: dto::SigninForm = form(json!({"email": "admin@example.com", "password": "nope"}));
    let refused = signin::sign_in(&t.app, &wrong, TrustedHeaders::default()).await;
    assert!(matches!(refused, Err(ServiceError::Auth(_))), "{refused:?}");

    let right: dto::SigninForm =
        form(json!({"email": "ADMIN@example.com", "password": "secret-1"}));
    let session = signin::sign_in(&t.app, &right, TrustedHeaders::default())
        .await
        .unwrap();
    let user = session_user(&t.app, &session.token).await.unwrap().unwrap();
    assert_eq!(user.email, "admin@example.com");

    let change = form(json!({"password": "secret-1", "new_password": "secret-2"}));
    assert!(
        profile::update_password(&t.app, &user, change)
            .await
            .unwrap()
    );
    assert!(
        session_user(&t.app, &session.token)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_proxys_header_signs_people_in_and_makes_their_account() {
    let mut settings = test_settings();
    settings.accounts.trusted_email_header = Some("X-User-Email".into());
    let t = TestApp::with(settings, ScriptedModels::new(&["gpt-test"])).await;
    let ignored: dto::SigninForm = form(json!({"email": "", "password": ""}));

    let trusted = TrustedHeaders {
        email: Some("Proxy@Example.com".into()),
        name: Some("Pat%20Proxy".into()),
        role: None,
    };
    let session = signin::sign_in(&t.app, &ignored, trusted).await.unwrap();
    assert_eq!(session.body.email, "proxy@example.com");
    assert_eq!(session.body.name, "Pat Proxy");
    assert_eq!(session.body.role, "admin", "the first account");

    let missing = signin::sign_in(&t.app, &ignored, TrustedHeaders::default()).await;
    assert!(
        matches!(missing, Err(ServiceError::Invalid(_))),
        "{missing:?}"
    );
}
