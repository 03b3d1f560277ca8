//! The blob store: every uploaded file goes through here, never straight to
//! a path. Rows hold a generated key; the user's file name is never a path.
//!
//! Only the local folder backend exists so far (the embedded default). The
//! S3-compatible backend that DESIGN.md plans for several machines is not
//! built yet; callers only see [`BlobStore`], so adding it changes no caller.

mod sweep;

pub use sweep::{CORE_BLOB_COLUMNS, SweepError, sweep};

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use futures_util::StreamExt;

/// Where blobs live.
#[derive(Debug, Clone)]
pub enum BlobStore {
    /// A folder outside anything served.
    Local { root: PathBuf },
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
}

impl BlobStore {
    pub fn local(root: impl Into<PathBuf>) -> Self {
        BlobStore::Local { root: root.into() }
    }

    /// A fresh key under the tenant's folder: `<tenant>/<purpose>-<uuid>.<ext>`.
    pub fn new_key(tenant_id: i64, purpose: &str, ext: &str) -> String {
        format!(
            "{tenant_id}/{purpose}-{}.{ext}",
            uuid::Uuid::new_v4().simple()
        )
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        let ok = !key.is_empty()
            && key.len() <= 200
            && !key.starts_with('/')
            && !key.contains("..")
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
        if !ok {
            return Err(BlobError::BadKey);
        }
        match self {
            BlobStore::Local { root } => Ok(root.join(key)),
        }
    }

    /// Writes a blob (atomically: a temporary file, then a rename).
    ///
    /// # Errors
    /// A bad key or an I/O failure.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        let path = self.path(key)?;
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
        match tokio::fs::read(self.path(key)?).await {
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
        match tokio::fs::remove_file(self.path(key)?).await {
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
        let BlobStore::Local { root } = self;
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

    pub fn root(&self) -> &Path {
        match self {
            BlobStore::Local { root } => root,
        }
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
