//! The back-office sync of subscriptions by external id (seed 000: data
//! comes from the administration daily), through core's shared upsert
//! (`access::sync_rows`); this file checks the fields.

use chrono::NaiveDate;
use portal_core::access::sync::SyncReport;
use portal_core::access::sync_rows::{Incoming, check, upsert_by_external_id};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::Value;
use portal_core::tenant::TenantScope;

use crate::store::{COLUMNS, Product, Subscription};

/// Largest batch of one call.
pub const MAX_SUBSCRIPTIONS: usize = 10_000;

/// One subscription as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct SubscriptionRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
    #[oai(validator(max_length = 200))]
    pub name: String,
    /// `monthly`, `yearly` or `once` (one-off services are stored but never shown, seed 000).
    #[oai(validator(max_length = 40))]
    pub period: String,
    pub started_on: Option<NaiveDate>,
    pub next_invoice_on: Option<NaiveDate>,
    /// `active` or `ended`.
    #[oai(default = "active", validator(max_length = 40))]
    #[serde(default = "active")]
    pub status: String,
    #[oai(default = "eur", validator(max_length = 3))]
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
    check::required(&mut e, "external_id", &r.external_id, 100);
    check::required(&mut e, "name", &r.name, 200);
    check::one_of(&mut e, "period", &r.period, &["monthly", "yearly", "once"]);
    check::one_of(&mut e, "status", &r.status, &["active", "ended"]);
    check::currency(&mut e, &r.currency);
    check::at_most(&mut e, "products", r.products.len(), 200);
    e
}

portal_core::stored_row!(Subscription);

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
                customer_external_id: Some(&row.customer_external_id),
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
