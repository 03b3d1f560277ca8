//! Reading consumption within the principal's reach: every query starts
//! from `reach.select_at_locations(.., "location_id", Need::Read)`, so a
//! location the account may not read is neither listed nor counted in any
//! total. Days come from `consumption_daily`, months and years from
//! `consumption_monthly` (kept in step with the days, `recompute`): a
//! month-by-month page over ten years sums at most 120 rows per channel.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use portal_core::access::Reach;
use portal_core::access::locations::Need;
use portal_core::db::DbError;
use portal_core::sea_query::{Expr, ExprTrait, Order};

/// Services (seed 004 and its help pages): heating, cooling, tap water, ...
pub const KINDS: [&str; 7] = [
    "heating",
    "cooling",
    "tap_water",
    "water",
    "electricity",
    "gas",
    "other",
];
pub const STATUSES: [&str; 4] = ["supplied", "unsupplied", "requested", "removed"];
/// Units: heat in GJ (the Dutch regulator's unit on the annual bill), gas
/// and water in m³, electricity in kWh.
pub const UNITS: [&str; 4] = ["GJ", "MWh", "kWh", "m3"];
/// Where a reading came from.
pub const SOURCES: [&str; 3] = ["remote", "customer", "estimated"];

/// A unit as people read it.
pub fn unit_label(unit: &str) -> &str {
    if unit == "m3" { "m³" } else { unit }
}

/// A service of a location.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Service {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub kind: String,
    pub status: String,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    pub contract_number: String,
    pub estimated_annual: Option<f64>,
    pub unit: String,
}
portal_core::from_sqlite! {
    Service { id, customer_id, location_id, external_id, kind, status, supply_from, supply_to,
        contract_number, estimated_annual, unit }
}

pub(crate) const SERVICE_COLUMNS: [&str; 11] = [
    "id",
    "customer_id",
    "location_id",
    "external_id",
    "kind",
    "status",
    "supply_from",
    "supply_to",
    "contract_number",
    "estimated_annual",
    "unit",
];

/// A meter of a location.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Meter {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub number: String,
    pub active: bool,
}
portal_core::from_sqlite! {
    Meter { id, customer_id, location_id, external_id, number, active }
}

pub(crate) const METER_COLUMNS: [&str; 6] = [
    "id",
    "customer_id",
    "location_id",
    "external_id",
    "number",
    "active",
];

/// A location the account reads, with its customer.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Location {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub address: String,
}
portal_core::from_sqlite! {
    Location { id, customer_id, name, address }
}

/// The locations this reach reads (of every customer the account sees), by name.
///
/// # Errors
/// A database failure.
pub async fn locations(reach: &Reach) -> Result<Vec<Location>, DbError> {
    let mut q = reach.select_at_locations("core_locations", "id", Need::Read);
    q.columns(["id", "customer_id", "name", "address"])
        .and_where(Expr::col("active").eq(true))
        .order_by("id", Order::Asc);
    let mut all: Vec<Location> = reach.db().fetch_all(&q).await?;
    // As people count: "Lindehof 2" before "Lindehof 10".
    all.sort_by_cached_key(|l| natural_key(&l.name));
    Ok(all)
}

/// A name split into text and numbers, so numbers sort by their value.
fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.extend(c.to_lowercase());
        }
    }
    out.push((text, digits.parse().unwrap_or(0)));
    out
}

/// The services at the locations this reach reads.
///
/// # Errors
/// A database failure.
pub async fn services(reach: &Reach) -> Result<Vec<Service>, DbError> {
    let mut q = reach.select_at_locations("consumption_services", "location_id", Need::Read);
    q.columns(SERVICE_COLUMNS)
        .order_by("location_id", Order::Asc)
        .order_by("kind", Order::Asc);
    reach.db().fetch_all(&q).await
}

/// A channel as the pages show it: its meter, code, what it measures.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ChannelRow {
    pub id: i64,
    pub location_id: i64,
    pub meter_number: String,
    pub meter_active: bool,
    pub code: String,
    pub kind: String,
    pub unit: String,
}
portal_core::from_sqlite! {
    ChannelRow { id, location_id, meter_number, meter_active, code, kind, unit }
}

/// The channels at the locations this reach reads.
///
/// # Errors
/// A database failure.
pub async fn channels(reach: &Reach) -> Result<Vec<ChannelRow>, DbError> {
    let mut q = reach.select_at_locations(
        "consumption_channels",
        ("consumption_channels", "location_id"),
        Need::Read,
    );
    q.columns([
        ("consumption_channels", "id"),
        ("consumption_channels", "location_id"),
    ])
    .expr_as(Expr::col(("consumption_meters", "number")), "meter_number")
    .expr_as(Expr::col(("consumption_meters", "active")), "meter_active")
    .columns([
        ("consumption_channels", "code"),
        ("consumption_channels", "kind"),
        ("consumption_channels", "unit"),
    ])
    .inner_join(
        "consumption_meters",
        Expr::col(("consumption_meters", "id")).equals(("consumption_channels", "meter_id")),
    )
    .order_by(("consumption_meters", "number"), Order::Asc)
    .order_by(("consumption_channels", "code"), Order::Asc);
    reach.db().fetch_all(&q).await
}

/// What a series is of: a service at some locations (all readable ones
/// when empty), optionally one channel.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub kind: String,
    pub locations: Vec<i64>,
    pub channel: Option<i64>,
}

/// Consumption per day in `[from, to]` (inclusive), summed over the scope.
///
/// # Errors
/// A database failure.
pub async fn per_day(
    reach: &Reach,
    s: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, f64>, DbError> {
    let mut q = reach.select_at_locations("consumption_daily", "location_id", Need::Read);
    q.column("day")
        .expr(Expr::col("amount").sum())
        .and_where(Expr::col("kind").eq(s.kind.as_str()))
        .and_where(Expr::col("day").gte(from))
        .and_where(Expr::col("day").lte(to))
        .group_by_col("day");
    narrow(&mut q, s);
    let rows: Vec<(NaiveDate, f64)> = reach.db().fetch_all(&q).await?;
    Ok(rows.into_iter().collect())
}

/// Consumption per month (first days) from `from`'s month to `to`'s.
///
/// # Errors
/// A database failure.
pub async fn per_month(
    reach: &Reach,
    s: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, f64>, DbError> {
    let mut q = reach.select_at_locations("consumption_monthly", "location_id", Need::Read);
    q.column("month")
        .expr(Expr::col("amount").sum())
        .and_where(Expr::col("kind").eq(s.kind.as_str()))
        .and_where(Expr::col("month").gte(crate::derive::month_of(from)))
        .and_where(Expr::col("month").lte(to))
        .group_by_col("month");
    narrow(&mut q, s);
    let rows: Vec<(NaiveDate, f64)> = reach.db().fetch_all(&q).await?;
    Ok(rows.into_iter().collect())
}

/// Consumption per year (1 January) from `from`'s year to `to`'s.
///
/// # Errors
/// A database failure.
pub async fn per_year(
    reach: &Reach,
    s: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, f64>, DbError> {
    let mut out: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (m, a) in per_month(reach, s, from, to).await? {
        let year = NaiveDate::from_ymd_opt(m.year(), 1, 1).unwrap_or(m);
        *out.entry(year).or_default() += a;
    }
    Ok(out)
}

/// The total over `[from, to]` (inclusive).
///
/// # Errors
/// A database failure.
pub async fn total(
    reach: &Reach,
    s: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<f64, DbError> {
    let mut q = reach.select_at_locations("consumption_daily", "location_id", Need::Read);
    q.expr(Expr::col("amount").sum())
        .and_where(Expr::col("kind").eq(s.kind.as_str()))
        .and_where(Expr::col("day").gte(from))
        .and_where(Expr::col("day").lte(to));
    narrow(&mut q, s);
    let row: Option<(Option<f64>,)> = reach.db().fetch_optional(&q).await?;
    Ok(row.and_then(|r| r.0).unwrap_or(0.0))
}

fn narrow(q: &mut portal_core::sea_query::SelectStatement, s: &Scope) {
    if !s.locations.is_empty() {
        q.and_where(Expr::col("location_id").is_in(s.locations.iter().copied()));
    }
    if let Some(c) = s.channel {
        q.and_where(Expr::col("channel_id").eq(c));
    }
}

/// A reading as the readings page lists it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Reading {
    pub channel_id: i64,
    pub read_at: DateTime<Utc>,
    pub value: f64,
    pub source: String,
}
portal_core::from_sqlite! {
    Reading { channel_id, read_at, value, source }
}

/// The newest readings of a channel this reach reads (at most `limit`).
///
/// # Errors
/// A database failure.
pub async fn readings(
    reach: &Reach,
    channel: &ChannelRow,
    limit: u64,
) -> Result<Vec<Reading>, DbError> {
    // The channel came through the reach: its location is readable.
    let q = reach
        .scope()
        .select("consumption_readings")
        .columns(["channel_id", "read_at", "value", "source"])
        .and_where(Expr::col("channel_id").eq(channel.id))
        .order_by("read_at", Order::Desc)
        .limit(limit)
        .to_owned();
    reach.db().fetch_all(&q).await
}
