//! The back-office upsert that every module's data shares (invoices,
//! subscriptions, tickets, ...): rows keyed by the back-office's external
//! id, each under a customer named by its external id, written into the
//! module's table in one transaction per call. The module checks its own
//! fields and says how a stored row compares; this does the rest the same
//! way for all: customers and stored rows read once per call (in chunks),
//! a row sent twice refused, an unknown customer refused, a refused row
//! writing nothing, an equal row reported `unchanged` and not written.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_query::{Expr, ExprTrait, Query, Value};

use super::sync::{RowResult, RowStatus, SyncReport};
use crate::db::{Db, DbError, Row};
use crate::tenant::TenantScope;

/// Checks of the fields a back-office row sends, each giving the message
/// for the row's errors (`field: what is allowed`), so every module says
/// it the same way.
pub mod check {
    /// A required text of 1 to `max` characters without control characters.
    pub fn required(errors: &mut Vec<String>, field: &str, value: &str, max: usize) {
        if value.trim().is_empty()
            || value.chars().count() > max
            || value.chars().any(char::is_control)
        {
            errors.push(format!("{field}: 1 to {max} characters"));
        }
    }

    /// An optional text of at most `max` characters without control characters.
    pub fn optional(errors: &mut Vec<String>, field: &str, value: &str, max: usize) {
        if value.chars().count() > max || value.chars().any(char::is_control) {
            errors.push(format!(
                "{field}: at most {max} characters, no control characters"
            ));
        }
    }

    /// One of `allowed`.
    pub fn one_of(errors: &mut Vec<String>, field: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            let list = match allowed.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => allowed.join(""),
            };
            errors.push(format!("{field}: {value:?}: {list}"));
        }
    }

    /// An ISO 4217 currency code such as EUR.
    pub fn currency(errors: &mut Vec<String>, value: &str) {
        if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(format!(
                "currency: {value:?} is not an ISO 4217 code such as EUR"
            ));
        }
    }

    /// At most `max` items.
    pub fn at_most(errors: &mut Vec<String>, field: &str, count: usize, max: usize) {
        if count > max {
            errors.push(format!("{field}: at most {max}"));
        }
    }
}

/// A stored row as the upsert needs to know it.
pub trait Stored: Row {
    fn id(&self) -> i64;
    fn external_id(&self) -> &str;
    fn customer_id(&self) -> i64;
}

/// Implements [`Stored`] for row types with the fields `id`,
/// `external_id` and `customer_id`: `portal_core::stored_row!(Invoice, Payment);`.
#[macro_export]
macro_rules! stored_row {
    ($($row:ty),+ $(,)?) => {$(
        impl $crate::access::sync_rows::Stored for $row {
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
    )+};
}

/// One row the back-office sent, as the module prepared it.
pub struct Incoming<'a, S> {
    pub external_id: &'a str,
    /// The row's customer; `None` for a row that names it through another
    /// reference (a location) that was not found, which the module's
    /// `errors` already say (no second error about a field the row does
    /// not have).
    pub customer_external_id: Option<&'a str>,
    /// The module's own findings about the row's fields.
    pub errors: Vec<String>,
    /// The columns to write, except tenant, customer, external id and times.
    pub values: Vec<(&'static str, Value)>,
    /// True when the stored row already holds these values.
    pub same: Box<dyn Fn(&S) -> bool + Send + 'a>,
}

/// The tenant's customers with these external ids: external id -> id.
///
/// # Errors
/// A database failure.
pub async fn customers_by_external_id(
    db: &Db,
    scope: TenantScope,
    ids: &[String],
) -> Result<HashMap<String, i64>, DbError> {
    let mut out = HashMap::new();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(1000) {
        let found: Vec<(String, i64)> = db
            .fetch_all_unprepared(
                &scope
                    .select("core_customers")
                    .columns(["external_id", "id"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// The tenant's locations with these external ids: external id ->
/// (location id, its customer's external id), for module rows that name
/// their location (a logbook's checkpoint, a meter).
///
/// # Errors
/// A database failure.
pub async fn locations_by_external_id(
    db: &Db,
    scope: TenantScope,
    ids: &[String],
) -> Result<HashMap<String, (i64, String)>, DbError> {
    let mut ids: Vec<String> = ids.iter().map(|s| s.trim().to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(String, i64, Option<String>)> = db
            .fetch_all_unprepared(
                &scope
                    .select("core_locations")
                    .column(("core_locations", "external_id"))
                    .column(("core_locations", "id"))
                    .column(("core_customers", "external_id"))
                    .inner_join(
                        "core_customers",
                        Expr::col(("core_customers", "id"))
                            .equals(("core_locations", "customer_id")),
                    )
                    .and_where(
                        Expr::col(("core_locations", "external_id")).is_in(chunk.iter().cloned()),
                    )
                    .to_owned(),
            )
            .await?;
        out.extend(
            rows.into_iter()
                .map(|(e, id, c)| (e, (id, c.unwrap_or_default()))),
        );
    }
    Ok(out)
}

/// The location a row names by external id, or the row's error saying so.
pub fn location_of<'a>(
    locations: &'a HashMap<String, (i64, String)>,
    external_id: &str,
    errors: &mut Vec<String>,
) -> Option<&'a (i64, String)> {
    let found = locations.get(external_id.trim());
    if found.is_none() {
        errors.push(format!(
            "location_external_id: no location {external_id:?} (sync the customer's locations first)"
        ));
    }
    found
}

/// Upserts `rows` into `table` (whose `columns` decode into `S`).
///
/// # Errors
/// A database failure (the call's transaction is rolled back).
pub async fn upsert_by_external_id<S: Stored>(
    db: &Db,
    scope: TenantScope,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Incoming<'_, S>>,
) -> Result<SyncReport, DbError> {
    let mut tx = db.begin().await?;
    let report = upsert_in(db, &mut tx, scope, table, columns, rows).await?;
    tx.commit().await?;
    refresh_statistics(db, table, report.counts.created).await?;
    Ok(report)
}

/// Like [`upsert_by_external_id`], inside the caller's transaction, for a
/// module that writes more in the same commit (a visit's observations, a
/// recommendation's history): nothing is committed here.
///
/// # Errors
/// A database failure (roll the transaction back).
pub async fn upsert_in<S: Stored>(
    db: &Db,
    tx: &mut crate::db::Tx,
    scope: TenantScope,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Incoming<'_, S>>,
) -> Result<SyncReport, DbError> {
    let wanted: Vec<String> = rows
        .iter()
        .filter_map(|r| r.customer_external_id)
        .map(|c| c.trim().to_string())
        .collect();
    let customers = customers_by_external_id(db, scope, &wanted).await?;
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.external_id.trim().to_string())
        .collect();
    let mut stored: HashMap<String, S> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<S> = db
            .fetch_all_unprepared(
                &scope
                    .select(table)
                    .columns(columns.iter().copied())
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        stored.extend(found.into_iter().map(|s| (s.external_id().to_string(), s)));
    }
    let mut report = SyncReport::default();
    let mut seen = HashSet::new();
    let now = Utc::now();
    let mut pending_cols: Option<Vec<&'static str>> = None;
    let mut pending: Vec<Vec<Value>> = Vec::new();
    for row in rows {
        let mut errors = row.errors;
        let key = row.external_id.trim().to_string();
        if !seen.insert(key.clone()) {
            errors.push("external_id: sent twice in this call".into());
        }
        let customer = row
            .customer_external_id
            .and_then(|c| customers.get(c.trim()).copied());
        match row.customer_external_id {
            Some(c) if customer.is_none() => errors.push(format!(
                "customer_external_id: no customer {c:?} (sync the customer first)"
            )),
            // The module's contract: a failed reference says so itself.
            None if errors.is_empty() => errors.push("customer: not found".into()),
            _ => {}
        }
        let (Some(customer_id), true) = (customer, errors.is_empty()) else {
            report.counts.invalid += 1;
            report.rows.push(RowResult {
                external_id: row.external_id.to_string(),
                status: RowStatus::Invalid,
                errors,
                conflicts: Vec::new(),
            });
            continue;
        };
        let status = match stored.get(&key) {
            Some(s) if s.customer_id() == customer_id && (row.same)(s) => RowStatus::Unchanged,
            Some(s) => {
                let mut q = scope.update(table);
                q.value("customer_id", customer_id);
                for (c, v) in row.values {
                    q.value(c, v);
                }
                q.value("updated_at", now)
                    .and_where(Expr::col("id").eq(s.id()));
                tx.execute(&q).await?;
                RowStatus::Updated
            }
            None => {
                let mut cols = vec![
                    "tenant_id",
                    "customer_id",
                    "external_id",
                    "created_at",
                    "updated_at",
                ];
                let mut vals: Vec<Value> = vec![
                    scope.tenant_id().into(),
                    customer_id.into(),
                    key.clone().into(),
                    now.into(),
                    now.into(),
                ];
                for (c, v) in row.values {
                    cols.push(c);
                    vals.push(v);
                }
                // New rows go in multi-row statements; a row with other
                // columns than the batch's starts a batch of its own.
                if pending_cols.as_ref().is_some_and(|p| *p != cols)
                    || pending.len() >= INSERT_BATCH
                {
                    flush(tx, table, &mut pending_cols, &mut pending).await?;
                }
                pending_cols.get_or_insert(cols);
                pending.push(vals);
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
            external_id: row.external_id.to_string(),
            status,
            errors: Vec::new(),
            conflicts: Vec::new(),
        });
    }
    flush(tx, table, &mut pending_cols, &mut pending).await?;
    Ok(report)
}

/// After a large import, PostgreSQL's planner still believes the table is
/// as small as at its last `ANALYZE` (and without autovacuum it never
/// learns otherwise): the invoice list of a tenant with 1,000,000 freshly
/// imported invoices then took seconds instead of a millisecond. Analyze
/// when this call grew the table by more than a tenth (at least 1,000 rows).
pub async fn refresh_statistics(db: &Db, table: &'static str, created: u64) -> Result<(), DbError> {
    if db.backend() != crate::db::Backend::Postgres || created < 1000 {
        return Ok(());
    }
    let q = sea_query::Query::select()
        .expr(Expr::cust("reltuples::float8"))
        .from("pg_class")
        .and_where(Expr::col("relname").eq(table))
        .to_owned();
    let (known,): (f64,) = db.fetch_optional(&q).await?.unwrap_or((0.0,));
    #[allow(clippy::cast_precision_loss)]
    let grown = created as f64 > known.max(0.0) * 0.1;
    if grown {
        db.analyze(table).await?;
    }
    Ok(())
}

/// New rows per INSERT (at 20 columns, 10,000 bound values: within SQLite's
/// and PostgreSQL's limits).
const INSERT_BATCH: usize = 500;

/// Inserts the waiting new rows in one statement.
async fn flush(
    tx: &mut crate::db::Tx,
    table: &'static str,
    cols: &mut Option<Vec<&'static str>>,
    rows: &mut Vec<Vec<Value>>,
) -> Result<(), DbError> {
    let (Some(columns), false) = (cols.take(), rows.is_empty()) else {
        rows.clear();
        return Ok(());
    };
    let mut q = Query::insert();
    q.into_table(table).columns(columns);
    for r in rows.drain(..) {
        q.values_panic(r.into_iter().map(Into::into));
    }
    tx.execute(&q).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn field_checks_name_the_field_and_what_is_allowed() {
        let mut e = Vec::new();
        check::required(&mut e, "name", "  ", 10);
        check::required(&mut e, "number", "ok", 10);
        check::optional(&mut e, "contract", "a\u{7}b", 10);
        check::one_of(&mut e, "period", "weekly", &["monthly", "yearly", "once"]);
        check::currency(&mut e, "eur");
        check::at_most(&mut e, "lines", 3, 2);
        assert_eq!(
            e,
            [
                "name: 1 to 10 characters",
                "contract: at most 10 characters, no control characters",
                "period: \"weekly\": monthly, yearly or once",
                "currency: \"eur\" is not an ISO 4217 code such as EUR",
                "lines: at most 2",
            ]
        );
    }
}
