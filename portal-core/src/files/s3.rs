//! The S3-compatible backend (AWS S3, MinIO, Ceph, ...), via `object_store`.

use std::sync::Arc;
use std::time::SystemTime;

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use super::BlobError;
use crate::config::FilesConfig;

/// One bucket and a key prefix in it.
#[derive(Debug, Clone)]
pub struct S3Blobs {
    store: Arc<AmazonS3>,
    prefix: String,
}

fn remote(e: object_store::Error) -> BlobError {
    BlobError::Remote(e.to_string())
}

impl S3Blobs {
    /// Sets up the client (no request is made yet).
    ///
    /// # Errors
    /// Settings object_store refuses (e.g. a malformed endpoint).
    pub fn new(c: &FilesConfig) -> Result<Self, BlobError> {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&c.s3_bucket)
            .with_region(&c.s3_region);
        if !c.s3_endpoint.is_empty() {
            b = b
                .with_endpoint(&c.s3_endpoint)
                .with_allow_http(c.s3_endpoint.starts_with("http://"));
        }
        if !c.s3_access_key_id.is_empty() {
            b = b
                .with_access_key_id(&c.s3_access_key_id)
                .with_secret_access_key(c.s3_secret_access_key.expose());
        }
        let store = b.build().map_err(remote)?;
        Ok(Self {
            store: Arc::new(store),
            prefix: c.s3_prefix.trim_matches('/').to_string(),
        })
    }

    fn location(&self, key: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{}/{key}", self.prefix))
        }
    }

    pub(super) async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        self.store
            .put(&self.location(key), PutPayload::from(bytes.to_vec()))
            .await
            .map_err(remote)?;
        Ok(())
    }

    pub(super) async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match self.store.get(&self.location(key)).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(remote)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(remote(e)),
        }
    }

    pub(super) async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.store.delete(&self.location(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(remote(e)),
        }
    }

    pub(super) async fn list(&self) -> Result<Vec<(String, SystemTime)>, BlobError> {
        let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
        let mut stream = self.store.list(prefix.as_ref());
        let mut out = Vec::new();
        while let Some(meta) = stream.next().await {
            let meta = meta.map_err(remote)?;
            let full = meta.location.to_string();
            let key = if self.prefix.is_empty() {
                full
            } else {
                full.strip_prefix(&format!("{}/", self.prefix))
                    .unwrap_or(&full)
                    .to_string()
            };
            out.push((key, SystemTime::from(meta.last_modified)));
        }
        Ok(out)
    }
}
