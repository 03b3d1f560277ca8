//! The blob store: every uploaded file goes through here, never straight to
//! a path. Rows hold a generated key; the user's file name is never a path.
//!
//! Backends: a local folder outside anything served (the embedded default),
//! or S3-compatible object storage (`files.backend = "s3"`, cargo feature
//! `s3`) so that several portal processes on several machines share files.

pub mod names;
#[cfg(feature = "s3")]
mod s3;
pub mod sniff;
mod sweep;
pub mod upload;

pub use sweep::{CORE_BLOB_COLUMNS, SweepError, referenced_keys, sweep};

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use futures_util::StreamExt;

/// Where blobs live.
#[derive(Debug, Clone)]
pub enum BlobStore {
    /// A folder outside anything served.
    Local { root: PathBuf },
    /// A bucket (and key prefix) of an S3-compatible store.
    #[cfg(feature = "s3")]
    S3(s3::S3Blobs),
}

/// Why a blob could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("invalid blob key")]
    BadKey,
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("blob storage failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("blob storage failed: {0}")]
    Remote(String),
}

/// In a handler: a file over its limit is the sender's 413, anything
/// else a 500 whose detail is only logged.
impl poem::error::ResponseError for BlobError {
    fn status(&self) -> poem::http::StatusCode {
        match self {
            BlobError::TooLarge { .. } => poem::http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl BlobStore {
    pub fn local(root: impl Into<PathBuf>) -> Self {
        BlobStore::Local { root: root.into() }
    }

    /// The store the configuration names.
    ///
    /// # Errors
    /// An S3 store that cannot be set up from the given settings.
    pub fn from_config(config: &crate::config::Config) -> Result<Self, BlobError> {
        match config.files.backend.as_str() {
            #[cfg(feature = "s3")]
            "s3" => Ok(BlobStore::S3(s3::S3Blobs::new(&config.files)?)),
            _ => Ok(Self::local(config.data_dir.join("files"))),
        }
    }

    /// A fresh key under the tenant's folder: `<tenant>/<purpose>-<uuid>.<ext>`.
    pub fn new_key(tenant_id: i64, purpose: &str, ext: &str) -> String {
        format!(
            "{tenant_id}/{purpose}-{}.{ext}",
            uuid::Uuid::new_v4().simple()
        )
    }

    /// True for a key the store could have made (never one that leaves it).
    pub fn valid_key(key: &str) -> bool {
        Self::check_key(key).is_ok()
    }

    /// Refuses keys that could leave the store or its tenant folder.
    fn check_key(key: &str) -> Result<(), BlobError> {
        let ok = !key.is_empty()
            && key.len() <= 200
            && !key.starts_with('/')
            && !key.contains("..")
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
        if ok { Ok(()) } else { Err(BlobError::BadKey) }
    }

    fn path(root: &Path, key: &str) -> Result<PathBuf, BlobError> {
        Self::check_key(key)?;
        Ok(root.join(key))
    }

    /// Writes a blob (atomically: a temporary file, then a rename).
    ///
    /// # Errors
    /// A bad key or an I/O failure.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        let root = match self {
            BlobStore::Local { root } => root,
            #[cfg(feature = "s3")]
            BlobStore::S3(s3) => {
                Self::check_key(key)?;
                return s3.put(key, bytes).await;
            }
        };
        let path = Self::path(root, key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(())
    }

    /// Reads a blob; `None` when there is none under the key.
    ///
    /// # Errors
    /// A bad key or an I/O failure other than "not found".
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        let root = match self {
            BlobStore::Local { root } => root,
            #[cfg(feature = "s3")]
            BlobStore::S3(s3) => {
                Self::check_key(key)?;
                return s3.get(key).await;
            }
        };
        match tokio::fs::read(Self::path(root, key)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes a blob; removing a missing one is not an error.
    ///
    /// # Errors
    /// A bad key or an I/O failure.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let root = match self {
            BlobStore::Local { root } => root,
            #[cfg(feature = "s3")]
            BlobStore::S3(s3) => {
                Self::check_key(key)?;
                return s3.delete(key).await;
            }
        };
        match tokio::fs::remove_file(Self::path(root, key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Every blob key with its last modification time (left-over temporary
    /// files included, so the sweeper removes those too).
    ///
    /// # Errors
    /// An I/O failure.
    pub async fn list(&self) -> Result<Vec<(String, SystemTime)>, BlobError> {
        let root = match self {
            BlobStore::Local { root } => root,
            #[cfg(feature = "s3")]
            BlobStore::S3(s3) => return s3.list().await,
        };
        let mut out = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            let mut entries = match tokio::fs::read_dir(&dir).await {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            while let Some(entry) = entries.next_entry().await? {
                let meta = entry.metadata().await?;
                if meta.is_dir() {
                    dirs.push(entry.path());
                } else if let Ok(rel) = entry.path().strip_prefix(root) {
                    out.push((rel.to_string_lossy().replace('\\', "/"), meta.modified()?));
                }
            }
        }
        Ok(out)
    }
}

/// Reads a request body, refusing it as soon as it passes `limit` bytes,
/// whether or not it announced a Content-Length.
///
/// # Errors
/// [`BlobError::TooLarge`] past the limit; an I/O error from the client.
pub async fn read_limited(body: poem::Body, limit: usize) -> Result<Vec<u8>, BlobError> {
    let mut stream = std::pin::pin!(body.into_bytes_stream());
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if out.len() + chunk.len() > limit {
            return Err(BlobError::TooLarge { limit });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
