//! Knowledge bases (table `knowledge`, files linked through `knowledge_file`): a named set of
//! files whose chunks share one vector collection, the knowledge base's id. Shared by access
//! grants (resource type `knowledge`).

use crate::access::AccessGrant;
use crate::ids::{KnowledgeId, UserId};
use serde_json::Value;

/// The resource type of knowledge bases' access grants.
pub const KNOWLEDGE_RESOURCE: &str = "knowledge";

/// One knowledge base.
#[derive(Clone, Debug, PartialEq)]
pub struct Knowledge {
    /// Id (UUID v4).
    pub id: KnowledgeId,
    /// Owner.
    pub user_id: UserId,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Free-form metadata.
    pub meta: Option<Value>,
    /// Who else may read or change it.
    pub access_grants: Vec<AccessGrant>,
    /// Creation (epoch seconds).
    pub created_at: i64,
    /// Last change (epoch seconds).
    pub updated_at: i64,
}

impl Knowledge {
    /// Whether `user` may read it (the owner, or a grant; admins are decided by the caller).
    pub fn readable_by(&self, user: &UserId) -> bool {
        &self.user_id == user || self.access_grants.iter().any(|g| g.lets_read(user))
    }

    /// Whether `user` may change it.
    pub fn writable_by(&self, user: &UserId) -> bool {
        &self.user_id == user || self.access_grants.iter().any(|g| g.lets_write(user))
    }
}

/// A folder inside a knowledge base (`knowledge_directory`); files sit in one or at the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directory {
    /// Id (UUID v4).
    pub id: String,
    /// The knowledge base.
    pub knowledge_id: KnowledgeId,
    /// The folder it is in (`None`: the root).
    pub parent_id: Option<String>,
    /// Name, unique among its siblings.
    pub name: String,
    /// Who made it.
    pub user_id: UserId,
    /// Creation (epoch seconds).
    pub created_at: i64,
    /// Last change (epoch seconds).
    pub updated_at: i64,
}
