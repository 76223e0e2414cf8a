//! The behaviour every [`VectorStore`] shares, as one suite each store's tests run (feature
//! `suite`; the in-memory double of `hearth-test-support` runs it too).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test suite")]

use hearth_domain::ports::{ChunkItem, VectorStore};
use serde_json::Map;

fn item(id: &str, file: &str, text: &str, vector: Vec<f32>) -> ChunkItem {
    let mut metadata = Map::new();
    metadata.insert("file_id".into(), file.into());
    metadata.insert("name".into(), format!("{file}.txt").into());
    ChunkItem {
        id: id.into(),
        text: text.into(),
        vector,
        metadata,
    }
}

fn ids(hits: &[hearth_domain::ports::ChunkHit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

/// Runs the suite on an empty store; collection names start with `prefix` so stores shared
/// between tests keep apart.
pub async fn run(store: &dyn VectorStore, prefix: &str) {
    let a = format!("{prefix}-a");
    let b = format!("{prefix}-b");
    let (x, y, z) = (
        format!("{prefix}-x"),
        format!("{prefix}-y"),
        format!("{prefix}-z"),
    );
    store
        .insert(
            &a,
            vec![
                item(&x, "f1", "penguins live in antarctica", vec![1.0, 0.0, 0.0]),
                item(&y, "f2", "the cat sat on the mat", vec![0.7, 0.7, 0.0]),
            ],
        )
        .await
        .unwrap();
    store
        .insert(
            &b,
            vec![item(&z, "f3", "a cat and a penguin", vec![1.0, 0.1, 0.0])],
        )
        .await
        .unwrap();

    let hits = store
        .search(&[a.clone()], &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    assert_eq!(ids(&hits), [x.as_str(), y.as_str()]);
    assert_eq!(hits[0].text, "penguins live in antarctica");
    assert_eq!(hits[0].collection, a);
    assert_eq!(hits[0].metadata["file_id"], "f1");
    assert_eq!(hits[0].metadata["name"], "f1.txt");
    assert!((hits[0].score - 1.0).abs() < 1e-4, "{}", hits[0].score);
    assert!((hits[1].score - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-3);

    let both = store
        .search(&[a.clone(), b.clone()], &[1.0, 0.1, 0.0], 1)
        .await
        .unwrap();
    assert_eq!(ids(&both), [z.as_str()]);
    assert!(
        store
            .search(&[], &[1.0, 0.0, 0.0], 3)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .search(&[a.clone()], &[1.0, 0.0, 0.0], 0)
            .await
            .unwrap()
            .is_empty()
    );

    let words = store
        .keyword_search(&[a.clone(), b.clone()], "Cat!", &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    let mut found = ids(&words);
    found.sort_unstable();
    let mut want = vec![y.as_str(), z.as_str()];
    want.sort_unstable();
    assert_eq!(found, want, "chunks containing the word, and only those");
    let penguins = store
        .keyword_search(&[a.clone()], "antarctica", &[0.0, 1.0, 0.0], 5)
        .await
        .unwrap();
    assert_eq!(ids(&penguins), [x.as_str()]);
    assert!(
        penguins[0].score.abs() < 1e-4,
        "scored by cosine to the vector given"
    );
    let limited = store
        .keyword_search(&[a.clone(), b.clone()], "cat", &[1.0, 0.0, 0.0], 1)
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    assert!(
        store
            .keyword_search(&[a.clone()], "  ?! ", &[1.0, 0.0, 0.0], 5)
            .await
            .unwrap()
            .is_empty()
    );

    assert!(store.has_collection(&b).await.unwrap());
    store.delete_file(&a, "f2").await.unwrap();
    let left = store
        .search(&[a.clone()], &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    assert_eq!(ids(&left), [x.as_str()]);
    let gone = store
        .keyword_search(&[a.clone()], "cat", &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    assert!(gone.is_empty(), "a deleted chunk leaves the keyword index");
    store.delete_collection(&b).await.unwrap();
    assert!(!store.has_collection(&b).await.unwrap());
    assert!(store.has_collection(&a).await.unwrap());
    store.reset().await.unwrap();
    assert!(!store.has_collection(&a).await.unwrap());
}
