//! Golden test against vectors computed once with Python sentence-transformers
//! (`scripts/make_reference.py`). Needs the model folder in
//! `HEARTH_EMBED_MODEL_DIR` (see `scripts/fetch-embedding-model`); fails when it is unset.

// Test helpers fail the test by panicking, which is what they are for.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::path::PathBuf;
use std::sync::OnceLock;

use hearth_embed::LocalEmbedder;

#[derive(serde::Deserialize)]
struct Reference {
    sentences: Vec<String>,
    vectors: Vec<Vec<f32>>,
}

fn reference() -> Reference {
    let text = include_str!("reference.json");
    serde_json::from_str(text).expect("tests/reference.json parses")
}

fn embedder() -> &'static LocalEmbedder {
    static EMBEDDER: OnceLock<LocalEmbedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        let dir = std::env::var_os("HEARTH_EMBED_MODEL_DIR").expect(
            "HEARTH_EMBED_MODEL_DIR must point at the all-MiniLM-L6-v2 folder \
             (run ./fetch-model.sh DEST to create it)",
        );
        LocalEmbedder::new(PathBuf::from(dir))
    })
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn matches_sentence_transformers_reference() {
    let reference = reference();
    assert!(reference.sentences.len() >= 6);
    let texts: Vec<&str> = reference.sentences.iter().map(String::as_str).collect();
    let got = embedder().embed(&texts).unwrap();
    assert_eq!(got.len(), texts.len());
    for ((text, want), got) in texts.iter().zip(&reference.vectors).zip(&got) {
        assert_eq!(got.len(), 384);
        let norm: f32 = got.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm} for {text:?}");
        let cos = cosine(got, want);
        let short: String = text.chars().take(40).collect();
        eprintln!("cosine {cos:.6} for {short:?}");
        assert!(cos >= 0.999, "cosine {cos} < 0.999 for {short:?}");
    }
}

#[test]
fn batch_padding_does_not_change_vectors() {
    let reference = reference();
    let texts: Vec<&str> = reference.sentences.iter().map(String::as_str).collect();
    let batched = embedder().embed(&texts).unwrap();
    for (text, in_batch) in texts.iter().zip(&batched) {
        let alone = embedder().embed(&[text]).unwrap();
        let cos = cosine(&alone[0], in_batch);
        assert!(cos >= 0.99999, "cosine {cos} batched vs alone for {text:?}");
    }
}

#[test]
fn long_texts_are_truncated_to_256_word_pieces() {
    let long = "embedding models truncate long inputs quietly ".repeat(60);
    let longer = format!("{long} and whatever comes after the limit is ignored entirely");
    let got = embedder().embed(&[&long, &longer]).unwrap();
    assert!(cosine(&got[0], &got[1]) >= 0.99999);
}

#[test]
fn more_than_one_internal_batch() {
    let texts: Vec<String> = (0..70).map(|i| format!("sentence number {i}")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let got = embedder().embed(&refs).unwrap();
    assert_eq!(got.len(), 70);
    let alone = embedder().embed(&[refs[65]]).unwrap();
    assert!(cosine(&alone[0], &got[65]) >= 0.99999);
}
