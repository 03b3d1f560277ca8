//! Reading tickets for the tenant's support (the staff pages): the inbox
//! with its filters and counts, and the staff who answer tickets. Every
//! query starts from the staff member's [`StaffReach`]: their own tenant,
//! all of its customers.

use std::collections::BTreeMap;

use portal_core::db::{DbError, Paged};
use portal_core::sea_query::{Cond, Expr, ExprTrait, Func, Order, SelectStatement};
use portal_core::staff::StaffReach;

use crate::store::{COLUMNS, Ticket};

/// Tickets per inbox page.
pub const INBOX_PAGE: u64 = 50;

/// What the inbox shows; every field empty shows the open tickets.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    /// A status, `open` (everything not closed, the default) or `all`.
    pub status: String,
    pub kind: String,
    pub category: String,
    /// A customer's id (from the customer's staff page).
    pub customer: Option<i64>,
    /// `me`, `nobody`, or empty for anyone.
    pub assigned: String,
    /// Words in the subject or in any message, or a ticket's number.
    pub q: String,
    /// `oldest`: the ticket waiting longest first; else the newest change first.
    pub order: String,
    /// From 0.
    pub page: u64,
}

fn filtered(reach: &StaffReach, f: &InboxFilter) -> SelectStatement {
    let scope = reach.scope();
    let mut q = scope.select("tickets_tickets");
    match f.status.as_str() {
        "all" => {}
        "" | "open" => {
            q.and_where(Expr::col("status").ne("closed"));
        }
        s => {
            q.and_where(Expr::col("status").eq(s));
        }
    }
    if !f.kind.is_empty() {
        q.and_where(Expr::col("kind").eq(f.kind.as_str()));
    }
    if !f.category.is_empty() {
        q.and_where(Expr::col("category").eq(f.category.as_str()));
    }
    if let Some(c) = f.customer {
        q.and_where(Expr::col("customer_id").eq(c));
    }
    match f.assigned.as_str() {
        "me" => {
            q.and_where(Expr::col("assigned_to").eq(reach.member_id()));
        }
        "nobody" => {
            q.and_where(Expr::col("assigned_to").is_null());
        }
        _ => {}
    }
    if let Some(like) = portal_core::db::like_pattern(&f.q) {
        let in_messages = scope
            .select("tickets_messages")
            .column("ticket_id")
            .and_where(Expr::expr(Func::lower(Expr::col("body"))).like(like.clone()))
            .to_owned();
        let mut any = Cond::any()
            .add(Expr::expr(Func::lower(Expr::col("subject"))).like(like))
            .add(Expr::col("id").in_subquery(in_messages));
        // A ticket's number, as the customer quotes it ("ticket 12", "#12").
        if let Ok(n) = f.q.trim().trim_start_matches('#').parse::<i64>() {
            any = any.add(Expr::col("number").eq(n));
        }
        q.cond_where(any);
    }
    q
}

/// One page of the inbox.
///
/// # Errors
/// A database failure.
pub async fn inbox(reach: &StaffReach, f: &InboxFilter) -> Result<Paged<Ticket>, DbError> {
    let mut q = filtered(reach, f);
    let order = if f.order == "oldest" {
        Order::Asc
    } else {
        Order::Desc
    };
    q.columns(COLUMNS)
        .order_by("updated_at", order.clone())
        .order_by("id", order)
        .limit(Paged::<Ticket>::limit(INBOX_PAGE))
        .offset(f.page.saturating_mul(INBOX_PAGE));
    let rows = reach.db().fetch_all(&q).await?;
    Ok(Paged::new(rows, INBOX_PAGE))
}

/// How many tickets of the tenant have each status.
///
/// # Errors
/// A database failure.
pub async fn counts(reach: &StaffReach) -> Result<BTreeMap<String, i64>, DbError> {
    let q = reach
        .scope()
        .select("tickets_tickets")
        .column("status")
        .expr(Expr::col("id").count())
        .group_by_col("status")
        .to_owned();
    let rows: Vec<(String, i64)> = reach.db().fetch_all(&q).await?;
    Ok(rows.into_iter().collect())
}

/// Tickets that wait for support (submitted or in progress): the number
/// beside "Tickets" in the staff navigation.
///
/// # Errors
/// A database failure.
pub async fn waiting_for_support(reach: &StaffReach) -> Result<i64, DbError> {
    let q = reach
        .scope()
        .select("tickets_tickets")
        .expr(Expr::col("id").count())
        .and_where(Expr::col("status").is_in(["submitted", "in_progress"]))
        .to_owned();
    let row: Option<(i64,)> = reach.db().fetch_optional(&q).await?;
    Ok(row.map_or(0, |r| r.0))
}

/// One ticket of the tenant, or `None`.
///
/// # Errors
/// A database failure.
pub async fn one(reach: &StaffReach, id: i64) -> Result<Option<Ticket>, DbError> {
    crate::store::by_id(reach.db(), reach.scope(), id).await
}

/// A customer's number and name by id, for the ids given.
///
/// # Errors
/// A database failure.
pub async fn customers(
    reach: &StaffReach,
    ids: &[i64],
) -> Result<BTreeMap<i64, (String, String)>, DbError> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let q = reach
        .scope()
        .select("core_customers")
        .columns(["id", "number", "name"])
        .and_where(Expr::col("id").is_in(ids.iter().copied()))
        .to_owned();
    let rows: Vec<(i64, String, String)> = reach.db().fetch_all(&q).await?;
    Ok(rows
        .into_iter()
        .map(|(id, n, name)| (id, (n, name)))
        .collect())
}

/// The tenant's active staff whose role answers tickets: whom a ticket
/// can be assigned to, as (id, name or e-mail).
///
/// # Errors
/// A database failure.
pub async fn assignees(reach: &StaffReach) -> Result<Vec<(i64, String)>, DbError> {
    use portal_core::staff::StaffPerm;
    let all = portal_core::staff::members::list(reach.db(), reach.scope()).await?;
    Ok(all
        .into_iter()
        .filter(|m| m.holds(&crate::Desk::STAFF_PERMISSION))
        .map(|m| {
            let name = if m.name.trim().is_empty() {
                m.email
            } else {
                m.name
            };
            (m.id, name)
        })
        .collect())
}

/// True when staff member `id` may be assigned tickets.
///
/// # Errors
/// A database failure.
pub async fn may_be_assigned(reach: &StaffReach, id: i64) -> Result<bool, DbError> {
    Ok(assignees(reach).await?.iter().any(|(m, _)| *m == id))
}
