//! The back-office API of the logbook (`/api/admin/v1/logbook`, scope
//! `logbook`): bulk upserts of checkpoints, visits with observations,
//! recommendations and planned visits by external id (idempotent, errors
//! per row, locations named by their external id); a visit's own PDF and
//! documents as files; the customers' messages to handle, the supplier's
//! messages (replies, notifications, alarms) and a recommendation's
//! history. What customers do arrives as events too (core's signed
//! webhooks): `logbook.message`, `logbook.recommendation_status`,
//! `logbook.recommendation_response`.

use chrono::NaiveDate;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::api::sync_admin::{SyncResponse, batch_refused};
use portal_core::sea_query::{Expr, ExprTrait, Order};

use crate::documents::{self, DocumentMeta, PutError};
use crate::store::{self, HistoryEntry, MESSAGE_COLUMNS, Message};
use crate::sync::{
    self, CheckpointRow, MAX_ROWS, MAX_VISITS, PlannedVisitRow, RecommendationRow, VisitRow,
};
use crate::write;

#[derive(Tags)]
enum LogbookTags {
    /// The pest-control logbook: checkpoints, visits, recommendations, messages, documents.
    Logbook,
}

/// A batch of checkpoints.
#[derive(Object, Debug)]
pub struct CheckpointBatch {
    /// 1 to 10,000 per call (`MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub checkpoints: Vec<CheckpointRow>,
}

/// A batch of visits, each with its observations and materials.
#[derive(Object, Debug)]
pub struct VisitBatch {
    /// 1 to 2,000 per call (`MAX_VISITS`).
    #[oai(validator(min_items = 1, max_items = 2000))]
    pub visits: Vec<VisitRow>,
}

/// A batch of recommendations.
#[derive(Object, Debug)]
pub struct RecommendationBatch {
    /// 1 to 10,000 per call (`MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub recommendations: Vec<RecommendationRow>,
}

/// A batch of planned visits.
#[derive(Object, Debug)]
pub struct PlannedVisitBatch {
    /// 1 to 10,000 per call (`MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub planned_visits: Vec<PlannedVisitRow>,
}

/// A message of the supplier to a customer's location.
#[derive(Object, Debug)]
pub struct SupplierMessage {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    /// `message` (a reply), `notification` or `alarm`.
    #[oai(
        default = "message_kind",
        validator(max_length = 40, pattern = "^(message|notification|alarm)$")
    )]
    pub kind: String,
    #[oai(validator(max_length = 200))]
    pub subject: String,
    #[oai(validator(max_length = 5000))]
    pub body: String,
    /// Who writes, as the customer sees it.
    #[oai(default, validator(max_length = 200))]
    pub author_name: String,
    /// The customer's message this answers: it becomes handled.
    pub reply_to: Option<i64>,
    /// The back-office's id, so a retried call does not send it twice.
    #[oai(validator(max_length = 100))]
    pub external_id: Option<String>,
}

fn message_kind() -> String {
    "message".into()
}

/// Who handled a message.
#[derive(Object, Debug)]
pub struct HandledBody {
    #[oai(default, validator(max_length = 200))]
    pub by: String,
}

#[derive(ApiResponse)]
pub enum WriteResponse {
    /// Done.
    #[oai(status = 204)]
    Done,
    /// Refused: see the errors; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// Nothing with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum CreatedResponse {
    /// Stored; the body is the new row's id (or the existing one for a repeated external id).
    #[oai(status = 200)]
    Ok(Json<i64>),
    /// Refused: see the errors; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
}

#[derive(ApiResponse)]
pub enum HistoryResponse {
    /// The recommendation's changes, oldest first.
    #[oai(status = 200)]
    Ok(Json<Vec<HistoryEntry>>),
    /// No recommendation with this external id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

fn refused(errors: Vec<(String, String)>) -> Json<ApiErrors> {
    Json(ApiErrors {
        errors: errors
            .into_iter()
            .map(|(field, message)| FieldError {
                field: Some(field),
                message,
            })
            .collect(),
        ..ApiErrors::default()
    })
}

fn put_result(r: Result<(), PutError>) -> poem::Result<WriteResponse> {
    match r {
        Ok(()) => Ok(WriteResponse::Done),
        Err(PutError::Invalid(e)) => Ok(WriteResponse::Invalid(refused(e))),
        Err(PutError::NotFound) => Ok(WriteResponse::NotFound),
        Err(PutError::Db(e)) => Err(e.into()),
        Err(PutError::Blob(e)) => Err(e.into()),
    }
}

/// The logbook endpoints.
pub struct LogbookAdminApi;

#[OpenApi(tag = "LogbookTags::Logbook")]
impl LogbookAdminApi {
    /// Upsert checkpoints by external id (idempotent; up to 10,000 per call).
    #[oai(
        path = "/checkpoints/sync",
        method = "post",
        operation_id = "logbook_checkpoints_sync"
    )]
    async fn checkpoints(
        &self,
        auth: StaffToken,
        body: Json<CheckpointBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.checkpoints;
        if let Some(r) = batch_refused("checkpoints", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::checkpoints(&auth.0.state.db, t.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Upsert visits with their observations and materials by external id (idempotent; up to 2,000 per call).
    #[oai(
        path = "/visits/sync",
        method = "post",
        operation_id = "logbook_visits_sync"
    )]
    async fn visits(&self, auth: StaffToken, body: Json<VisitBatch>) -> poem::Result<SyncResponse> {
        let rows = &body.0.visits;
        if let Some(r) = batch_refused("visits", rows.len(), MAX_VISITS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::visits(&auth.0.state.db, t.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Upload or replace a visit's own PDF report (`application/pdf`); the portal then serves it instead of rendering one.
    #[oai(
        path = "/visits/:external_id/pdf",
        method = "put",
        operation_id = "logbook_visit_pdf_put"
    )]
    async fn visit_pdf(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
        body: Binary<Vec<u8>>,
    ) -> poem::Result<WriteResponse> {
        let s = &auth.0.state;
        put_result(
            documents::put_visit_pdf(
                &s.db,
                &s.blobs,
                auth.0.resolved.tenant.scope(),
                &external_id.0,
                &body.0,
            )
            .await,
        )
    }

    /// Upsert recommendations by external id (idempotent; up to 10,000 per call); every change is kept in its history.
    #[oai(
        path = "/recommendations/sync",
        method = "post",
        operation_id = "logbook_recommendations_sync"
    )]
    async fn recommendations(
        &self,
        auth: StaffToken,
        body: Json<RecommendationBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.recommendations;
        if let Some(r) = batch_refused("recommendations", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::recommendations(&auth.0.state.db, t.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// A recommendation's history: every change, who and when, oldest first.
    #[oai(
        path = "/recommendations/:external_id/history",
        method = "get",
        operation_id = "logbook_recommendation_history"
    )]
    async fn history(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<HistoryResponse> {
        let (db, scope) = (&auth.0.state.db, auth.0.resolved.tenant.scope());
        let found: Option<(i64,)> = db
            .fetch_optional(
                &scope
                    .select("logbook_recommendations")
                    .column("id")
                    .and_where(Expr::col("external_id").eq(external_id.0.trim()))
                    .to_owned(),
            )
            .await?;
        let Some((id,)) = found else {
            return Ok(HistoryResponse::NotFound);
        };
        Ok(HistoryResponse::Ok(Json(
            store::history(db, scope, id).await?,
        )))
    }

    /// Upsert planned visits by external id (idempotent; up to 10,000 per call).
    #[oai(
        path = "/planned-visits/sync",
        method = "post",
        operation_id = "logbook_planned_visits_sync"
    )]
    async fn planned(
        &self,
        auth: StaffToken,
        body: Json<PlannedVisitBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.planned_visits;
        if let Some(r) = batch_refused("planned_visits", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::planned(&auth.0.state.db, t.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Upload or replace a document (safety data sheet, certificate, contract) for a location or a whole customer; typed by its content.
    #[oai(
        path = "/documents/:external_id",
        method = "put",
        operation_id = "logbook_document_put"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn document_put(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
        /// The customer, by its external id.
        #[oai(validator(max_length = 100))]
        customer_external_id: Query<String>,
        /// The location, by its external id; absent: for the whole customer.
        #[oai(validator(max_length = 100))]
        location_external_id: Query<Option<String>>,
        /// `safety_sheet`, `certificate`, `contract` or `other`.
        category: Query<String>,
        /// The title customers see.
        #[oai(validator(max_length = 200))]
        title: Query<String>,
        /// The file name customers download (its extension must fit the content).
        #[oai(validator(max_length = 200))]
        name: Query<String>,
        /// Valid until (certificates).
        valid_until: Query<Option<NaiveDate>>,
        body: Binary<Vec<u8>>,
    ) -> poem::Result<WriteResponse> {
        let s = &auth.0.state;
        let meta = DocumentMeta {
            external_id: external_id.0,
            customer_external_id: customer_external_id.0,
            location_external_id: location_external_id.0.unwrap_or_default(),
            category: category.0,
            title: title.0,
            name: name.0,
            valid_until: valid_until.0,
        };
        put_result(
            documents::put_document(
                &s.db,
                &s.blobs,
                auth.0.resolved.tenant.scope(),
                &meta,
                &body.0,
            )
            .await
            .map(drop),
        )
    }

    /// Delete a document by external id.
    #[oai(
        path = "/documents/:external_id",
        method = "delete",
        operation_id = "logbook_document_delete"
    )]
    async fn document_delete(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<WriteResponse> {
        let s = &auth.0.state;
        let found = documents::delete_document(
            &s.db,
            &s.blobs,
            auth.0.resolved.tenant.scope(),
            &external_id.0,
        )
        .await?;
        Ok(if found {
            WriteResponse::Done
        } else {
            WriteResponse::NotFound
        })
    }

    /// List messages, oldest first: by default the customers' open ones.
    #[oai(path = "/messages", method = "get", operation_id = "logbook_messages")]
    async fn messages(
        &self,
        auth: StaffToken,
        /// `open` (default: customers' messages not handled yet) or `all`.
        status: Query<Option<String>>,
        /// Only messages with a larger id (a cursor).
        after: Query<Option<i64>>,
    ) -> poem::Result<Json<Vec<Message>>> {
        let mut q = auth.0.resolved.tenant.scope().select("logbook_messages");
        q.columns(MESSAGE_COLUMNS)
            .and_where(Expr::col("id").gt(after.0.unwrap_or(0)))
            .order_by("id", Order::Asc)
            .limit(1000);
        if status.0.as_deref() != Some("all") {
            q.and_where(Expr::col("from_supplier").eq(false))
                .and_where(Expr::col("status").eq("open"));
        }
        Ok(Json(auth.0.state.db.fetch_all(&q).await?))
    }

    /// Send a message to a location: a reply (which marks the customer's message handled), a notification or an alarm.
    #[oai(
        path = "/messages",
        method = "post",
        operation_id = "logbook_message_send"
    )]
    async fn send(
        &self,
        auth: StaffToken,
        body: Json<SupplierMessage>,
    ) -> poem::Result<CreatedResponse> {
        let (db, scope) = (&auth.0.state.db, auth.0.resolved.tenant.scope());
        let m = body.0;
        let mut errors = Vec::new();
        // The field's pattern refuses another kind first (400); this stays
        // as the guard of what is stored, should the pattern change.
        if !["message", "notification", "alarm"].contains(&m.kind.as_str()) {
            errors.push((
                "kind".to_string(),
                "message, notification or alarm".to_string(),
            ));
        }
        for (field, value, max) in [("subject", &m.subject, 200), ("body", &m.body, 5000)] {
            if write::check_text(field, value, max, true).is_err() {
                errors.push((
                    field.to_string(),
                    format!("1 to {max} characters of text (no < or >)"),
                ));
            }
        }
        let location: Option<(i64, i64)> = db
            .fetch_optional(
                &scope
                    .select("core_locations")
                    .columns(["id", "customer_id"])
                    .and_where(Expr::col("external_id").eq(m.location_external_id.trim()))
                    .to_owned(),
            )
            .await?;
        let Some((location_id, customer_id)) = location else {
            errors.push((
                "location_external_id".into(),
                format!("no location {:?}", m.location_external_id),
            ));
            return Ok(CreatedResponse::Invalid(refused(errors)));
        };
        if let Some(r) = m.reply_to {
            let original: Option<(i64,)> = db
                .fetch_optional(
                    &scope
                        .select("logbook_messages")
                        .column("id")
                        .and_where(Expr::col("id").eq(r))
                        .and_where(Expr::col("location_id").eq(location_id))
                        .and_where(Expr::col("from_supplier").eq(false))
                        .to_owned(),
                )
                .await?;
            if original.is_none() {
                errors.push((
                    "reply_to".into(),
                    format!("no customer's message {r} at this location"),
                ));
            }
        }
        if !errors.is_empty() {
            return Ok(CreatedResponse::Invalid(refused(errors)));
        }
        if let Some(ext) = m
            .external_id
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let existing: Option<(i64,)> = db
                .fetch_optional(
                    &scope
                        .select("logbook_messages")
                        .column("id")
                        .and_where(Expr::col("external_id").eq(ext))
                        .to_owned(),
                )
                .await?;
            if let Some((id,)) = existing {
                return Ok(CreatedResponse::Ok(Json(id)));
            }
        }
        let author = if m.author_name.trim().is_empty() {
            auth.0.resolved.tenant.name.clone()
        } else {
            m.author_name.trim().to_string()
        };
        let id = write::supplier_message(
            db,
            scope,
            customer_id,
            location_id,
            &m.kind,
            &m.subject,
            &m.body,
            &author,
            m.reply_to,
            m.external_id
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty()),
        )
        .await?;
        Ok(CreatedResponse::Ok(Json(id)))
    }

    /// Mark a customer's message handled (without a reply).
    #[oai(
        path = "/messages/:id/handled",
        method = "post",
        operation_id = "logbook_message_handled"
    )]
    async fn handled(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<HandledBody>,
    ) -> poem::Result<WriteResponse> {
        let (db, scope) = (&auth.0.state.db, auth.0.resolved.tenant.scope());
        let mut tx = db.begin().await?;
        let by = if body.0.by.trim().is_empty() {
            auth.0.resolved.tenant.name.clone()
        } else {
            body.0.by.trim().to_string()
        };
        let done = write::mark_handled(&mut tx, scope, id.0, &by).await?;
        tx.commit().await?;
        Ok(if done {
            WriteResponse::Done
        } else {
            WriteResponse::NotFound
        })
    }
}
