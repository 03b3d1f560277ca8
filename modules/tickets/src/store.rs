//! Reading tickets, always within the principal's [`Reach`]: the tenant,
//! the customers the page is for and, for an employee's own tickets,
//! the account ([`Reach::own`]); a ticket outside it is not found. The
//! back-office API reads tenant-wide ([`by_id`], [`changed_since`]).

use chrono::{DateTime, Utc};
use portal_core::access::Reach;
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Cond, Expr, ExprTrait, Order, SelectStatement};
use portal_core::tenant::TenantScope;

/// The ticket kinds of seed 001: Vraag, Verbetering, Foutmelding.
pub const KINDS: [&str; 3] = ["question", "improvement", "bug"];
/// Statuses, in the order a ticket usually goes through them.
pub const STATUSES: [&str; 4] = ["submitted", "in_progress", "waiting", "closed"];

/// A ticket row.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Ticket {
    /// The row's key: URLs and the back-office API use it.
    pub id: i64,
    /// The ticket's number within its tenant (1, 2, ...): what customers
    /// and support see, in pages and mails.
    pub number: i64,
    pub customer_id: i64,
    pub user_id: Option<i64>,
    pub kind: String,
    pub category: String,
    pub subject: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The staff member it is assigned to.
    pub assigned_to: Option<i64>,
}
portal_core::from_sqlite! {
    Ticket { id, number, customer_id, user_id, kind, category, subject, status, created_at,
        updated_at, assigned_to }
}

pub(crate) const COLUMNS: [&str; 11] = [
    "id",
    "number",
    "customer_id",
    "user_id",
    "kind",
    "category",
    "subject",
    "status",
    "created_at",
    "updated_at",
    "assigned_to",
];

/// A message of the conversation.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Message {
    pub id: i64,
    pub ticket_id: i64,
    pub user_id: Option<i64>,
    pub from_support: bool,
    pub support_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// An internal note of support: never shown to the customer.
    pub internal: bool,
    /// The staff member who wrote a support message on the staff pages.
    pub staff_id: Option<i64>,
}
portal_core::from_sqlite! {
    Message { id, ticket_id, user_id, from_support, support_name, body, created_at, internal,
        staff_id }
}

pub(crate) const MESSAGE_COLUMNS: [&str; 9] = [
    "id",
    "ticket_id",
    "user_id",
    "from_support",
    "support_name",
    "body",
    "created_at",
    "internal",
    "staff_id",
];

/// An attachment's metadata (its bytes are in the blob store).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Attachment {
    pub id: i64,
    pub ticket_id: i64,
    pub message_id: i64,
    #[serde(skip)]
    pub blob_key: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    /// Attached to an internal note: never shown to the customer.
    pub internal: bool,
}
portal_core::from_sqlite! {
    Attachment { id, ticket_id, message_id, blob_key, name, mime, size, internal }
}

pub(crate) const ATTACHMENT_COLUMNS: [&str; 8] = [
    "id",
    "ticket_id",
    "message_id",
    "blob_key",
    "name",
    "mime",
    "size",
    "internal",
];

/// Who reads a conversation: the customer never sees internal notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Customer,
    /// Support (staff pages, back-office API): everything.
    Support,
}

impl Audience {
    fn apply(self, q: &mut SelectStatement) {
        if self == Audience::Customer {
            q.and_where(Expr::col("internal").eq(false));
        }
    }
}

/// Which tickets of a reach a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Open,
    /// Waiting for the customer's reaction (the home page).
    Waiting,
}

impl Filter {
    fn apply(self, q: &mut SelectStatement) {
        match self {
            Filter::All => {}
            Filter::Open => {
                q.and_where(Expr::col("status").ne("closed"));
            }
            Filter::Waiting => {
                q.and_where(Expr::col("status").eq("waiting"));
            }
        }
    }
}

/// How many tickets of `reach` a list would show.
///
/// # Errors
/// A database failure.
pub async fn count(reach: &Reach, filter: Filter) -> Result<i64, DbError> {
    let mut q = reach.select("tickets_tickets");
    q.expr(Expr::col("id").count());
    filter.apply(&mut q);
    let row: Option<(i64,)> = reach.db().fetch_optional(&q).await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Tickets of `reach`, newest first, before id `before` (keyset pages).
///
/// # Errors
/// A database failure.
pub async fn list(
    reach: &Reach,
    filter: Filter,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<Ticket>, DbError> {
    let mut q = reach.select("tickets_tickets");
    q.columns(COLUMNS).order_by("id", Order::Desc).limit(limit);
    filter.apply(&mut q);
    if let Some(b) = before {
        q.and_where(Expr::col("id").lt(b));
    }
    reach.db().fetch_all(&q).await
}

/// One ticket within `reach`, or `None`.
///
/// # Errors
/// A database failure.
pub async fn one(reach: &Reach, id: i64) -> Result<Option<Ticket>, DbError> {
    let mut q = reach.select("tickets_tickets");
    q.columns(COLUMNS).and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// One ticket of the tenant (the back-office API), or `None`.
///
/// # Errors
/// A database failure.
pub async fn by_id(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Ticket>, DbError> {
    let mut q = scope.select("tickets_tickets");
    q.columns(COLUMNS).and_where(Expr::col("id").eq(id));
    db.fetch_optional(&q).await
}

/// Where the back-office's list of tickets goes on from.
#[derive(Debug, Clone, Copy)]
pub enum Cursor {
    /// From the first ticket, by id.
    Start,
    /// New tickets: ids above this one, by id.
    AfterId(i64),
    /// Changed tickets: `(updated_at, id)` above the last row seen, by
    /// last change then id, so polling sees every change once.
    ChangedSince { updated_at: DateTime<Utc>, id: i64 },
}

/// Tickets of the tenant for the back-office API, oldest first from `cursor`.
///
/// # Errors
/// A database failure.
pub async fn changed(
    db: &Db,
    scope: TenantScope,
    status: Option<&str>,
    cursor: Cursor,
    limit: u64,
) -> Result<Vec<Ticket>, DbError> {
    let mut q = scope.select("tickets_tickets");
    q.columns(COLUMNS).limit(limit);
    if let Some(s) = status {
        q.and_where(Expr::col("status").eq(s));
    }
    match cursor {
        Cursor::Start => {
            q.order_by("id", Order::Asc);
        }
        Cursor::AfterId(a) => {
            q.and_where(Expr::col("id").gt(a))
                .order_by("id", Order::Asc);
        }
        Cursor::ChangedSince { updated_at, id } => {
            q.cond_where(
                Cond::any().add(Expr::col("updated_at").gt(updated_at)).add(
                    Cond::all()
                        .add(Expr::col("updated_at").eq(updated_at))
                        .add(Expr::col("id").gt(id)),
                ),
            )
            .order_by("updated_at", Order::Asc)
            .order_by("id", Order::Asc);
        }
    }
    db.fetch_all(&q).await
}
/// The conversation of a ticket, oldest first.
///
/// # Errors
/// A database failure.
pub async fn messages(
    db: &Db,
    scope: TenantScope,
    ticket_id: i64,
    audience: Audience,
) -> Result<Vec<Message>, DbError> {
    let mut q = scope.select("tickets_messages");
    q.columns(MESSAGE_COLUMNS)
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .order_by("id", Order::Asc);
    audience.apply(&mut q);
    db.fetch_all(&q).await
}

/// The attachments of a ticket.
///
/// # Errors
/// A database failure.
pub async fn attachments(
    db: &Db,
    scope: TenantScope,
    ticket_id: i64,
    audience: Audience,
) -> Result<Vec<Attachment>, DbError> {
    let mut q = scope.select("tickets_attachments");
    q.columns(ATTACHMENT_COLUMNS)
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .order_by("id", Order::Asc);
    audience.apply(&mut q);
    db.fetch_all(&q).await
}

/// One attachment of one ticket, or `None`.
///
/// # Errors
/// A database failure.
pub async fn attachment(
    db: &Db,
    scope: TenantScope,
    ticket_id: i64,
    id: i64,
    audience: Audience,
) -> Result<Option<Attachment>, DbError> {
    let mut q = scope.select("tickets_attachments");
    q.columns(ATTACHMENT_COLUMNS)
        .and_where(Expr::col("ticket_id").eq(ticket_id))
        .and_where(Expr::col("id").eq(id));
    audience.apply(&mut q);
    db.fetch_optional(&q).await
}

/// One ticket of the tenant inside a transaction, or `None`.
///
/// # Errors
/// A database failure.
pub async fn by_id_in(
    tx: &mut portal_core::db::Tx,
    scope: TenantScope,
    id: i64,
) -> Result<Option<Ticket>, DbError> {
    let mut q = scope.select("tickets_tickets");
    q.columns(COLUMNS).and_where(Expr::col("id").eq(id));
    Ok(tx.fetch_all(&q).await?.into_iter().next())
}
