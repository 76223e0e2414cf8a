//! Workspace model rows.

use crate::StoreResult;
use crate::ids::ModelId;
use crate::model::ModelRecord;
use async_trait::async_trait;

/// Workspace models and their access grants.
#[async_trait]
pub trait ModelStore: Send + Sync {
    /// Every model row with its grants.
    async fn all(&self) -> StoreResult<Vec<ModelRecord>>;
    /// One model row.
    async fn get(&self, id: &ModelId) -> StoreResult<Option<ModelRecord>>;
    /// Inserts a row with its grants; `Conflict` if the id exists.
    async fn insert(&self, model: &ModelRecord) -> StoreResult<()>;
    /// Replaces a row's fields and grants; `NotFound` if it is gone.
    async fn update(&self, model: &ModelRecord) -> StoreResult<()>;
    /// Deletes a row and its grants; false if there was none.
    async fn delete(&self, id: &ModelId) -> StoreResult<bool>;
}
