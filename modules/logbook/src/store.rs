//! Reading the logbook, always within the principal's [`Reach`] and its
//! location rights (seed 002): every query starts from
//! `reach.select_at_locations(.., "location_id", Need::Read)`, so a row
//! of a location the account may not read is simply not found. The pages
//! address a location in their URL, so they use [`Reach::everywhere`]:
//! the location says which customer the page is for, whatever the header's
//! switcher chose; the rights stay the account's own.

use chrono::{DateTime, Datelike as _, Months, NaiveDate, Utc};
use portal_core::access::Reach;
use portal_core::access::locations::{Denied, Need};
use portal_core::db::DbError;
use portal_core::sea_query::{Cond, Expr, ExprTrait, Order};

/// Visit kinds: routine, extra (a call-out) and follow-up.
pub const VISIT_KINDS: [&str; 3] = ["routine", "extra", "follow_up"];
/// Recommendation categories.
pub const CATEGORIES: [&str; 4] = ["hygiene", "construction", "storage", "other"];
/// Recommendation statuses, in the order they usually go.
pub const STATUSES: [&str; 4] = ["new", "in_progress", "done", "verified"];
/// The statuses a customer with write rights may set (verified is the technician's).
pub const CUSTOMER_STATUSES: [&str; 3] = ["new", "in_progress", "done"];
/// Document categories.
pub const DOCUMENT_CATEGORIES: [&str; 4] = ["safety_sheet", "certificate", "contract", "other"];

/// A location as the logbook shows it, with its customer's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Location {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub address: String,
    pub customer_name: String,
}
portal_core::from_sqlite! {
    Location { id, customer_id, name, address, customer_name }
}

/// A checkpoint (a bait box, a trap, an insect monitor).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Checkpoint {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub code: String,
    pub number: i64,
    pub kind: String,
    pub room: String,
    pub measure: String,
    pub active: bool,
}
portal_core::from_sqlite! {
    Checkpoint { id, customer_id, location_id, external_id, code, number, kind, room, measure,
        active }
}

impl Checkpoint {
    /// The label on site: code and number, e.g. HM1.
    pub fn label(&self) -> String {
        format!("{}{}", self.code, self.number)
    }
}

pub(crate) const CHECKPOINT_COLUMNS: [&str; 10] = [
    "id",
    "customer_id",
    "location_id",
    "external_id",
    "code",
    "number",
    "kind",
    "room",
    "measure",
    "active",
];

/// A visit report.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Visit {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub visited_on: NaiveDate,
    pub technician: String,
    pub kind: String,
    pub findings: String,
    pub remarks: String,
    pub materials_json: String,
    pub observations_hash: String,
    pub pdf_key: Option<String>,
    pub pdf_size: Option<i64>,
}
portal_core::from_sqlite! {
    Visit { id, customer_id, location_id, external_id, visited_on, technician, kind, findings,
        remarks, materials_json, observations_hash, pdf_key, pdf_size }
}

pub(crate) const VISIT_COLUMNS: [&str; 13] = [
    "id",
    "customer_id",
    "location_id",
    "external_id",
    "visited_on",
    "technician",
    "kind",
    "findings",
    "remarks",
    "materials_json",
    "observations_hash",
    "pdf_key",
    "pdf_size",
];

/// A material or product the technician used.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct Material {
    pub name: String,
    pub amount: f64,
    /// e.g. g, ml, st.
    pub unit: String,
    /// The product's registration number (Ctgb in the Netherlands), if any.
    #[oai(default)]
    #[serde(default)]
    pub registration_number: String,
}

impl Visit {
    /// The materials and products used.
    pub fn materials(&self) -> Vec<Material> {
        serde_json::from_str(&self.materials_json).unwrap_or_default()
    }
}

/// An observation of a visit, with its checkpoint.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Observation {
    pub checkpoint_id: i64,
    pub code: String,
    pub number: i64,
    pub kind: String,
    pub room: String,
    pub measure: String,
    pub value: i64,
    pub note: String,
}
portal_core::from_sqlite! {
    Observation { checkpoint_id, code, number, kind, room, measure, value, note }
}

/// A recommendation (aanbeveling) of the technician.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Recommendation {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub checkpoint_id: Option<i64>,
    pub external_id: String,
    pub category: String,
    pub text: String,
    pub status: String,
    pub response: String,
    pub awaiting_supplier: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Recommendation { id, customer_id, location_id, checkpoint_id, external_id, category, text,
        status, response, awaiting_supplier, created_at, updated_at }
}

pub(crate) const RECOMMENDATION_COLUMNS: [&str; 12] = [
    "id",
    "customer_id",
    "location_id",
    "checkpoint_id",
    "external_id",
    "category",
    "text",
    "status",
    "response",
    "awaiting_supplier",
    "created_at",
    "updated_at",
];

/// One change of a recommendation.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct HistoryEntry {
    pub id: i64,
    pub recommendation_id: i64,
    pub at: DateTime<Utc>,
    /// `created`, `status`, `response` or `text`.
    #[oai(validator(pattern = "^(created|status|response|text)$"))]
    pub change: String,
    /// The status after the change: `new`, `in_progress`, `done` or
    /// `verified` (`STATUSES`).
    #[oai(validator(pattern = "^(new|in_progress|done|verified)$"))]
    pub status: String,
    pub response: String,
    /// `customer`, `staff` or `back_office`.
    #[oai(validator(pattern = "^(customer|staff|back_office)$"))]
    pub actor: String,
    pub actor_name: String,
}
portal_core::from_sqlite! {
    HistoryEntry { id, recommendation_id, at, change, status, response, actor, actor_name }
}

pub(crate) const HISTORY_COLUMNS: [&str; 8] = [
    "id",
    "recommendation_id",
    "at",
    "change",
    "status",
    "response",
    "actor",
    "actor_name",
];

/// A message about a location, from the customer or from the supplier.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct Message {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub user_id: Option<i64>,
    pub from_supplier: bool,
    /// `message`, `notification` or `alarm`.
    #[oai(validator(pattern = "^(message|notification|alarm)$"))]
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub author_name: String,
    /// A customer's message: `open` or `handled`.
    #[oai(validator(pattern = "^(open|handled)$"))]
    pub status: String,
    pub reply_to: Option<i64>,
    pub read_at: Option<DateTime<Utc>>,
    pub handled_at: Option<DateTime<Utc>>,
    pub handled_by: String,
    pub created_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Message { id, customer_id, location_id, user_id, from_supplier, kind, subject, body,
        author_name, status, reply_to, read_at, handled_at, handled_by, created_at }
}

pub(crate) const MESSAGE_COLUMNS: [&str; 15] = [
    "id",
    "customer_id",
    "location_id",
    "user_id",
    "from_supplier",
    "kind",
    "subject",
    "body",
    "author_name",
    "status",
    "reply_to",
    "read_at",
    "handled_at",
    "handled_by",
    "created_at",
];

/// A document or certificate, for a location or for the whole customer.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: Option<i64>,
    pub external_id: String,
    pub category: String,
    pub title: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub blob_key: String,
    pub valid_until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Document { id, customer_id, location_id, external_id, category, title, name, mime, size,
        blob_key, valid_until, created_at }
}

pub(crate) const DOCUMENT_COLUMNS: [&str; 12] = [
    "id",
    "customer_id",
    "location_id",
    "external_id",
    "category",
    "title",
    "name",
    "mime",
    "size",
    "blob_key",
    "valid_until",
    "created_at",
];

/// A planned visit.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PlannedVisit {
    pub id: i64,
    pub location_id: i64,
    pub planned_on: NaiveDate,
    pub kind: String,
    pub note: String,
}
portal_core::from_sqlite! {
    PlannedVisit { id, location_id, planned_on, kind, note }
}

/// The locations this reach may read, of every customer the account sees,
/// by customer name and location name.
///
/// # Errors
/// A database failure.
pub async fn locations(reach: &Reach) -> Result<Vec<Location>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("core_locations", ("core_locations", "id"), Need::Read);
    q.columns([
        ("core_locations", "id"),
        ("core_locations", "customer_id"),
        ("core_locations", "name"),
        ("core_locations", "address"),
    ])
    .expr_as(Expr::col(("core_customers", "name")), "customer_name")
    .inner_join(
        "core_customers",
        Expr::col(("core_customers", "id")).equals(("core_locations", "customer_id")),
    )
    .and_where(Expr::col(("core_locations", "active")).eq(true))
    .order_by(("core_customers", "name"), Order::Asc)
    .order_by(("core_locations", "name"), Order::Asc)
    .order_by(("core_locations", "id"), Order::Asc);
    reach.db().fetch_all(&q).await
}

/// Location `id` when this reach may use it for `need` (404 when it may
/// not read it, 403 when it may only read and asks to write).
///
/// # Errors
/// [`Denied`].
pub async fn location(reach: &Reach, id: i64, need: Need) -> Result<Location, Denied> {
    let reach = reach.everywhere();
    reach.location(id, need).await?;
    locations(&reach)
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or(Denied::NotFound)
}

/// Whether this reach may write at location `id` (to show a form or not).
///
/// # Errors
/// A database failure.
pub async fn may_write(reach: &Reach, id: i64) -> Result<bool, DbError> {
    match reach.everywhere().location(id, Need::Write).await {
        Ok(()) => Ok(true),
        Err(Denied::Db(e)) => Err(e),
        Err(_) => Ok(false),
    }
}

/// The location the account chose last, if it may still read it.
///
/// # Errors
/// A database failure.
pub async fn chosen(reach: &Reach) -> Result<Option<i64>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_choices", "location_id", Need::Read);
    q.column("location_id")
        .and_where(Expr::col("user_id").eq(reach.user_id()));
    Ok(reach.db().fetch_optional::<(i64,)>(&q).await?.map(|r| r.0))
}

/// Remembers the location the account chose (already checked readable).
///
/// # Errors
/// A database failure.
pub async fn choose(reach: &Reach, location_id: i64) -> Result<(), DbError> {
    let scope = reach.scope();
    let mut tx = reach.db().begin().await?;
    tx.execute(
        &scope
            .delete("logbook_choices")
            .and_where(Expr::col("user_id").eq(reach.user_id()))
            .to_owned(),
    )
    .await?;
    tx.execute(
        &scope
            .insert("logbook_choices")
            .set("user_id", reach.user_id())
            .set("location_id", location_id)
            .set("chosen_at", Utc::now())
            .statement(),
    )
    .await?;
    tx.commit().await
}

/// The checkpoints of a location, by code and number; removed ones too
/// when `removed` is set.
///
/// # Errors
/// A database failure.
pub async fn checkpoints(
    reach: &Reach,
    location_id: i64,
    removed: bool,
) -> Result<Vec<Checkpoint>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_checkpoints", "location_id", Need::Read);
    q.columns(CHECKPOINT_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .order_by("active", Order::Desc)
        .order_by("code", Order::Asc)
        .order_by("number", Order::Asc);
    if !removed {
        q.and_where(Expr::col("active").eq(true));
    }
    reach.db().fetch_all(&q).await
}

/// A filter of the visit list.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<String>,
}

/// The visits of a location, newest first.
///
/// # Errors
/// A database failure.
pub async fn visits(
    reach: &Reach,
    location_id: i64,
    f: &VisitFilter,
    limit: u64,
) -> Result<Vec<Visit>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_visits", "location_id", Need::Read);
    q.columns(VISIT_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .order_by("visited_on", Order::Desc)
        .order_by("id", Order::Desc)
        .limit(limit);
    if let Some(from) = f.from {
        q.and_where(Expr::col("visited_on").gte(from));
    }
    if let Some(to) = f.to {
        q.and_where(Expr::col("visited_on").lte(to));
    }
    if let Some(kind) = &f.kind {
        q.and_where(Expr::col("kind").eq(kind.as_str()));
    }
    reach.db().fetch_all(&q).await
}

/// Visit `id` of location `location_id`.
///
/// # Errors
/// A database failure.
pub async fn visit(reach: &Reach, location_id: i64, id: i64) -> Result<Option<Visit>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_visits", "location_id", Need::Read);
    q.columns(VISIT_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// The observations of a visit (already read through the reach), by checkpoint.
///
/// # Errors
/// A database failure.
pub async fn observations(reach: &Reach, visit: &Visit) -> Result<Vec<Observation>, DbError> {
    let q = reach
        .scope()
        .select("logbook_observations")
        .column(("logbook_observations", "checkpoint_id"))
        .columns([
            ("logbook_checkpoints", "code"),
            ("logbook_checkpoints", "number"),
            ("logbook_checkpoints", "kind"),
            ("logbook_checkpoints", "room"),
            ("logbook_checkpoints", "measure"),
        ])
        .columns([
            ("logbook_observations", "value"),
            ("logbook_observations", "note"),
        ])
        .inner_join(
            "logbook_checkpoints",
            Expr::col(("logbook_checkpoints", "id"))
                .equals(("logbook_observations", "checkpoint_id")),
        )
        .and_where(Expr::col(("logbook_observations", "visit_id")).eq(visit.id))
        .and_where(Expr::col(("logbook_observations", "location_id")).eq(visit.location_id))
        .order_by(("logbook_checkpoints", "code"), Order::Asc)
        .order_by(("logbook_checkpoints", "number"), Order::Asc)
        .to_owned();
    reach.db().fetch_all(&q).await
}

/// A filter of the recommendation list.
#[derive(Debug, Clone, Default)]
pub struct RecommendationFilter {
    pub status: Option<String>,
    pub category: Option<String>,
}

/// The recommendations of a location, open ones first, newest first.
///
/// # Errors
/// A database failure.
pub async fn recommendations(
    reach: &Reach,
    location_id: i64,
    f: &RecommendationFilter,
) -> Result<Vec<Recommendation>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_recommendations", "location_id", Need::Read);
    q.columns(RECOMMENDATION_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .order_by("created_at", Order::Desc)
        .order_by("id", Order::Desc)
        .limit(5000);
    if let Some(s) = &f.status {
        q.and_where(Expr::col("status").eq(s.as_str()));
    }
    if let Some(c) = &f.category {
        q.and_where(Expr::col("category").eq(c.as_str()));
    }
    reach.db().fetch_all(&q).await
}

/// Recommendation `id` at location `location_id`, if readable there.
///
/// # Errors
/// A database failure.
pub async fn recommendation(
    reach: &Reach,
    location_id: i64,
    id: i64,
) -> Result<Option<Recommendation>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_recommendations", "location_id", Need::Read);
    q.columns(RECOMMENDATION_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// The history of a recommendation (already read through a reach), oldest first.
///
/// # Errors
/// A database failure.
pub async fn history(
    db: &portal_core::Db,
    scope: portal_core::tenant::TenantScope,
    recommendation_id: i64,
) -> Result<Vec<HistoryEntry>, DbError> {
    db.fetch_all(
        &scope
            .select("logbook_recommendation_history")
            .columns(HISTORY_COLUMNS)
            .and_where(Expr::col("recommendation_id").eq(recommendation_id))
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// The messages of a location, newest first (replies with them).
///
/// # Errors
/// A database failure.
pub async fn messages(reach: &Reach, location_id: i64) -> Result<Vec<Message>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_messages", "location_id", Need::Read);
    q.columns(MESSAGE_COLUMNS)
        .and_where(Expr::col("location_id").eq(location_id))
        .order_by("id", Order::Desc)
        .limit(500);
    reach.db().fetch_all(&q).await
}

/// Marks the supplier's messages at a location read (by whoever of the
/// customer reads them first); returns how many were unread.
///
/// # Errors
/// A database failure.
pub async fn mark_read(reach: &Reach, location_id: i64) -> Result<u64, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.scope().update("logbook_messages");
    q.value("read_at", Utc::now())
        .and_where(Expr::col("location_id").eq(location_id))
        .and_where(Expr::col("from_supplier").eq(true))
        .and_where(Expr::col("read_at").is_null())
        .cond_where(reach.location_condition("location_id", Need::Read));
    reach.db().execute(&q).await
}

/// Unread supplier messages at the locations this reach reads.
///
/// # Errors
/// A database failure.
pub async fn unread(reach: &Reach, location_id: Option<i64>) -> Result<i64, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_messages", "location_id", Need::Read);
    q.expr(Expr::col("id").count())
        .and_where(Expr::col("from_supplier").eq(true))
        .and_where(Expr::col("read_at").is_null());
    if let Some(l) = location_id {
        q.and_where(Expr::col("location_id").eq(l));
    }
    Ok(reach
        .db()
        .fetch_optional::<(i64,)>(&q)
        .await?
        .map_or(0, |r| r.0))
}

/// The documents of a location and those for its whole customer.
///
/// # Errors
/// A database failure.
pub async fn documents(reach: &Reach, location: &Location) -> Result<Vec<Document>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select("logbook_documents");
    q.columns(DOCUMENT_COLUMNS)
        .and_where(Expr::col("customer_id").eq(location.customer_id))
        .cond_where(
            Cond::any().add(Expr::col("location_id").is_null()).add(
                Cond::all()
                    .add(Expr::col("location_id").eq(location.id))
                    .add(reach.location_condition("location_id", Need::Read)),
            ),
        )
        .order_by("category", Order::Asc)
        .order_by("title", Order::Asc);
    reach.db().fetch_all(&q).await
}

/// Document `id`, when it belongs to a location this reach reads, or to a
/// customer of which it reads at least one location.
///
/// # Errors
/// A database failure.
pub async fn document(reach: &Reach, id: i64) -> Result<Option<Document>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select("logbook_documents");
    q.columns(DOCUMENT_COLUMNS)
        .and_where(Expr::col("id").eq(id));
    let Some(d) = reach.db().fetch_optional::<Document>(&q).await? else {
        return Ok(None);
    };
    let readable = locations(&reach).await?;
    let ok = match d.location_id {
        Some(l) => readable.iter().any(|r| r.id == l),
        None => readable.iter().any(|r| r.customer_id == d.customer_id),
    };
    Ok(ok.then_some(d))
}

/// The next planned visit of a location from today on.
///
/// # Errors
/// A database failure.
pub async fn next_visit(
    reach: &Reach,
    location_id: i64,
    today: NaiveDate,
) -> Result<Option<PlannedVisit>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_planned_visits", "location_id", Need::Read);
    q.columns(["id", "location_id", "planned_on", "kind", "note"])
        .and_where(Expr::col("location_id").eq(location_id))
        .and_where(Expr::col("planned_on").gte(today))
        .order_by("planned_on", Order::Asc)
        .limit(1);
    reach.db().fetch_optional(&q).await
}

/// Counts of a location's recommendations per status.
///
/// # Errors
/// A database failure.
pub async fn status_counts(reach: &Reach, location_id: i64) -> Result<Vec<(String, i64)>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_recommendations", "location_id", Need::Read);
    q.column("status")
        .expr(Expr::col("id").count())
        .and_where(Expr::col("location_id").eq(location_id))
        .group_by_col("status");
    reach.db().fetch_all(&q).await
}

/// Visits of a location since `since`.
///
/// # Errors
/// A database failure.
pub async fn visits_since(
    reach: &Reach,
    location_id: i64,
    since: NaiveDate,
) -> Result<i64, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_visits", "location_id", Need::Read);
    q.expr(Expr::col("id").count())
        .and_where(Expr::col("location_id").eq(location_id))
        .and_where(Expr::col("visited_on").gte(since));
    Ok(reach
        .db()
        .fetch_optional::<(i64,)>(&q)
        .await?
        .map_or(0, |r| r.0))
}

/// Activity per checkpoint type per month since `since`: (month's first
/// day, checkpoint type, observations with activity). An observation with
/// a value above zero is activity (bait taken, individuals caught).
///
/// # Errors
/// A database failure.
pub async fn activity(
    reach: &Reach,
    location_id: i64,
    since: NaiveDate,
) -> Result<Vec<(NaiveDate, String, i64)>, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations(
        "logbook_observations",
        ("logbook_observations", "location_id"),
        Need::Read,
    );
    q.column(("logbook_observations", "visited_on"))
        .column(("logbook_checkpoints", "kind"))
        .expr(Expr::col(("logbook_observations", "id")).count())
        .inner_join(
            "logbook_checkpoints",
            Expr::col(("logbook_checkpoints", "id"))
                .equals(("logbook_observations", "checkpoint_id")),
        )
        .and_where(Expr::col(("logbook_observations", "location_id")).eq(location_id))
        .and_where(Expr::col(("logbook_observations", "visited_on")).gte(since))
        .and_where(Expr::col(("logbook_observations", "value")).gt(0))
        .group_by_col(("logbook_observations", "visited_on"))
        .group_by_col(("logbook_checkpoints", "kind"));
    let rows: Vec<(NaiveDate, String, i64)> = reach.db().fetch_all(&q).await?;
    let mut out: Vec<(NaiveDate, String, i64)> = Vec::new();
    for (day, kind, n) in rows {
        let month = first_of_month(day);
        match out.iter_mut().find(|(m, k, _)| *m == month && *k == kind) {
            Some(row) => row.2 += n,
            None => out.push((month, kind, n)),
        }
    }
    Ok(out)
}

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day0(0).unwrap_or(day)
}

/// The first days of the twelve months up to and including `today`'s.
pub fn last_twelve_months(today: NaiveDate) -> Vec<NaiveDate> {
    let this = first_of_month(today);
    (0..12)
        .rev()
        .filter_map(|back| this.checked_sub_months(Months::new(back)))
        .collect()
}

/// Open recommendations (new or in progress) at the locations this reach reads.
///
/// # Errors
/// A database failure.
pub async fn open_recommendations(reach: &Reach) -> Result<i64, DbError> {
    let reach = reach.everywhere();
    let mut q = reach.select_at_locations("logbook_recommendations", "location_id", Need::Read);
    q.expr(Expr::col("id").count())
        .and_where(Expr::col("status").is_in(["new", "in_progress"]));
    Ok(reach
        .db()
        .fetch_optional::<(i64,)>(&q)
        .await?
        .map_or(0, |r| r.0))
}
