//! The back-office API of advances (`/api/admin/v1/advances`, scope
//! `advances`): contracts with their advance by external id (idempotent,
//! errors per row). The amount the back-office sends is the original the
//! customer's range is taken around; sending a new one (after the annual
//! settlement) also resets what the customer pays to it, recorded in the
//! history. The customers' changes arrive as the event `advances.changed`.

use std::collections::HashMap;

use chrono::Utc;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use portal_core::access::sync::{RowStatus, SyncReport};
use portal_core::access::sync_rows::{Incoming, check, upsert_in};
use portal_core::api::auth::StaffToken;
use portal_core::api::sync_admin::{SyncResponse, batch_refused};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::tenant::TenantScope;

use crate::store::{COLUMNS, Contract};

/// Largest batch of one call.
pub const MAX_ROWS: usize = 10_000;

#[derive(Tags)]
enum AdvancesTags {
    /// Advance amounts per contract.
    Advances,
}

fn monthly() -> String {
    "monthly".into()
}

fn eur() -> String {
    "EUR".into()
}

/// One contract's advance as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Object)]
pub struct ContractRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
    #[oai(validator(max_length = 100))]
    pub contract_number: String,
    /// What the contract is for, e.g. "Warmte Kastanjelaan 12".
    #[oai(default, validator(max_length = 200))]
    #[serde(default)]
    pub description: String,
    /// `monthly`, `quarterly` or `yearly`.
    #[oai(default = "monthly", validator(max_length = 40))]
    #[serde(default = "monthly")]
    pub frequency: String,
    #[oai(default = "eur", validator(max_length = 3))]
    #[serde(default = "eur")]
    pub currency: String,
    /// The advance the supplier set (the original), in cents.
    pub amount_cents: i64,
}

/// A batch of contracts.
#[derive(Object, Debug)]
pub struct ContractBatch {
    /// 1 to 10,000 per call (`MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub contracts: Vec<ContractRow>,
}

portal_core::stored_row!(Contract);

/// Upserts contracts by external id.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[ContractRow],
) -> Result<SyncReport, DbError> {
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.external_id.trim().to_string())
        .collect();
    // external id -> (id, original, what the customer pays now)
    let mut before: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<(String, i64, i64, i64)> = db
            .fetch_all_unprepared(
                &scope
                    .select("advances_contracts")
                    .columns(["external_id", "id", "original_cents", "amount_cents"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        before.extend(found.into_iter().map(|(e, id, o, a)| (e, (id, o, a))));
    }
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::required(&mut errors, "contract_number", &r.contract_number, 100);
            check::optional(&mut errors, "description", &r.description, 200);
            check::one_of(
                &mut errors,
                "frequency",
                &r.frequency,
                &["monthly", "quarterly", "yearly"],
            );
            check::currency(&mut errors, &r.currency);
            if !(0..=100_000_000).contains(&r.amount_cents) {
                errors.push("amount_cents: 0 to 100000000".into());
            }
            Incoming {
                external_id: &r.external_id,
                customer_external_id: Some(&r.customer_external_id),
                errors,
                values: vec![
                    ("contract_number", r.contract_number.trim().into()),
                    ("description", r.description.trim().into()),
                    ("frequency", r.frequency.as_str().into()),
                    ("currency", r.currency.as_str().into()),
                    ("original_cents", r.amount_cents.into()),
                ],
                same: Box::new(move |s: &Contract| {
                    s.contract_number == r.contract_number.trim()
                        && s.description == r.description.trim()
                        && s.frequency == r.frequency
                        && s.currency == r.currency
                        && s.original_cents == r.amount_cents
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(db, &mut tx, scope, "advances_contracts", &COLUMNS, incoming).await?;
    let now = Utc::now();
    for (r, result) in rows.iter().zip(&report.rows) {
        if !matches!(result.status, RowStatus::Created | RowStatus::Updated) {
            continue;
        }
        let previous = before.get(r.external_id.trim()).copied();
        // New, or a new original: what the customer pays follows it.
        if previous.is_some_and(|(_, o, _)| o == r.amount_cents) {
            continue;
        }
        tx.execute(
            &scope
                .update("advances_contracts")
                .value("amount_cents", r.amount_cents)
                .and_where(Expr::col("external_id").eq(r.external_id.trim()))
                .to_owned(),
        )
        .await?;
        if let Some((id, _, paid)) = previous {
            tx.execute(
                &scope
                    .insert("advances_changes")
                    .set("contract_id", id)
                    .set("from_cents", paid)
                    .set("to_cents", r.amount_cents)
                    .set("source", "back_office")
                    .set("at", now)
                    .statement(),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// The advances endpoints.
pub struct AdvancesAdminApi;

#[OpenApi(tag = "AdvancesTags::Advances")]
impl AdvancesAdminApi {
    /// Upsert contracts with their advance by external id (idempotent; up to 10,000 per call); a new amount resets what the customer pays.
    #[oai(
        path = "/contracts/sync",
        method = "post",
        operation_id = "advances_contracts_sync"
    )]
    async fn sync(
        &self,
        auth: StaffToken,
        body: Json<ContractBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.contracts;
        if let Some(r) = batch_refused("contracts", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        Ok(SyncResponse::Ok(Json(
            upsert(&auth.0.state.db, t.scope(), rows).await?,
        )))
    }
}
