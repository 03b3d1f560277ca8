//! The sweeper: removes blobs that no row refers to. A blob is written
//! before the row that refers to it; after a crash or a rolled-back request
//! the blob stays behind, and this is what cleans it up. Blobs younger than
//! the grace period are left alone: their row may be about to commit.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use sea_query::{Expr, ExprTrait, Query};

use super::{BlobError, BlobStore};
use crate::db::{Db, DbError};
use crate::module::{BlobColumn, Registry};

/// Core's own blob columns.
pub const CORE_BLOB_COLUMNS: &[BlobColumn] = &[
    BlobColumn {
        table: "core_tenants",
        column: "brand_logo",
    },
    BlobColumn {
        table: "core_tenants",
        column: "brand_favicon",
    },
];

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// Every blob key a row of core or a module refers to (the declared blob
/// columns), across tenants.
///
/// # Errors
/// A database failure.
pub async fn referenced_keys(db: &Db, registry: &Registry) -> Result<HashSet<String>, DbError> {
    let columns = CORE_BLOB_COLUMNS
        .iter()
        .chain(registry.iter().flat_map(|m| m.blob_columns().iter()));
    let mut referenced = HashSet::new();
    for c in columns {
        let q = Query::select()
            .column(c.column)
            .from(c.table)
            .and_where(Expr::col(c.column).is_not_null())
            .to_owned();
        let rows: Vec<(String,)> = db.fetch_all_across_tenants(&q).await?;
        referenced.extend(rows.into_iter().map(|r| r.0));
    }
    Ok(referenced)
}

/// Deletes every blob older than `grace` that no blob column of core or a
/// module refers to; returns how many it deleted.
///
/// # Errors
/// A database or storage failure (nothing is deleted after a failed read).
pub async fn sweep(
    db: &Db,
    blobs: &BlobStore,
    registry: &Registry,
    grace: Duration,
) -> Result<usize, SweepError> {
    let referenced = referenced_keys(db, registry).await?;
    let cutoff = SystemTime::now()
        .checked_sub(grace)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut deleted = 0;
    for (key, modified) in blobs.list().await? {
        if modified < cutoff && !referenced.contains(&key) {
            blobs.delete(&key).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}
