//! The back-office API of invoices (`/api/admin/v1/invoices`, scope
//! `invoices`): bulk upsert by external id, upload or replace an invoice's
//! PDF (checked to be a PDF by its content), delete.

use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::api::sync_admin::{SyncResponse, batch_refused};
use portal_core::files::BlobStore;
use portal_core::sea_query::{Expr, ExprTrait};

use crate::sync::{self, InvoiceRow, LineRow, MAX_INVOICES};

#[derive(Tags)]
enum InvoiceTags {
    /// Invoices from the back-office.
    Invoices,
}

/// A batch of invoices.
#[derive(Object, Debug)]
#[oai(example)]
pub struct InvoiceBatch {
    /// 1 to 10,000 per call (`MAX_INVOICES`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub invoices: Vec<InvoiceRow>,
}

impl poem_openapi::types::Example for InvoiceBatch {
    fn example() -> Self {
        InvoiceBatch {
            invoices: vec![InvoiceRow {
                external_id: "F-2026-00123".into(),
                customer_external_id: "K-100234".into(),
                number: "2026-00123".into(),
                contract: String::new(),
                issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default(),
                due_on: chrono::NaiveDate::from_ymd_opt(2026, 2, 14),
                currency: "EUR".into(),
                total_cents: 12_100,
                vat_cents: 2_100,
                status: "open".into(),
                refund_on: None,
                lines: vec![LineRow {
                    description: "Webhosting Pro, januari".into(),
                    quantity: 1.0,
                    unit_cents: 10_000,
                    total_cents: 10_000,
                    vat_percent: 21.0,
                }],
            }],
        }
    }
}

#[derive(ApiResponse)]
pub enum WriteResponse {
    /// Done.
    #[oai(status = 204)]
    Done,
    /// Not a PDF (checked by its content).
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No invoice with this external id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

/// The invoices endpoints.
pub struct InvoicesAdminApi;

#[OpenApi(tag = "InvoiceTags::Invoices")]
impl InvoicesAdminApi {
    /// Upsert invoices by external id (idempotent; up to 10,000 per call).
    #[oai(path = "/sync", method = "post", operation_id = "invoices_sync")]
    async fn sync(&self, auth: StaffToken, body: Json<InvoiceBatch>) -> poem::Result<SyncResponse> {
        let rows = &body.0.invoices;
        if let Some(refused) = batch_refused("invoices", rows.len(), MAX_INVOICES) {
            return Ok(refused);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::upsert(&auth.0.state.db, t.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Upload or replace the PDF of an invoice (`application/pdf`); the portal then serves this file instead of rendering one.
    #[oai(
        path = "/:external_id/pdf",
        method = "put",
        operation_id = "invoices_pdf_put"
    )]
    async fn pdf_put(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
        body: Binary<Vec<u8>>,
    ) -> poem::Result<WriteResponse> {
        if !body.0.starts_with(b"%PDF-") {
            return Ok(WriteResponse::Invalid(Json(ApiErrors {
                errors: vec![FieldError {
                    field: Some("body".into()),
                    message: "the file is not a PDF (it does not start with %PDF-)".into(),
                }],
                ..ApiErrors::default()
            })));
        }
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        let scope = t.scope();
        let found: Option<(i64, Option<String>)> =
            s.db.fetch_optional(
                &scope
                    .select("invoices_invoices")
                    .columns(["id", "pdf_key"])
                    .and_where(Expr::col("external_id").eq(external_id.0.trim()))
                    .to_owned(),
            )
            .await?;
        let Some((id, old)) = found else {
            return Ok(WriteResponse::NotFound);
        };
        // Blob first, then the row; an unreferenced blob is swept later.
        let key = BlobStore::new_key(scope.tenant_id(), "invoice", "pdf");
        s.blobs.put(&key, &body.0).await?;
        let mut tx = s.db.begin().await?;
        tx.execute(
            &scope
                .update("invoices_invoices")
                .value("pdf_key", key)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        if let Some(old) = old
            && let Err(e) = s.blobs.delete(&old).await
        {
            tracing::warn!(error = %e, "an old invoice PDF stays until the sweeper removes it");
        }
        Ok(WriteResponse::Done)
    }

    /// Delete an invoice by external id (its PDF is removed by the blob sweeper).
    #[oai(
        path = "/:external_id",
        method = "delete",
        operation_id = "invoices_delete"
    )]
    async fn delete(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<WriteResponse> {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        let n =
            s.db.execute(
                &t.scope()
                    .delete("invoices_invoices")
                    .and_where(Expr::col("external_id").eq(external_id.0.trim()))
                    .to_owned(),
            )
            .await?;
        Ok(if n == 1 {
            WriteResponse::Done
        } else {
            WriteResponse::NotFound
        })
    }
}
