//! The back-office API of moves (`/api/admin/v1/moves`, scope `moves`):
//! the known addresses for the move-in (by external id, idempotent, errors
//! per row), the completed move-ins (only this tenant's), and the link to
//! the customer the back-office made for one (which marks it processed;
//! the resident's invitation then comes from core's account sync with
//! `welcome: invite`).

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::auth::StaffToken;

use crate::address::{self, AddressResult, AddressRow};
use crate::move_in::{self, MoveIn};

/// Largest batch of one call.
pub const MAX_ROWS: usize = 5_000;

#[derive(Tags)]
enum MovesTags {
    /// Known addresses and move-in requests.
    Moves,
}

/// A batch of addresses.
#[derive(Object, Debug)]
pub struct AddressBatch {
    #[oai(validator(min_items = 1, max_items = 5000))]
    pub addresses: Vec<AddressRow>,
}

/// The outcome per row.
#[derive(Object, Debug)]
pub struct AddressReport {
    pub rows: Vec<AddressResult>,
}

/// The customer the back-office made for a move-in.
#[derive(Object, Debug)]
pub struct CustomerLink {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
}

#[derive(ApiResponse)]
enum SyncResponse {
    /// Each row saved or refused with its errors.
    #[oai(status = 200)]
    Ok(Json<AddressReport>),
}

#[derive(ApiResponse)]
enum ListResponse {
    /// The move-ins, newest first (at most 500).
    #[oai(status = 200)]
    Ok(Json<Vec<MoveIn>>),
}

#[derive(ApiResponse)]
enum OneResponse {
    /// The move-in.
    #[oai(status = 200)]
    Ok(Json<Box<MoveIn>>),
    /// No such move-in of this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
enum LinkResponse {
    /// Linked; the move-in is processed.
    #[oai(status = 204)]
    Linked,
    /// No such move-in, or no customer with that external id, of this tenant.
    #[oai(status = 404)]
    NotFound,
}

/// The moves endpoints.
pub struct MovesAdminApi;

#[OpenApi(tag = "MovesTags::Moves")]
impl MovesAdminApi {
    /// Upsert the known addresses for the move-in by external id (idempotent; up to 5,000 per call).
    #[oai(
        path = "/addresses/sync",
        method = "post",
        operation_id = "moves_addresses_sync"
    )]
    async fn sync(&self, auth: StaffToken, body: Json<AddressBatch>) -> poem::Result<SyncResponse> {
        let t = &auth.0.resolved.tenant;
        let rows = address::upsert(&auth.0.state.db, t.scope(), &body.0.addresses).await?;
        Ok(SyncResponse::Ok(Json(AddressReport { rows })))
    }

    /// List the move-ins (`open=true`: only new and waiting).
    #[oai(
        path = "/move-ins",
        method = "get",
        operation_id = "moves_move_ins_list"
    )]
    async fn list(
        &self,
        auth: StaffToken,
        open: Query<Option<bool>>,
    ) -> poem::Result<ListResponse> {
        let t = &auth.0.resolved.tenant;
        let rows = move_in::list(&auth.0.state.db, t.scope(), open.0.unwrap_or(false)).await?;
        Ok(ListResponse::Ok(Json(rows)))
    }

    /// One move-in.
    #[oai(
        path = "/move-ins/:id",
        method = "get",
        operation_id = "moves_move_in_get"
    )]
    async fn one(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<OneResponse> {
        let t = &auth.0.resolved.tenant;
        Ok(
            match move_in::one(&auth.0.state.db, t.scope(), id.0).await? {
                Some(m) => OneResponse::Ok(Json(Box::new(m))),
                None => OneResponse::NotFound,
            },
        )
    }

    /// Link the customer made for a move-in (by its external id); marks it processed.
    #[oai(
        path = "/move-ins/:id/customer",
        method = "put",
        operation_id = "moves_move_in_link_customer"
    )]
    async fn link(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<CustomerLink>,
    ) -> poem::Result<LinkResponse> {
        let t = &auth.0.resolved.tenant;
        let linked = move_in::link_customer(
            &auth.0.state.db,
            t.scope(),
            id.0,
            &body.0.customer_external_id,
        )
        .await?;
        Ok(if linked {
            LinkResponse::Linked
        } else {
            LinkResponse::NotFound
        })
    }
}
