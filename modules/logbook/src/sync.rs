//! The back-office sync of the logbook by external id: checkpoints,
//! visits with their observations and materials, recommendations and
//! planned visits. Rows name their location by its external id (the
//! customer sync brings the locations); each call is one transaction
//! through core's shared upsert (`access::sync_rows::upsert_in`), which
//! refuses a row with errors and writes nothing of it, reports an equal
//! row unchanged and writes it not at all. What a row carries beyond its
//! own columns (a visit's observations, a recommendation's history) is
//! written in the same transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use portal_core::access::sync::{RowStatus, SyncReport};
use portal_core::access::sync_rows::{
    Incoming, check, location_of, locations_by_external_id, refresh_statistics, upsert_in,
};
use portal_core::db::{Db, DbError, Tx};
use portal_core::sea_query::{Expr, ExprTrait, Query, Value};
use portal_core::tenant::TenantScope;
use sha2::{Digest, Sha256};

use crate::store::{
    CATEGORIES, CHECKPOINT_COLUMNS, Checkpoint, Material, RECOMMENDATION_COLUMNS, Recommendation,
    STATUSES, VISIT_COLUMNS, VISIT_KINDS, Visit,
};
use crate::write::history_row;

/// Largest batch of one call (visits carry their observations: fewer).
pub const MAX_ROWS: usize = 10_000;
/// Largest number of visits per call.
pub const MAX_VISITS: usize = 2_000;
/// Observations per visit at most.
pub const MAX_OBSERVATIONS: usize = 2_000;

/// The location external ids of `rows`.
fn location_ids<T>(rows: &[T], of: fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| of(r).to_string()).collect()
}

/// The checkpoints with these external ids: external id -> (id, location id).
async fn checkpoint_ids(
    db: &Db,
    scope: TenantScope,
    mut ids: Vec<String>,
) -> Result<HashMap<String, (i64, i64)>, DbError> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(String, i64, i64)> = db
            .fetch_all_unprepared(
                &scope
                    .select("logbook_checkpoints")
                    .columns(["external_id", "id", "location_id"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        out.extend(rows.into_iter().map(|(e, id, l)| (e, (id, l))));
    }
    Ok(out)
}

fn yes() -> bool {
    true
}

fn percent() -> String {
    "percent".into()
}

fn routine() -> String {
    "routine".into()
}

/// One checkpoint as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct CheckpointRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    /// The label on the box, e.g. `HM` (house mouse).
    #[oai(validator(max_length = 20))]
    pub code: String,
    /// Its number within the code: HM1, HM2, ...
    pub number: i64,
    /// The type, e.g. "Muizenbox", "Insectenmonitor".
    #[oai(validator(max_length = 100))]
    pub kind: String,
    /// The room or area it stands in (required).
    #[oai(validator(max_length = 200))]
    pub room: String,
    /// `percent` (bait taken) or `count` (individuals counted).
    #[oai(default = "percent", validator(max_length = 40))]
    #[serde(default = "percent")]
    pub measure: String,
    /// False: removed from the site (kept for the history).
    #[oai(default = "yes")]
    #[serde(default = "yes")]
    pub active: bool,
}

portal_core::stored_row!(Checkpoint);

/// Upserts checkpoints by external id.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn checkpoints(
    db: &Db,
    scope: TenantScope,
    rows: &[CheckpointRow],
) -> Result<SyncReport, DbError> {
    let places =
        locations_by_external_id(db, scope, &location_ids(rows, |r| &r.location_external_id))
            .await?;
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::required(&mut errors, "code", &r.code, 20);
            check::required(&mut errors, "kind", &r.kind, 100);
            check::required(&mut errors, "room", &r.room, 200);
            check::one_of(&mut errors, "measure", &r.measure, &["percent", "count"]);
            if !(0..=100_000).contains(&r.number) {
                errors.push("number: 0 to 100000".into());
            }
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values: vec![
                    ("location_id", location.into()),
                    ("code", r.code.trim().into()),
                    ("number", r.number.into()),
                    ("kind", r.kind.trim().into()),
                    ("room", r.room.trim().into()),
                    ("measure", r.measure.as_str().into()),
                    ("active", r.active.into()),
                ],
                same: Box::new(move |s: &Checkpoint| {
                    s.location_id == location
                        && s.code == r.code.trim()
                        && s.number == r.number
                        && s.kind == r.kind.trim()
                        && s.room == r.room.trim()
                        && s.measure == r.measure
                        && s.active == r.active
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(
        db,
        &mut tx,
        scope,
        "logbook_checkpoints",
        &CHECKPOINT_COLUMNS,
        incoming,
    )
    .await?;
    tx.commit().await?;
    refresh_statistics(db, "logbook_checkpoints", report.counts.created).await?;
    Ok(report)
}

/// One observation of a visit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct ObservationRow {
    /// The checkpoint, by its external id (of the visit's location).
    #[oai(validator(max_length = 100))]
    pub checkpoint_external_id: String,
    /// Percent of bait taken (0-100) or individuals counted, by the checkpoint's measure.
    pub value: i64,
    #[oai(default, validator(max_length = 1000))]
    #[serde(default)]
    pub note: String,
}

/// One visit as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct VisitRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    pub visited_on: NaiveDate,
    #[oai(validator(max_length = 200))]
    pub technician: String,
    /// `routine`, `extra` or `follow_up`.
    #[oai(default = "routine", validator(max_length = 40))]
    #[serde(default = "routine")]
    pub kind: String,
    #[oai(default, validator(max_length = 20000))]
    #[serde(default)]
    pub findings: String,
    /// The technician's remarks.
    #[oai(default, validator(max_length = 20000))]
    #[serde(default)]
    pub remarks: String,
    #[oai(default)]
    #[serde(default)]
    pub materials: Vec<Material>,
    #[oai(default)]
    #[serde(default)]
    pub observations: Vec<ObservationRow>,
}

portal_core::stored_row!(Visit);

fn observations_hash(obs: &[ObservationRow]) -> String {
    let json = serde_json::to_vec(obs).unwrap_or_default();
    hex::encode(Sha256::digest(&json))
}

/// Upserts visits by external id, each with its observations (replaced
/// when they changed) and materials.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn visits(db: &Db, scope: TenantScope, rows: &[VisitRow]) -> Result<SyncReport, DbError> {
    let places =
        locations_by_external_id(db, scope, &location_ids(rows, |r| &r.location_external_id))
            .await?;
    let wanted: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.observations
                .iter()
                .map(|o| o.checkpoint_external_id.trim().to_string())
        })
        .collect();
    let cps = checkpoint_ids(db, scope, wanted).await?;
    let ids: Vec<i64> = cps.values().map(|c| c.0).collect();
    let measures = measures(db, scope, ids).await?;
    let hashes: Vec<String> = rows
        .iter()
        .map(|r| observations_hash(&r.observations))
        .collect();
    let incoming = rows
        .iter()
        .zip(&hashes)
        .map(|(r, hash)| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::required(&mut errors, "technician", &r.technician, 200);
            check::one_of(&mut errors, "kind", &r.kind, &VISIT_KINDS);
            check_long(&mut errors, "findings", &r.findings);
            check_long(&mut errors, "remarks", &r.remarks);
            check::at_most(&mut errors, "materials", r.materials.len(), 200);
            check::at_most(&mut errors, "observations", r.observations.len(), MAX_OBSERVATIONS);
            for (i, m) in r.materials.iter().enumerate() {
                check::required(&mut errors, &format!("materials[{i}].name"), &m.name, 200);
                check::optional(&mut errors, &format!("materials[{i}].unit"), &m.unit, 20);
                check::optional(
                    &mut errors,
                    &format!("materials[{i}].registration_number"),
                    &m.registration_number,
                    50,
                );
                if !m.amount.is_finite() || m.amount < 0.0 {
                    errors.push(format!("materials[{i}].amount: a number of 0 or more"));
                }
            }
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            for (i, o) in r.observations.iter().enumerate() {
                match cps.get(o.checkpoint_external_id.trim()) {
                    Some((cp, l)) if *l == location => {
                        let max = if measures.get(cp).map(String::as_str) == Some("percent") {
                            100
                        } else {
                            1_000_000
                        };
                        if !(0..=max).contains(&o.value) {
                            errors.push(format!("observations[{i}].value: 0 to {max}"));
                        }
                    }
                    Some(_) if p.is_some() => errors.push(format!(
                        "observations[{i}].checkpoint_external_id: {:?} is at another location",
                        o.checkpoint_external_id
                    )),
                    Some(_) => {}
                    None => errors.push(format!(
                        "observations[{i}].checkpoint_external_id: no checkpoint {:?} (sync checkpoints first)",
                        o.checkpoint_external_id
                    )),
                }
                check::optional(&mut errors, &format!("observations[{i}].note"), &o.note, 1000);
            }
            let materials = serde_json::to_string(&r.materials).unwrap_or_else(|_| "[]".into());
            let hash = hash.clone();
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values: vec![
                    ("location_id", location.into()),
                    ("visited_on", r.visited_on.into()),
                    ("technician", r.technician.trim().into()),
                    ("kind", r.kind.as_str().into()),
                    ("findings", r.findings.trim().into()),
                    ("remarks", r.remarks.trim().into()),
                    ("materials_json", materials.clone().into()),
                    // Written with the observations, in the same transaction.
                    ("observations_hash", hash.clone().into()),
                ],
                same: Box::new(move |s: &Visit| {
                    s.location_id == location
                        && s.visited_on == r.visited_on
                        && s.technician == r.technician.trim()
                        && s.kind == r.kind
                        && s.findings == r.findings.trim()
                        && s.remarks == r.remarks.trim()
                        && s.materials_json == materials
                        && s.observations_hash == hash
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(
        db,
        &mut tx,
        scope,
        "logbook_visits",
        &VISIT_COLUMNS,
        incoming,
    )
    .await?;
    let written: Vec<usize> = report
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.status, RowStatus::Created | RowStatus::Updated))
        .map(|(i, _)| i)
        .collect();
    let mut observations = 0;
    if !written.is_empty() {
        let ids = ids_in(
            &mut tx,
            scope,
            "logbook_visits",
            written
                .iter()
                .map(|i| rows[*i].external_id.trim().to_string())
                .collect(),
        )
        .await?;
        // A changed visit's observations go, in chunks; a new one has none.
        let changed: Vec<i64> = written
            .iter()
            .filter(|i| report.rows[**i].status == RowStatus::Updated)
            .filter_map(|i| ids.get(rows[*i].external_id.trim()).map(|v| v.0))
            .collect();
        for chunk in changed.chunks(1000) {
            tx.execute(
                &scope
                    .delete("logbook_observations")
                    .and_where(Expr::col("visit_id").is_in(chunk.iter().copied()))
                    .to_owned(),
            )
            .await?;
        }
        let mut batch: Vec<Vec<Value>> = Vec::new();
        for i in written {
            let r = &rows[i];
            let Some(&(visit_id, location_id)) = ids.get(r.external_id.trim()) else {
                continue;
            };
            for o in &r.observations {
                let Some((cp, _)) = cps.get(o.checkpoint_external_id.trim()) else {
                    continue;
                };
                batch.push(vec![
                    scope.tenant_id().into(),
                    visit_id.into(),
                    (*cp).into(),
                    location_id.into(),
                    r.visited_on.into(),
                    o.value.into(),
                    o.note.trim().into(),
                ]);
                observations += 1;
                if batch.len() >= 1000 {
                    insert_observations(&mut tx, &mut batch).await?;
                }
            }
        }
        insert_observations(&mut tx, &mut batch).await?;
    }
    tx.commit().await?;
    refresh_statistics(db, "logbook_visits", report.counts.created).await?;
    refresh_statistics(db, "logbook_observations", observations).await?;
    Ok(report)
}

fn check_long(errors: &mut Vec<String>, field: &str, value: &str) {
    if value.chars().count() > 20_000 {
        errors.push(format!("{field}: at most 20000 characters"));
    }
}

/// The measure of each checkpoint.
async fn measures(
    db: &Db,
    scope: TenantScope,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, DbError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, String)> = db
            .fetch_all_unprepared(
                &scope
                    .select("logbook_checkpoints")
                    .columns(["id", "measure"])
                    .and_where(Expr::col("id").is_in(chunk.iter().copied()))
                    .to_owned(),
            )
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Ids and locations of rows of `table` by external id, inside the transaction.
async fn ids_in(
    tx: &mut Tx,
    scope: TenantScope,
    table: &'static str,
    ids: Vec<String>,
) -> Result<HashMap<String, (i64, i64)>, DbError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(String, i64, i64)> = tx
            .fetch_all(
                &scope
                    .select(table)
                    .columns(["external_id", "id", "location_id"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        out.extend(rows.into_iter().map(|(e, id, l)| (e, (id, l))));
    }
    Ok(out)
}

async fn insert_observations(tx: &mut Tx, batch: &mut Vec<Vec<Value>>) -> Result<(), DbError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut q = Query::insert();
    q.into_table("logbook_observations").columns([
        "tenant_id",
        "visit_id",
        "checkpoint_id",
        "location_id",
        "visited_on",
        "value",
        "note",
    ]);
    for row in batch.drain(..) {
        q.values_panic(row.into_iter().map(Into::into));
    }
    tx.execute(&q).await.map(drop)
}

/// One recommendation as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct RecommendationRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    /// The checkpoint it is about, if any (of the same location).
    #[oai(validator(max_length = 100))]
    pub checkpoint_external_id: Option<String>,
    /// `hygiene`, `construction`, `storage` or `other`.
    #[oai(validator(max_length = 40))]
    pub category: String,
    /// The technician's recommendation.
    #[oai(validator(max_length = 5000))]
    pub text: String,
    /// `new`, `in_progress`, `done` or `verified`; absent keeps the stored
    /// status (a new one starts as `new`). A change is recorded in the
    /// recommendation's history as the technician's.
    #[oai(validator(max_length = 40))]
    pub status: Option<String>,
    /// Who made or changed it, for the history (e.g. the technician's name).
    #[oai(default, validator(max_length = 200))]
    #[serde(default)]
    pub technician: String,
}

portal_core::stored_row!(Recommendation);

/// Upserts recommendations by external id; every change (new, text,
/// status) gets a history row in the same transaction.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn recommendations(
    db: &Db,
    scope: TenantScope,
    rows: &[RecommendationRow],
) -> Result<SyncReport, DbError> {
    let places =
        locations_by_external_id(db, scope, &location_ids(rows, |r| &r.location_external_id))
            .await?;
    let wanted: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.checkpoint_external_id
                .as_deref()
                .map(|c| c.trim().to_string())
        })
        .collect();
    let cps = checkpoint_ids(db, scope, wanted).await?;
    let before = stored_recommendations(db, scope, rows).await?;
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::one_of(&mut errors, "category", &r.category, &CATEGORIES);
            check::required(&mut errors, "text", &r.text, 5000);
            check::optional(&mut errors, "technician", &r.technician, 200);
            if let Some(s) = &r.status {
                check::one_of(&mut errors, "status", s, &STATUSES);
            }
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            let checkpoint = match &r.checkpoint_external_id {
                None => None,
                Some(c) => match cps.get(c.trim()) {
                    Some((id, l)) if *l == location => Some(*id),
                    _ => {
                        errors.push(format!(
                            "checkpoint_external_id: no checkpoint {c:?} at this location"
                        ));
                        None
                    }
                },
            };
            let mut values: Vec<(&'static str, Value)> = vec![
                ("location_id", location.into()),
                ("checkpoint_id", checkpoint.into()),
                ("category", r.category.as_str().into()),
                ("text", r.text.trim().into()),
            ];
            if let Some(s) = &r.status {
                values.push(("status", s.as_str().into()));
            }
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values,
                same: Box::new(move |s: &Recommendation| {
                    s.location_id == location
                        && s.checkpoint_id == checkpoint
                        && s.category == r.category
                        && s.text == r.text.trim()
                        && r.status.as_ref().is_none_or(|st| *st == s.status)
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(
        db,
        &mut tx,
        scope,
        "logbook_recommendations",
        &RECOMMENDATION_COLUMNS,
        incoming,
    )
    .await?;
    let written: Vec<usize> = report
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.status, RowStatus::Created | RowStatus::Updated))
        .map(|(i, _)| i)
        .collect();
    if !written.is_empty() {
        let ids = ids_in(
            &mut tx,
            scope,
            "logbook_recommendations",
            written
                .iter()
                .map(|i| rows[*i].external_id.trim().to_string())
                .collect(),
        )
        .await?;
        for i in written {
            let r = &rows[i];
            let Some(&(id, _)) = ids.get(r.external_id.trim()) else {
                continue;
            };
            let who = r.technician.trim();
            match before.get(r.external_id.trim()) {
                None => {
                    let status = r.status.as_deref().unwrap_or("new");
                    history_row(
                        &mut tx,
                        scope,
                        id,
                        "created",
                        status,
                        "",
                        "back_office",
                        None,
                        who,
                    )
                    .await?;
                }
                Some((old_status, old_text)) => {
                    if old_text != r.text.trim() {
                        let status = r.status.as_deref().unwrap_or(old_status);
                        history_row(
                            &mut tx,
                            scope,
                            id,
                            "text",
                            status,
                            "",
                            "back_office",
                            None,
                            who,
                        )
                        .await?;
                    }
                    if let Some(s) = r.status.as_deref().filter(|s| s != old_status) {
                        history_row(
                            &mut tx,
                            scope,
                            id,
                            "status",
                            s,
                            "",
                            "back_office",
                            None,
                            who,
                        )
                        .await?;
                    }
                }
            }
        }
    }
    tx.commit().await?;
    refresh_statistics(db, "logbook_recommendations", report.counts.created).await?;
    Ok(report)
}

/// Status and text of the stored recommendations these rows name.
async fn stored_recommendations(
    db: &Db,
    scope: TenantScope,
    rows: &[RecommendationRow],
) -> Result<HashMap<String, (String, String)>, DbError> {
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.external_id.trim().to_string())
        .collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let found: Vec<(String, String, String)> = db
            .fetch_all_unprepared(
                &scope
                    .select("logbook_recommendations")
                    .columns(["external_id", "status", "text"])
                    .and_where(Expr::col("external_id").is_in(chunk.iter().cloned()))
                    .to_owned(),
            )
            .await?;
        out.extend(found.into_iter().map(|(e, s, t)| (e, (s, t))));
    }
    Ok(out)
}

/// One planned visit as the back-office sends it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, poem_openapi::Object)]
pub struct PlannedVisitRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub location_external_id: String,
    pub planned_on: NaiveDate,
    /// `routine`, `extra` or `follow_up`.
    #[oai(default = "routine", validator(max_length = 40))]
    #[serde(default = "routine")]
    pub kind: String,
    #[oai(default, validator(max_length = 1000))]
    #[serde(default)]
    pub note: String,
}

/// A stored planned visit, as the upsert compares it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredPlan {
    id: i64,
    customer_id: i64,
    location_id: i64,
    external_id: String,
    planned_on: NaiveDate,
    kind: String,
    note: String,
}
portal_core::from_sqlite! {
    StoredPlan { id, customer_id, location_id, external_id, planned_on, kind, note }
}

portal_core::stored_row!(StoredPlan);

/// Upserts planned visits by external id.
///
/// # Errors
/// A database failure (nothing of the call is written).
pub async fn planned(
    db: &Db,
    scope: TenantScope,
    rows: &[PlannedVisitRow],
) -> Result<SyncReport, DbError> {
    let places =
        locations_by_external_id(db, scope, &location_ids(rows, |r| &r.location_external_id))
            .await?;
    let incoming = rows
        .iter()
        .map(|r| {
            let mut errors = Vec::new();
            check::required(&mut errors, "external_id", &r.external_id, 100);
            check::one_of(&mut errors, "kind", &r.kind, &VISIT_KINDS);
            check::optional(&mut errors, "note", &r.note, 1000);
            let p = location_of(&places, &r.location_external_id, &mut errors);
            let location = p.map_or(0, |p| p.0);
            Incoming {
                external_id: &r.external_id,
                customer_external_id: p.map(|p| p.1.as_str()),
                errors,
                values: vec![
                    ("location_id", location.into()),
                    ("planned_on", r.planned_on.into()),
                    ("kind", r.kind.as_str().into()),
                    ("note", r.note.trim().into()),
                ],
                same: Box::new(move |s: &StoredPlan| {
                    s.location_id == location
                        && s.planned_on == r.planned_on
                        && s.kind == r.kind
                        && s.note == r.note.trim()
                }),
            }
        })
        .collect();
    let mut tx = db.begin().await?;
    let report = upsert_in(
        db,
        &mut tx,
        scope,
        "logbook_planned_visits",
        &[
            "id",
            "customer_id",
            "location_id",
            "external_id",
            "planned_on",
            "kind",
            "note",
        ],
        incoming,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
