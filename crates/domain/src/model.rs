//! Workspace models (`model` table): an override of a provider's model that shares its id
//! (name, params, meta, on/off), or a custom model built on a base model (`base_model_id`).
//! Who may use them is recorded as access grants (resource type `model`).

use crate::access::AccessGrant;
use crate::ids::{ModelId, UserId};
use serde_json::{Map, Value};

/// Resource type of model grants in `access_grant`.
pub const MODEL_RESOURCE: &str = "model";

/// Longest model id accepted.
pub const MAX_MODEL_ID_LEN: usize = 256;

/// One row of `model`, with its grants.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRecord {
    /// Model id (the provider's id for overrides).
    pub id: ModelId,
    /// Who created it.
    pub user_id: UserId,
    /// The model it is built on; `None` for an override of a provider model.
    pub base_model_id: Option<ModelId>,
    /// Display name.
    pub name: String,
    /// Inference parameters (`system`, `temperature`, ...), a JSON object.
    pub params: Map<String, Value>,
    /// Description, capabilities, tags, ..., a JSON object.
    pub meta: Map<String, Value>,
    /// Off hides an override's model, or the custom model, from the list.
    pub is_active: bool,
    /// Who may use it besides its creator.
    pub access_grants: Vec<AccessGrant>,
    /// Last change, epoch seconds.
    pub updated_at: i64,
    /// Creation, epoch seconds.
    pub created_at: i64,
}

impl ModelRecord {
    /// Whether `user` (not an admin) may use the model: its creator, or named by a grant.
    pub fn readable_by(&self, user: &UserId) -> bool {
        &self.user_id == user || self.access_grants.iter().any(|g| g.lets_read(user))
    }

    /// Whether `user` (not an admin) may change the model.
    pub fn writable_by(&self, user: &UserId) -> bool {
        &self.user_id == user || self.access_grants.iter().any(|g| g.lets_write(user))
    }
}

/// Whether a model id is acceptable: non-empty, no whitespace or control characters, bounded
/// length.
pub fn valid_model_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_MODEL_ID_LEN
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_have_no_whitespace_and_a_bounded_length() {
        assert!(valid_model_id("llama3:8b"));
        assert!(valid_model_id("my.prefix/model-1"));
        assert!(!valid_model_id(""));
        assert!(!valid_model_id("two words"));
        assert!(!valid_model_id("nul\0inside"));
        assert!(!valid_model_id(&"x".repeat(MAX_MODEL_ID_LEN + 1)));
    }

    #[test]
    fn creators_and_grantees_may_read() {
        let record = ModelRecord {
            id: "m".into(),
            user_id: UserId::from("owner"),
            base_model_id: None,
            name: "M".into(),
            params: Map::new(),
            meta: Map::new(),
            is_active: true,
            access_grants: vec![AccessGrant {
                id: "g".into(),
                principal_type: "user".into(),
                principal_id: "reader".into(),
                permission: "read".into(),
            }],
            updated_at: 0,
            created_at: 0,
        };
        assert!(record.readable_by(&UserId::from("owner")));
        assert!(record.writable_by(&UserId::from("owner")));
        assert!(record.readable_by(&UserId::from("reader")));
        assert!(!record.writable_by(&UserId::from("reader")));
        assert!(!record.readable_by(&UserId::from("stranger")));
    }
}
