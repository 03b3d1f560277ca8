//! Files from the back-office: documents and certificates (for a location
//! or for the whole customer) and a visit's own PDF report. Each is typed
//! by its content against core's allow-list (`files::sniff`: no markup,
//! the name's extension must fit the content), written to the blob store
//! under a generated key first and then referenced by its row in one
//! transaction; a replaced file's old blob is removed (or swept later).

use chrono::{NaiveDate, Utc};
use portal_core::db::{Db, DbError};
use portal_core::files::{BlobError, BlobStore, names, sniff};
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::tenant::TenantScope;

use crate::store::DOCUMENT_CATEGORIES;

/// The largest document the back-office may upload.
pub const MAX_DOCUMENT_BYTES: usize = 25 * 1024 * 1024;

/// What a document upload says about the file.
#[derive(Debug, Clone, Default)]
pub struct DocumentMeta {
    pub external_id: String,
    pub customer_external_id: String,
    /// Empty: for the whole customer.
    pub location_external_id: String,
    pub category: String,
    pub title: String,
    /// The file's name, as customers download it.
    pub name: String,
    pub valid_until: Option<NaiveDate>,
}

/// Why an upload was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// Field errors, each naming the field.
    #[error("refused: {0:?}")]
    Invalid(Vec<(String, String)>),
    /// The row it belongs to does not exist (404).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Blob(#[from] BlobError),
}

fn field(errors: &mut Vec<(String, String)>, name: &str, message: impl Into<String>) {
    errors.push((name.to_string(), message.into()));
}

/// Stores or replaces document `meta.external_id`; returns whether it was new.
///
/// # Errors
/// [`PutError`].
pub async fn put_document(
    db: &Db,
    blobs: &BlobStore,
    scope: TenantScope,
    meta: &DocumentMeta,
    bytes: &[u8],
) -> Result<bool, PutError> {
    let mut errors = Vec::new();
    let ext_id = meta.external_id.trim();
    if ext_id.is_empty() || ext_id.chars().count() > 100 {
        field(&mut errors, "external_id", "1 to 100 characters");
    }
    if !DOCUMENT_CATEGORIES.contains(&meta.category.as_str()) {
        field(
            &mut errors,
            "category",
            "safety_sheet, certificate, contract or other",
        );
    }
    let title = meta.title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        field(&mut errors, "title", "1 to 200 characters");
    }
    let name = match names::sanitise(&meta.name) {
        Ok(n) if !meta.name.trim().is_empty() => n,
        _ => {
            field(&mut errors, "name", "a file name such as sheet.pdf");
            String::new()
        }
    };
    if bytes.len() > MAX_DOCUMENT_BYTES {
        field(
            &mut errors,
            "body",
            format!("at most {} MB", MAX_DOCUMENT_BYTES / (1024 * 1024)),
        );
    }
    let ty = if name.is_empty() || bytes.len() > MAX_DOCUMENT_BYTES {
        None
    } else {
        match sniff::decide(&name, bytes) {
            Ok(t) => Some(t),
            Err(e) => {
                field(&mut errors, "body", e.to_string());
                None
            }
        }
    };
    let customer: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(Expr::col("external_id").eq(meta.customer_external_id.trim()))
                .to_owned(),
        )
        .await?;
    let Some((customer_id,)) = customer else {
        field(
            &mut errors,
            "customer_external_id",
            format!("no customer {:?}", meta.customer_external_id),
        );
        return Err(PutError::Invalid(errors));
    };
    let location_id = if meta.location_external_id.trim().is_empty() {
        None
    } else {
        let found: Option<(i64,)> = db
            .fetch_optional(
                &scope
                    .select("core_locations")
                    .column("id")
                    .and_where(Expr::col("external_id").eq(meta.location_external_id.trim()))
                    .and_where(Expr::col("customer_id").eq(customer_id))
                    .to_owned(),
            )
            .await?;
        if found.is_none() {
            field(
                &mut errors,
                "location_external_id",
                format!(
                    "no location {:?} of this customer",
                    meta.location_external_id
                ),
            );
        }
        found.map(|f| f.0)
    };
    let (Some(ty), true) = (ty, errors.is_empty()) else {
        return Err(PutError::Invalid(errors));
    };
    let old: Option<(i64, String)> = db
        .fetch_optional(
            &scope
                .select("logbook_documents")
                .columns(["id", "blob_key"])
                .and_where(Expr::col("external_id").eq(ext_id))
                .to_owned(),
        )
        .await?;
    // Blob first, then the row; an unreferenced blob is swept later.
    let key = BlobStore::new_key(scope.tenant_id(), "logbook-document", ty.ext);
    blobs.put(&key, bytes).await?;
    let now = Utc::now();
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let mut tx = db.begin().await?;
    match &old {
        Some((id, _)) => {
            tx.execute(
                &scope
                    .update("logbook_documents")
                    .value("customer_id", customer_id)
                    .value("location_id", location_id)
                    .value("category", meta.category.as_str())
                    .value("title", title)
                    .value("name", name.as_str())
                    .value("mime", ty.mime)
                    .value("size", size)
                    .value("blob_key", key.as_str())
                    .value("valid_until", meta.valid_until)
                    .value("updated_at", now)
                    .and_where(Expr::col("id").eq(*id))
                    .to_owned(),
            )
            .await?;
        }
        None => {
            tx.execute(
                &scope
                    .insert("logbook_documents")
                    .set("customer_id", customer_id)
                    .set("location_id", location_id)
                    .set("external_id", ext_id)
                    .set("category", meta.category.as_str())
                    .set("title", title)
                    .set("name", name.as_str())
                    .set("mime", ty.mime)
                    .set("size", size)
                    .set("blob_key", key.as_str())
                    .set("valid_until", meta.valid_until)
                    .set("created_at", now)
                    .set("updated_at", now)
                    .statement(),
            )
            .await?;
        }
    }
    tx.commit().await?;
    if let Some((_, old_key)) = &old
        && let Err(e) = blobs.delete(old_key).await
    {
        tracing::warn!(error = %e, "a replaced logbook document stays until the sweeper removes it");
    }
    Ok(old.is_none())
}

/// Deletes document `external_id`; false when there is none.
///
/// # Errors
/// A database failure.
pub async fn delete_document(
    db: &Db,
    blobs: &BlobStore,
    scope: TenantScope,
    external_id: &str,
) -> Result<bool, DbError> {
    let old: Option<(i64, String)> = db
        .fetch_optional(
            &scope
                .select("logbook_documents")
                .columns(["id", "blob_key"])
                .and_where(Expr::col("external_id").eq(external_id.trim()))
                .to_owned(),
        )
        .await?;
    let Some((id, key)) = old else {
        return Ok(false);
    };
    db.execute(
        &scope
            .delete("logbook_documents")
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    if let Err(e) = blobs.delete(&key).await {
        tracing::warn!(error = %e, "a deleted logbook document's file stays until the sweeper removes it");
    }
    Ok(true)
}

/// Stores or replaces the back-office's own PDF of visit `external_id`.
///
/// # Errors
/// [`PutError`]: not a PDF, too large, no such visit.
pub async fn put_visit_pdf(
    db: &Db,
    blobs: &BlobStore,
    scope: TenantScope,
    external_id: &str,
    bytes: &[u8],
) -> Result<(), PutError> {
    if !bytes.starts_with(b"%PDF-") || bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(PutError::Invalid(vec![(
            "body".into(),
            format!(
                "a PDF (starting with %PDF-) of at most {} MB",
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        )]));
    }
    let found: Option<(i64, Option<String>)> = db
        .fetch_optional(
            &scope
                .select("logbook_visits")
                .columns(["id", "pdf_key"])
                .and_where(Expr::col("external_id").eq(external_id.trim()))
                .to_owned(),
        )
        .await?;
    let Some((id, old)) = found else {
        return Err(PutError::NotFound);
    };
    let key = BlobStore::new_key(scope.tenant_id(), "logbook-visit", "pdf");
    blobs.put(&key, bytes).await?;
    db.execute(
        &scope
            .update("logbook_visits")
            .value("pdf_key", key.as_str())
            .value("pdf_size", i64::try_from(bytes.len()).unwrap_or(i64::MAX))
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    if let Some(old) = old
        && let Err(e) = blobs.delete(&old).await
    {
        tracing::warn!(error = %e, "an old visit PDF stays until the sweeper removes it");
    }
    Ok(())
}
