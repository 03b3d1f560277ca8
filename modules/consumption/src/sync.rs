//! The back-office sync of consumption: services per location and meters
//! with their channels by external id (through core's shared upsert), and
//! readings in bulk, idempotent by their external id or by meter, channel
//! and instant, with errors per row. Readings and the days and months
//! derived from them change in one transaction; a correction of an older
//! reading derives again what it touches (`recompute`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use portal_core::access::sync::{RowResult, RowStatus, SyncReport};
use portal_core::access::sync_rows::{
    Incoming, check, location_of, locations_by_external_id, refresh_statistics, upsert_in,
};
use portal_core::db::{Db, DbError, Tx};
use portal_core::sea_query::{Expr, ExprTrait, Query, Value};
use portal_core::tenant::TenantScope;

use crate::recompute::{self, Channel};
use crate::store::{
    KINDS, METER_COLUMNS, Meter, SERVICE_COLUMNS, SOURCES, STATUSES, Service, UNITS,
};

/// Largest batch of one call.
pub const MAX_ROWS: usize = 10_000;

fn supplied() -> String {
    "supplied".into()
}

/// One service of a location as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct ServiceRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    /// `heating`, `cooling`, `tap_water`, `water`, `electricity`, `gas` or `other`.
    #[oai(validator(max_length = 40))]
    pub kind: String,
    /// `supplied`, `unsupplied`, `requested` or `removed`.
    #[oai(default = "supplied", validator(max_length = 40))]
    #[serde(default = "supplied")]
    pub status: String,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub contract_number: String,
    /// Estimated annual consumption, in `unit`.
    pub estimated_annual: Option<f64>,
    /// `GJ`, `MWh`, `kWh` or `m3`.
    #[oai(validator(max_length = 40))]
    pub unit: String,
}

portal_core::stored_row!(Service, Meter);

/// Upserts services by external id.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn services(
    db: &Db,
    scope: TenantScope,
    rows: &[ServiceRow],
) -> Result<SyncReport, DbError> {
    let wanted: Vec<String> = rows
        .iter()
        .map(|r| r.location_external_id.clone())
        .collect();
    let places = locations_by_external_id(db, scope, &wanted).await?;
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::one_of(&mut errors, "kind", &r.kind, &KINDS);
            check::one_of(&mut errors, "status", &r.status, &STATUSES);
            check::one_of(&mut errors, "unit", &r.unit, &UNITS);
            check::optional(&mut errors, "contract_number", &r.contract_number, 100);
            if r.estimated_annual
                .is_some_and(|e| !e.is_finite() || e < 0.0)
            {
                errors.push("estimated_annual: a number of 0 or more".into());
            }
            if let (Some(a), Some(b)) = (r.supply_from, r.supply_to)
                && b < a
            {
                errors.push("supply_to: not before supply_from".into());
            }
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values: vec![
                    ("location_id", location.into()),
                    ("kind", r.kind.as_str().into()),
                    ("status", r.status.as_str().into()),
                    ("supply_from", r.supply_from.into()),
                    ("supply_to", r.supply_to.into()),
                    ("contract_number", r.contract_number.trim().into()),
                    ("estimated_annual", r.estimated_annual.into()),
                    ("unit", r.unit.as_str().into()),
                ],
                same: Box::new(move |s: &Service| {
                    s.location_id == location
                        && s.kind == r.kind
                        && s.status == r.status
                        && s.supply_from == r.supply_from
                        && s.supply_to == r.supply_to
                        && s.contract_number == r.contract_number.trim()
                        && s.estimated_annual == r.estimated_annual
                        && s.unit == r.unit
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(
        db,
        &mut tx,
        scope,
        "consumption_services",
        &SERVICE_COLUMNS,
        incoming,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// A channel of a meter: what it measures.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct ChannelRow {
    /// The channel's code on the meter, e.g. `heat` or `1.8.0`.
    #[oai(validator(max_length = 40))]
    pub code: String,
    /// The service it measures: `heating`, `cooling`, `tap_water`, ...
    #[oai(validator(max_length = 40))]
    pub kind: String,
    /// `GJ`, `MWh`, `kWh` or `m3`.
    #[oai(validator(max_length = 40))]
    pub unit: String,
}

fn yes() -> bool {
    true
}

/// One meter as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct MeterRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    /// The number on the meter's plate.
    #[oai(validator(min_length = 1, max_length = 100))]
    pub number: String,
    /// False: the meter was replaced or removed (its readings stay).
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub active: bool,
    /// One or more channels (a multi-channel meter measures several utilities).
    pub channels: Vec<ChannelRow>,
}

/// Upserts meters by external id, and their channels by code (a channel
/// not sent again stays, with its readings).
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn meters(db: &Db, scope: TenantScope, rows: &[MeterRow]) -> Result<SyncReport, DbError> {
    let wanted: Vec<String> = rows
        .iter()
        .map(|r| r.location_external_id.clone())
        .collect();
    let places = locations_by_external_id(db, scope, &wanted).await?;
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::required(&mut errors, "number", &r.number, 100);
            if r.channels.is_empty() {
                errors.push("channels: at least one".into());
            }
            check::at_most(&mut errors, "channels", r.channels.len(), 20);
            let mut codes = HashSet::new();
            for (i, c) in r.channels.iter().enumerate() {
                check::required(&mut errors, &format!("channels[{i}].code"), &c.code, 40);
                check::one_of(&mut errors, &format!("channels[{i}].kind"), &c.kind, &KINDS);
                check::one_of(&mut errors, &format!("channels[{i}].unit"), &c.unit, &UNITS);
                if !codes.insert(c.code.trim()) {
                    errors.push(format!("channels[{i}].code: {:?} twice", c.code));
                }
            }
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values: vec![
                    ("location_id", location.into()),
                    ("number", r.number.trim().into()),
                    ("active", r.active.into()),
                ],
                same: Box::new(move |s: &Meter| {
                    s.location_id == location && s.number == r.number.trim() && s.active == r.active
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let mut report = upsert_in(
        db,
        &mut tx,
        scope,
        "consumption_meters",
        &METER_COLUMNS,
        incoming,
    )
    .await?;
    // The channels of every valid meter: added, or their kind and unit set.
    let valid: Vec<usize> = (0..rows.len())
        .filter(|i| report.rows[*i].status != RowStatus::Invalid)
        .collect();
    let ids: Vec<String> = valid
        .iter()
        .map(|i| rows[*i].external_id.trim().to_string())
        .collect();
    let mut meter_ids: HashMap<String, (i64, i64)> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<(String, i64, i64)> = tx
            .fetch_all(
                &scope
                    .select("consumption_meters")
                    .columns(["external_id", "id", "location_id"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        meter_ids.extend(found.into_iter().map(|(e, id, l)| (e, (id, l))));
    }
    for i in valid {
        let r = &rows[i];
        let Some(&(meter, location)) = meter_ids.get(r.external_id.trim()) else {
            continue;
        };
        let stored: Vec<(String, String, String, i64, i64)> = tx
            .fetch_all(
                &scope
                    .select("consumption_channels")
                    .columns(["code", "kind", "unit", "location_id", "id"])
                    .and_where(Expr::col("meter_id").eq(meter))
                    .to_owned(),
            )
            .await?;
        let mut changed = false;
        for c in &r.channels {
            match stored.iter().find(|s| s.0 == c.code.trim()) {
                Some(s) if s.1 == c.kind && s.2 == c.unit && s.3 == location => {}
                Some(s) => {
                    tx.execute(
                        &scope
                            .update("consumption_channels")
                            .value("kind", c.kind.as_str())
                            .value("unit", c.unit.as_str())
                            .value("location_id", location)
                            .and_where(Expr::col("meter_id").eq(meter))
                            .and_where(Expr::col("code").eq(c.code.trim()))
                            .to_owned(),
                    )
                    .await?;
                    // What was derived moves with the channel, so no
                    // history stays behind at the old location or kind.
                    for table in ["consumption_daily", "consumption_monthly"] {
                        tx.execute(
                            &scope
                                .update(table)
                                .value("kind", c.kind.as_str())
                                .value("location_id", location)
                                .and_where(Expr::col("channel_id").eq(s.4))
                                .to_owned(),
                        )
                        .await?;
                    }
                    changed = true;
                }
                None => {
                    tx.execute(
                        &scope
                            .insert("consumption_channels")
                            .set("meter_id", meter)
                            .set("location_id", location)
                            .set("code", c.code.trim())
                            .set("kind", c.kind.as_str())
                            .set("unit", c.unit.as_str())
                            .statement(),
                    )
                    .await?;
                    changed = true;
                }
            }
        }
        if changed && report.rows[i].status == RowStatus::Unchanged {
            report.rows[i].status = RowStatus::Updated;
            report.counts.unchanged -= 1;
            report.counts.updated += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}

fn remote() -> String {
    "remote".into()
}

/// One meter reading as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct ReadingRow {
    /// The back-office's id of the reading; without one, the meter, channel
    /// and instant are the key.
    #[oai(validator(max_length = 100))]
    pub external_id: Option<String>,
    #[oai(validator(max_length = 100))]
    pub meter_external_id: String,
    /// The channel's code; may be left out for a meter with one channel.
    #[oai(validator(max_length = 40))]
    pub channel: Option<String>,
    /// When the meter was read (with its offset, e.g. `2026-01-01T00:00:00+01:00`).
    pub read_at: DateTime<Utc>,
    /// The meter's register, in the channel's unit.
    pub value: f64,
    /// `remote`, `customer` or `estimated`.
    #[oai(default = "remote", validator(max_length = 40))]
    #[serde(default = "remote")]
    pub source: String,
}

/// A stored reading, as the upsert compares it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct StoredReading {
    id: i64,
    channel_id: i64,
    read_at: DateTime<Utc>,
    value: f64,
    source: String,
    external_id: Option<String>,
}
portal_core::from_sqlite! {
    StoredReading { id, channel_id, read_at, value, source, external_id }
}

/// The channels of the meters these rows name: (meter external id, code) -> channel.
async fn channels_of(
    db: &Db,
    scope: TenantScope,
    rows: &[ReadingRow],
) -> Result<HashMap<(String, String), Channel>, DbError> {
    let mut meters: Vec<String> = rows
        .iter()
        .map(|r| r.meter_external_id.trim().to_string())
        .collect();
    meters.sort_unstable();
    meters.dedup();
    let mut out = HashMap::new();
    for chunk in meters.chunks(1000) {
        let found: Vec<(String, String, i64, i64, String)> = db
            .fetch_all_unprepared(
                &scope
                    .select("consumption_channels")
                    .column(("consumption_meters", "external_id"))
                    .columns([
                        ("consumption_channels", "code"),
                        ("consumption_channels", "id"),
                        ("consumption_channels", "location_id"),
                        ("consumption_channels", "kind"),
                    ])
                    .inner_join(
                        "consumption_meters",
                        Expr::col(("consumption_meters", "id"))
                            .equals(("consumption_channels", "meter_id")),
                    )
                    .and_where(
                        Expr::col(("consumption_meters", "external_id"))
                            .is_in(chunk.iter().cloned()),
                    )
                    .to_owned(),
            )
            .await?;
        for (meter, code, id, location_id, kind) in found {
            out.insert(
                (meter, code),
                Channel {
                    id,
                    location_id,
                    kind,
                },
            );
        }
    }
    Ok(out)
}

/// The channel a reading names: by code, or the meter's only channel.
fn channel_for<'a>(
    channels: &'a HashMap<(String, String), Channel>,
    r: &ReadingRow,
) -> Result<&'a Channel, String> {
    let meter = r.meter_external_id.trim();
    match r.channel.as_deref().map(str::trim) {
        Some(code) => channels
            .get(&(meter.to_string(), code.to_string()))
            .ok_or_else(|| format!("channel: meter {meter:?} has no channel {code:?}")),
        None => {
            let mut of_meter = channels.iter().filter(|((m, _), _)| m == meter);
            match (of_meter.next(), of_meter.next()) {
                (Some((_, c)), None) => Ok(c),
                (None, _) => Err(format!(
                    "meter_external_id: no meter {meter:?} (sync the meters first)"
                )),
                (Some(_), Some(_)) => Err(format!(
                    "channel: meter {meter:?} has several channels; name one"
                )),
            }
        }
    }
}

/// Upserts readings and derives the days and months they change.
///
/// # Errors
/// A database failure (nothing of the call is written).
#[allow(clippy::too_many_lines)]
pub async fn readings(
    db: &Db,
    scope: TenantScope,
    rows: &[ReadingRow],
) -> Result<SyncReport, DbError> {
    let channels = channels_of(db, scope, rows).await?;
    let now = Utc::now();
    let mut report = SyncReport::default();
    // Each row's channel, or its errors.
    let mut checked: Vec<Result<&Channel, Vec<String>>> = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    let mut seen_external = HashSet::new();
    // PostgreSQL keeps microseconds: compare and store what it keeps.
    let rows: Vec<ReadingRow> = rows
        .iter()
        .map(|r| ReadingRow {
            read_at: micros(r.read_at),
            ..r.clone()
        })
        .collect();
    let rows = &rows[..];
    for r in rows {
        let mut errors = Vec::new();
        if let Some(e) = r.external_id.as_deref().map(str::trim)
            && !seen_external.insert(e.to_string())
        {
            errors.push("external_id: sent twice in this call".into());
        }
        if let Some(e) = &r.external_id {
            check::required(&mut errors, "external_id", e, 100);
        }
        check::one_of(&mut errors, "source", &r.source, &SOURCES);
        if !r.value.is_finite() || r.value < 0.0 {
            errors.push("value: a number of 0 or more".into());
        }
        if r.read_at > now + chrono::Duration::hours(1) {
            errors.push("read_at: not in the future".into());
        }
        let channel = match channel_for(&channels, r) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let Some(c) = channel
            && !seen.insert((c.id, r.read_at))
        {
            errors.push("read_at: this channel's reading at this instant is sent twice".into());
        }
        checked.push(match (channel, errors.is_empty()) {
            (Some(c), true) => Ok(c),
            _ => Err(errors),
        });
    }
    // What is stored at those instants (or under those external ids).
    let mut by_channel: BTreeMap<i64, (DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for (r, c) in rows.iter().zip(&checked) {
        if let Ok(c) = c {
            let e = by_channel.entry(c.id).or_insert((r.read_at, r.read_at));
            e.0 = std::cmp::min(e.0, r.read_at);
            e.1 = std::cmp::max(e.1, r.read_at);
        }
    }
    let mut stored: HashMap<(i64, DateTime<Utc>), StoredReading> = HashMap::new();
    for (channel, (lo, hi)) in &by_channel {
        let found: Vec<StoredReading> = db
            .fetch_all_bulk(
                &scope
                    .select("consumption_readings")
                    .columns([
                        "id",
                        "channel_id",
                        "read_at",
                        "value",
                        "source",
                        "external_id",
                    ])
                    .and_where(Expr::col("channel_id").eq(*channel))
                    .and_where(Expr::col("read_at").gte(*lo))
                    .and_where(Expr::col("read_at").lte(*hi))
                    .to_owned(),
            )
            .await?;
        stored.extend(found.into_iter().map(|s| ((s.channel_id, s.read_at), s)));
    }
    let mut by_external: HashMap<String, StoredReading> = HashMap::new();
    let externals: Vec<String> = rows
        .iter()
        .filter_map(|r| r.external_id.as_deref().map(|e| e.trim().to_string()))
        .collect();
    for chunk in externals.chunks(1000) {
        let found: Vec<StoredReading> = db
            .fetch_all_unprepared(
                &scope
                    .select("consumption_readings")
                    .columns([
                        "id",
                        "channel_id",
                        "read_at",
                        "value",
                        "source",
                        "external_id",
                    ])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        by_external.extend(
            found
                .into_iter()
                .filter_map(|s| s.external_id.clone().map(|e| (e, s))),
        );
    }
    let mut tx = db.begin().await?;
    let mut new_rows: Vec<Vec<Value>> = Vec::new();
    // Per channel, the instants whose readings changed (old and new).
    let mut touched: BTreeMap<i64, (Channel, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    let mut touch = |c: &Channel, t: DateTime<Utc>| {
        let e = touched.entry(c.id).or_insert((c.clone(), t, t));
        e.1 = std::cmp::min(e.1, t);
        e.2 = std::cmp::max(e.2, t);
    };
    for (r, c) in rows.iter().zip(checked) {
        let key = r.external_id.clone().unwrap_or_else(|| {
            format!(
                "{}/{}/{}",
                r.meter_external_id.trim(),
                r.channel.as_deref().unwrap_or("").trim(),
                r.read_at.to_rfc3339()
            )
        });
        let c = match c {
            Ok(c) => c,
            Err(errors) => {
                report.counts.invalid += 1;
                report.rows.push(RowResult {
                    external_id: key,
                    status: RowStatus::Invalid,
                    errors,
                    conflicts: Vec::new(),
                });
                continue;
            }
        };
        let ext = r.external_id.as_deref().map(str::trim);
        let existing = ext
            .and_then(|e| by_external.get(e))
            .or_else(|| stored.get(&(c.id, r.read_at)));
        let status = match existing {
            Some(s)
                if s.channel_id == c.id
                    && s.read_at == r.read_at
                    && s.value == r.value
                    && s.source == r.source
                    && (ext.is_none() || s.external_id.as_deref() == ext) =>
            {
                RowStatus::Unchanged
            }
            Some(s) => {
                // Checked before writing: on PostgreSQL a failed statement
                // would abort the whole call's transaction.
                if (s.channel_id != c.id || s.read_at != r.read_at)
                    && taken(&mut tx, scope, c.id, r.read_at, s.id).await?
                {
                    report.counts.invalid += 1;
                    report.rows.push(RowResult {
                        external_id: key,
                        status: RowStatus::Invalid,
                        errors: vec![
                            "read_at: another reading of this channel has this instant".into(),
                        ],
                        conflicts: Vec::new(),
                    });
                    continue;
                }
                update_reading(&mut tx, scope, s, c, r, ext).await?;
                // The channel it leaves (perhaps of a meter this call did not name).
                if s.channel_id == c.id {
                    touch(c, s.read_at);
                } else if let Some(old) = channel_by_id(&mut tx, scope, s.channel_id).await? {
                    touch(&old, s.read_at);
                }
                touch(c, r.read_at);
                RowStatus::Updated
            }
            None => {
                new_rows.push(vec![
                    scope.tenant_id().into(),
                    c.id.into(),
                    r.read_at.into(),
                    r.value.into(),
                    r.source.as_str().into(),
                    ext.map(str::to_string).into(),
                    now.into(),
                ]);
                touch(c, r.read_at);
                RowStatus::Created
            }
        };
        match status {
            RowStatus::Created => report.counts.created += 1,
            RowStatus::Updated => report.counts.updated += 1,
            _ => report.counts.unchanged += 1,
        }
        report.rows.push(RowResult {
            external_id: key,
            status,
            errors: Vec::new(),
            conflicts: Vec::new(),
        });
    }
    for chunk in new_rows.chunks(1000) {
        let mut q = Query::insert();
        q.into_table("consumption_readings").columns([
            "tenant_id",
            "channel_id",
            "read_at",
            "value",
            "source",
            "external_id",
            "created_at",
        ]);
        for r in chunk {
            q.values_panic(r.iter().cloned().map(Into::into));
        }
        tx.execute(&q).await?;
    }
    for (channel, from, to) in touched.values() {
        recompute::channel(&mut tx, scope, channel, *from, *to).await?;
    }
    tx.commit().await?;
    refresh_statistics(db, "consumption_readings", report.counts.created).await?;
    refresh_statistics(db, "consumption_daily", report.counts.created).await?;
    Ok(report)
}

/// An instant to the microsecond, as PostgreSQL stores it.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// Channel `id` as its days are derived (also one of a meter this call did not name).
async fn channel_by_id(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
) -> Result<Option<Channel>, DbError> {
    let found: Vec<(i64, i64, String)> = tx
        .fetch_all(
            &scope
                .select("consumption_channels")
                .columns(["id", "location_id", "kind"])
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    Ok(found
        .into_iter()
        .next()
        .map(|(id, location_id, kind)| Channel {
            id,
            location_id,
            kind,
        }))
}

/// Whether channel `channel` has another reading than `except` at `at`.
async fn taken(
    tx: &mut Tx,
    scope: TenantScope,
    channel: i64,
    at: DateTime<Utc>,
    except: i64,
) -> Result<bool, DbError> {
    let found: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("consumption_readings")
                .column("id")
                .and_where(Expr::col("channel_id").eq(channel))
                .and_where(Expr::col("read_at").eq(at))
                .and_where(Expr::col("id").ne(except))
                .to_owned(),
        )
        .await?;
    Ok(!found.is_empty())
}

async fn update_reading(
    tx: &mut Tx,
    scope: TenantScope,
    s: &StoredReading,
    c: &Channel,
    r: &ReadingRow,
    ext: Option<&str>,
) -> Result<u64, DbError> {
    let mut q = scope.update("consumption_readings");
    q.value("channel_id", c.id)
        .value("read_at", r.read_at)
        .value("value", r.value)
        .value("source", r.source.as_str())
        .and_where(Expr::col("id").eq(s.id));
    if let Some(e) = ext {
        q.value("external_id", e);
    }
    tx.execute(&q).await
}
