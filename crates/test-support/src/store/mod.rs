//! [`MemoryStore`]: every storage port over plain collections behind one lock. It follows
//! the SQL store's rules where use cases depend on them (emails unique case-insensitively,
//! the first account promoted, message rows kept with documents, grants per resource), and
//! keeps the rest simple (lists sorted by last change, substring search).

mod accounts;
mod chats;
mod files;
mod knowledge;
mod sharing;
mod upkeep;

use hearth_domain::User;
use hearth_domain::access::AccessGrant;
use hearth_domain::account::Credentials;
use hearth_domain::api_key::ApiKey;
use hearth_domain::chat::share::SharedChat;
use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, MessageRecord};
use hearth_domain::file::StoredFile;
use hearth_domain::folder::Folder;
use hearth_domain::model::ModelRecord;
use hearth_domain::oauth::OAuthSession;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

/// Everything stored.
#[derive(Default)]
pub(crate) struct State {
    pub users: BTreeMap<String, User>,
    pub credentials: BTreeMap<String, Credentials>,
    pub api_keys: BTreeMap<String, ApiKey>,
    pub config: HashMap<String, Value>,
    pub chats: BTreeMap<String, Chat>,
    pub messages: BTreeMap<(String, String), MessageRecord>,
    pub tags: BTreeMap<(String, String), Tag>,
    pub folders: BTreeMap<String, Folder>,
    pub shared: BTreeMap<String, SharedChat>,
    pub chat_grants: BTreeMap<String, Vec<AccessGrant>>,
    pub models: BTreeMap<String, ModelRecord>,
    pub oauth_sessions: BTreeMap<String, OAuthSession>,
    pub files: BTreeMap<String, StoredFile>,
    pub chat_files: Vec<files::ChatFileLink>,
    pub knowledge: BTreeMap<String, hearth_domain::knowledge::Knowledge>,
    pub knowledge_files: Vec<(String, String)>,
    /// Knowledge bases' folders.
    pub knowledge_dirs: Vec<hearth_domain::knowledge::Directory>,
    /// The folder of a linked file, by (knowledge base, file).
    pub file_dirs: HashMap<(String, String), String>,
    /// Group memberships as (group, user).
    pub group_members: Vec<(String, String)>,
}

/// Storage in memory, for tests of use cases.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes `user` a member of `group`.
    pub fn add_group_member(&self, group: &str, user: &str) {
        self.state()
            .group_members
            .push((group.to_owned(), user.to_owned()));
    }

    /// The `chat_message` rows of a chat, as the SQL store would hold them.
    pub fn message_rows(&self, chat: &str) -> Vec<MessageRecord> {
        self.state()
            .messages
            .iter()
            .filter(|((c, _), _)| c == chat)
            .map(|(_, m)| m.clone())
            .collect()
    }

    /// How many chats are stored.
    pub fn chat_count(&self) -> usize {
        self.state().chats.len()
    }
}
