//! Chat folders (table `folder`): a tree per user, linked by `parent_id`.

use crate::ids::{FolderId, UserId};
use serde_json::Value;

/// One folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Folder {
    /// Id (UUID v4).
    pub id: FolderId,
    /// Parent folder, `None` at the root.
    pub parent_id: Option<FolderId>,
    /// Owner.
    pub user_id: UserId,
    /// Name, unique among siblings.
    pub name: String,
    /// Legacy item list.
    pub items: Option<Value>,
    /// `{icon?: ...}`.
    pub meta: Option<Value>,
    /// `{system_prompt?, files?, ...}`.
    pub data: Option<Value>,
    /// Open in the sidebar.
    pub is_expanded: bool,
    /// Creation (epoch seconds).
    pub created_at: i64,
    /// Last change (epoch seconds).
    pub updated_at: i64,
}

/// `root` and every folder below it, given all of a user's folders.
pub fn subtree_ids(folders: &[Folder], root: &FolderId) -> Vec<FolderId> {
    let mut ids = vec![root.clone()];
    let mut index = 0;
    while index < ids.len() {
        let parent = ids[index].clone();
        for folder in folders {
            if folder.parent_id.as_ref() == Some(&parent) && !ids.contains(&folder.id) {
                ids.push(folder.id.clone());
            }
        }
        index += 1;
    }
    ids
}

/// Whether making `parent` the parent of `folder` would create a cycle.
pub fn would_cycle(folders: &[Folder], folder: &FolderId, parent: &FolderId) -> bool {
    subtree_ids(folders, folder).iter().any(|id| id == parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: &str, parent: Option<&str>) -> Folder {
        Folder {
            id: id.into(),
            parent_id: parent.map(Into::into),
            user_id: UserId::from("u"),
            name: id.into(),
            items: None,
            meta: None,
            data: None,
            is_expanded: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn subtrees_and_cycles() {
        let folders = [
            folder("a", None),
            folder("b", Some("a")),
            folder("c", Some("b")),
            folder("d", None),
        ];
        let id = |s: &str| FolderId::from(s);
        assert_eq!(
            subtree_ids(&folders, &id("a")),
            vec![id("a"), id("b"), id("c")]
        );
        assert!(would_cycle(&folders, &id("a"), &id("c")));
        assert!(!would_cycle(&folders, &id("c"), &id("d")));
    }
}
