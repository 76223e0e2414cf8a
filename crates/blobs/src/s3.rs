//! Blobs as objects in an S3-compatible bucket, through `object_store`. Recorded paths are
//! `s3://{bucket}/{key}` as Open WebUI records them; uploads are staged in a local folder
//! first and sent in parts.

use crate::local::staging_dir;
use crate::{safe_name, unsafe_name};
use async_trait::async_trait;
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use hearth_domain::ports::{BlobError, ByteStream, FileBlobs};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as KeyPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;

/// Open WebUI's `S3_*` settings.
#[derive(Clone, Debug, Default)]
pub struct S3Options {
    /// Bucket.
    pub bucket: String,
    /// Endpoint of an S3-compatible server (`None`: AWS).
    pub endpoint: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Access key id (`None`: the AWS environment / instance credentials).
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
    /// Prefix of every key.
    pub key_prefix: Option<String>,
    /// `path`, `virtual` or `auto`.
    pub addressing_style: String,
}

/// Objects in one bucket.
#[derive(Debug)]
pub struct S3Blobs {
    store: AmazonS3,
    bucket: String,
    prefix: String,
    staging: PathBuf,
}

fn s3_err(err: object_store::Error) -> BlobError {
    BlobError(err.to_string())
}

fn io_err(err: std::io::Error) -> BlobError {
    BlobError(err.to_string())
}

const PART: usize = 8 * 1024 * 1024;

impl S3Blobs {
    /// Connects lazily (nothing is sent until the first request); `staging_root` holds
    /// uploads in progress.
    pub fn open(options: &S3Options, staging_root: &Path) -> Result<Self, BlobError> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&options.bucket);
        if let Some(region) = &options.region {
            builder = builder.with_region(region);
        }
        if let Some(endpoint) = &options.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&options.access_key_id, &options.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let virtual_hosted = match options.addressing_style.as_str() {
            "virtual" => true,
            "path" => false,
            _ => options.endpoint.is_none(),
        };
        builder = builder.with_virtual_hosted_style_request(virtual_hosted);
        let store = builder.build().map_err(s3_err)?;
        std::fs::create_dir_all(staging_root).map_err(io_err)?;
        let prefix = options
            .key_prefix
            .as_deref()
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        Ok(Self {
            store,
            bucket: options.bucket.clone(),
            prefix,
            staging: staging_dir(staging_root)?,
        })
    }

    /// The key a recorded path names, when it is in this bucket and under the prefix.
    fn key(&self, path: &str) -> Option<KeyPath> {
        let rest = path.strip_prefix("s3://")?.strip_prefix(&self.bucket)?;
        let key = rest.strip_prefix('/')?;
        let name = key.strip_prefix(&self.prefix)?;
        safe_name(name).then(|| KeyPath::from(key))
    }

    async fn upload(&self, key: &KeyPath, staged: &Path) -> Result<(), BlobError> {
        let upload = self.store.put_multipart(key).await.map_err(s3_err)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut file = tokio::fs::File::open(staged).await.map_err(io_err)?;
        let mut buffer = vec![0_u8; 256 * 1024];
        loop {
            let read = file.read(&mut buffer).await.map_err(io_err)?;
            let Some(piece) = buffer.get(..read).filter(|p| !p.is_empty()) else {
                break;
            };
            writer.wait_for_capacity(2).await.map_err(s3_err)?;
            writer.write(piece);
        }
        writer.finish().await.map_err(s3_err)?;
        Ok(())
    }
}

#[async_trait]
impl FileBlobs for S3Blobs {
    async fn put(&self, name: &str, staged: &Path) -> Result<String, BlobError> {
        if !safe_name(name) {
            return Err(unsafe_name(name));
        }
        let key = format!("{}{name}", self.prefix);
        self.upload(&KeyPath::from(key.as_str()), staged).await?;
        if let Err(e) = tokio::fs::remove_file(staged).await {
            tracing::debug!(error = %e, "staged upload already gone");
        }
        Ok(format!("s3://{}/{key}", self.bucket))
    }

    async fn read(&self, path: &str) -> Result<Option<Bytes>, BlobError> {
        let Some(key) = self.key(path) else {
            return Ok(None);
        };
        match self.store.get(&key).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(s3_err)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(s3_err(e)),
        }
    }

    async fn open(&self, path: &str) -> Result<Option<(u64, ByteStream)>, BlobError> {
        let Some(key) = self.key(path) else {
            return Ok(None);
        };
        match self.store.get(&key).await {
            Ok(found) => {
                let length = found.meta.size;
                let stream = found.into_stream().map_err(s3_err);
                Ok(Some((length, stream.boxed())))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(s3_err(e)),
        }
    }

    async fn delete(&self, path: &str) -> Result<(), BlobError> {
        let Some(key) = self.key(path) else {
            return Ok(());
        };
        match self.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(s3_err(e)),
        }
    }

    async fn delete_all(&self) -> Result<(), BlobError> {
        let prefix = (!self.prefix.is_empty()).then(|| KeyPath::from(self.prefix.as_str()));
        let keys: Vec<KeyPath> = self
            .store
            .list(prefix.as_ref())
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(s3_err)?;
        for key in keys {
            match self.store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(s3_err(e)),
            }
        }
        Ok(())
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}
