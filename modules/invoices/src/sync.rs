//! The back-office sync of invoices (seed 000: "data is synced daily"):
//! upserted by external id under a customer's external id, in calls of up
//! to 10,000, through core's shared upsert (`access::sync_rows`):
//! idempotent, a refused row writes nothing, each valid row is one
//! statement in the call's transaction. This file checks the fields.

use chrono::NaiveDate;
use portal_core::access::sync::SyncReport;
use portal_core::access::sync_rows::{Incoming, check, upsert_by_external_id};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::Value;
use portal_core::tenant::TenantScope;

use crate::store::{COLUMNS, Invoice};

/// Largest batch of one call.
pub const MAX_INVOICES: usize = 10_000;

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, poem_openapi::Object)]
pub struct LineRow {
    #[oai(validator(max_length = 500))]
    pub description: String,
    #[oai(default = "one")]
    #[serde(default = "one")]
    pub quantity: f64,
    pub unit_cents: i64,
    pub total_cents: i64,
    /// e.g. 21 for 21 % VAT.
    #[oai(default)]
    #[serde(default)]
    pub vat_percent: f64,
}

fn one() -> f64 {
    1.0
}

/// One invoice as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct InvoiceRow {
    /// The back-office's id: the key of the upsert.
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
    /// The invoice number customers see.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub number: String,
    /// The contract it belongs to (seed 004: invoices per contract).
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub contract: String,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// ISO 4217, e.g. `EUR`.
    #[oai(default = "eur", validator(max_length = 3))]
    #[serde(default = "eur")]
    pub currency: String,
    /// Including VAT, in cents; negative for a credit.
    pub total_cents: i64,
    #[oai(default)]
    #[serde(default)]
    pub vat_cents: i64,
    /// `open`, `paid` or `refund_pending` (a credit awaiting payment processing, seed 004).
    #[oai(validator(max_length = 40))]
    pub status: String,
    /// The date a `refund_pending` credit is paid back.
    pub refund_on: Option<NaiveDate>,
    #[oai(default)]
    #[serde(default)]
    pub lines: Vec<LineRow>,
}

fn eur() -> String {
    "EUR".into()
}

fn check(r: &InvoiceRow) -> Vec<String> {
    let mut e = Vec::new();
    check::required(&mut e, "external_id", &r.external_id, 100);
    check::required(&mut e, "number", &r.number, 64);
    check::optional(&mut e, "contract", &r.contract, 100);
    check::required(&mut e, "customer_external_id", &r.customer_external_id, 100);
    if r.lines
        .iter()
        .any(|l| l.description.chars().count() > 500 || l.description.chars().any(char::is_control))
    {
        e.push("lines: a description is at most 500 characters, without control characters".into());
    }
    check::currency(&mut e, &r.currency);
    check::one_of(
        &mut e,
        "status",
        &r.status,
        &["open", "paid", "refund_pending"],
    );
    if r.status == "refund_pending" && r.refund_on.is_none() {
        e.push("refund_on: required with status refund_pending".into());
    }
    check::at_most(&mut e, "lines", r.lines.len(), 500);
    e
}

portal_core::stored_row!(Invoice);

/// Upserts invoices by external id.
///
/// # Errors
/// A database failure (the call's transaction is rolled back).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[InvoiceRow],
) -> Result<SyncReport, DbError> {
    let incoming = rows
        .iter()
        .map(|row| {
            let lines = serde_json::to_string(&row.lines).unwrap_or_else(|_| "[]".into());
            let values: Vec<(&'static str, Value)> = vec![
                ("number", row.number.trim().into()),
                ("contract", row.contract.trim().into()),
                ("issued_on", row.issued_on.into()),
                ("due_on", row.due_on.into()),
                ("currency", row.currency.clone().into()),
                ("total_cents", row.total_cents.into()),
                ("vat_cents", row.vat_cents.into()),
                ("status", row.status.clone().into()),
                ("refund_on", row.refund_on.into()),
                ("lines_json", lines.clone().into()),
            ];
            Incoming {
                external_id: &row.external_id,
                customer_external_id: Some(&row.customer_external_id),
                errors: check(row),
                values,
                same: Box::new(move |s: &Invoice| {
                    s.number == row.number.trim()
                        && s.contract == row.contract.trim()
                        && s.issued_on == row.issued_on
                        && s.due_on == row.due_on
                        && s.currency == row.currency
                        && s.total_cents == row.total_cents
                        && s.vat_cents == row.vat_cents
                        && s.status == row.status
                        && s.refund_on == row.refund_on
                        && s.lines_json == lines
                }),
            }
        })
        .collect();
    upsert_by_external_id(db, scope, "invoices_invoices", COLUMNS, incoming).await
}
