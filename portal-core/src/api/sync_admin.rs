//! The back-office sync API (seed 000: data comes from the administration
//! daily): customers with their locations, upserted by external id, up to
//! [`MAX_ROWS`] per call. Idempotent; each row reports what happened, and a
//! refused row names its problems by its external id.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::admin::{ApiErrors, FieldError};
use super::auth::StaffToken;
use crate::access::sync::{self, CustomerRow, MAX_ROWS, SyncReport};

#[derive(Tags)]
enum SyncTags {
    /// Customers and locations from the back-office.
    Sync,
}

/// A batch of customers.
#[derive(Object, Debug)]
#[oai(example)]
pub struct CustomerBatch {
    pub customers: Vec<CustomerRow>,
}

impl poem_openapi::types::Example for CustomerBatch {
    fn example() -> Self {
        CustomerBatch {
            customers: vec![CustomerRow {
                external_id: "K-100234".into(),
                number: "100234".into(),
                name: "Bakkerij Jansen".into(),
                parent_external_id: None,
                email: "administratie@bakkerij-jansen.nl".into(),
                phone: "+31 20 123 4567".into(),
                payment_method: "Automatische incasso".into(),
                invoice_address: "Dorpsstraat 1\n1234 AB Ergens".into(),
                correspondence_address: String::new(),
                active: true,
                locations: Some(vec![sync::LocationRow {
                    external_id: "L-1".into(),
                    name: "Winkel".into(),
                    address: "Dorpsstraat 1\n1234 AB Ergens".into(),
                    active: true,
                }]),
            }],
        }
    }
}

#[derive(ApiResponse)]
pub enum SyncResponse {
    /// Applied: every valid row; refused rows are listed with their errors and changed nothing.
    #[oai(status = 200)]
    Ok(Json<SyncReport>),
    /// The batch as a whole was refused (empty or too large); nothing changed.
    #[oai(status = 400)]
    Invalid(Json<ApiErrors>),
}

#[derive(ApiResponse)]
pub enum DeleteResponse {
    /// Deleted, with its locations and portal accounts.
    #[oai(status = 204)]
    Deleted,
    /// No customer with this external id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

/// The sync endpoints.
pub struct SyncAdminApi;

#[OpenApi(prefix_path = "/sync", tag = "SyncTags::Sync")]
impl SyncAdminApi {
    /// Upsert customers and their locations by external id (idempotent; up to 10,000 per call).
    #[oai(path = "/customers", method = "post", operation_id = "sync_customers")]
    async fn customers(
        &self,
        auth: StaffToken,
        body: Json<CustomerBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.customers;
        if rows.is_empty() || rows.len() > MAX_ROWS {
            return Ok(SyncResponse::Invalid(Json(ApiErrors {
                errors: vec![FieldError {
                    field: Some("customers".into()),
                    message: format!(
                        "send 1 to {MAX_ROWS} customers per call (this call: {})",
                        rows.len()
                    ),
                }],
            })));
        }
        let t = &auth.0.resolved.tenant;
        let report = sync::upsert_customers(&auth.0.state.db, t.scope(), rows)
            .await
            .map_err(|e| {
                poem::Error::from_string(
                    e.to_string(),
                    poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                )
            })?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Delete a customer by external id, with its locations and portal accounts (to only stop it, sync it with `active: false`).
    #[oai(
        path = "/customers/:external_id",
        method = "delete",
        operation_id = "sync_delete_customer"
    )]
    async fn delete(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<DeleteResponse> {
        let t = &auth.0.resolved.tenant;
        let deleted = sync::delete_customer(&auth.0.state.db, t.scope(), &external_id.0)
            .await
            .map_err(|e| {
                poem::Error::from_string(
                    e.to_string(),
                    poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                )
            })?;
        Ok(if deleted {
            DeleteResponse::Deleted
        } else {
            DeleteResponse::NotFound
        })
    }
}
