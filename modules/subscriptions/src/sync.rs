//! The back-office sync of subscriptions by external id (seed 000: data
//! comes from the administration daily), through core's shared upsert
//! (`access::sync_rows`); this file checks the fields.

use chrono::NaiveDate;
use portal_core::access::sync::SyncReport;
use portal_core::access::sync_rows::{Incoming, Stored, upsert_by_external_id};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::Value;
use portal_core::tenant::TenantScope;

use crate::store::{COLUMNS, Product, Subscription};

/// Largest batch of one call.
pub const MAX_SUBSCRIPTIONS: usize = 10_000;

/// One subscription as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct SubscriptionRow {
    pub external_id: String,
    pub customer_external_id: String,
    pub name: String,
    /// `monthly`, `yearly` or `once` (one-off services are stored but never shown, seed 000).
    pub period: String,
    pub started_on: Option<NaiveDate>,
    pub next_invoice_on: Option<NaiveDate>,
    /// `active` or `ended`.
    #[oai(default = "active")]
    #[serde(default = "active")]
    pub status: String,
    #[oai(default = "eur")]
    #[serde(default = "eur")]
    pub currency: String,
    #[oai(default)]
    #[serde(default)]
    pub products: Vec<Product>,
}

fn active() -> String {
    "active".into()
}

fn eur() -> String {
    "EUR".into()
}

fn check(r: &SubscriptionRow) -> Vec<String> {
    let mut e = Vec::new();
    let text = |s: &str, max: usize| {
        !s.trim().is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
    };
    if !text(&r.external_id, 100) {
        e.push("external_id: 1 to 100 characters".into());
    }
    if !text(&r.name, 200) {
        e.push("name: 1 to 200 characters".into());
    }
    if !matches!(r.period.as_str(), "monthly" | "yearly" | "once") {
        e.push(format!("period: {:?}: monthly, yearly or once", r.period));
    }
    if !matches!(r.status.as_str(), "active" | "ended") {
        e.push(format!("status: {:?}: active or ended", r.status));
    }
    if r.currency.len() != 3 || !r.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        e.push(format!(
            "currency: {:?} is not an ISO 4217 code such as EUR",
            r.currency
        ));
    }
    if r.products.len() > 200 {
        e.push("products: at most 200".into());
    }
    e
}

impl Stored for Subscription {
    fn id(&self) -> i64 {
        self.id
    }
    fn external_id(&self) -> &str {
        &self.external_id
    }
    fn customer_id(&self) -> i64 {
        self.customer_id
    }
}

/// Upserts subscriptions by external id.
///
/// # Errors
/// A database failure (the call's transaction is rolled back).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[SubscriptionRow],
) -> Result<SyncReport, DbError> {
    let incoming = rows
        .iter()
        .map(|row| {
            let products = serde_json::to_string(&row.products).unwrap_or_else(|_| "[]".into());
            let values: Vec<(&'static str, Value)> = vec![
                ("name", row.name.trim().into()),
                ("period", row.period.clone().into()),
                ("started_on", row.started_on.into()),
                ("next_invoice_on", row.next_invoice_on.into()),
                ("status", row.status.clone().into()),
                ("currency", row.currency.clone().into()),
                ("products_json", products.clone().into()),
            ];
            Incoming {
                external_id: &row.external_id,
                customer_external_id: &row.customer_external_id,
                errors: check(row),
                values,
                same: Box::new(move |s: &Subscription| {
                    s.name == row.name.trim()
                        && s.period == row.period
                        && s.started_on == row.started_on
                        && s.next_invoice_on == row.next_invoice_on
                        && s.status == row.status
                        && s.currency == row.currency
                        && s.products_json == products
                }),
            }
        })
        .collect();
    upsert_by_external_id(db, scope, "subscriptions_subscriptions", &COLUMNS, incoming).await
}
