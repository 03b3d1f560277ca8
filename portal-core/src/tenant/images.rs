//! Storing a tenant's logo or favicon, for the back-office API and the
//! staff pages alike: the bytes are checked by their content (PNG, JPEG,
//! ICO, SVG without scripts), written to the blob store under a generated
//! key, then the tenant points at it; the image it replaced is deleted.

use super::TenantScope;
use super::repo::{self, BrandImage};
use super::upload_check::{ImageKind, check_image};
use crate::db::{Db, DbError};
use crate::files::{BlobError, BlobStore};

/// Why an image was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Not an image the portal takes; the message says what it takes.
    #[error("{0}")]
    NotAnImage(String),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Stores `bytes` as the tenant's logo or favicon.
///
/// # Errors
/// [`ImageError::NotAnImage`] for a file to correct; else a storage failure
/// (then nothing changed).
pub async fn store(
    db: &Db,
    blobs: &BlobStore,
    scope: TenantScope,
    which: BrandImage,
    bytes: &[u8],
) -> Result<(), ImageError> {
    let kind = check_image(bytes).map_err(ImageError::NotAnImage)?;
    let ext = match kind {
        ImageKind::Png => "png",
        ImageKind::Jpeg => "jpg",
        ImageKind::Ico => "ico",
        ImageKind::Svg => "svg",
    };
    let purpose = if which == BrandImage::Logo {
        "logo"
    } else {
        "favicon"
    };
    let key = BlobStore::new_key(scope.tenant_id(), purpose, ext);
    // Blob first, then the row: a crash in between leaves an unreferenced
    // blob for the sweeper, never a row without its file.
    blobs.put(&key, bytes).await?;
    match repo::set_image(db, scope, which, Some(&key)).await {
        Ok(old) => {
            if let Some(old) = old {
                let _ = blobs.delete(&old).await;
            }
            Ok(())
        }
        Err(e) => {
            let _ = blobs.delete(&key).await;
            Err(e.into())
        }
    }
}

/// Removes the tenant's logo or favicon (the default shows again).
///
/// # Errors
/// A database failure.
pub async fn remove(
    db: &Db,
    blobs: &BlobStore,
    scope: TenantScope,
    which: BrandImage,
) -> Result<(), DbError> {
    if let Some(old) = repo::set_image(db, scope, which, None).await? {
        let _ = blobs.delete(&old).await;
    }
    Ok(())
}
