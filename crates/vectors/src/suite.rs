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

/// Collection and chunk names of one run.
struct Names {
    a: String,
    b: String,
    x: String,
    y: String,
    z: String,
}

/// Runs the suite on an empty store; collection names start with `prefix` so stores shared
/// between tests keep apart.
pub async fn run(store: &dyn VectorStore, prefix: &str) {
    let n = Names {
        a: format!("{prefix}-a"),
        b: format!("{prefix}-b"),
        x: format!("{prefix}-x"),
        y: format!("{prefix}-y"),
        z: format!("{prefix}-z"),
    };
    store
        .insert(
            &n.a,
            vec![
                item(
                    &n.x,
                    "f1",
                    "penguins live in antarctica",
                    vec![1.0, 0.0, 0.0],
                ),
                item(&n.y, "f2", "the cat sat on the mat", vec![0.7, 0.7, 0.0]),
            ],
        )
        .await
        .unwrap();
    store
        .insert(
            &n.b,
            vec![item(&n.z, "f3", "a cat and a penguin", vec![1.0, 0.1, 0.0])],
        )
        .await
        .unwrap();
    vector_search(store, &n).await;
    keyword_search(store, &n).await;
    deletes(store, &n).await;
}

async fn vector_search(store: &dyn VectorStore, n: &Names) {
    let only_a = [n.a.clone()];
    let hits = store.search(&only_a, &[1.0, 0.0, 0.0], 5).await.unwrap();
    assert_eq!(ids(&hits), [n.x.as_str(), n.y.as_str()]);
    assert_eq!(hits[0].text, "penguins live in antarctica");
    assert_eq!(hits[0].collection, n.a);
    assert_eq!(hits[0].metadata["file_id"], "f1");
    assert_eq!(hits[0].metadata["name"], "f1.txt");
    assert!((hits[0].score - 1.0).abs() < 1e-4, "{}", hits[0].score);
    assert!((hits[1].score - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-3);
    let both = store
        .search(&[n.a.clone(), n.b.clone()], &[1.0, 0.1, 0.0], 1)
        .await
        .unwrap();
    assert_eq!(ids(&both), [n.z.as_str()]);
    assert!(
        store
            .search(&[], &[1.0, 0.0, 0.0], 3)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .search(&only_a, &[1.0, 0.0, 0.0], 0)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn keyword_search(store: &dyn VectorStore, n: &Names) {
    let (only_a, both) = ([n.a.clone()], [n.a.clone(), n.b.clone()]);
    let words = store
        .keyword_search(&both, "Cat!", &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    let mut found = ids(&words);
    found.sort_unstable();
    let mut want = vec![n.y.as_str(), n.z.as_str()];
    want.sort_unstable();
    assert_eq!(found, want, "chunks containing the word, and only those");
    let penguins = store
        .keyword_search(&only_a, "antarctica", &[0.0, 1.0, 0.0], 5)
        .await
        .unwrap();
    assert_eq!(ids(&penguins), [n.x.as_str()]);
    assert!(
        penguins[0].score.abs() < 1e-4,
        "scored by cosine to the vector given"
    );
    let limited = store
        .keyword_search(&both, "cat", &[1.0, 0.0, 0.0], 1)
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    let nothing = store
        .keyword_search(&only_a, "  ?! ", &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    assert!(nothing.is_empty());
}

async fn deletes(store: &dyn VectorStore, n: &Names) {
    let only_a = [n.a.clone()];
    assert!(store.has_collection(&n.b).await.unwrap());
    store.delete_file(&n.a, "f2").await.unwrap();
    let left = store.search(&only_a, &[1.0, 0.0, 0.0], 5).await.unwrap();
    assert_eq!(ids(&left), [n.x.as_str()]);
    let gone = store
        .keyword_search(&only_a, "cat", &[1.0, 0.0, 0.0], 5)
        .await
        .unwrap();
    assert!(gone.is_empty(), "a deleted chunk leaves the keyword index");
    store.delete_collection(&n.b).await.unwrap();
    assert!(!store.has_collection(&n.b).await.unwrap());
    assert!(store.has_collection(&n.a).await.unwrap());
    store.reset().await.unwrap();
    assert!(!store.has_collection(&n.a).await.unwrap());
}
