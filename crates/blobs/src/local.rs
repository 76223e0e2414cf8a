//! Blobs as files in one folder (`UPLOAD_DIR`). The recorded path is the file's full path,
//! as Open WebUI records it, so databases move between the two; reads accept only paths
//! inside the folder.

use crate::{safe_name, unsafe_name};
use async_trait::async_trait;
use bytes::Bytes;
use futures_util::StreamExt;
use hearth_domain::ports::{BlobError, ByteStream, FileBlobs};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::io::ReaderStream;

/// Files in a local folder.
#[derive(Debug)]
pub struct LocalBlobs {
    dir: PathBuf,
    staging: PathBuf,
}

fn io_err(err: std::io::Error) -> BlobError {
    BlobError(err.to_string())
}

impl LocalBlobs {
    /// Uses `dir` (created, with its `.staging` folder for uploads in progress; staged files
    /// a crash left there more than a day ago are removed).
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, BlobError> {
        let dir: PathBuf = dir.into();
        std::fs::create_dir_all(&dir).map_err(io_err)?;
        let dir = dir.canonicalize().map_err(io_err)?;
        let staging = staging_dir(&dir)?;
        Ok(Self { dir, staging })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a recorded path names: its last component, inside the folder (so paths
    /// recorded by another installation with another folder still resolve, and nothing
    /// outside the folder ever does).
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let name = Path::new(path).file_name()?.to_str()?;
        (!name.starts_with('.')).then(|| self.dir.join(name))
    }
}

/// How old a staged upload must be before a start removes it as left over by a crash (an
/// upload still being received by another instance sharing the folder is younger).
const STALE_STAGED: Duration = Duration::from_secs(24 * 3600);

/// The `.staging` folder inside `dir`, created, without the leftovers of crashed uploads.
pub(crate) fn staging_dir(dir: &Path) -> Result<PathBuf, BlobError> {
    let staging = dir.join(".staging");
    std::fs::create_dir_all(&staging).map_err(io_err)?;
    for entry in std::fs::read_dir(&staging).map_err(io_err)?.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_STAGED);
        if stale && let Err(e) = std::fs::remove_file(entry.path()) {
            tracing::warn!(error = %e, "removing a stale staged upload failed");
        }
    }
    Ok(staging)
}

#[async_trait]
impl FileBlobs for LocalBlobs {
    async fn put(&self, name: &str, staged: &Path) -> Result<String, BlobError> {
        if !safe_name(name) {
            return Err(unsafe_name(name));
        }
        let target = self.dir.join(name);
        if tokio::fs::rename(staged, &target).await.is_err() {
            tokio::fs::copy(staged, &target).await.map_err(io_err)?;
        }
        Ok(target.to_string_lossy().into_owned())
    }

    async fn read(&self, path: &str) -> Result<Option<Bytes>, BlobError> {
        let Some(file) = self.resolve(path) else {
            return Ok(None);
        };
        match tokio::fs::read(file).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(e)),
        }
    }

    async fn open(&self, path: &str) -> Result<Option<(u64, ByteStream)>, BlobError> {
        let Some(file) = self.resolve(path) else {
            return Ok(None);
        };
        let file = match tokio::fs::File::open(file).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(e)),
        };
        let length = file.metadata().await.map_err(io_err)?.len();
        let stream = ReaderStream::new(file).map(|piece| piece.map_err(io_err));
        Ok(Some((length, Box::pin(stream))))
    }

    async fn delete(&self, path: &str) -> Result<(), BlobError> {
        let Some(file) = self.resolve(path) else {
            return Ok(());
        };
        match tokio::fs::remove_file(file).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(e)),
        }
    }

    async fn delete_all(&self) -> Result<(), BlobError> {
        let mut entries = tokio::fs::read_dir(&self.dir).await.map_err(io_err)?;
        while let Some(entry) = entries.next_entry().await.map_err(io_err)? {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type().await.map_err(io_err)?.is_file() {
                tokio::fs::remove_file(entry.path()).await.map_err(io_err)?;
            }
        }
        Ok(())
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use futures_util::TryStreamExt;

    #[tokio::test]
    async fn stores_reads_streams_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = LocalBlobs::open(dir.path().join("uploads")).unwrap();
        let staged = blobs.staging_dir().join("x");
        std::fs::write(&staged, b"hello").unwrap();
        let path = blobs.put("abc.txt", &staged).await.unwrap();
        assert!(!staged.exists());
        assert_eq!(blobs.read(&path).await.unwrap().unwrap(), "hello");
        let (len, stream) = blobs.open(&path).await.unwrap().unwrap();
        let pieces: Vec<Bytes> = stream.try_collect().await.unwrap();
        assert_eq!((len, pieces.concat()), (5, b"hello".to_vec()));
        blobs.delete(&path).await.unwrap();
        assert!(blobs.read(&path).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn refuses_names_and_paths_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret"), b"s").unwrap();
        let blobs = LocalBlobs::open(dir.path().join("uploads")).unwrap();
        let staged = blobs.staging_dir().join("x");
        std::fs::write(&staged, b"x").unwrap();
        assert!(blobs.put("../secret", &staged).await.is_err());
        assert!(blobs.put(".hidden", &staged).await.is_err());
        let outside = dir.path().join("secret").to_string_lossy().into_owned();
        assert!(blobs.read(&outside).await.unwrap().is_none());
        assert!(blobs.read("../secret").await.unwrap().is_none());
        assert!(blobs.read("..").await.unwrap().is_none());
        blobs.delete(&outside).await.unwrap();
        assert!(dir.path().join("secret").exists());
    }
}
