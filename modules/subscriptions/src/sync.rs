//! The back-office sync of subscriptions by external id (seed 000: data
//! comes from the administration daily). Idempotent; a refused row names
//! its problems and writes nothing; each valid row is one statement in the
//! call's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use portal_core::access::sync::{RowResult, RowStatus, SyncReport};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, Query, Value};
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

/// Upserts subscriptions by external id.
///
/// # Errors
/// A database failure (the call's transaction is rolled back).
pub async fn upsert(
    db: &Db,
    scope: TenantScope,
    rows: &[SubscriptionRow],
) -> Result<SyncReport, DbError> {
    let wanted: Vec<String> = rows
        .iter()
        .map(|r| r.customer_external_id.trim().to_string())
        .collect();
    let mut customers: HashMap<String, i64> = HashMap::new();
    for chunk in wanted.chunks(1000) {
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
    let mut stored: HashMap<String, Subscription> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<Subscription> = db
            .fetch_all(
                &scope
                    .select("subscriptions_subscriptions")
                    .columns(COLUMNS)
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        stored.extend(found.into_iter().map(|s| (s.external_id.clone(), s)));
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
        let products = serde_json::to_string(&row.products).unwrap_or_else(|_| "[]".into());
        let (Some(customer_id), true) = (customer, errors.is_empty()) else {
            report.counts.invalid += 1;
            report.rows.push(RowResult {
                external_id: row.external_id.clone(),
                status: RowStatus::Invalid,
                errors,
            });
            continue;
        };
        let values: Vec<(&str, Value)> = vec![
            ("customer_id", customer_id.into()),
            ("name", row.name.trim().into()),
            ("period", row.period.clone().into()),
            ("started_on", row.started_on.into()),
            ("next_invoice_on", row.next_invoice_on.into()),
            ("status", row.status.clone().into()),
            ("currency", row.currency.clone().into()),
            ("products_json", products.clone().into()),
        ];
        let status = match stored.get(&key) {
            Some(s)
                if s.customer_id == customer_id
                    && s.name == row.name.trim()
                    && s.period == row.period
                    && s.started_on == row.started_on
                    && s.next_invoice_on == row.next_invoice_on
                    && s.status == row.status
                    && s.currency == row.currency
                    && s.products_json == products =>
            {
                RowStatus::Unchanged
            }
            Some(s) => {
                let mut q = scope.update("subscriptions_subscriptions");
                for (c, v) in values {
                    q.value(c, v);
                }
                q.value("updated_at", now)
                    .and_where(Expr::col("id").eq(s.id));
                tx.execute(&q).await?;
                RowStatus::Updated
            }
            None => {
                let mut cols = vec!["tenant_id", "external_id"];
                let mut vals: Vec<Value> = vec![scope.tenant_id().into(), key.clone().into()];
                for (c, v) in values {
                    cols.push(c);
                    vals.push(v);
                }
                cols.extend(["created_at", "updated_at"]);
                vals.extend([now.into(), now.into()]);
                tx.execute(
                    &Query::insert()
                        .into_table("subscriptions_subscriptions")
                        .columns(cols)
                        .values_panic(vals.into_iter().map(Into::into))
                        .to_owned(),
                )
                .await?;
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
