//! Demo data (`portal demo`): each demo customer has a monthly hosting
//! subscription with a cost specification and a yearly domain name; the
//! first also a one-off service, which the pages never show (seed 000).

use chrono::{Datelike, NaiveDate};
use portal_core::module::DemoCx;

use crate::store::Product;
use crate::sync::{SubscriptionRow, upsert};

fn product(name: &str, quantity: f64, unit_cents: i64, period: &str) -> Product {
    Product {
        name: name.into(),
        quantity,
        unit_cents,
        period: period.into(),
        // Demo quantities are whole numbers.
        total_cents: unit_cents * quantity.round() as i64,
    }
}

/// The demo subscriptions of the demo customers.
pub fn rows(customers: &[String], today: NaiveDate) -> Vec<SubscriptionRow> {
    let next_month = NaiveDate::from_ymd_opt(
        today.year() + i32::from(today.month() == 12),
        today.month() % 12 + 1,
        1,
    );
    let mut out = Vec::new();
    for (c, customer) in customers.iter().enumerate() {
        out.push(SubscriptionRow {
            external_id: format!("{customer}-hosting"),
            customer_external_id: customer.clone(),
            name: "Webhosting Pro".into(),
            period: "monthly".into(),
            started_on: NaiveDate::from_ymd_opt(today.year() - 1, 3, 1),
            next_invoice_on: next_month,
            status: "active".into(),
            currency: "EUR".into(),
            products: vec![
                product("Hosting 10 GB", 1.0, 1_500, "monthly"),
                product("Extra mailbox", 2.0 + c as f64, 250, "monthly"),
                product("Dagelijkse back-up", 1.0, 300, "monthly"),
            ],
        });
        out.push(SubscriptionRow {
            external_id: format!("{customer}-domain"),
            customer_external_id: customer.clone(),
            name: "Domeinnaam".into(),
            period: "yearly".into(),
            started_on: NaiveDate::from_ymd_opt(today.year() - 2, 6, 1),
            next_invoice_on: NaiveDate::from_ymd_opt(today.year() + 1, 6, 1),
            status: "active".into(),
            currency: "EUR".into(),
            products: vec![product(".nl-domeinnaam", 1.0, 1_200, "yearly")],
        });
        if c == 0 {
            out.push(SubscriptionRow {
                external_id: format!("{customer}-ssl"),
                customer_external_id: customer.clone(),
                name: "SSL-certificaat (eenmalig)".into(),
                period: "once".into(),
                started_on: None,
                next_invoice_on: None,
                status: "active".into(),
                currency: "EUR".into(),
                products: vec![product("SSL-certificaat", 1.0, 4_900, "once")],
            });
        }
    }
    out
}

/// Writes the demo subscriptions.
///
/// # Errors
/// A database failure, or a refused row (named).
pub async fn fill(cx: &DemoCx<'_>) -> Result<(), String> {
    let today = chrono::Utc::now().date_naive();
    let report = upsert(&cx.deps.db, cx.scope(), &rows(cx.customers, today))
        .await
        .map_err(|e| e.to_string())?;
    report.all_stored("subscription")
}
