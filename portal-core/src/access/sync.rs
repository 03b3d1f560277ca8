//! The back-office sync (seed 000: "data comes from our administration
//! daily"): customers with their locations, upserted by external id, in
//! bulk. Idempotent: a row equal to what is stored reports `unchanged` and
//! writes nothing. Every row is validated before anything is written, so a
//! refused row changes nothing and the valid rows of the same call are
//! applied together in one transaction.
//!
//! Speed comes from reading the tenant's customers and locations once per
//! call, inserting new rows in multi-row statements and updating only what
//! changed.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use sea_query::{Expr, ExprTrait, Query};

use super::portal_changes;
use crate::db::{Db, DbError, Tx};
use crate::tenant::TenantScope;

/// One location of a customer as the back-office sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize, poem_openapi::Object)]
pub struct LocationRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(default, validator(max_length = 200))]
    #[serde(default)]
    pub name: String,
    /// The address as lines of text.
    #[oai(default, validator(max_length = 500))]
    #[serde(default)]
    pub address: String,
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// One customer as the back-office sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize, poem_openapi::Object)]
pub struct CustomerRow {
    /// The back-office's id of the customer: the key of the upsert.
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    /// The customer number customers log in with (unique per tenant).
    #[oai(validator(min_length = 1, max_length = 64))]
    pub number: String,
    #[oai(default, validator(max_length = 200))]
    #[serde(default)]
    pub name: String,
    /// The parent customer ("domein contractant", seed 002), by its external id.
    #[oai(validator(max_length = 100))]
    pub parent_external_id: Option<String>,
    #[oai(default, validator(max_length = 254))]
    #[serde(default)]
    pub email: String,
    #[oai(default, validator(max_length = 50))]
    #[serde(default)]
    pub phone: String,
    /// As the details page shows it, e.g. "Automatische incasso".
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub payment_method: String,
    #[oai(default, validator(max_length = 500))]
    #[serde(default)]
    pub invoice_address: String,
    /// Only when it differs from the invoice address.
    #[oai(default, validator(max_length = 500))]
    #[serde(default)]
    pub correspondence_address: String,
    /// False deactivates the customer: its accounts can no longer log in.
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub active: bool,
    /// The customer's locations; absent leaves them as they are.
    pub locations: Option<Vec<LocationRow>>,
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Created,
    Updated,
    Unchanged,
    /// Refused: see `errors`; nothing of this row was written.
    Invalid,
}

/// The outcome of one row, by its external id.
#[derive(Debug, Clone, serde::Serialize, poem_openapi::Object)]
pub struct RowResult {
    pub external_id: String,
    pub status: RowStatus,
    pub errors: Vec<String>,
    /// Fields this row did not overwrite because the customer changed them
    /// in the portal and the change waits for processing: each names the
    /// field, both values and the change to confirm (`portal_changes`).
    /// The row's other fields were applied.
    pub conflicts: Vec<String>,
}

/// Counts over a whole call.
#[derive(Debug, Clone, Default, serde::Serialize, poem_openapi::Object)]
pub struct SyncCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
    /// Rows with at least one field held back (see `RowResult::conflicts`).
    pub conflicts: u64,
}

/// The outcome of a call.
#[derive(Debug, Clone, Default, serde::Serialize, poem_openapi::Object)]
pub struct SyncReport {
    pub counts: SyncCounts,
    /// One per row, in the order sent.
    pub rows: Vec<RowResult>,
}

impl SyncReport {
    /// `Err` naming the first refused row (`what`: "invoice", ...), for
    /// demo data, which must be valid.
    ///
    /// # Errors
    /// A row was refused.
    pub fn all_stored(&self, what: &str) -> Result<(), String> {
        match self.rows.iter().find(|r| !r.errors.is_empty()) {
            Some(r) => Err(format!(
                "{what} {} refused: {}",
                r.external_id,
                r.errors.join("; ")
            )),
            None => Ok(()),
        }
    }
}

/// Largest batch of one call.
pub const MAX_ROWS: usize = 10_000;

#[derive(sqlx::FromRow, Debug, Clone)]
struct StoredCustomer {
    id: i64,
    external_id: Option<String>,
    number: String,
    name: String,
    parent_id: Option<i64>,
    email: String,
    phone: String,
    payment_method: String,
    invoice_address: String,
    correspondence_address: String,
    active: bool,
}
crate::from_sqlite! {
    StoredCustomer { id, external_id, number, name, parent_id, email, phone, payment_method,
        invoice_address, correspondence_address, active }
}

#[derive(sqlx::FromRow, Debug, Clone)]
struct StoredLocation {
    id: i64,
    customer_id: i64,
    external_id: Option<String>,
    name: String,
    address: String,
    active: bool,
}
crate::from_sqlite! {
    StoredLocation { id, customer_id, external_id, name, address, active }
}

fn text_ok(errors: &mut Vec<String>, field: &str, value: &str, max: usize, required: bool) {
    if required && value.trim().is_empty() {
        errors.push(format!("{field} is required"));
    } else if value.chars().count() > max {
        errors.push(format!("{field} is longer than {max} characters"));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        errors.push(format!("{field} contains control characters"));
    }
}

/// Checks the rows on their own and against each other and what is stored.
fn validate(
    rows: &[CustomerRow],
    by_ext: &HashMap<&str, &StoredCustomer>,
    by_number: &HashMap<&str, &StoredCustomer>,
    loc_by_ext: &HashMap<&str, &StoredLocation>,
) -> Vec<Vec<String>> {
    let mut seen_ext = HashSet::new();
    let mut seen_number = HashSet::new();
    let mut seen_loc = HashSet::new();
    let batch_ext: HashSet<&str> = rows.iter().map(|r| r.external_id.trim()).collect();
    rows.iter()
        .map(|r| {
            let mut e = Vec::new();
            let ext = r.external_id.trim();
            text_ok(&mut e, "external_id", ext, 100, true);
            text_ok(&mut e, "number", r.number.trim(), 64, true);
            text_ok(&mut e, "name", &r.name, 200, false);
            text_ok(&mut e, "phone", &r.phone, 50, false);
            text_ok(&mut e, "payment_method", &r.payment_method, 100, false);
            text_ok(&mut e, "invoice_address", &r.invoice_address, 500, false);
            text_ok(
                &mut e,
                "correspondence_address",
                &r.correspondence_address,
                500,
                false,
            );
            if !r.email.trim().is_empty() && !crate::auth::accounts::valid_email(&r.email) {
                e.push(format!("email {:?} is not an e-mail address", r.email));
            }
            if !ext.is_empty() && !seen_ext.insert(ext) {
                e.push("external_id appears twice in this call".into());
            }
            let number = r.number.trim();
            if !number.is_empty() && !seen_number.insert(number) {
                e.push(format!("number {number:?} appears twice in this call"));
            }
            if let Some(owner) = by_number.get(number)
                && owner.external_id.as_deref().is_some_and(|x| x != ext)
            {
                e.push(format!("number {number:?} belongs to another customer"));
            }
            if let Some(p) = r.parent_external_id.as_deref().map(str::trim) {
                if p == ext {
                    e.push("a customer cannot be its own parent".into());
                } else if !batch_ext.contains(p) && !by_ext.contains_key(p) {
                    e.push(format!("parent_external_id {p:?} is not a known customer"));
                }
            }
            for l in r.locations.iter().flatten() {
                let lx = l.external_id.trim();
                text_ok(&mut e, "locations.external_id", lx, 100, true);
                text_ok(&mut e, "locations.name", &l.name, 200, false);
                text_ok(&mut e, "locations.address", &l.address, 500, false);
                if !lx.is_empty() && !seen_loc.insert(lx) {
                    e.push(format!("location {lx:?} appears twice in this call"));
                }
                let owner = loc_by_ext.get(lx).map(|s| s.customer_id);
                let mine = by_ext.get(ext).map(|c| c.id);
                if owner.is_some() && owner != mine {
                    e.push(format!("location {lx:?} belongs to another customer"));
                }
            }
            e
        })
        .collect()
}

fn differs(s: &StoredCustomer, r: &CustomerRow, parent: Option<i64>) -> bool {
    s.number != r.number.trim()
        || s.name != r.name.trim()
        || s.email != r.email.trim()
        || s.phone != r.phone.trim()
        || s.payment_method != r.payment_method.trim()
        || s.invoice_address != r.invoice_address.trim()
        || s.correspondence_address != r.correspondence_address.trim()
        || s.active != r.active
        || s.parent_id != parent
        || s.external_id.as_deref() != Some(r.external_id.trim())
}

const CUSTOMER_COLUMNS: [&str; 11] = [
    "id",
    "external_id",
    "number",
    "name",
    "parent_id",
    "email",
    "phone",
    "payment_method",
    "invoice_address",
    "correspondence_address",
    "active",
];

/// Rows of `table` whose `column` is one of `values`. On SQLite the values
/// travel as one bound JSON array (`json_each`): one statement whatever the
/// count, and much faster there than an `IN` list of thousands of bound
/// values. On PostgreSQL an `IN` list per 5,000 values, planned for its
/// values ([`Db::fetch_all_unprepared`]). `column` and
/// `table` are names from this file, never input.
async fn select_in<T: crate::db::Row, V: serde::Serialize + Into<sea_query::Value> + Clone>(
    db: &Db,
    scope: TenantScope,
    table: &'static str,
    columns: &[&str],
    column: &str,
    values: &[V],
) -> Result<Vec<T>, DbError> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let select = || {
        scope
            .select(table)
            .columns(columns.iter().map(|c| c.to_string()))
            .to_owned()
    };
    if db.backend() == crate::db::Backend::Sqlite {
        let json = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
        let q = select()
            .and_where(Expr::cust_with_values(
                format!("\"{column}\" IN (SELECT value FROM json_each(?))"),
                [json],
            ))
            .to_owned();
        return db.fetch_all_bulk::<T>(&q).await;
    }
    let mut out = Vec::new();
    for chunk in values.chunks(5_000) {
        let q = select()
            .and_where(Expr::col(column.to_string()).is_in(chunk.iter().cloned().map(Into::into)))
            .to_owned();
        // Planned with its values: a cached generic plan compares every
        // row of the tenant with the whole list (a 100,000-customer sync
        // took minutes).
        out.extend(db.fetch_all_unprepared::<T>(&q).await?);
    }
    Ok(out)
}

/// The stored customers a batch touches: by external id (its own and its
/// parents'), and by number where a row is new or changes its number (to
/// adopt a customer made before the sync, or to refuse a taken number).
async fn load_customers(
    db: &Db,
    scope: TenantScope,
    rows: &[CustomerRow],
) -> Result<Vec<StoredCustomer>, DbError> {
    let exts: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            std::iter::once(r.external_id.trim())
                .chain(r.parent_external_id.as_deref().map(str::trim))
        })
        .map(str::to_string)
        .collect();
    let mut found: Vec<StoredCustomer> = select_in(
        db,
        scope,
        "core_customers",
        &CUSTOMER_COLUMNS,
        "external_id",
        &exts,
    )
    .await?;
    let number_of: HashMap<&str, &str> = found
        .iter()
        .filter_map(|c| c.external_id.as_deref().map(|x| (x, c.number.as_str())))
        .collect();
    let numbers: Vec<String> = rows
        .iter()
        .filter(|r| number_of.get(r.external_id.trim()) != Some(&r.number.trim()))
        .map(|r| r.number.trim().to_string())
        .collect();
    let by_number: Vec<StoredCustomer> = select_in(
        db,
        scope,
        "core_customers",
        &CUSTOMER_COLUMNS,
        "number",
        &numbers,
    )
    .await?;
    let known: HashSet<i64> = found.iter().map(|c| c.id).collect();
    found.extend(by_number.into_iter().filter(|c| !known.contains(&c.id)));
    Ok(found)
}

/// The stored locations a batch touches: every location of its stored
/// customers (to deactivate what is not sent), and the sent ones found
/// nowhere there (new, or another customer's).
async fn load_locations(
    db: &Db,
    scope: TenantScope,
    rows: &[CustomerRow],
    customers: &[StoredCustomer],
) -> Result<Vec<StoredLocation>, DbError> {
    const COLUMNS: [&str; 6] = [
        "id",
        "customer_id",
        "external_id",
        "name",
        "address",
        "active",
    ];
    let ids: Vec<i64> = customers.iter().map(|c| c.id).collect();
    let mut found: Vec<StoredLocation> =
        select_in(db, scope, "core_locations", &COLUMNS, "customer_id", &ids).await?;
    let known: HashSet<&str> = found
        .iter()
        .filter_map(|l| l.external_id.as_deref())
        .collect();
    let missing: Vec<String> = rows
        .iter()
        .flat_map(|r| r.locations.iter().flatten())
        .map(|l| l.external_id.trim())
        .filter(|x| !known.contains(x))
        .map(str::to_string)
        .collect();
    let elsewhere: Vec<StoredLocation> = select_in(
        db,
        scope,
        "core_locations",
        &COLUMNS,
        "external_id",
        &missing,
    )
    .await?;
    found.extend(elsewhere);
    Ok(found)
}

/// Rows per multi-row INSERT (below SQLite's bound-parameter limit).
const CHUNK: usize = 500;

/// Upserts customers (and their locations) by external id.
///
/// # Errors
/// A database failure (then nothing of the call is written).
pub async fn upsert_customers(
    db: &Db,
    scope: TenantScope,
    rows: &[CustomerRow],
) -> Result<SyncReport, DbError> {
    let stored = load_customers(db, scope, rows).await?;
    let stored_locs = load_locations(db, scope, rows, &stored).await?;
    let by_ext: HashMap<&str, &StoredCustomer> = stored
        .iter()
        .filter_map(|c| c.external_id.as_deref().map(|x| (x, c)))
        .collect();
    let by_number: HashMap<&str, &StoredCustomer> =
        stored.iter().map(|c| (c.number.as_str(), c)).collect();
    let loc_by_ext: HashMap<&str, &StoredLocation> = stored_locs
        .iter()
        .filter_map(|l| l.external_id.as_deref().map(|x| (x, l)))
        .collect();
    let mut locs_of: HashMap<i64, Vec<&StoredLocation>> = HashMap::new();
    for l in &stored_locs {
        locs_of.entry(l.customer_id).or_default().push(l);
    }
    let errors = validate(rows, &by_ext, &by_number, &loc_by_ext);
    let open = portal_changes::open_of_tenant(db, scope).await?;
    let mut open_of: HashMap<i64, Vec<&portal_changes::OpenChange>> = HashMap::new();
    for c in open.iter().filter(|c| c.account_id.is_none()) {
        open_of.entry(c.customer_id).or_default().push(c);
    }
    let mut conflicts: Vec<Vec<String>> = vec![Vec::new(); rows.len()];
    let mut confirmed: Vec<i64> = Vec::new();

    let now = Utc::now();
    let mut tx = db.begin().await?;
    // 1. Customers: the stored one by external id, else by number (a
    //    customer made before the sync is adopted), else new.
    let mut status: Vec<RowStatus> = vec![RowStatus::Unchanged; rows.len()];
    let mut new_rows = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if !errors[i].is_empty() {
            status[i] = RowStatus::Invalid;
            continue;
        }
        let ext = r.external_id.trim();
        let stored = by_ext.get(ext).or_else(|| by_number.get(r.number.trim()));
        // Fields the customer changed in the portal and the back-office has
        // not processed yet are kept, and reported.
        let held;
        let r = match stored.and_then(|s| open_of.get(&s.id)) {
            Some(open) => {
                let mut kept = r.clone();
                let rec = portal_changes::reconcile(
                    open.iter().copied(),
                    &mut [
                        ("name", &mut kept.name),
                        ("email", &mut kept.email),
                        ("phone", &mut kept.phone),
                        ("correspondence_address", &mut kept.correspondence_address),
                    ],
                );
                confirmed.extend(rec.confirm);
                conflicts[i] = rec.conflicts;
                held = kept;
                &held
            }
            None => r,
        };
        match stored {
            // Parent compared in step 2, once every customer has an id.
            Some(s) if differs(s, r, s.parent_id) => {
                update_customer(&mut tx, scope, s.id, r, now).await?;
                status[i] = RowStatus::Updated;
            }
            Some(_) => {}
            None => {
                new_rows.push(&rows[i]);
                status[i] = RowStatus::Created;
            }
        }
    }
    for chunk in new_rows.chunks(CHUNK) {
        let mut q = Query::insert()
            .into_table("core_customers")
            .columns([
                "tenant_id",
                "external_id",
                "number",
                "name",
                "email",
                "phone",
                "payment_method",
                "invoice_address",
                "correspondence_address",
                "active",
                "created_at",
                "updated_at",
            ])
            .to_owned();
        for r in chunk {
            q.values_panic([
                scope.tenant_id().into(),
                r.external_id.trim().into(),
                r.number.trim().into(),
                r.name.trim().into(),
                r.email.trim().into(),
                r.phone.trim().into(),
                r.payment_method.trim().into(),
                r.invoice_address.trim().into(),
                r.correspondence_address.trim().into(),
                r.active.into(),
                now.into(),
                now.into(),
            ]);
        }
        tx.execute(&q).await?;
    }
    let mut new_locs: Vec<(i64, &LocationRow)> = Vec::new();
    // 2. Ids of the batch's customers (and parents) now, then parents.
    let exts: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            std::iter::once(r.external_id.trim())
                .chain(r.parent_external_id.as_deref().map(str::trim))
        })
        .map(str::to_string)
        .collect();
    let mut ids: Vec<(i64, Option<String>, Option<i64>)> = Vec::new();
    let id_query = |cond: sea_query::SimpleExpr| {
        scope
            .select("core_customers")
            .columns(["id", "external_id", "parent_id"])
            .and_where(cond)
            .to_owned()
    };
    if db.backend() == crate::db::Backend::Sqlite {
        let json = serde_json::to_string(&exts).unwrap_or_else(|_| "[]".into());
        let cond = Expr::cust_with_values(
            "\"external_id\" IN (SELECT value FROM json_each(?))",
            [json],
        );
        ids = tx.fetch_all(&id_query(cond)).await?;
    } else {
        for chunk in exts.chunks(5_000) {
            let cond = Expr::col("external_id").is_in(chunk.iter().cloned());
            ids.extend(
                tx.fetch_all_unprepared::<(i64, Option<String>, Option<i64>)>(&id_query(cond))
                    .await?,
            );
        }
    }
    let id_of: HashMap<&str, (i64, Option<i64>)> = ids
        .iter()
        .filter_map(|(id, x, p)| x.as_deref().map(|x| (x, (*id, *p))))
        .collect();
    for (i, r) in rows.iter().enumerate() {
        if status[i] == RowStatus::Invalid {
            continue;
        }
        let Some((id, current)) = id_of.get(r.external_id.trim()).copied() else {
            continue;
        };
        let wanted = r
            .parent_external_id
            .as_deref()
            .and_then(|p| id_of.get(p.trim()).map(|(pid, _)| *pid));
        if wanted != current {
            tx.execute(
                &scope
                    .update("core_customers")
                    .value("parent_id", wanted)
                    .value("updated_at", now)
                    .and_where(Expr::col("id").eq(id))
                    .to_owned(),
            )
            .await?;
            if status[i] == RowStatus::Unchanged {
                status[i] = RowStatus::Updated;
            }
        }
        // 3. Locations of this customer (new ones inserted together below).
        if let Some(locs) = &r.locations {
            let mine = locs_of.get(&id).map_or(&[][..], Vec::as_slice);
            let changed =
                sync_locations(&mut tx, scope, id, locs, &loc_by_ext, mine, &mut new_locs).await?;
            if changed && status[i] == RowStatus::Unchanged {
                status[i] = RowStatus::Updated;
            }
        }
    }
    for chunk in new_locs.chunks(CHUNK) {
        let mut q = Query::insert()
            .into_table("core_locations")
            .columns([
                "tenant_id",
                "customer_id",
                "external_id",
                "name",
                "address",
                "active",
            ])
            .to_owned();
        for (customer_id, l) in chunk {
            q.values_panic([
                scope.tenant_id().into(),
                (*customer_id).into(),
                l.external_id.trim().into(),
                l.name.trim().into(),
                l.address.trim().into(),
                l.active.into(),
            ]);
        }
        tx.execute(&q).await?;
    }
    portal_changes::confirm(&mut tx, scope, &confirmed).await?;
    tx.commit().await?;

    let mut report = SyncReport::default();
    for (((r, s), e), c) in rows.iter().zip(status).zip(errors).zip(conflicts) {
        match s {
            RowStatus::Created => report.counts.created += 1,
            RowStatus::Updated => report.counts.updated += 1,
            RowStatus::Unchanged => report.counts.unchanged += 1,
            RowStatus::Invalid => report.counts.invalid += 1,
        }
        if !c.is_empty() {
            report.counts.conflicts += 1;
        }
        report.rows.push(RowResult {
            external_id: r.external_id.clone(),
            status: s,
            errors: e,
            conflicts: c,
        });
    }
    Ok(report)
}

async fn update_customer(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
    r: &CustomerRow,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .update("core_customers")
            .value("external_id", r.external_id.trim())
            .value("number", r.number.trim())
            .value("name", r.name.trim())
            .value("email", r.email.trim())
            .value("phone", r.phone.trim())
            .value("payment_method", r.payment_method.trim())
            .value("invoice_address", r.invoice_address.trim())
            .value("correspondence_address", r.correspondence_address.trim())
            .value("active", r.active)
            .value("updated_at", now)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
    .map(drop)
}

/// Brings a customer's locations to `locs`: changed ones are updated, new
/// ones queued in `inserts`, stored ones not sent are deactivated (their
/// rights stay for when they return). True when anything changes.
async fn sync_locations<'r>(
    tx: &mut Tx,
    scope: TenantScope,
    customer_id: i64,
    locs: &'r [LocationRow],
    stored: &HashMap<&str, &StoredLocation>,
    mine: &[&StoredLocation],
    inserts: &mut Vec<(i64, &'r LocationRow)>,
) -> Result<bool, DbError> {
    let mut changed = false;
    let sent: BTreeMap<&str, &LocationRow> =
        locs.iter().map(|l| (l.external_id.trim(), l)).collect();
    for (ext, l) in &sent {
        match stored.get(ext) {
            Some(s)
                if s.name != l.name.trim()
                    || s.address != l.address.trim()
                    || s.active != l.active =>
            {
                tx.execute(
                    &scope
                        .update("core_locations")
                        .value("name", l.name.trim())
                        .value("address", l.address.trim())
                        .value("active", l.active)
                        .and_where(Expr::col("id").eq(s.id))
                        .to_owned(),
                )
                .await?;
                changed = true;
            }
            Some(_) => {}
            None => {
                inserts.push((customer_id, *l));
                changed = true;
            }
        }
    }
    for s in mine.iter().filter(|s| s.active) {
        if s.external_id
            .as_deref()
            .is_some_and(|x| !sent.contains_key(x))
        {
            tx.execute(
                &scope
                    .update("core_locations")
                    .value("active", false)
                    .and_where(Expr::col("id").eq(s.id))
                    .to_owned(),
            )
            .await?;
            changed = true;
        }
    }
    Ok(changed)
}

/// Deletes a customer by external id, with its locations and portal
/// accounts (their sessions and links go with them); children keep their
/// data and lose the parent. False when there is no such customer.
///
/// # Errors
/// A database failure.
pub async fn delete_customer(
    db: &Db,
    scope: TenantScope,
    external_id: &str,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            &scope
                .delete("core_customers")
                .and_where(Expr::col("external_id").eq(external_id.trim()))
                .to_owned(),
        )
        .await?;
    tx.commit().await?;
    Ok(n == 1)
}
