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

/// A new ticket's row: kind, category, subject, status and times added to
/// `row`, which says whose ticket it is.
fn ticket_row(
    row: portal_core::tenant::NewRow,
    t: &NewTicket<'_>,
    status: &str,
) -> portal_core::tenant::NewRow {
    let now = Utc::now();
    row.set("kind", t.kind)
        .set("category", t.category.trim())
        .set("subject", t.subject.trim())
        .set("status", status)
        .set("created_at", now)
        .set("updated_at", now)
}

/// Stores a valid new ticket for the customer the page is for, by the
/// reached account (`author`: its customer number and e-mail, for the
/// back-office), with its first message and attachments; returns its id.
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
) -> Result<i64, WriteError> {
    let scope = reach.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let result = async {
        let mut tx = deps.db.begin().await?;
        let id = tx
            .insert_returning_id(
                &ticket_row(
                    reach
                        .insert("tickets_tickets")
                        .set("user_id", reach.user_id()),
                    t,
                    "submitted",
                )
                .statement(),
            )
            .await?;
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
            id,
            t.subject.trim(),
            reach.user_id(),
        )
        .await?;
        tx.commit().await?;
        Ok::<i64, WriteError>(id)
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
        let (event, by) = match author {
            Author::Customer(_, email) => ("tickets.replied", email),
            Author::Support(name) | Author::Staff(_, name) => ("tickets.support_replied", name),
        };
        portal_core::events::emit(
            &mut tx,
            scope,
            event,
            &serde_json::json!({
                "ticket_id": ticket.id,
                "message_id": message_id,
                "body": body.trim(),
                "status": new_status,
                "attachments": attachment_names(&stored),
                "by": by,
            }),
        )
        .await?;
        if author.is_support() {
            crate::mails::notify_author(deps, &mut tx, tenant, ticket, &new_status).await?;
        } else {
            let notice = crate::mails::Notice {
                ticket_id: ticket.id,
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
/// it belongs to the customer and, when one is chosen, to a contact person
/// of it, who sees it among their own tickets and is mailed; the first
/// message is support's. Returns the ticket's id.
///
/// # Errors
/// A storage or database failure (nothing is kept).
#[allow(clippy::too_many_arguments)]
pub async fn open_for(
    deps: &Deps,
    tenant: &Tenant,
    reach: &StaffReach,
    customer_id: i64,
    account_id: Option<i64>,
    t: &NewTicket<'_>,
    status: &str,
    files: Vec<UploadedFile>,
) -> Result<i64, WriteError> {
    let scope = reach.scope();
    let stored = store_files(&deps.blobs, scope.tenant_id(), files).await?;
    let result = async {
        let mut tx = deps.db.begin().await?;
        let id = tx
            .insert_returning_id(
                &ticket_row(
                    scope
                        .insert("tickets_tickets")
                        .set("customer_id", customer_id)
                        .set("user_id", account_id)
                        .set("assigned_to", reach.member_id()),
                    t,
                    status,
                )
                .statement(),
            )
            .await?;
        let author = Author::Staff(reach.member_id(), reach.member_name());
        insert_message(
            &mut tx,
            scope,
            id,
            Sender::of(author),
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
                "customer_id": customer_id,
                "kind": t.kind,
                "category": t.category.trim(),
                "subject": t.subject.trim(),
                "description": t.description.trim(),
                "attachments": attachment_names(&stored),
                "created_by": reach.member_name(),
                "by_support": true,
            }),
        )
        .await?;
        if let Some(ticket) = crate::store::by_id_in(&mut tx, scope, id).await? {
            crate::mails::notify_author(deps, &mut tx, tenant, &ticket, status).await?;
        }
        tx.commit().await?;
        Ok::<i64, WriteError>(id)
    }
    .await;
    match &result {
        Ok(_) => deps.mailer.wake(),
        Err(_) => forget(&deps.blobs, &stored).await,
    }
    result
}
