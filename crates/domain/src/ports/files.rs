//! Uploaded files: their records ([`FileStore`]), their bytes ([`FileBlobs`]: a local folder
//! or S3-compatible object storage) and the text in them ([`TextExtractor`]).

use crate::error::StoreResult;
use crate::file::StoredFile;
use crate::ids::{ChatId, FileId, MessageId, UserId};
use async_trait::async_trait;
use bytes::Bytes;
use futures_core::Stream;
use serde_json::{Map, Value};
use std::path::Path;
use std::pin::Pin;

/// File records (table `file`) and their links to chats (`chat_file`).
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Inserts a record.
    async fn insert_file(&self, file: &StoredFile) -> StoreResult<()>;
    /// One record.
    async fn file(&self, id: &FileId) -> StoreResult<Option<StoredFile>>;
    /// Records, newest first (`owner` `None`: everyone's).
    async fn files(
        &self,
        owner: Option<&UserId>,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>>;
    /// How many records (`owner` `None`: everyone's).
    async fn count_files(&self, owner: Option<&UserId>) -> StoreResult<u64>;
    /// Records whose file name matches a glob (`*`, `?`), case-insensitively, newest first.
    async fn search_files(
        &self,
        owner: Option<&UserId>,
        glob: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<StoredFile>>;
    /// Merges `data` into the record's `data` (and sets `hash` when given); false when the
    /// record is gone.
    async fn update_file_data(
        &self,
        id: &FileId,
        data: Map<String, Value>,
        hash: Option<String>,
        now: i64,
    ) -> StoreResult<bool>;
    /// Merges `meta` into the record's `meta`; false when the record is gone.
    async fn update_file_meta(&self, id: &FileId, meta: Map<String, Value>) -> StoreResult<bool>;
    /// Renames (file name and `meta.name`); false when the record is gone.
    async fn rename_file(&self, id: &FileId, filename: &str, now: i64) -> StoreResult<bool>;
    /// Deletes a record and its chat links; false when it was not there.
    async fn delete_file(&self, id: &FileId) -> StoreResult<bool>;
    /// Deletes every record and chat link; returns how many records.
    async fn delete_all_files(&self) -> StoreResult<u64>;
    /// Records whose processing has not ended (`pending` or `processing`).
    async fn unfinished_files(&self) -> StoreResult<Vec<StoredFile>>;
    /// Takes over an unfinished job: sets `processing` and `updated_at = now` only when the
    /// record still has `updated_at = seen` (so one instance wins); true when taken.
    async fn claim_file(&self, id: &FileId, seen: i64, now: i64) -> StoreResult<bool>;
    /// Links files to a chat message (`chat_file`), skipping links that exist.
    async fn link_chat_files(
        &self,
        user_id: &UserId,
        chat_id: &ChatId,
        message_id: Option<&MessageId>,
        files: &[FileId],
        now: i64,
    ) -> StoreResult<()>;
    /// The chats that link a file and are shared.
    async fn shared_chats_with_file(&self, id: &FileId) -> StoreResult<Vec<ChatId>>;
}

/// A blob store failure; the message is for logs.
#[derive(Debug, thiserror::Error)]
#[error("file storage error: {0}")]
pub struct BlobError(pub String);

/// The bytes of a stored file, in pieces.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BlobError>> + Send>>;

/// Where files' bytes are kept, by blob name.
#[async_trait]
pub trait FileBlobs: Send + Sync {
    /// Stores the staged local file `staged` under `name` (moving or copying it); returns
    /// the path to record.
    async fn put(&self, name: &str, staged: &Path) -> Result<String, BlobError>;
    /// All the bytes of a stored file; `None` when it is missing.
    async fn read(&self, path: &str) -> Result<Option<Bytes>, BlobError>;
    /// The bytes in pieces and their length; `None` when it is missing.
    async fn open(&self, path: &str) -> Result<Option<(u64, ByteStream)>, BlobError>;
    /// Removes a stored file (missing is fine).
    async fn delete(&self, path: &str) -> Result<(), BlobError>;
    /// Removes every stored file.
    async fn delete_all(&self) -> Result<(), BlobError>;
    /// A folder for staging uploads, on the same file system as local storage when there is
    /// one (so `put` is a rename).
    fn staging_dir(&self) -> &Path;
}

/// Text from a file: one entry per page (PDF page, slide, sheet) or one for the whole text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extracted {
    /// The pages' text.
    pub pages: Vec<String>,
}

impl Extracted {
    /// The whole text: pages joined by a space.
    pub fn text(&self) -> String {
        self.pages.join(" ")
    }
}

/// What kind of content a file holds, for processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// Text can be extracted.
    Document,
    /// A picture: stored and served, not extracted.
    Image,
    /// A video: stored and served, processing skipped.
    Video,
    /// Audio: needs speech-to-text, which Hearth does not have.
    Audio,
}

/// Extracts text; the error text is what the file's processing error shows.
#[async_trait]
pub trait TextExtractor: Send + Sync {
    /// The kind of content, from the name, the declared type and the first bytes.
    fn kind(&self, filename: &str, content_type: Option<&str>, head: &[u8]) -> ContentKind;
    /// The text of a document.
    async fn extract(
        &self,
        bytes: Bytes,
        filename: &str,
        content_type: Option<&str>,
    ) -> Result<Extracted, String>;
}
