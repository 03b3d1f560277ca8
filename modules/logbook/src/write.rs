//! What the customer changes in the logbook, with write rights on the
//! location (seed 002: "met schrijfrechten kan de gebruiker de status en
//! tekst van Aanbevelingen wijzigen en Berichten sturen"): a
//! recommendation's status and response, and a message to the supplier.
//! Each change is written with its history row and its event (core's
//! signed webhooks) in one transaction; the support side (staff pages and
//! the back-office API) handles messages and sees responses.

use chrono::Utc;
use portal_core::access::Reach;
use portal_core::access::locations::{Denied, Need};
use portal_core::db::{DbError, Tx};
use portal_core::events;
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::tenant::TenantScope;
use serde_json::json;

use crate::store::{self, CUSTOMER_STATUSES, Recommendation};

/// The longest subject of a message.
pub const MAX_SUBJECT: usize = 200;
/// The longest message or response.
pub const MAX_TEXT: usize = 5000;

/// Why a customer's change was refused; each names the field.
#[derive(Debug, PartialEq, Eq)]
pub enum Invalid {
    /// The field holds `<` or `>`: messages are text only (refused, not stripped).
    Markup(&'static str),
    /// Empty where required.
    Required(&'static str),
    /// Longer than allowed.
    TooLong(&'static str, usize),
    /// A status the customer may not set.
    Status,
    /// Neither the status nor a response was given.
    NothingChanged,
}

/// A text field's check: no markup characters, no control characters
/// except line breaks, within `max` characters; `required` refuses empty.
///
/// # Errors
/// The first problem found.
pub fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), Invalid> {
    if required && value.trim().is_empty() {
        return Err(Invalid::Required(field));
    }
    if value.chars().count() > max {
        return Err(Invalid::TooLong(field, max));
    }
    if value.contains(['<', '>'])
        || value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::Markup(field));
    }
    Ok(())
}

/// Why a write failed.
#[derive(Debug)]
pub enum WriteError {
    Invalid(Invalid),
    Denied(Denied),
}

impl From<Denied> for WriteError {
    fn from(d: Denied) -> Self {
        WriteError::Denied(d)
    }
}

impl From<DbError> for WriteError {
    fn from(e: DbError) -> Self {
        WriteError::Denied(Denied::Db(e))
    }
}

/// The display name of the account behind `reach`.
async fn author(reach: &Reach) -> Result<String, DbError> {
    Ok(
        portal_core::auth::accounts::by_id(reach.db(), reach.scope(), reach.user_id())
            .await?
            .map(|a| a.greeting_name().to_string())
            .unwrap_or_default(),
    )
}

/// Writes one history row of a recommendation.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn history_row(
    tx: &mut Tx,
    scope: TenantScope,
    recommendation_id: i64,
    change: &str,
    status: &str,
    response: &str,
    actor: &str,
    user_id: Option<i64>,
    actor_name: &str,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .insert("logbook_recommendation_history")
            .set("recommendation_id", recommendation_id)
            .set("at", Utc::now())
            .set("change", change)
            .set("status", status)
            .set("response", response)
            .set("actor", actor)
            .set("user_id", user_id)
            .set("actor_name", actor_name)
            .statement(),
    )
    .await
    .map(drop)
}

/// The customer sets a recommendation's status and/or adds a response.
/// Needs write rights on its location (403 with read rights only, 404
/// without any); the change, its history row and its events commit
/// together.
///
/// # Errors
/// [`WriteError`]: a refused field, or the rights.
pub async fn respond(
    reach: &Reach,
    rec: &Recommendation,
    status: &str,
    response: &str,
) -> Result<(), WriteError> {
    let reach = reach.everywhere();
    reach.location(rec.location_id, Need::Write).await?;
    // Verified is the technician's last word: the customer changes nothing
    // after it, and may not set it either.
    if rec.status == "verified" || !CUSTOMER_STATUSES.contains(&status) {
        return Err(WriteError::Invalid(Invalid::Status));
    }
    check_text("response", response, MAX_TEXT, false).map_err(WriteError::Invalid)?;
    let response = response.trim();
    let status_changed = status != rec.status;
    if !status_changed && response.is_empty() {
        return Err(WriteError::Invalid(Invalid::NothingChanged));
    }
    let name = author(&reach).await?;
    let scope = reach.scope();
    let mut tx = reach.db().begin().await?;
    let mut q = reach.update("logbook_recommendations");
    q.value("status", status)
        .value("awaiting_supplier", true)
        .value("updated_at", Utc::now())
        .and_where(Expr::col("id").eq(rec.id))
        // Verified in the meantime by the technician: nothing changes.
        .and_where(Expr::col("status").ne("verified"))
        .cond_where(reach.location_condition("location_id", Need::Write));
    if !response.is_empty() {
        q.value("response", response);
    }
    if tx.execute(&q).await? == 0 {
        return Err(WriteError::Invalid(Invalid::Status));
    }
    let change = if status_changed { "status" } else { "response" };
    history_row(
        &mut tx,
        scope,
        rec.id,
        change,
        status,
        response,
        "customer",
        Some(reach.user_id()),
        &name,
    )
    .await?;
    let payload = json!({
        "recommendation_id": rec.id,
        "external_id": rec.external_id,
        "location_id": rec.location_id,
        "customer_id": rec.customer_id,
        "status": status,
        "previous_status": rec.status,
        "response": response,
        "by": name,
    });
    if status_changed {
        events::emit(&mut tx, scope, "logbook.recommendation_status", &payload).await?;
    }
    if !response.is_empty() {
        events::emit(&mut tx, scope, "logbook.recommendation_response", &payload).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The customer writes a message to the supplier about a location; it
/// stays Open until the supplier handles it. Returns its id.
///
/// # Errors
/// [`WriteError`]: a refused field, or the rights.
pub async fn send_message(
    reach: &Reach,
    location_id: i64,
    subject: &str,
    body: &str,
) -> Result<i64, WriteError> {
    let reach = reach.everywhere();
    check_text("subject", subject, MAX_SUBJECT, true).map_err(WriteError::Invalid)?;
    check_text("body", body, MAX_TEXT, true).map_err(WriteError::Invalid)?;
    let location = store::location(&reach, location_id, Need::Write).await?;
    let name = author(&reach).await?;
    let scope = reach.scope();
    let now = Utc::now();
    let mut tx = reach.db().begin().await?;
    let id = tx
        .insert_returning_id(
            &scope
                .insert("logbook_messages")
                .set("customer_id", location.customer_id)
                .set("location_id", location.id)
                .set("user_id", reach.user_id())
                .set("from_supplier", false)
                .set("kind", "message")
                .set("subject", subject.trim())
                .set("body", body.trim())
                .set("author_name", name.as_str())
                .set("status", "open")
                .set("created_at", now)
                .statement(),
        )
        .await?;
    events::emit(
        &mut tx,
        scope,
        "logbook.message",
        &json!({
            "message_id": id,
            "location_id": location.id,
            "customer_id": location.customer_id,
            "subject": subject.trim(),
            "body": body.trim(),
            "by": name,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A message from the supplier (a reply, a notification or an alarm) at a
/// location; a reply marks the customer's message handled. Used by the
/// staff pages and the back-office API, tenant-wide.
///
/// # Errors
/// A database failure.
#[allow(clippy::too_many_arguments)]
pub async fn supplier_message(
    db: &portal_core::Db,
    scope: TenantScope,
    customer_id: i64,
    location_id: i64,
    kind: &str,
    subject: &str,
    body: &str,
    author_name: &str,
    reply_to: Option<i64>,
    external_id: Option<&str>,
) -> Result<i64, DbError> {
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let id = tx
        .insert_returning_id(
            &scope
                .insert("logbook_messages")
                .set("customer_id", customer_id)
                .set("location_id", location_id)
                .set("from_supplier", true)
                .set("kind", kind)
                .set("subject", subject.trim())
                .set("body", body.trim())
                .set("author_name", author_name)
                .set("status", "handled")
                .set("reply_to", reply_to)
                .set("external_id", external_id)
                .set("created_at", now)
                .statement(),
        )
        .await?;
    if let Some(original) = reply_to {
        mark_handled(&mut tx, scope, original, author_name).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Marks a customer's message handled; false when there is none open.
///
/// # Errors
/// A database failure.
pub async fn mark_handled(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
    by: &str,
) -> Result<bool, DbError> {
    Ok(tx
        .execute(
            &scope
                .update("logbook_messages")
                .value("status", "handled")
                .value("handled_at", Utc::now())
                .value("handled_by", by)
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("from_supplier").eq(false))
                .and_where(Expr::col("status").eq("open"))
                .to_owned(),
        )
        .await?
        > 0)
}

/// Support saw a recommendation's response (staff pages, API): it leaves
/// the list of responses to handle; a status, if given, is the
/// technician's (e.g. verified), recorded in the history.
///
/// # Errors
/// A database failure.
pub async fn supplier_status(
    db: &portal_core::Db,
    scope: TenantScope,
    rec: &Recommendation,
    status: Option<&str>,
    actor: &str,
    actor_name: &str,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let mut q = scope.update("logbook_recommendations");
    q.value("awaiting_supplier", false)
        .and_where(Expr::col("id").eq(rec.id));
    let changed = status.filter(|s| *s != rec.status);
    if let Some(s) = changed {
        q.value("status", s).value("updated_at", Utc::now());
    }
    tx.execute(&q).await?;
    if let Some(s) = changed {
        history_row(
            &mut tx, scope, rec.id, "status", s, "", actor, None, actor_name,
        )
        .await?;
    }
    tx.commit().await
}
