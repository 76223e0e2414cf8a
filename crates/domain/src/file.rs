//! Uploaded files (table `file`): the record of an upload, its processing state and the text
//! extracted from it. The bytes live in a [`FileBlobs`](crate::ports::FileBlobs) store under a
//! generated name; a client's file name is only ever data.

use crate::ids::{FileId, UserId};
use serde_json::{Map, Value};

/// One uploaded file.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFile {
    /// Id (UUID v4).
    pub id: FileId,
    /// Owner.
    pub user_id: UserId,
    /// SHA-256 of the extracted text, once processed.
    pub hash: Option<String>,
    /// The name the client gave (display only).
    pub filename: String,
    /// Where the bytes are in the blob store (`None`: the original is gone).
    pub path: Option<String>,
    /// `{status?, error?, content?}`.
    pub data: Map<String, Value>,
    /// `{name, content_type, size, file_hash?, data: <client metadata>, collection_name?}`.
    pub meta: Map<String, Value>,
    /// Upload (epoch seconds).
    pub created_at: i64,
    /// Last change (epoch seconds).
    pub updated_at: i64,
}

/// Where a file's text extraction stands (`data.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Waiting for a free extraction slot.
    Pending,
    /// Being extracted.
    Processing,
    /// Done: `data.content` holds the text.
    Completed,
    /// Ended with `data.error`.
    Failed,
}

impl FileStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "processing" => Some(Self::Processing),
            "completed" => Some(Self::Completed),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

impl StoredFile {
    /// The processing state, when the file was uploaded for processing.
    pub fn status(&self) -> Option<FileStatus> {
        self.data
            .get("status")
            .and_then(Value::as_str)
            .and_then(FileStatus::parse)
    }

    /// The extracted text.
    pub fn content(&self) -> Option<&str> {
        self.data.get("content").and_then(Value::as_str)
    }

    /// The display name (`meta.name`, else the file name).
    pub fn name(&self) -> &str {
        self.meta
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&self.filename)
    }

    /// The content type the client declared.
    pub fn content_type(&self) -> Option<&str> {
        self.meta.get("content_type").and_then(Value::as_str)
    }
}

/// The blob name a file is stored under: its id and, when the client's name has a short
/// alphanumeric extension, that extension lower-cased. Nothing else of the client's name
/// reaches a path or an object key.
pub fn blob_name(id: &FileId, filename: &str) -> String {
    match extension(filename) {
        Some(ext) => format!("{}.{ext}", id.as_str()),
        None => id.as_str().to_owned(),
    }
}

/// The lower-cased extension of a file name when it is 1–16 ASCII letters or digits.
pub fn extension(filename: &str) -> Option<String> {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let (stem, ext) = base.rsplit_once('.')?;
    let plain = !stem.is_empty()
        && (1..=16).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    plain.then(|| ext.to_ascii_lowercase())
}

/// The last component of a client's file name, without NUL or control characters, at most
/// 255 characters (what is stored as the display name).
pub fn clean_filename(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_names_never_shape_blob_names() {
        let id = FileId::from("f");
        assert_eq!(blob_name(&id, "Report.PDF"), "f.pdf");
        assert_eq!(blob_name(&id, "../../etc/passwd"), "f");
        assert_eq!(blob_name(&id, "a.tar.gz"), "f.gz");
        assert_eq!(blob_name(&id, "x.p/df"), "f");
        assert_eq!(blob_name(&id, ".bashrc"), "f");
        assert_eq!(blob_name(&id, "evil.\u{0}sh"), "f");
        assert_eq!(clean_filename("../../x\u{0}y.txt"), "xy.txt");
        assert_eq!(clean_filename(".."), "file");
        assert_eq!(clean_filename(&"a".repeat(300)).len(), 255);
    }

    #[test]
    fn status_round_trips() {
        for s in ["pending", "processing", "completed", "failed"] {
            assert_eq!(FileStatus::parse(s).map(FileStatus::as_str), Some(s));
        }
        assert!(FileStatus::Failed.is_final() && !FileStatus::Processing.is_final());
    }
}
