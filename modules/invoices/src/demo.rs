//! Demo data (`portal demo`): for each demo customer a year of monthly
//! invoices with a line each, the last two open, the rest paid, and for the
//! first customer a credit awaiting payment processing (seed 004's refund
//! notice). Upserted by external id, so a second run changes nothing.

use chrono::{Datelike, Months, NaiveDate};
use portal_core::module::DemoCx;

use crate::sync::{InvoiceRow, LineRow, upsert};

/// The demo invoices of the demo customers, up to `today`.
pub fn rows(customers: &[String], today: NaiveDate) -> Vec<InvoiceRow> {
    let first_of_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let mut out = Vec::new();
    for (c, customer) in customers.iter().enumerate() {
        let base = 2_500 + 1_000 * i64::try_from(c).unwrap_or(0);
        for m in 1..=12u32 {
            let issued = first_of_month - Months::new(m);
            let net = base + i64::from(m % 3) * 125;
            let vat = net * 21 / 100;
            out.push(InvoiceRow {
                external_id: format!("{customer}-{}", issued.format("%Y%m")),
                customer_external_id: customer.clone(),
                number: format!(
                    "{}{:02}-{:04}",
                    issued.year(),
                    issued.month(),
                    1000 + c * 100 + m as usize
                ),
                contract: String::new(),
                issued_on: issued,
                due_on: Some(issued + chrono::Days::new(14)),
                currency: "EUR".into(),
                total_cents: net + vat,
                vat_cents: vat,
                status: if m <= 2 { "open" } else { "paid" }.into(),
                refund_on: None,
                lines: vec![LineRow {
                    description: format!("Webhosting en e-mail, {}", issued.format("%m-%Y")),
                    quantity: 1.0,
                    unit_cents: net,
                    total_cents: net,
                    vat_percent: 21.0,
                }],
            });
        }
        if c == 0 {
            out.push(InvoiceRow {
                external_id: format!("{customer}-credit"),
                customer_external_id: customer.clone(),
                number: format!("{}-CR-0001", today.year()),
                contract: String::new(),
                // Anchored to the month, so runs within it change nothing.
                issued_on: first_of_month,
                due_on: None,
                currency: "EUR".into(),
                total_cents: -4_235,
                vat_cents: -735,
                status: "refund_pending".into(),
                refund_on: Some(first_of_month + Months::new(1)),
                lines: vec![LineRow {
                    description: "Creditering dubbel gefactureerde mailbox".into(),
                    quantity: 1.0,
                    unit_cents: -3_500,
                    total_cents: -3_500,
                    vat_percent: 21.0,
                }],
            });
        }
    }
    out
}

/// Writes the demo invoices.
///
/// # Errors
/// A database failure, or a refused row (named).
pub async fn fill(cx: &DemoCx<'_>) -> Result<(), String> {
    let today = chrono::Utc::now().date_naive();
    let report = upsert(&cx.deps.db, cx.scope(), &rows(cx.customers, today))
        .await
        .map_err(|e| e.to_string())?;
    report.all_stored("invoice")
}
