//! The back-office API of subscriptions (`/api/admin/v1/subscriptions`,
//! scope `subscriptions`): bulk upsert by external id, and the change
//! requests customers sent (list new ones, acknowledge, settle).

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::api::sync_admin::{SyncResponse, batch_refused};
use portal_core::sea_query::{Expr, ExprTrait, Order};

use crate::requests;
use crate::store::{ChangeRequest, Product, REQUEST_COLUMNS};
use crate::sync::{self, MAX_SUBSCRIPTIONS, SubscriptionRow};

#[derive(Tags)]
enum SubscriptionTags {
    /// Subscriptions and change requests.
    Subscriptions,
}

/// A batch of subscriptions.
#[derive(Object, Debug)]
#[oai(example)]
pub struct SubscriptionBatch {
    /// 1 to 10,000 per call (`MAX_SUBSCRIPTIONS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub subscriptions: Vec<SubscriptionRow>,
}

impl poem_openapi::types::Example for SubscriptionBatch {
    fn example() -> Self {
        SubscriptionBatch {
            subscriptions: vec![SubscriptionRow {
                external_id: "AB-5531".into(),
                customer_external_id: "K-100234".into(),
                name: "Webhosting Pro".into(),
                period: "monthly".into(),
                started_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
                next_invoice_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
                status: "active".into(),
                currency: "EUR".into(),
                products: vec![Product {
                    name: "Hosting 10 GB".into(),
                    quantity: 1.0,
                    unit_cents: 1_500,
                    period: "monthly".into(),
                    total_cents: 1_500,
                }],
            }],
        }
    }
}

/// A new status for a change request.
#[derive(Object, Debug)]
pub struct StatusBody {
    /// `acknowledged`, `in_progress`, `done` or `rejected`.
    #[oai(validator(pattern = "^(acknowledged|in_progress|done|rejected)$"))]
    pub status: String,
}

#[derive(ApiResponse)]
pub enum StatusResponse {
    /// Stored.
    #[oai(status = 204)]
    Done,
    /// Not a status.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No change request with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

/// The subscriptions endpoints.
pub struct SubscriptionsAdminApi;

#[OpenApi(tag = "SubscriptionTags::Subscriptions")]
impl SubscriptionsAdminApi {
    /// Upsert subscriptions by external id (idempotent; up to 10,000 per call).
    #[oai(path = "/sync", method = "post", operation_id = "subscriptions_sync")]
    async fn sync(
        &self,
        auth: StaffToken,
        body: Json<SubscriptionBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.subscriptions;
        if let Some(refused) = batch_refused("subscriptions", rows.len(), MAX_SUBSCRIPTIONS) {
            return Ok(refused);
        }
        let report = sync::upsert(&auth.0.state.db, auth.0.resolved.tenant.scope(), rows).await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// List change requests, oldest first; by default the new ones.
    #[oai(
        path = "/change-requests",
        method = "get",
        operation_id = "subscriptions_change_requests"
    )]
    async fn change_requests(
        &self,
        auth: StaffToken,
        /// `new` (default), `acknowledged`, `in_progress`, `done`, `rejected` or `all`.
        status: Query<Option<String>>,
    ) -> poem::Result<Json<Vec<ChangeRequest>>> {
        let mut q = auth
            .0
            .resolved
            .tenant
            .scope()
            .select("subscriptions_change_requests");
        q.columns(REQUEST_COLUMNS)
            .order_by("id", Order::Asc)
            .limit(1000);
        let status = status.0.unwrap_or_else(|| "new".into());
        if status != "all" {
            q.and_where(Expr::col("status").eq(status));
        }
        Ok(Json(auth.0.state.db.fetch_all(&q).await?))
    }

    /// Set a change request's status (acknowledge it, or settle it).
    #[oai(
        path = "/change-requests/:id",
        method = "put",
        operation_id = "subscriptions_change_request_status"
    )]
    async fn set_status(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<StatusBody>,
    ) -> poem::Result<StatusResponse> {
        if !matches!(
            body.0.status.as_str(),
            "acknowledged" | "in_progress" | "done" | "rejected"
        ) {
            return Ok(StatusResponse::Invalid(Json(ApiErrors {
                errors: vec![FieldError {
                    field: Some("status".into()),
                    message: "acknowledged, in_progress, done or rejected".into(),
                }],
                ..ApiErrors::default()
            })));
        }
        let found = requests::set_status(
            &auth.0.state.deps(),
            &auth.0.resolved.tenant,
            id.0,
            &body.0.status,
        )
        .await?;
        Ok(if found {
            StatusResponse::Done
        } else {
            StatusResponse::NotFound
        })
    }
}
