//! Workspace model rows and their grants, on SQLite and (with `HEARTH_TEST_DATABASE_URL`)
//! PostgreSQL.

use hearth_domain::access::AccessGrant;
use hearth_domain::model::ModelRecord;
use hearth_domain::ports::ModelStore;
use hearth_domain::{StoreError, UserId};
use hearth_persistence::SqlStore;
use hearth_persistence::scratch::ScratchDatabase;
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn record(id: &str, grants: Vec<AccessGrant>) -> ModelRecord {
    ModelRecord {
        id: id.into(),
        user_id: UserId::from("owner"),
        base_model_id: Some("base".into()),
        name: format!("Model {id} ✓"),
        params: json!({"system": "be brief", "temperature": 0.2})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        meta: json!({"description": "d", "capabilities": {"vision": true}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        is_active: true,
        access_grants: grants,
        updated_at: 10,
        created_at: 10,
    }
}

fn grant(id: &str, principal: &str, permission: &str) -> AccessGrant {
    AccessGrant {
        id: id.into(),
        principal_type: "user".into(),
        principal_id: principal.into(),
        permission: permission.into(),
    }
}

#[tokio::test]
async fn model_rows_round_trip_with_their_grants() -> TestResult {
    let scratch = ScratchDatabase::create().await?;
    let store = SqlStore::connect(&scratch.settings()).await?;
    store.migrate().await?;

    let first = record(
        "first",
        vec![grant("g1", "*", "read"), grant("g2", "editor", "write")],
    );
    store.insert(&first).await?;
    store.insert(&record("second", Vec::new())).await?;
    assert!(matches!(
        store.insert(&first).await,
        Err(StoreError::Conflict(_))
    ));

    assert_eq!(store.get(&"first".into()).await?, Some(first.clone()));
    let all = store.all().await?;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].access_grants.len(), 2);
    assert!(all[1].access_grants.is_empty());

    let mut changed = first.clone();
    changed.name = "Renamed".into();
    changed.is_active = false;
    changed.access_grants = vec![grant("g3", "reader", "read")];
    changed.updated_at = 20;
    store.update(&changed).await?;
    assert_eq!(store.get(&"first".into()).await?, Some(changed));
    assert!(matches!(
        store.update(&record("missing", Vec::new())).await,
        Err(StoreError::NotFound)
    ));

    assert!(store.delete(&"first".into()).await?);
    assert!(!store.delete(&"first".into()).await?);
    assert_eq!(store.get(&"first".into()).await?, None);
    assert_eq!(store.get(&"nul\0id".into()).await?, None);
    assert_eq!(store.all().await?.len(), 1);
    store.close().await?;
    scratch.remove().await?;
    Ok(())
}
