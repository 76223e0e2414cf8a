//! Identity-provider links and sessions, on SQLite and (with HEARTH_TEST_DATABASE_URL)
//! PostgreSQL: the subject lookup reads inside the `user.oauth` JSON, differently per engine.

mod common;

use common::{add_user, store_with_user};
use hearth_domain::oauth::OAuthSession;
use hearth_domain::ports::OAuthStore;
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn subjects_link_accounts_per_provider() -> TestResult {
    let (store, scratch, alice) = store_with_user("alice@x.io").await?;
    let bob = add_user(&store, "bob@x.io").await?;
    assert!(store.user_by_subject("oidc", "s-1").await?.is_none());
    let linked = store.link_subject(&alice, "oidc", "s-1", 5).await?;
    assert_eq!(linked.oauth, Some(json!({"oidc": {"sub": "s-1"}})));
    store.link_subject(&alice, "github", "12345", 6).await?;
    store.link_subject(&bob, "oidc", "s-2", 6).await?;
    let found = store.user_by_subject("oidc", "s-1").await?.map(|u| u.id);
    assert_eq!(found, Some(alice.clone()));
    assert_eq!(
        store
            .user_by_subject("github", "12345")
            .await?
            .map(|u| u.id),
        Some(alice.clone())
    );
    assert_eq!(
        store.user_by_subject("oidc", "s-2").await?.map(|u| u.id),
        Some(bob)
    );
    // Another provider's subject, an unknown provider and odd text find nobody.
    assert!(store.user_by_subject("google", "s-1").await?.is_none());
    assert!(
        store
            .user_by_subject("evil') OR 1=1 --", "s-1")
            .await?
            .is_none()
    );
    assert!(
        store
            .user_by_subject("oidc", "s-1' OR '1'='1")
            .await?
            .is_none()
    );
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn sessions_are_kept_up_to_the_limit_per_provider() -> TestResult {
    let (store, scratch, alice) = store_with_user("alice@x.io").await?;
    let session = |id: &str, provider: &str, at: i64| OAuthSession {
        id: id.into(),
        user_id: alice.clone(),
        provider: provider.into(),
        token: format!("sealed-{id}"),
        expires_at: at + 3600,
        created_at: at,
        updated_at: at,
    };
    store.insert_session(&session("a", "oidc", 1), 2).await?;
    store.insert_session(&session("g", "github", 2), 2).await?;
    store.insert_session(&session("b", "oidc", 3), 2).await?;
    store.insert_session(&session("c", "oidc", 4), 2).await?;
    assert!(
        store.session("a").await?.is_none(),
        "the oldest oidc session goes"
    );
    assert_eq!(
        store.session("b").await?.map(|s| s.token),
        Some("sealed-b".into())
    );
    assert!(store.session("c").await?.is_some());
    assert!(
        store.session("g").await?.is_some(),
        "other providers keep theirs"
    );
    store.delete_session("c").await?;
    assert!(store.session("c").await?.is_none());
    scratch.remove().await?;
    Ok(())
}
