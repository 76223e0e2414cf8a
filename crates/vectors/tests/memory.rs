//! The in-memory store of `hearth-test-support`, which use-case tests run on, behaves as the
//! real stores do.

#[tokio::test]
async fn memory_vectors_behave_as_every_store() {
    hearth_vectors::suite::run(&hearth_test_support::MemoryVectors::default(), "memory").await;
}
