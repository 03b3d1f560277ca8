//! Reading tickets, always within the tenant and the customers (or the
//! one account) the principal may see: a ticket outside them is not found.

use chrono::{DateTime, Utc};
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
    pub id: i64,
    pub customer_id: i64,
    pub user_id: Option<i64>,
    pub kind: String,
    pub category: String,
    pub subject: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const COLUMNS: [&str; 9] = [
    "id",
    "customer_id",
    "user_id",
    "kind",
    "category",
    "subject",
    "status",
    "created_at",
    "updated_at",
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
}

pub(crate) const MESSAGE_COLUMNS: [&str; 7] = [
    "id",
    "ticket_id",
    "user_id",
    "from_support",
    "support_name",
    "body",
    "created_at",
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
}

pub(crate) const ATTACHMENT_COLUMNS: [&str; 7] = [
    "id",
    "ticket_id",
    "message_id",
    "blob_key",
    "name",
    "mime",
    "size",
];

/// Whose tickets a list or a lookup reaches.
#[derive(Debug, Clone)]
pub enum Reach {
    /// The account's own tickets (`tickets.view_own`).
    Own { user_id: i64, customers: Vec<i64> },
    /// Every ticket of the customers (`tickets.view_all`).
    All { customers: Vec<i64> },
}

impl Reach {
    fn condition(&self) -> Cond {
        match self {
            Reach::Own { user_id, customers } => Cond::all()
                .add(Expr::col("user_id").eq(*user_id))
                .add(Expr::col("customer_id").is_in(customers.iter().copied())),
            Reach::All { customers } => {
                Cond::all().add(Expr::col("customer_id").is_in(customers.iter().copied()))
            }
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
pub async fn count(
    db: &Db,
    scope: TenantScope,
    reach: &Reach,
    filter: Filter,
) -> Result<i64, DbError> {
    let mut q = scope.select("tickets_tickets");
    q.expr(Expr::col("id").count())
        .cond_where(reach.condition());
    filter.apply(&mut q);
    let row: Option<(i64,)> = db.fetch_optional(&q).await?;
    Ok(row.map_or(0, |r| r.0))
}

fn select(scope: TenantScope) -> SelectStatement {
    let mut q = scope.select("tickets_tickets");
    q.columns(COLUMNS);
    q
}

/// Tickets of `reach`, newest first, before id `before` (keyset pages).
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &Db,
    scope: TenantScope,
    reach: &Reach,
    filter: Filter,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<Ticket>, DbError> {
    let mut q = select(scope);
    q.cond_where(reach.condition())
        .order_by("id", Order::Desc)
        .limit(limit);
    filter.apply(&mut q);
    if let Some(b) = before {
        q.and_where(Expr::col("id").lt(b));
    }
    db.fetch_all(&q).await
}

/// One ticket within `reach`, or `None`.
///
/// # Errors
/// A database failure.
pub async fn one(
    db: &Db,
    scope: TenantScope,
    reach: &Reach,
    id: i64,
) -> Result<Option<Ticket>, DbError> {
    let mut q = select(scope);
    q.cond_where(reach.condition())
        .and_where(Expr::col("id").eq(id));
    db.fetch_optional(&q).await
}

/// One ticket of the tenant (the back-office API), or `None`.
///
/// # Errors
/// A database failure.
pub async fn by_id(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Ticket>, DbError> {
    let mut q = select(scope);
    q.and_where(Expr::col("id").eq(id));
    db.fetch_optional(&q).await
}

/// The conversation of a ticket, oldest first.
///
/// # Errors
/// A database failure.
pub async fn messages(
    db: &Db,
    scope: TenantScope,
    ticket_id: i64,
) -> Result<Vec<Message>, DbError> {
    db.fetch_all(
        &scope
            .select("tickets_messages")
            .columns(MESSAGE_COLUMNS)
            .and_where(Expr::col("ticket_id").eq(ticket_id))
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// The attachments of a ticket.
///
/// # Errors
/// A database failure.
pub async fn attachments(
    db: &Db,
    scope: TenantScope,
    ticket_id: i64,
) -> Result<Vec<Attachment>, DbError> {
    db.fetch_all(
        &scope
            .select("tickets_attachments")
            .columns(ATTACHMENT_COLUMNS)
            .and_where(Expr::col("ticket_id").eq(ticket_id))
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
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
) -> Result<Option<Attachment>, DbError> {
    db.fetch_optional(
        &scope
            .select("tickets_attachments")
            .columns(ATTACHMENT_COLUMNS)
            .and_where(Expr::col("ticket_id").eq(ticket_id))
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}
