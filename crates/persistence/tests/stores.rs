//! Store tests. They run against SQLite by default and against PostgreSQL when
//! `HEARTH_TEST_DATABASE_URL` names a server; CI runs them both ways.

use hearth_domain::account::NewAccount;
use hearth_domain::ports::{ApiKeyStore, ConfigStore, CredentialStore, HealthCheck, UserStore};
use hearth_domain::user::{UserOrder, UserPatch, UserQuery};
use hearth_domain::{Role, StoreError, UserId};
use hearth_persistence::SqlStore;
use hearth_persistence::scratch::ScratchDatabase;
use serde_json::json;
use std::collections::HashMap;

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn fresh_store() -> Result<(SqlStore, ScratchDatabase), Box<dyn std::error::Error>> {
    let scratch = ScratchDatabase::create().await?;
    let store = SqlStore::connect(&scratch.settings()).await?;
    store.migrate().await?;
    Ok((store, scratch))
}

fn account(email: &str, now: i64) -> NewAccount {
    NewAccount {
        id: UserId::generate(),
        email: email.to_owned(),
        name: format!("Name of {email}"),
        profile_image_url: "/user.png".to_owned(),
        role: Role::Pending,
        password_hash: "$2b$04$hash".to_owned(),
        session_stamp: "stamp-1".to_owned(),
        now,
    }
}

#[tokio::test]
async fn accounts_are_created_found_and_promoted() -> TestResult {
    let (store, scratch) = fresh_store().await?;
    store.ping().await?;
    assert!(!store.any_exist().await?);

    let first = store
        .create_account(&account("ada@example.com", 100))
        .await?;
    let second = store
        .create_account(&account("bob@example.com", 100))
        .await?;
    assert_eq!(store.count().await?, 2);
    assert!(store.any_exist().await?);

    // Only the earliest account (ties broken by id) is promoted, and only once.
    let earliest = if first.id < second.id {
        &first
    } else {
        &second
    };
    let later = if first.id < second.id {
        &second
    } else {
        &first
    };
    assert!(!store.promote_if_first(&later.id).await?);
    assert!(store.promote_if_first(&earliest.id).await?);
    assert!(!store.promote_if_first(&earliest.id).await?);
    assert_eq!(
        store.get(&earliest.id).await?.map(|u| u.role),
        Some(Role::Admin)
    );
    assert_eq!(
        store.first().await?.map(|u| u.id),
        Some(earliest.id.clone())
    );

    let duplicate = store.create_account(&account("ada@example.com", 101)).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );
    assert_eq!(
        store.count().await?,
        2,
        "a failed signup leaves no half account"
    );

    let (user, credentials) = store.by_email("ADA@example.com").await?.ok_or("no ada")?;
    assert_eq!(user.id, first.id);
    assert_eq!(credentials.password_hash, "$2b$04$hash");
    assert!(credentials.active);

    let subject = store
        .session_subject(&first.id)
        .await?
        .ok_or("no subject")?;
    assert_eq!(subject.session_stamp.as_deref(), Some("stamp-1"));
    store
        .set_password(&first.id, "$2b$04$other", "stamp-2")
        .await?;
    let subject = store
        .session_subject(&first.id)
        .await?
        .ok_or("no subject")?;
    assert_eq!(subject.session_stamp.as_deref(), Some("stamp-2"));
    store.set_session_stamp(&first.id, "stamp-3").await?;
    let (_, credentials) = store.by_email("ada@example.com").await?.ok_or("no ada")?;
    assert_eq!(credentials.password_hash, "$2b$04$other");
    assert_eq!(credentials.session_stamp.as_deref(), Some("stamp-3"));
    assert!(matches!(
        store.set_session_stamp(&UserId::from("missing"), "x").await,
        Err(StoreError::NotFound)
    ));
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
async fn users_are_listed_updated_and_deleted() -> TestResult {
    let (store, scratch) = fresh_store().await?;
    let mut ids = Vec::new();
    for (i, email) in ["c@x.io", "a@x.io", "b@y.io", "under_score@x.io"]
        .iter()
        .enumerate()
    {
        ids.push(
            store
                .create_account(&account(email, 100 + i as i64))
                .await?
                .id,
        );
    }
    let page = store
        .list(&UserQuery {
            limit: Some(2),
            ..Default::default()
        })
        .await?;
    assert_eq!(page.total, 4);
    assert_eq!(page.users.len(), 2);
    assert_eq!(
        page.users[0].email, "under_score@x.io",
        "newest first by default"
    );

    let by_email = UserQuery {
        order: UserOrder::Email,
        ascending: true,
        ..Default::default()
    };
    let emails: Vec<_> = store
        .list(&by_email)
        .await?
        .users
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(emails, ["a@x.io", "b@y.io", "c@x.io", "under_score@x.io"]);

    let search = UserQuery {
        text: Some("Y.IO".into()),
        ..Default::default()
    };
    assert_eq!(store.list(&search).await?.total, 1);
    let literal = UserQuery {
        text: Some("_".into()),
        ..Default::default()
    };
    assert_eq!(
        store.list(&literal).await?.total,
        1,
        "LIKE wildcards are escaped"
    );

    let patch = UserPatch {
        name: Some("Renamed".into()),
        email: Some("new@x.io".into()),
        role: Some(Role::User),
        ..Default::default()
    };
    let updated = store.update(&ids[0], &patch, 500).await?;
    assert_eq!(
        (updated.name.as_str(), updated.email.as_str(), updated.role),
        ("Renamed", "new@x.io", Role::User)
    );
    assert!(
        store.by_email("new@x.io").await?.is_some(),
        "credentials follow the email"
    );
    let taken = UserPatch {
        email: Some("a@x.io".into()),
        ..Default::default()
    };
    assert!(matches!(
        store.update(&ids[0], &taken, 501).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.update(&UserId::from("nope"), &patch, 1).await,
        Err(StoreError::NotFound)
    ));

    let settings = json!({"ui": {"theme": "dark", "nul": "a"}, "n": 5});
    assert_eq!(
        store.set_settings(&ids[1], &settings, 600).await?.settings,
        Some(settings)
    );
    store.touch(&ids[1], 700).await?;
    assert_eq!(
        store.get(&ids[1]).await?.map(|u| u.last_active_at),
        Some(700)
    );

    store.replace(&ids[2], "sk-abc", 800).await?;
    store.delete(&ids[2]).await?;
    assert!(store.get(&ids[2]).await?.is_none());
    assert!(
        store.owner("sk-abc").await?.is_none(),
        "the key goes with its owner"
    );
    assert!(store.session_subject(&ids[2]).await?.is_none());
    assert!(matches!(
        store.delete(&ids[2]).await,
        Err(StoreError::NotFound)
    ));
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn api_keys_are_one_per_user() -> TestResult {
    let (store, scratch) = fresh_store().await?;
    let user = store.create_account(&account("k@x.io", 1)).await?;
    assert!(store.for_user(&user.id).await?.is_none());
    store.replace(&user.id, "sk-one", 2).await?;
    let key = store.replace(&user.id, "sk-two", 3).await?;
    assert_eq!(key.id, format!("key_{}", user.id));
    assert_eq!(
        store.for_user(&user.id).await?.map(|k| k.key),
        Some("sk-two".into())
    );
    assert!(store.owner("sk-one").await?.is_none());
    assert_eq!(
        store.owner("sk-two").await?.map(|u| u.id),
        Some(user.id.clone())
    );
    assert!(store.delete_for_user(&user.id).await?);
    assert!(!store.delete_for_user(&user.id).await?);
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn config_rows_seed_load_and_upsert() -> TestResult {
    let (store, scratch) = fresh_store().await?;
    let defaults: HashMap<String, serde_json::Value> = [
        ("ui.enable_signup".to_owned(), json!(true)),
        ("rag.top_k".to_owned(), json!(3)),
        ("rag.weight".to_owned(), json!(0.5)),
        ("ui.name".to_owned(), json!("x")),
        ("ui.list".to_owned(), json!([1, "a"])),
        ("ui.null".to_owned(), json!(null)),
    ]
    .into();
    assert_eq!(store.seed_missing(&defaults, 1).await?, 6);
    store
        .upsert(
            &[
                ("ui.enable_signup".into(), json!(false)),
                ("new.key".into(), json!({"a": 1})),
            ],
            2,
        )
        .await?;
    assert_eq!(
        store.seed_missing(&defaults, 3).await?,
        0,
        "stored rows win over defaults"
    );
    let loaded = store.load_all().await?;
    assert_eq!(loaded.get("ui.enable_signup"), Some(&json!(false)));
    assert_eq!(loaded.get("rag.top_k"), Some(&json!(3)));
    assert_eq!(loaded.get("rag.weight"), Some(&json!(0.5)));
    assert_eq!(loaded.get("ui.list"), Some(&json!([1, "a"])));
    assert_eq!(loaded.get("ui.null"), Some(&json!(null)));
    assert_eq!(loaded.get("new.key"), Some(&json!({"a": 1})));
    scratch.remove().await?;
    Ok(())
}

#[tokio::test]
async fn migrations_are_idempotent_and_reversible() -> TestResult {
    use hearth_migrations::{Migrator, MigratorTrait};
    let (store, scratch) = fresh_store().await?;
    store.migrate().await?;
    Migrator::down(store.connection(), None).await?;
    Migrator::up(store.connection(), None).await?;
    assert_eq!(store.count().await?, 0);
    scratch.remove().await?;
    Ok(())
}
