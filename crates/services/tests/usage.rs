//! Usage admission over the in-memory store: a group's members share its limit, a user's
//! own limit stands beside it, and an exempt admin is never counted.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use hearth_domain::Role;
use hearth_services::{ServiceError, usage};
use hearth_test_support::TestApp;
use serde_json::json;

#[tokio::test]
async fn group_members_share_the_group_limit_and_admins_are_not_counted() {
    let t = TestApp::new().await;
    let ana = t.account("ana@example.com", Role::User).await;
    let bo = t.account("bo@example.com", Role::User).await;
    let admin = t.account("root@example.com", Role::Admin).await;
    t.store.add_group_member("team", ana.id.as_str());
    t.store.add_group_member("team", bo.id.as_str());
    let limits = json!({
        "enabled": true,
        "default": {"requests_per_minute": 5},
        "groups": {"team": {"requests_per_minute": 3}},
    });
    usage::set_limits(&t.app, limits).await.unwrap();

    for user in [&ana, &bo, &ana] {
        usage::admit(&t.app, user).await.unwrap();
    }
    match usage::admit(&t.app, &bo).await {
        Err(ServiceError::TooManyRequests {
            retry_after,
            detail,
        }) => {
            assert!((1..=60).contains(&retry_after));
            assert!(detail.contains("Your group"), "{detail}");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
    for _ in 0..10 {
        usage::admit(&t.app, &admin).await.unwrap();
    }
    let mine = usage::my_usage(&t.app, &admin).await.unwrap();
    assert_eq!(mine["buckets"], json!([]));
    let ana_usage = usage::my_usage(&t.app, &ana).await.unwrap();
    assert_eq!(ana_usage["buckets"][0]["requests_per_minute"]["used"], 2);
    assert_eq!(ana_usage["buckets"][1]["requests_per_minute"]["used"], 4);
}
