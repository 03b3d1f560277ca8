//! The back-office API of tickets (`/api/admin/v1/tickets`, scope
//! `tickets`): list tickets changed since a cursor, get one with its
//! conversation and attachments, download an attachment, reply (with
//! attachments, checked as the portal checks uploads), set a status, close,
//! and open a ticket for a customer (as support does on the staff pages).
//! A ticket has its row `id` (the paths use it) and its `number` within
//! the tenant, which customers and support see.
//! New tickets and customer replies also reach the back-office as webhook
//! events (`tickets.created`, `tickets.replied`) from core's outbox.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::Base64;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::auth::accounts;
use portal_core::auth::activity::{self, Actor, Entry};
use portal_core::files::upload::{Limits, UploadedFile};
use portal_core::files::{names, sniff};

use crate::store::{self, Attachment, Audience, Message, STATUSES, Ticket};
use crate::write::{self, Author, NewTicket, Opening};

#[derive(Tags)]
enum TicketTags {
    /// Support tickets and their conversation.
    Tickets,
}

/// A ticket with its conversation.
#[derive(Object, Debug)]
pub struct TicketDetail {
    pub ticket: TicketOut,
    pub messages: Vec<TicketMessageOut>,
}

/// A ticket.
#[derive(Object, Debug)]
pub struct TicketOut {
    /// The ticket's id: the paths of this API use it.
    pub id: i64,
    /// The ticket's number within the tenant (1, 2, ...), as the customer
    /// and support see it in the portal and in mails.
    pub number: i64,
    pub customer_id: i64,
    /// `question`, `improvement` or `bug`.
    #[oai(validator(pattern = "^(question|improvement|bug)$"))]
    pub kind: String,
    pub category: String,
    pub subject: String,
    /// `submitted`, `in_progress`, `waiting` or `closed`.
    #[oai(validator(pattern = "^(submitted|in_progress|waiting|closed)$"))]
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        Self {
            id: t.id,
            number: t.number,
            customer_id: t.customer_id,
            kind: t.kind,
            category: t.category,
            subject: t.subject,
            status: t.status,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// A message of the conversation.
#[derive(Object, Debug)]
pub struct TicketMessageOut {
    pub id: i64,
    pub from_support: bool,
    /// The support name for a support message; empty for the customer's.
    pub support_name: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// An internal note of support, which the customer never sees.
    pub internal: bool,
    pub attachments: Vec<TicketAttachmentOut>,
}

/// An attachment's metadata; its bytes at `GET /{id}/files/{file}`.
#[derive(Object, Debug)]
pub struct TicketAttachmentOut {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

fn message_out(m: Message, files: &[Attachment]) -> TicketMessageOut {
    TicketMessageOut {
        id: m.id,
        from_support: m.from_support,
        support_name: m.support_name,
        body: m.body,
        created_at: m.created_at,
        internal: m.internal,
        attachments: files
            .iter()
            .filter(|f| f.message_id == m.id)
            .map(|f| TicketAttachmentOut {
                id: f.id,
                name: f.name.clone(),
                mime: f.mime.clone(),
                size: f.size,
            })
            .collect(),
    }
}

/// A file sent with a support reply.
#[derive(Object, Debug)]
pub struct TicketFileIn {
    #[oai(validator(max_length = 255))]
    pub name: String,
    /// The bytes, base64-encoded.
    pub content: Base64<Vec<u8>>,
}

/// A support reply.
#[derive(Object, Debug)]
pub struct TicketReplyIn {
    /// The name the customer sees as the author, e.g. "HCI Customer Support".
    #[oai(validator(min_length = 1, max_length = 100))]
    pub author: String,
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// A new status, e.g. `waiting` to ask the customer for a reaction.
    #[oai(validator(pattern = "^(submitted|in_progress|waiting|closed)$"))]
    pub status: Option<String>,
    #[oai(default)]
    pub attachments: Vec<TicketFileIn>,
}

/// A new status.
#[derive(Object, Debug)]
pub struct TicketStatusIn {
    /// `submitted`, `in_progress`, `waiting` or `closed`.
    #[oai(validator(pattern = "^(submitted|in_progress|waiting|closed)$"))]
    pub status: String,
}

/// A ticket that support opens for a customer (a phone call, a mail): it
/// belongs to the customer and, when one is given, to a contact person of
/// it, who sees it among their own tickets and is mailed as for a reply.
#[derive(Object, Debug)]
pub struct TicketOpenIn {
    /// The customer by the back-office's id (as synced); or `customer_number`.
    #[oai(validator(max_length = 100))]
    pub customer_external_id: Option<String>,
    /// The customer by its customer number; or `customer_external_id`.
    #[oai(validator(max_length = 64))]
    pub customer_number: Option<String>,
    /// The contact person by the back-office's id of the account (optional;
    /// or `contact_email`): an active account of this customer.
    #[oai(validator(max_length = 100))]
    pub contact_external_id: Option<String>,
    /// The contact person by the account's e-mail (optional; or `contact_external_id`).
    #[oai(validator(max_length = 254))]
    pub contact_email: Option<String>,
    /// `question`, `improvement` or `bug`.
    #[oai(validator(pattern = "^(question|improvement|bug)$"))]
    pub kind: String,
    /// One of the tenant's main categories (setting `tickets.categories`).
    #[oai(validator(max_length = 200))]
    pub category: String,
    #[oai(validator(max_length = 200))]
    pub subject: String,
    /// The name the customer sees as the author, e.g. "HCI Customer Support".
    #[oai(validator(min_length = 1, max_length = 100))]
    pub author: String,
    /// Support's first message.
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// `submitted`, `in_progress` or `waiting` (the default: the customer
    /// is asked for a reaction).
    #[oai(validator(pattern = "^(submitted|in_progress|waiting)$"))]
    pub status: Option<String>,
    #[oai(default)]
    pub attachments: Vec<TicketFileIn>,
}

/// The opened ticket.
#[derive(Object, Debug)]
pub struct TicketCreated {
    /// Its id, for the paths of this API.
    pub id: i64,
    /// Its number within the tenant, as the customer sees it.
    pub number: i64,
}

/// The id of the stored reply.
#[derive(Object, Debug)]
pub struct TicketMessageCreated {
    pub message_id: i64,
}

#[derive(ApiResponse)]
pub enum GetResponse {
    /// The ticket.
    #[oai(status = 200)]
    Ok(Json<TicketDetail>),
    /// No ticket with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum FileResponse {
    /// The attachment's bytes, always as `application/octet-stream` (its
    /// type as checked on upload is `mime` in the ticket's detail): a
    /// download is never shown inline.
    #[oai(status = 200)]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "content-disposition")] String,
    ),
    /// No such ticket or attachment at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum ReplyResponse {
    /// Stored; the customer is mailed.
    #[oai(status = 201)]
    Created(Json<TicketMessageCreated>),
    /// Refused input (empty body, unknown status, a file not allowed).
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No ticket with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum OpenResponse {
    /// Opened; the contact person, when one is given, is mailed.
    #[oai(status = 201)]
    Created(Json<TicketCreated>),
    /// Refused input, by field (no customer named, an unknown kind or
    /// category, an empty subject or body, a status, a contact person who
    /// is not an active account of the customer, a file not allowed).
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No customer with this external id or number at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum StatusResponse {
    /// Stored.
    #[oai(status = 204)]
    Done,
    /// Not a status.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No ticket with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

fn invalid(field: &str, message: impl Into<String>) -> Json<ApiErrors> {
    Json(ApiErrors {
        errors: vec![FieldError {
            field: Some(field.into()),
            message: message.into(),
        }],
        ..ApiErrors::default()
    })
}

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: Some(field.into()),
        message: message.into(),
    }
}

/// True for a name support signs with: 1 to 100 characters, no control characters.
fn author_ok(author: &str) -> bool {
    !author.trim().is_empty()
        && author.chars().count() <= 100
        && !author.chars().any(char::is_control)
}

const AUTHOR_RULE: &str = "1 to 100 characters, no control characters";

/// What is wrong with a ticket to open, by field of [`TicketOpenIn`]: the
/// customer's form's rules ([`write::validate`]), a status it may start
/// in, who it is for. An empty list for good input.
fn open_errors(o: &TicketOpenIn, t: &NewTicket<'_>, categories: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match (given(&o.customer_external_id), given(&o.customer_number)) {
        (true, false) | (false, true) => {}
        (false, false) => errors.push(field(
            "customer_external_id",
            "the customer: customer_external_id or customer_number",
        )),
        (true, true) => errors.push(field(
            "customer_external_id",
            "customer_external_id or customer_number, not both",
        )),
    }
    if given(&o.contact_external_id) && given(&o.contact_email) {
        errors.push(field(
            "contact_email",
            "contact_external_id or contact_email, not both",
        ));
    }
    for key in write::validate(t, categories).into_keys() {
        errors.push(match key {
            "kind" => field("kind", "question, improvement or bug"),
            "category" => field(
                "category",
                format!("one of the main categories: {}", categories.join("; ")),
            ),
            "subject" => field("subject", "1 to 200 characters, no control characters"),
            _ => field("body", format!("1 to {} characters", crate::MAX_TEXT_CHARS)),
        });
    }
    if !author_ok(&o.author) {
        errors.push(field("author", AUTHOR_RULE));
    }
    if let Some(s) = o.status.as_deref()
        && !OPEN_STATUSES.contains(&s)
    {
        errors.push(field("status", "submitted, in_progress or waiting"));
    }
    errors
}

/// The statuses a ticket opened for a customer may start in.
const OPEN_STATUSES: [&str; 3] = ["submitted", "in_progress", "waiting"];

/// The customer named by its external id or number, at the tenant.
async fn customer_of(
    db: &portal_core::db::Db,
    scope: portal_core::tenant::TenantScope,
    o: &TicketOpenIn,
) -> Result<Option<i64>, portal_core::db::DbError> {
    let nonempty = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(external) = nonempty(&o.customer_external_id) {
        let found = portal_core::access::sync_rows::customers_by_external_id(
            db,
            scope,
            std::slice::from_ref(&external),
        )
        .await?;
        return Ok(found.get(&external).copied());
    }
    Ok(match nonempty(&o.customer_number) {
        Some(number) => accounts::customer_by_number(db, scope, &number)
            .await?
            .map(|c| c.id),
        None => None,
    })
}

/// The contact person named by external id or e-mail: an active account
/// of the customer. `Ok(None)` when none is named, `Err` with the field
/// error when the one named is not such an account.
async fn contact_of(
    db: &portal_core::db::Db,
    scope: portal_core::tenant::TenantScope,
    customer_id: i64,
    o: &TicketOpenIn,
) -> poem::Result<Result<Option<i64>, FieldError>> {
    let external = o
        .contact_external_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let email = o
        .contact_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if external.is_none() && email.is_none() {
        return Ok(Ok(None));
    }
    let contacts = accounts::list(db, scope, Some(customer_id)).await?;
    let (name, found) = match (external, email) {
        (Some(x), _) => (
            "contact_external_id",
            contacts
                .iter()
                .find(|a| a.active && a.external_id.as_deref() == Some(x)),
        ),
        (None, e) => (
            "contact_email",
            contacts
                .iter()
                .find(|a| a.active && e.is_some_and(|e| a.email.eq_ignore_ascii_case(e))),
        ),
    };
    Ok(found
        .map(|a| Some(a.id))
        .ok_or_else(|| field(name, "no active contact person of this customer")))
}

fn status_error(s: &str) -> Option<Json<ApiErrors>> {
    (!STATUSES.contains(&s)).then(|| invalid("status", "submitted, in_progress, waiting or closed"))
}

/// Support's files, checked as uploads in the portal are.
fn files_in(
    files: Vec<TicketFileIn>,
    limits: &Limits,
) -> Result<Vec<UploadedFile>, Json<ApiErrors>> {
    if files.len() > limits.max_files {
        return Err(invalid(
            "attachments",
            format!("at most {} files", limits.max_files),
        ));
    }
    let mut total = 0;
    let mut out = Vec::new();
    for f in files {
        let name = names::sanitise(&f.name).map_err(|e| invalid("attachments", e.to_string()))?;
        let bytes = f.content.0;
        if bytes.len() > limits.per_file {
            return Err(invalid(
                "attachments",
                format!("{name}: larger than {} bytes", limits.per_file),
            ));
        }
        total += bytes.len();
        if total > limits.total {
            return Err(invalid(
                "attachments",
                format!("together larger than {} bytes", limits.total),
            ));
        }
        let ty = sniff::decide(&name, &bytes)
            .map_err(|e| invalid("attachments", format!("{name}: {e}")))?;
        out.push(UploadedFile {
            field: "attachments".into(),
            name,
            ty,
            bytes,
        });
    }
    Ok(out)
}

/// The tickets endpoints.
pub struct TicketsAdminApi;

#[OpenApi(tag = "TicketTags::Tickets")]
impl TicketsAdminApi {
    /// List tickets, oldest first, up to 500: new ones since `after_id`, or changed ones since `updated_since`.
    #[oai(path = "/", method = "get", operation_id = "tickets_list")]
    async fn list(
        &self,
        auth: StaffToken,
        /// Only tickets with a status (`submitted`, ...); all by default.
        status: Query<Option<String>>,
        /// Only tickets with an id above this (new tickets since the last call), by id.
        /// With `updated_since`: the last row's id, to break ties between tickets changed at the same instant.
        after_id: Query<Option<i64>>,
        /// Only tickets changed (a reply, a status) after this instant, by last change then id:
        /// pass the last row's `updated_at` (and its id as `after_id`) to see every change once.
        updated_since: Query<Option<chrono::DateTime<chrono::Utc>>>,
    ) -> poem::Result<Json<Vec<TicketOut>>> {
        let cursor = match (updated_since.0, after_id.0) {
            (Some(updated_at), id) => store::Cursor::ChangedSince {
                updated_at,
                id: id.unwrap_or(0),
            },
            (None, Some(id)) => store::Cursor::AfterId(id),
            (None, None) => store::Cursor::Start,
        };
        let rows = store::changed(
            &auth.0.state.db,
            auth.0.resolved.tenant.scope(),
            status.0.as_deref(),
            cursor,
            500,
        )
        .await?;
        Ok(Json(rows.into_iter().map(Into::into).collect()))
    }

    /// A ticket with its conversation and attachment list.
    #[oai(path = "/:id", method = "get", operation_id = "tickets_get")]
    async fn get(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<GetResponse> {
        let (db, scope) = (&auth.0.state.db, auth.0.resolved.tenant.scope());
        let Some(t) = store::by_id(db, scope, id.0).await? else {
            return Ok(GetResponse::NotFound);
        };
        let files = store::attachments(db, scope, t.id, Audience::Support).await?;
        let messages = store::messages(db, scope, t.id, Audience::Support).await?;
        Ok(GetResponse::Ok(Json(TicketDetail {
            ticket: t.into(),
            messages: messages
                .into_iter()
                .map(|m| message_out(m, &files))
                .collect(),
        })))
    }

    /// Download an attachment of a ticket.
    #[oai(
        path = "/:id/files/:file",
        method = "get",
        operation_id = "tickets_file"
    )]
    async fn file(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        file: Path<i64>,
    ) -> poem::Result<FileResponse> {
        let s = &auth.0.state;
        let Some(f) = store::attachment(
            &s.db,
            auth.0.resolved.tenant.scope(),
            id.0,
            file.0,
            Audience::Support,
        )
        .await?
        else {
            return Ok(FileResponse::NotFound);
        };
        let Some(bytes) = s.blobs.get(&f.blob_key).await? else {
            return Ok(FileResponse::NotFound);
        };
        Ok(FileResponse::Ok(Binary(bytes), names::attachment(&f.name)))
    }

    /// Reply as support (with attachments); mails the ticket's author.
    #[oai(path = "/:id/replies", method = "post", operation_id = "tickets_reply")]
    async fn reply(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<TicketReplyIn>,
    ) -> poem::Result<ReplyResponse> {
        let (s, tenant) = (&auth.0.state, &auth.0.resolved.tenant);
        let r = body.0;
        if r.body.trim().is_empty() && r.attachments.is_empty() {
            return Ok(ReplyResponse::Invalid(invalid(
                "body",
                "a reply needs a text or a file",
            )));
        }
        if r.body.chars().count() > crate::MAX_TEXT_CHARS {
            return Ok(ReplyResponse::Invalid(invalid(
                "body",
                format!("at most {} characters", crate::MAX_TEXT_CHARS),
            )));
        }
        if !author_ok(&r.author) {
            return Ok(ReplyResponse::Invalid(invalid("author", AUTHOR_RULE)));
        }
        if let Some(e) = r.status.as_deref().and_then(status_error) {
            return Ok(ReplyResponse::Invalid(e));
        }
        let files = match files_in(
            r.attachments,
            &crate::limits(auth.0.state.config.web.max_form_bytes, tenant),
        ) {
            Ok(f) => f,
            Err(e) => return Ok(ReplyResponse::Invalid(e)),
        };
        let Some(t) = store::by_id(&s.db, tenant.scope(), id.0).await? else {
            return Ok(ReplyResponse::NotFound);
        };
        let message_id = write::reply(
            &s.deps(),
            tenant,
            &t,
            Author::Support(r.author.trim()),
            &r.body,
            r.status.as_deref(),
            files,
        )
        .await?;
        Ok(ReplyResponse::Created(Json(TicketMessageCreated {
            message_id,
        })))
    }

    /// Open a ticket for a customer as support; mails its contact person, if one is given.
    #[oai(path = "/", method = "post", operation_id = "tickets_open")]
    async fn open(&self, auth: StaffToken, body: Json<TicketOpenIn>) -> poem::Result<OpenResponse> {
        let (s, tenant) = (&auth.0.state, &auth.0.resolved.tenant);
        let (db, scope) = (&s.db, tenant.scope());
        let mut o = body.0;
        let attachments = std::mem::take(&mut o.attachments);
        let t = NewTicket {
            kind: &o.kind,
            category: &o.category,
            subject: &o.subject,
            description: &o.body,
        };
        let mut errors = open_errors(&o, &t, &crate::categories(tenant));
        let files = match files_in(
            attachments,
            &crate::limits(s.config.web.max_form_bytes, tenant),
        ) {
            Ok(f) => f,
            Err(e) => {
                errors.extend(e.0.errors);
                Vec::new()
            }
        };
        if !errors.is_empty() {
            return Ok(OpenResponse::Invalid(Json(ApiErrors {
                errors,
                ..ApiErrors::default()
            })));
        }
        let Some(customer_id) = customer_of(db, scope, &o).await? else {
            return Ok(OpenResponse::NotFound);
        };
        let account_id = match contact_of(db, scope, customer_id, &o).await? {
            Ok(a) => a,
            Err(e) => {
                return Ok(OpenResponse::Invalid(Json(ApiErrors {
                    errors: vec![e],
                    ..ApiErrors::default()
                })));
            }
        };
        let opening = Opening {
            customer_id,
            account_id,
            by: Author::Support(o.author.trim()),
            status: o.status.as_deref().unwrap_or("waiting"),
        };
        let created = write::open_for(&s.deps(), tenant, &opening, &t, files).await?;
        let object = format!("ticket:{}", created.id);
        activity::record_now(
            db,
            scope,
            Entry {
                user_id: None,
                customer_id: Some(customer_id),
                actor: Actor::ApiKey,
                actor_id: Some(auth.0.key_id),
                action: "tickets.opened",
                object: &object,
                detail: "",
                ip: None,
            },
        )
        .await?;
        Ok(OpenResponse::Created(Json(TicketCreated {
            id: created.id,
            number: created.number,
        })))
    }

    /// Set a ticket's status; `waiting` mails the author for a reaction.
    #[oai(path = "/:id/status", method = "put", operation_id = "tickets_status")]
    async fn status(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<TicketStatusIn>,
    ) -> poem::Result<StatusResponse> {
        if let Some(e) = status_error(&body.0.status) {
            return Ok(StatusResponse::Invalid(e));
        }
        set(&auth, id.0, &body.0.status).await
    }

    /// Close a ticket.
    #[oai(path = "/:id/close", method = "post", operation_id = "tickets_close")]
    async fn close(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<StatusResponse> {
        set(&auth, id.0, "closed").await
    }
}

async fn set(auth: &StaffToken, id: i64, status: &str) -> poem::Result<StatusResponse> {
    let (s, tenant) = (&auth.0.state, &auth.0.resolved.tenant);
    let Some(t) = store::by_id(&s.db, tenant.scope(), id).await? else {
        return Ok(StatusResponse::NotFound);
    };
    write::set_status(&s.deps(), tenant, &t, status).await?;
    Ok(StatusResponse::Done)
}
