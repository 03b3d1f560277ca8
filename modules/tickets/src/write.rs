//! Writing tickets: a new ticket, a reply, a status. A ticket (or a reply)
//! and its attachments commit together (SECURITY.md H 38): the files go to
//! the blob store under generated keys first, then one transaction writes
//! the rows, the event for the back-office and any mail. When the
//! transaction fails the files are deleted again; when the process dies in
//! between, no row refers to them and core's sweeper removes them.

use chrono::Utc;
use portal_core::Deps;
use portal_core::access::Reach;
use portal_core::db::{DbError, Tx};
use portal_core::files::BlobStore;
use portal_core::files::upload::UploadedFile;
use portal_core::sea_query::ExprTrait;
use portal_core::staff::StaffReach;
use portal_core::tenant::{Tenant, TenantScope};

/// Why a write failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Blob(#[from] portal_core::files::BlobError),
    #[error(transparent)]
    Mail(#[from] portal_core::mail::MailError),
    /// Support closed the ticket before the customer's reply arrived:
    /// nothing was stored, and the ticket answers like a missing one.
    #[error("the ticket is closed")]
    Closed,
}

/// A closed ticket takes no reply (404, as for a ticket one cannot
/// reply to); anything else is a 500 whose detail is only logged.
impl portal_core::poem::error::ResponseError for WriteError {
    fn status(&self) -> portal_core::poem::http::StatusCode {
        use portal_core::poem::http::StatusCode;
        match self {
            WriteError::Closed => StatusCode::NOT_FOUND,
            WriteError::Blob(e) => portal_core::poem::error::ResponseError::status(e),
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What is wrong with a new ticket, by field: a text key.
pub type TicketErrors = std::collections::BTreeMap<&'static str, &'static str>;

/// A new ticket as the customer's form sent it.
#[derive(Debug, Default)]
pub struct NewTicket<'a> {
    pub kind: &'a str,
    pub category: &'a str,
    pub subject: &'a str,
    pub description: &'a str,
}

/// Checks a new ticket against the tenant's categories.
pub fn validate(t: &NewTicket<'_>, categories: &[String]) -> TicketErrors {
    let mut e = TicketErrors::new();
    if !crate::store::KINDS.contains(&t.kind) {
        e.insert("kind", "tickets-error-kind");
    }
    if !categories.iter().any(|c| c == t.category.trim()) {
        e.insert("category", "tickets-error-category");
    }
    let subject = t.subject.trim();
    if subject.is_empty() {
        e.insert("subject", "tickets-error-subject");
    } else if subject.chars().count() > 200 || subject.chars().any(char::is_control) {
        e.insert("subject", "tickets-error-too-long");
    }
    if t.description.trim().is_empty() {
        e.insert("description", "tickets-error-description");
    } else if t.description.chars().count() > crate::MAX_TEXT_CHARS {
        e.insert("description", "tickets-error-too-long");
    }
    e
}

/// Files stored in the blob store, not yet referred to by a row.
struct Stored {
    keys: Vec<(String, UploadedFile)>,
}

async fn store_files(
    blobs: &BlobStore,
    tenant_id: i64,
    files: Vec<UploadedFile>,
) -> Result<Stored, WriteError> {
    let mut stored = Stored { keys: Vec::new() };
    for f in files {
        let key = BlobStore::new_key(tenant_id, "ticket", f.ty.ext);
        if let Err(e) = blobs.put(&key, &f.bytes).await {
            forget(blobs, &stored).await;
            return Err(e.into());
        }
        stored.keys.push((key, f));
    }
    Ok(stored)
}

/// Deletes files whose rows did not commit (the sweeper would, later).
async fn forget(blobs: &BlobStore, stored: &Stored) {
    for (key, _) in &stored.keys {
        if let Err(e) = blobs.delete(key).await {
            tracing::warn!(error = %e, "an uncommitted attachment stays for the sweeper");
        }
    }
}

/// Who a stored message is from, and whether only support sees it.
#[derive(Debug, Clone, Copy)]
struct Sender<'a> {
    user_id: Option<i64>,
    /// Set for a support message: the name the customer sees.
    support_name: Option<&'a str>,
    staff_id: Option<i64>,
    internal: bool,
}

impl<'a> Sender<'a> {
    fn of(author: Author<'a>) -> Self {
        match author {
            Author::Customer(id, _) => Sender {
                user_id: Some(id),
                support_name: None,
                staff_id: None,
                internal: false,
            },
            Author::Support(name) => Sender {
                user_id: None,
                support_name: Some(name),
                staff_id: None,
                internal: false,
            },
            Author::Staff(id, name) => Sender {
                user_id: None,
                support_name: Some(name),
                staff_id: Some(id),
                internal: false,
            },
        }
    }
}

async fn insert_message(
    tx: &mut Tx,
    scope: TenantScope,
    ticket_id: i64,
    from: Sender<'_>,
    body: &str,
    stored: &Stored,
) -> Result<i64, DbError> {
    let now = Utc::now();
    let message_id = tx
        .insert_returning_id(
            &scope
                .insert("tickets_messages")
                .set("ticket_id", ticket_id)
                .set("user_id", from.user_id)
                .set("from_support", from.support_name.is_some())
                .set("support_name", from.support_name.unwrap_or(""))
                .set("staff_id", from.staff_id)
                .set("internal", from.internal)
                .set("body", body.trim().replace("\r\n", "\n"))
                .set("created_at", now)
                .statement(),
        )
        .await?;
    for (key, f) in &stored.keys {
        tx.execute(
            &scope
                .insert("tickets_attachments")
                .set("ticket_id", ticket_id)
                .set("message_id", message_id)
                .set("blob_key", key.as_str())
                .set("name", f.name.as_str())
                .set("mime", f.ty.mime)
                .set("size", i64::try_from(f.bytes.len()).unwrap_or(i64::MAX))
                .set("internal", from.internal)
                .set("created_at", now)
                .statement(),
        )
        .await?;
    }
    Ok(message_id)
}

fn attachment_names(stored: &Stored) -> Vec<&str> {
    stored.keys.iter().map(|(_, f)| f.name.as_str()).collect()
}

/// A stored new ticket: its row id (URLs, the back-office API) and its
/// number within the tenant (what customers and support see).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub id: i64,
    pub number: i64,
}

/// The tenant's next ticket number: its counter row bumped (or made, with
/// number 1) in the ticket's own transaction. On PostgreSQL the upsert
/// holds the counter's row lock until the transaction ends, so two
/// tickets of one tenant take turns and never share a number; on SQLite
/// writers take turns anyway. A ticket that does not commit gives its
/// number back.
async fn next_number(tx: &mut Tx, scope: TenantScope) -> Result<i64, DbError> {
    use portal_core::sea_query::{Expr, OnConflict, Query};
    let mut q = scope
        .insert("tickets_counters")
        .set("last_number", 1)
        .statement();
    q.on_conflict(
        OnConflict::column("tenant_id")
            .value(
                "last_number",
                Expr::col(("tickets_counters", "last_number")).add(1),
            )
            .to_owned(),
    )
    .returning(Query::returning().column("last_number"));
    let rows: Vec<(i64,)> = tx.fetch_all(&q).await?;
    rows.into_iter()
        .next()
        .map(|r| r.0)
        .ok_or_else(|| DbError(sqlx::Error::RowNotFound))
}

/// Inserts a new ticket with the tenant's next number: kind, category,
/// subject, status and times added to `row`, which says whose ticket it is.
async fn insert_ticket(
    tx: &mut Tx,
    scope: TenantScope,
    row: portal_core::tenant::NewRow,
    t: &NewTicket<'_>,
    status: &str,
) -> Result<Created, DbError> {
    let number = next_number(tx, scope).await?;
    let now = Utc::now();
    let row = row
        .set("number", number)
        .set("kind", t.kind)
        .set("category", t.category.trim())
        .set("subject", t.subject.trim())
        .set("status", status)
        .set("created_at", now)
        .set("updated_at", now);
    let id = tx.insert_returning_id(&row.statement()).await?;
    Ok(Created { id, number })
}

/// Stores a valid new ticket for the customer the page is for, by the
/// reached account (`author`: its customer number and e-mail, for the
/// back-office), with its first message and attachments; returns its id
/// and number.
///
/// # Errors
/// A storage or database failure (nothing is kept).
pub async fn create(
    deps: &Deps,
    tenant: &Tenant,
    reach: &Reach,
    author: (&str, &str),
    t: &NewTicket<'_>,
    files: Vec<UploadedFile>,
) -> Result<Created, WriteError> {
    let scope = reach.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let result = async {
        let mut tx = deps.db.begin().await?;
        let created = insert_ticket(
            &mut tx,
            scope,
            reach
                .insert("tickets_tickets")
                .set("user_id", reach.user_id()),
            t,
            "submitted",
        )
        .await?;
        let id = created.id;
        insert_message(
            &mut tx,
            scope,
            id,
            Sender::of(Author::Customer(reach.user_id(), author.1)),
            t.description,
            &stored,
        )
        .await?;
        portal_core::events::emit(
            &mut tx,
            scope,
            "tickets.created",
            &serde_json::json!({
                "ticket_id": id,
                "ticket_number": created.number,
                "customer_id": reach.customer_id(),
                "account_customer_number": author.0,
                "kind": t.kind,
                "category": t.category.trim(),
                "subject": t.subject.trim(),
                "description": t.description.trim(),
                "attachments": attachment_names(&stored),
                "created_by": author.1,
            }),
        )
        .await?;
        let notice = crate::mails::Notice {
            ticket_id: id,
            number: created.number,
            subject: t.subject.trim(),
            customer_id: reach.customer_id(),
            assignee: None,
            new: true,
        };
        crate::mails::notify_support(deps, &mut tx, tenant, &notice).await?;
        crate::mails::confirm_received(
            deps,
            &mut tx,
            tenant,
            created.number,
            t.subject.trim(),
            reach.user_id(),
        )
        .await?;
        tx.commit().await?;
        Ok::<Created, WriteError>(created)
    }
    .await;
    match &result {
        Ok(_) => deps.mailer.wake(),
        Err(_) => forget(&deps.blobs, &stored).await,
    }
    result
}

/// Who writes a reply.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// The customer's contact person (account id, e-mail).
    Customer(i64, &'a str),
    /// The tenant's support, by the name the back-office gives.
    Support(&'a str),
    /// A staff member on the staff pages (id, name shown to the customer).
    Staff(i64, &'a str),
}

impl Author<'_> {
    fn is_support(&self) -> bool {
        !matches!(self, Author::Customer(..))
    }

    /// Who it is for the back-office's events: the e-mail of the
    /// customer's contact person, support's name.
    fn name(&self) -> &str {
        match self {
            Author::Customer(_, email) => email,
            Author::Support(name) | Author::Staff(_, name) => name,
        }
    }
}

/// Adds a reply to a ticket; a customer's reply to a ticket that waited
/// for it sets it back to "in progress", a support reply may set a new
/// status. Support replies mail the ticket's author. A customer's reply
/// changes the status only while the ticket is not closed, checked in the
/// same transaction: a ticket support closed meanwhile stays closed and
/// keeps no reply ([`WriteError::Closed`]).
///
/// # Errors
/// [`WriteError::Closed`], or a storage or database failure (nothing is kept).
pub async fn reply(
    deps: &Deps,
    tenant: &Tenant,
    ticket: &crate::store::Ticket,
    author: Author<'_>,
    body: &str,
    status: Option<&str>,
    files: Vec<UploadedFile>,
) -> Result<i64, WriteError> {
    let scope = tenant.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let result = async {
        let mut tx = deps.db.begin().await?;
        let new_status = if author.is_support() {
            let s = status.unwrap_or(ticket.status.as_str());
            set_status_in(&mut tx, scope, ticket.id, s).await?;
            s.to_string()
        } else {
            customer_touch(&mut tx, scope, ticket.id).await?
        };
        let message_id =
            insert_message(&mut tx, scope, ticket.id, Sender::of(author), body, &stored).await?;
        let event = if author.is_support() {
            "tickets.support_replied"
        } else {
            "tickets.replied"
        };
        portal_core::events::emit(
            &mut tx,
            scope,
            event,
            &serde_json::json!({
                "ticket_id": ticket.id,
                "ticket_number": ticket.number,
                "message_id": message_id,
                "body": body.trim(),
                "status": new_status,
                "attachments": attachment_names(&stored),
                "by": author.name(),
            }),
        )
        .await?;
        if author.is_support() {
            crate::mails::notify_author(deps, &mut tx, tenant, ticket, &new_status).await?;
        } else {
            let notice = crate::mails::Notice {
                ticket_id: ticket.id,
                number: ticket.number,
                subject: &ticket.subject,
                customer_id: ticket.customer_id,
                assignee: ticket.assigned_to,
                new: false,
            };
            crate::mails::notify_support(deps, &mut tx, tenant, &notice).await?;
        }
        tx.commit().await?;
        Ok::<i64, WriteError>(message_id)
    }
    .await;
    match &result {
        Ok(_) => deps.mailer.wake(),
        Err(_) => forget(&deps.blobs, &stored).await,
    }
    result
}

/// A customer's reply: "waiting" becomes "in progress", any other open
/// status stays, all only while the ticket is not closed (one conditional
/// update, so a close that commits first wins). Returns the new status.
async fn customer_touch(tx: &mut Tx, scope: TenantScope, id: i64) -> Result<String, WriteError> {
    use portal_core::sea_query::Expr;
    let changed = tx
        .execute(
            &scope
                .update("tickets_tickets")
                .value(
                    "status",
                    Expr::case(Expr::col("status").eq("waiting"), "in_progress")
                        .finally(Expr::col("status")),
                )
                .value("updated_at", Utc::now())
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("status").ne("closed"))
                .to_owned(),
        )
        .await?;
    if changed == 0 {
        return Err(WriteError::Closed);
    }
    let row: Vec<(String,)> = tx
        .fetch_all(
            &scope
                .select("tickets_tickets")
                .column("status")
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    Ok(row
        .into_iter()
        .next()
        .map_or_else(|| "in_progress".into(), |r| r.0))
}

async fn set_status_in(
    tx: &mut Tx,
    scope: TenantScope,
    id: i64,
    status: &str,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .update("tickets_tickets")
            .value("status", status)
            .value("updated_at", Utc::now())
            .and_where(portal_core::sea_query::Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
    .map(drop)
}

/// Sets a ticket's status from the back-office; the author is mailed when
/// the ticket now waits for them.
///
/// # Errors
/// A database failure.
pub async fn set_status(
    deps: &Deps,
    tenant: &Tenant,
    ticket: &crate::store::Ticket,
    status: &str,
) -> Result<(), WriteError> {
    let mut tx = deps.db.begin().await?;
    set_status_in(&mut tx, tenant.scope(), ticket.id, status).await?;
    if status == "waiting" && ticket.status != "waiting" {
        crate::mails::notify_author(deps, &mut tx, tenant, ticket, status).await?;
    }
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// Adds an internal note of support to a ticket: the customer never sees
/// it (nor its files), nobody is mailed, the status stays. The back-office
/// hears of it (`tickets.noted`).
///
/// # Errors
/// A storage or database failure (nothing is kept).
pub async fn note(
    deps: &Deps,
    reach: &StaffReach,
    ticket: &crate::store::Ticket,
    body: &str,
    files: Vec<UploadedFile>,
) -> Result<i64, WriteError> {
    let scope = reach.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let result = async {
        let mut tx = deps.db.begin().await?;
        let from = Sender {
            internal: true,
            ..Sender::of(Author::Staff(reach.member_id(), reach.member_name()))
        };
        let id = insert_message(&mut tx, scope, ticket.id, from, body, &stored).await?;
        portal_core::events::emit(
            &mut tx,
            scope,
            "tickets.noted",
            &serde_json::json!({
                "ticket_id": ticket.id,
                "ticket_number": ticket.number,
                "message_id": id,
                "body": body.trim(),
                "attachments": attachment_names(&stored),
                "by": reach.member_name(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok::<i64, WriteError>(id)
    }
    .await;
    if result.is_err() {
        forget(&deps.blobs, &stored).await;
    }
    result
}

/// Assigns a ticket to a staff member (or to nobody); the new assignee is
/// mailed. The member must be one of the tenant's active staff whose role
/// answers tickets.
///
/// # Errors
/// A database or mail-template failure.
pub async fn assign(
    deps: &Deps,
    tenant: &Tenant,
    reach: &StaffReach,
    ticket: &crate::store::Ticket,
    to: Option<i64>,
) -> Result<(), WriteError> {
    use portal_core::sea_query::Expr;
    let mut tx = deps.db.begin().await?;
    tx.execute(
        &reach
            .scope()
            .update("tickets_tickets")
            .value("assigned_to", to)
            .and_where(Expr::col("id").eq(ticket.id))
            .to_owned(),
    )
    .await?;
    if let Some(member) = to.filter(|m| *m != reach.member_id()) {
        let notice = crate::mails::Notice {
            ticket_id: ticket.id,
            number: ticket.number,
            subject: &ticket.subject,
            customer_id: ticket.customer_id,
            assignee: Some(member),
            new: false,
        };
        crate::mails::notify_assignee(deps, &mut tx, tenant, &notice).await?;
    }
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}

/// A ticket that support opens for a customer (on the phone, from a mail):
/// whose it is, who opens it, and its first status.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    /// The customer, of the tenant (the caller checked).
    pub customer_id: i64,
    /// A contact person of that customer (the caller checked), who sees
    /// the ticket among their own tickets and is mailed; `None` for the
    /// organisation as a whole (then nobody is mailed).
    pub account_id: Option<i64>,
    /// Support: a staff member on the staff pages, who is then assigned,
    /// or the back-office API by the name the customer sees. Never
    /// [`Author::Customer`].
    pub by: Author<'a>,
    /// `submitted`, `in_progress` or `waiting`.
    pub status: &'a str,
}

/// Opens a ticket for a customer: it belongs to the customer and, when
/// one is chosen, to a contact person of it, who is mailed as for a
/// support reply (`tickets.waiting` or `tickets.replied`); the first
/// message is support's. The staff pages and the back-office API both
/// open tickets through here. Returns the ticket's id and number.
///
/// # Errors
/// A storage or database failure (nothing is kept).
pub async fn open_for(
    deps: &Deps,
    tenant: &Tenant,
    o: &Opening<'_>,
    t: &NewTicket<'_>,
    files: Vec<UploadedFile>,
) -> Result<Created, WriteError> {
    let scope = tenant.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let assignee = match o.by {
        Author::Staff(id, _) => Some(id),
        Author::Support(_) | Author::Customer(..) => None,
    };
    let result = async {
        let mut tx = deps.db.begin().await?;
        let created = insert_ticket(
            &mut tx,
            scope,
            scope
                .insert("tickets_tickets")
                .set("customer_id", o.customer_id)
                .set("user_id", o.account_id)
                .set("assigned_to", assignee),
            t,
            o.status,
        )
        .await?;
        let id = created.id;
        insert_message(&mut tx, scope, id, Sender::of(o.by), t.description, &stored).await?;
        portal_core::events::emit(
            &mut tx,
            scope,
            "tickets.created",
            &serde_json::json!({
                "ticket_id": id,
                "ticket_number": created.number,
                "customer_id": o.customer_id,
                "kind": t.kind,
                "category": t.category.trim(),
                "subject": t.subject.trim(),
                "description": t.description.trim(),
                "attachments": attachment_names(&stored),
                "created_by": o.by.name(),
                "by_support": true,
            }),
        )
        .await?;
        if let Some(ticket) = crate::store::by_id_in(&mut tx, scope, id).await? {
            crate::mails::notify_author(deps, &mut tx, tenant, &ticket, o.status).await?;
        }
        tx.commit().await?;
        Ok::<Created, WriteError>(created)
    }
    .await;
    match &result {
        Ok(_) => deps.mailer.wake(),
        Err(_) => forget(&deps.blobs, &stored).await,
    }
    result
}
