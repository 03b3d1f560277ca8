//! The back-office sync of invoices (seed 000: "data is synced daily"):
//! upserted by external id under a customer's external id, in calls of up
//! to 10,000. Idempotent: an invoice equal to what is stored reports
//! `unchanged`. Each row is checked first; a refused row writes nothing,
//! and each valid row is one statement in the call's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use portal_core::access::sync::{RowResult, RowStatus, SyncReport};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, Query};
use portal_core::tenant::TenantScope;

use crate::store::{COLUMNS, Invoice};

/// Largest batch of one call.
pub const MAX_INVOICES: usize = 10_000;

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, poem_openapi::Object)]
pub struct LineRow {
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
    pub external_id: String,
    pub customer_external_id: String,
    /// The invoice number customers see.
    pub number: String,
    /// The contract it belongs to (seed 004: invoices per contract).
    #[oai(default)]
    #[serde(default)]
    pub contract: String,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// ISO 4217, e.g. `EUR`.
    #[oai(default = "eur")]
    #[serde(default = "eur")]
    pub currency: String,
    /// Including VAT, in cents; negative for a credit.
    pub total_cents: i64,
    #[oai(default)]
    #[serde(default)]
    pub vat_cents: i64,
    /// `open`, `paid` or `refund_pending` (a credit awaiting payment processing, seed 004).
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
    let text = |s: &str, max: usize| {
        !s.trim().is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
    };
    if !text(&r.external_id, 100) {
        e.push("external_id: 1 to 100 characters".into());
    }
    if !text(&r.number, 64) {
        e.push("number: 1 to 64 characters".into());
    }
    if r.contract.chars().count() > 100 {
        e.push("contract: at most 100 characters".into());
    }
    if r.currency.len() != 3 || !r.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        e.push(format!(
            "currency: {:?} is not an ISO 4217 code such as EUR",
            r.currency
        ));
    }
    if !matches!(r.status.as_str(), "open" | "paid" | "refund_pending") {
        e.push(format!(
            "status: {:?}: open, paid or refund_pending",
            r.status
        ));
    }
    if r.status == "refund_pending" && r.refund_on.is_none() {
        e.push("refund_on: required with status refund_pending".into());
    }
    if r.lines.len() > 500 {
        e.push("lines: at most 500".into());
    }
    e
}

/// Upserts invoices by external id.
///
/// # Errors
/// A database failure (the call's transaction is rolled back).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[InvoiceRow],
) -> Result<SyncReport, DbError> {
    let customer_ids: Vec<String> = rows
        .iter()
        .map(|r| r.customer_external_id.trim().to_string())
        .collect();
    let mut customers: HashMap<String, i64> = HashMap::new();
    for chunk in customer_ids.chunks(1000) {
        let found: Vec<(String, i64)> = db
            .fetch_all(
                &scope
                    .select("core_customers")
                    .columns(["external_id", "id"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        customers.extend(found);
    }
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.external_id.trim().to_string())
        .collect();
    let mut stored: HashMap<String, Invoice> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<Invoice> = db
            .fetch_all(
                &scope
                    .select("invoices_invoices")
                    .columns(COLUMNS)
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        stored.extend(found.into_iter().map(|i| (i.external_id.clone(), i)));
    }
    let mut report = SyncReport::default();
    let mut seen = HashSet::new();
    let now = Utc::now();
    let mut tx = db.begin().await?;
    for row in rows {
        let mut errors = check(row);
        let key = row.external_id.trim().to_string();
        if !seen.insert(key.clone()) {
            errors.push("external_id: sent twice in this call".into());
        }
        let customer = customers.get(row.customer_external_id.trim()).copied();
        if customer.is_none() {
            errors.push(format!(
                "customer_external_id: no customer {:?}",
                row.customer_external_id
            ));
        }
        let lines = serde_json::to_string(&row.lines).unwrap_or_else(|_| "[]".into());
        let (Some(customer_id), true) = (customer, errors.is_empty()) else {
            report.counts.invalid += 1;
            report.rows.push(RowResult {
                external_id: row.external_id.clone(),
                status: RowStatus::Invalid,
                errors,
            });
            continue;
        };
        let values: Vec<(&str, portal_core::sea_query::Value)> = vec![
            ("customer_id", customer_id.into()),
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
        let status = match stored.get(&key) {
            Some(s) => {
                let same = s.customer_id == customer_id
                    && s.number == row.number.trim()
                    && s.contract == row.contract.trim()
                    && s.issued_on == row.issued_on
                    && s.due_on == row.due_on
                    && s.currency == row.currency
                    && s.total_cents == row.total_cents
                    && s.vat_cents == row.vat_cents
                    && s.status == row.status
                    && s.refund_on == row.refund_on
                    && s.lines_json == lines;
                if same {
                    RowStatus::Unchanged
                } else {
                    let mut q = scope.update("invoices_invoices");
                    for (c, v) in values {
                        q.value(c, v);
                    }
                    q.value("updated_at", now)
                        .and_where(Expr::col("id").eq(s.id));
                    tx.execute(&q).await?;
                    RowStatus::Updated
                }
            }
            None => {
                let mut cols = vec!["tenant_id", "external_id"];
                let mut vals: Vec<portal_core::sea_query::Value> =
                    vec![scope.tenant_id().into(), key.clone().into()];
                for (c, v) in values {
                    cols.push(c);
                    vals.push(v);
                }
                cols.extend(["created_at", "updated_at"]);
                vals.extend([now.into(), now.into()]);
                let q = Query::insert()
                    .into_table("invoices_invoices")
                    .columns(cols)
                    .values_panic(vals.into_iter().map(Into::into))
                    .to_owned();
                tx.execute(&q).await?;
                RowStatus::Created
            }
        };
        match status {
            RowStatus::Created => report.counts.created += 1,
            RowStatus::Updated => report.counts.updated += 1,
            RowStatus::Unchanged => report.counts.unchanged += 1,
            RowStatus::Invalid => report.counts.invalid += 1,
        }
        report.rows.push(RowResult {
            external_id: row.external_id.clone(),
            status,
            errors: Vec::new(),
        });
    }
    tx.commit().await?;
    Ok(report)
}
