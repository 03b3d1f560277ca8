//! Moving requests: the customer's within its [`Reach`] (another
//! customer's request is not found), staff's tenant-wide through a
//! [`StaffReach`]; a move-out and a status change each write the row, the
//! event and the mail in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use portal_core::Deps;
use portal_core::access::Reach;
use portal_core::access::locations::Need;
use portal_core::auth::accounts::Account;
use portal_core::auth::flows::{FlowError, recipient};
use portal_core::db::DbError;
use portal_core::events;
use portal_core::mail::MailValues;
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::staff::StaffReach;
use portal_core::tenant::Tenant;

/// Statuses of a moving request (seed 004's list of moving requests).
pub const STATUSES: [&str; 4] = ["new", "waiting", "processed", "rejected"];

/// A meter's end reading as the customer typed it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EndReading {
    pub meter: String,
    pub reading: String,
}

/// A moving request with its location's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MoveRequest {
    pub id: i64,
    pub customer_id: i64,
    pub location_id: i64,
    pub user_id: Option<i64>,
    pub kind: String,
    pub status: String,
    pub moving_on: NaiveDate,
    pub readings_json: String,
    pub new_address: String,
    pub iban: String,
    pub account_holder: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub location_name: String,
}
portal_core::from_sqlite! {
    MoveRequest { id, customer_id, location_id, user_id, kind, status, moving_on, readings_json,
        new_address, iban, account_holder, message, created_at, location_name }
}

impl MoveRequest {
    pub fn readings(&self) -> Vec<EndReading> {
        serde_json::from_str(&self.readings_json).unwrap_or_default()
    }
}

fn columns(q: &mut portal_core::sea_query::SelectStatement) {
    for c in [
        "id",
        "customer_id",
        "location_id",
        "user_id",
        "kind",
        "status",
        "moving_on",
        "readings_json",
        "new_address",
        "iban",
        "account_holder",
        "message",
        "created_at",
    ] {
        q.column(("moves_requests", c));
    }
    q.expr_as(Expr::col(("core_locations", "name")), "location_name")
        .inner_join(
            "core_locations",
            Expr::col(("core_locations", "id")).equals(("moves_requests", "location_id")),
        );
}

/// The requests of the customers the page is for, newest first.
///
/// # Errors
/// A database failure.
pub async fn for_customer(reach: &Reach) -> Result<Vec<MoveRequest>, DbError> {
    let mut q = reach.select("moves_requests");
    columns(&mut q);
    q.order_by(("moves_requests", "id"), Order::Desc).limit(100);
    reach.db().fetch_all(&q).await
}

/// The tenant's requests for staff (`open`: new and waiting), newest first.
///
/// # Errors
/// A database failure.
pub async fn for_staff(reach: &StaffReach, open: bool) -> Result<Vec<MoveRequest>, DbError> {
    let mut q = reach.scope().select("moves_requests");
    columns(&mut q);
    q.order_by(("moves_requests", "id"), Order::Desc).limit(500);
    if open {
        q.and_where(Expr::col(("moves_requests", "status")).is_in(["new", "waiting"]));
    }
    reach.db().fetch_all(&q).await
}

/// Request `id` for staff of this tenant.
///
/// # Errors
/// A database failure.
pub async fn one_for_staff(reach: &StaffReach, id: i64) -> Result<Option<MoveRequest>, DbError> {
    let mut q = reach.scope().select("moves_requests");
    columns(&mut q);
    q.and_where(Expr::col(("moves_requests", "id")).eq(id));
    reach.db().fetch_optional(&q).await
}

/// A move-out as the form gives it, already checked.
#[derive(Debug, Clone)]
pub struct MoveOut {
    pub location_id: i64,
    pub location_name: String,
    pub customer_id: i64,
    pub moving_on: NaiveDate,
    pub readings: Vec<EndReading>,
    pub new_address: String,
    pub iban: String,
    pub account_holder: String,
}

/// Stores a move-out with its event and confirmation mail; returns its id.
/// Needs write rights on the location.
///
/// # Errors
/// The rights (as a 404/403), a database or mail failure.
pub async fn move_out(
    deps: &Deps,
    tenant: &Tenant,
    reach: &Reach,
    account: &Account,
    m: &MoveOut,
) -> Result<i64, portal_core::poem::Error> {
    reach
        .everywhere()
        .location(m.location_id, Need::Write)
        .await?;
    let scope = reach.scope();
    let now = Utc::now();
    let mut tx = deps.db.begin().await.map_err(FlowError::from)?;
    let id = tx
        .insert_returning_id(
            &scope
                .insert("moves_requests")
                .set("customer_id", m.customer_id)
                .set("location_id", m.location_id)
                .set("user_id", account.id)
                .set("kind", "out")
                .set("status", "new")
                .set("moving_on", m.moving_on)
                .set(
                    "readings_json",
                    serde_json::to_string(&m.readings).unwrap_or_else(|_| "[]".into()),
                )
                .set("new_address", m.new_address.as_str())
                .set("iban", m.iban.as_str())
                .set("account_holder", m.account_holder.as_str())
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .map_err(FlowError::from)?;
    events::emit(
        &mut tx,
        scope,
        "moves.move_out",
        &serde_json::json!({
            "request_id": id, "customer_id": m.customer_id, "location_id": m.location_id,
            "moving_on": m.moving_on, "end_readings": m.readings, "new_address": m.new_address,
            "iban": m.iban, "account_holder": m.account_holder, "by": account.email,
        }),
    )
    .await
    .map_err(FlowError::from)?;
    let values = MailValues::new()
        .text("user.name", account.greeting_name())
        .text("move.location", m.location_name.as_str())
        .text("move.date", m.moving_on.format("%d-%m-%Y").to_string())
        .text("move.number", id.to_string());
    deps.mailer
        .enqueue(
            &mut tx,
            tenant,
            crate::RECEIVED.key,
            &recipient(tenant, account, &account.email),
            &values,
        )
        .await
        .map_err(FlowError::from)?;
    tx.commit().await.map_err(FlowError::from)?;
    deps.mailer.wake();
    Ok(id)
}

/// Staff set a request's status with a message; the requester is mailed.
/// False when there is no such request of this tenant.
///
/// # Errors
/// A database or mail failure.
pub async fn set_status(
    deps: &Deps,
    tenant: &Tenant,
    r: &MoveRequest,
    status: &str,
    status_label: &str,
    message: &str,
) -> Result<bool, FlowError> {
    let scope = tenant.scope();
    let to = match r.user_id {
        Some(user) => portal_core::auth::accounts::by_id(&deps.db, scope, user)
            .await?
            .filter(|a| !a.email.is_empty())
            .map(|a| {
                (
                    recipient(tenant, &a, &a.email),
                    a.greeting_name().to_string(),
                )
            }),
        None => None,
    };
    let change = StatusChange {
        table: "moves_requests",
        kind: "out",
        id: r.id,
        location: &r.location_name,
        to,
    };
    change_status(deps, tenant, &change, status, status_label, message).await
}

/// A status change of a moving request of either kind.
pub(crate) struct StatusChange<'a> {
    pub table: &'static str,
    /// `in` or `out`, in the event.
    pub kind: &'static str,
    pub id: i64,
    pub location: &'a str,
    /// Who is mailed, with the name to greet.
    pub to: Option<(portal_core::mail::Recipient, String)>,
}

/// Writes the status and staff's message, the event `moves.status` and
/// the mail in one transaction. False when the row is not this tenant's.
///
/// # Errors
/// A database or mail failure.
pub(crate) async fn change_status(
    deps: &Deps,
    tenant: &Tenant,
    c: &StatusChange<'_>,
    status: &str,
    status_label: &str,
    message: &str,
) -> Result<bool, FlowError> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update(c.table)
                .value("status", status)
                .value("message", message.trim())
                .value("updated_at", Utc::now())
                .and_where(Expr::col("id").eq(c.id))
                .to_owned(),
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    events::emit(
        &mut tx,
        scope,
        "moves.status",
        &serde_json::json!({ "kind": c.kind, "request_id": c.id, "status": status, "message": message.trim() }),
    )
    .await?;
    if let Some((to, name)) = &c.to {
        let values = MailValues::new()
            .text("user.name", name.as_str())
            .text("move.location", c.location)
            .text("move.number", c.id.to_string())
            .text("move.status", status_label)
            .text("move.message", message.trim());
        deps.mailer
            .enqueue(&mut tx, tenant, crate::STATUS.key, to, &values)
            .await?;
    }
    tx.commit().await?;
    deps.mailer.wake();
    Ok(true)
}
