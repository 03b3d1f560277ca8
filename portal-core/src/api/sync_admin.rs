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
use crate::access::sync_accounts::{self, AccountRow, MAX_ACCOUNTS};
use crate::auth::flows::staff::{self as staff_flows, Welcome};

#[derive(Tags)]
enum SyncTags {
    /// Customers and locations from the back-office.
    Sync,
}

/// A batch of customers.
#[derive(Object, Debug)]
#[oai(example)]
pub struct CustomerBatch {
    /// 1 to 10,000 customers ([`MAX_ROWS`]).
    #[oai(validator(min_items = 1, max_items = 10000))]
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

fn default_welcome() -> Welcome {
    Welcome::None
}

/// A batch of portal accounts (contact persons).
#[derive(Object, Debug)]
#[oai(example)]
pub struct AccountBatch {
    /// The mail a new account gets: `none` (the default for a daily sync),
    /// `invite` (a link to set a password) or `created` (seed 000's notice).
    #[oai(default = "default_welcome")]
    pub welcome: Welcome,
    /// 1 to 5,000 accounts ([`MAX_ACCOUNTS`]).
    #[oai(validator(min_items = 1, max_items = 5000))]
    pub accounts: Vec<AccountRow>,
}

impl poem_openapi::types::Example for AccountBatch {
    fn example() -> Self {
        AccountBatch {
            welcome: Welcome::Invite,
            accounts: vec![AccountRow {
                external_id: "CP-5531".into(),
                customer_external_id: "K-100234".into(),
                email: "petra@bakkerij-jansen.nl".into(),
                username: None,
                first_name: "Petra".into(),
                last_name: "de Vries".into(),
                gender: "female".into(),
                phone: "+31 6 1234 5678".into(),
                roles: Some(vec!["employee".into(), "employee_plus".into()]),
                main: false,
                active: true,
                lang: Some("nl".into()),
            }],
        }
    }
}

/// The answer to a batch of `n` rows that is empty or larger than `max`
/// (every bulk sync, core's and the modules', refuses alike); `None` when
/// the size is fine.
pub fn batch_refused(what: &str, n: usize, max: usize) -> Option<SyncResponse> {
    if (1..=max).contains(&n) {
        return None;
    }
    Some(SyncResponse::Invalid(Json(ApiErrors {
        errors: vec![FieldError {
            field: Some(what.into()),
            message: format!("send 1 to {max} {what} per call (this call: {n})"),
        }],
        ..ApiErrors::default()
    })))
}

#[derive(ApiResponse)]
pub enum SyncResponse {
    /// Applied: every valid row; refused rows are listed with their errors and changed nothing.
    #[oai(status = 200)]
    Ok(Json<SyncReport>),
    /// The batch as a whole was refused (empty or too large); nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
}

#[derive(ApiResponse)]
pub enum DeleteResponse {
    /// Deleted (a customer with its locations and portal accounts).
    #[oai(status = 204)]
    Deleted,
    /// Nothing with this external id at this tenant.
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
        if let Some(refused) = batch_refused("customers", rows.len(), MAX_ROWS) {
            return Ok(refused);
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
        let synced: Vec<String> = rows
            .iter()
            .map(|r| r.external_id.trim().to_string())
            .collect();
        crate::access::login_email::follow_customers(
            &auth.0.state.deps(),
            t,
            &auth.0.by(),
            &synced,
        )
        .await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Upsert portal accounts (contact persons) by external id under their customers (idempotent; up to 5,000 per call).
    #[oai(path = "/accounts", method = "post", operation_id = "sync_accounts")]
    async fn accounts(
        &self,
        auth: StaffToken,
        body: Json<AccountBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.accounts;
        if let Some(refused) = batch_refused("accounts", rows.len(), MAX_ACCOUNTS) {
            return Ok(refused);
        }
        let t = &auth.0.resolved.tenant;
        let report = sync_accounts::upsert_accounts(
            &auth.0.state.deps(),
            t,
            &auth.0.by(),
            body.0.welcome,
            rows,
        )
        .await?;
        Ok(SyncResponse::Ok(Json(report)))
    }

    /// Delete a portal account by external id (the customer and its data stay; to only stop it, sync it with `active: false`).
    #[oai(
        path = "/accounts/:external_id",
        method = "delete",
        operation_id = "sync_delete_account"
    )]
    async fn delete_account(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<DeleteResponse> {
        let t = &auth.0.resolved.tenant;
        let Some(a) =
            sync_accounts::by_external_id(&auth.0.state.deps(), t, &external_id.0).await?
        else {
            return Ok(DeleteResponse::NotFound);
        };
        staff_flows::delete_account(&auth.0.state.deps(), t, &auth.0.by(), &a).await?;
        Ok(DeleteResponse::Deleted)
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
