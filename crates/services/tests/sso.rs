//! Sign-in through an identity provider over a fake provider: the account policy (sign-up
//! on or off, merging by email, allowed domains, role mapping) and the sessions it opens.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::Role;
use hearth_services::accounts::authenticate::session_user;
use hearth_services::messages as msg;
use hearth_services::sso::flow::{self, CallbackQuery, Start};
use hearth_test_support::{AUTHORIZE_URL, TestApp};
use serde_json::{Value, json};

/// An app with the generic OpenID Connect provider on and `extra` settings.
async fn with_provider(extra: &[(&str, Value)]) -> TestApp {
    let t = TestApp::new().await;
    let mut values = vec![
        ("oauth.enable".to_owned(), json!(true)),
        ("oauth.client_id".to_owned(), json!("hearth")),
        ("oauth.client_secret".to_owned(), json!("secret")),
        (
            "oauth.provider_url".to_owned(),
            json!("https://idp.test/.well-known/openid-configuration"),
        ),
    ];
    values.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    t.app.config.set(values).await.unwrap();
    t
}

/// Runs a sign-in as the person with `claims`: the session's user, or the refusal shown.
async fn sign_in_as(t: &TestApp, claims: Value) -> Result<hearth_domain::User, &'static str> {
    let Start::Redirect { url, pending } = flow::start(&t.app, "oidc", "http://hearth.test")
        .await
        .unwrap()
    else {
        panic!("the fake provider always starts");
    };
    assert!(url.starts_with(AUTHORIZE_URL), "{url}");
    let state = url.split("state=").nth(1).unwrap_or_default().to_owned();
    t.identity.sign_in_as(claims);
    let query = CallbackQuery {
        code: Some("code".into()),
        state: Some(state),
        ..CallbackQuery::default()
    };
    let signed_in = flow::callback(&t.app, "oidc", Some(&pending), query)
        .await
        .unwrap()?;
    let user = session_user(&t.app, &signed_in.session.token)
        .await
        .unwrap();
    Ok(user.unwrap())
}

fn person(sub: &str, email: &str) -> Value {
    json!({"sub": sub, "email": email, "email_verified": true, "name": "Sam"})
}

#[tokio::test]
async fn with_sign_up_on_a_new_person_gets_an_account_and_comes_back_to_it() {
    let t = with_provider(&[("oauth.enable_signup", json!(true))]).await;
    t.account("admin@example.com", Role::Admin).await;

    let first = sign_in_as(&t, person("s-1", "Sam@Example.com"))
        .await
        .unwrap();
    assert_eq!(first.email, "sam@example.com");
    assert_eq!(first.role, Role::Pending, "the default role");
    let again = sign_in_as(&t, person("s-1", "sam@example.com"))
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
}

#[tokio::test]
async fn with_sign_up_off_strangers_are_turned_away() {
    let t = with_provider(&[]).await;
    t.account("admin@example.com", Role::Admin).await;

    let refused = sign_in_as(&t, person("s-1", "sam@example.com")).await;
    assert_eq!(refused.err(), Some(msg::ACCESS_PROHIBITED));
}

#[tokio::test]
async fn an_existing_email_merges_only_when_merging_is_on() {
    let t = with_provider(&[("oauth.enable_signup", json!(true))]).await;
    let existing = t.account("sam@example.com", Role::User).await;

    let taken = sign_in_as(&t, person("s-1", "sam@example.com")).await;
    assert_eq!(
        taken.err(),
        Some(msg::EMAIL_TAKEN),
        "sign-up may not take a registered email"
    );

    t.app
        .config
        .set(vec![("oauth.merge_accounts_by_email".into(), json!(true))])
        .await
        .unwrap();
    let merged = sign_in_as(&t, person("s-1", "sam@example.com"))
        .await
        .unwrap();
    assert_eq!(merged.id, existing.id);
    let unverified = json!({"sub": "s-2", "email": "sam@example.com", "email_verified": false});
    assert!(
        sign_in_as(&t, unverified).await.is_err(),
        "an unverified email never merges"
    );
}

#[tokio::test]
async fn only_allowed_domains_get_in_and_roles_follow_the_provider() {
    let t = with_provider(&[
        ("oauth.enable_signup", json!(true)),
        ("oauth.allowed_domains", json!(["example.com"])),
        ("oauth.enable_role_mapping", json!(true)),
        ("oauth.roles_claim", json!("roles")),
        ("oauth.allowed_roles", json!(["staff", "boss"])),
        ("oauth.admin_roles", json!(["boss"])),
    ])
    .await;
    t.account("admin@example.com", Role::Admin).await;

    let outsider = person("s-1", "sam@elsewhere.org");
    assert!(sign_in_as(&t, outsider).await.is_err());
    let mut visitor = person("s-2", "vic@example.com");
    visitor["roles"] = json!(["visitor"]);
    assert_eq!(
        sign_in_as(&t, visitor).await.err(),
        Some(msg::ACCESS_PROHIBITED)
    );
    let mut boss = person("s-3", "bo@example.com");
    boss["roles"] = json!(["staff", "boss"]);
    assert_eq!(sign_in_as(&t, boss).await.unwrap().role, Role::Admin);
    let mut staff = person("s-4", "st@example.com");
    staff["roles"] = json!(["staff"]);
    assert_eq!(sign_in_as(&t, staff).await.unwrap().role, Role::User);
}
