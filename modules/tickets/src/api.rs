//! The back-office API of tickets (`/api/admin/v1/tickets`, scope
//! `tickets`): list tickets changed since a cursor, get one with its
//! conversation and attachments, download an attachment, reply (with
//! attachments, checked as the portal checks uploads), set a status, close.
//! New tickets and customer replies also reach the back-office as webhook
//! events (`tickets.created`, `tickets.replied`) from core's outbox.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::Base64;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::files::upload::{Limits, UploadedFile};
use portal_core::files::{names, sniff};

use crate::store::{self, Attachment, Audience, Message, STATUSES, Ticket};
use crate::write::{self, Author};

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
    pub id: i64,
    pub customer_id: i64,
    /// `question`, `improvement` or `bug`.
    pub kind: String,
    pub category: String,
    pub subject: String,
    /// `submitted`, `in_progress`, `waiting` or `closed`.
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<Ticket> for TicketOut {
    fn from(t: Ticket) -> Self {
        Self {
            id: t.id,
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
    pub name: String,
    /// The bytes, base64-encoded.
    pub content: Base64<Vec<u8>>,
}

/// A support reply.
#[derive(Object, Debug)]
pub struct TicketReplyIn {
    /// The name the customer sees as the author, e.g. "HCI Customer Support".
    pub author: String,
    pub body: String,
    /// A new status, e.g. `waiting` to ask the customer for a reaction.
    pub status: Option<String>,
    #[oai(default)]
    pub attachments: Vec<TicketFileIn>,
}

/// A new status.
#[derive(Object, Debug)]
pub struct TicketStatusIn {
    /// `submitted`, `in_progress`, `waiting` or `closed`.
    pub status: String,
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
    /// The attachment's bytes.
    #[oai(status = 200)]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "content-type")] String,
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
    #[oai(status = 400)]
    Invalid(Json<ApiErrors>),
    /// No ticket with this id at this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum StatusResponse {
    /// Stored.
    #[oai(status = 204)]
    Done,
    /// Not a status.
    #[oai(status = 400)]
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
    })
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
        Ok(FileResponse::Ok(
            Binary(bytes),
            f.mime,
            names::attachment(&f.name),
        ))
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
        if r.author.trim().is_empty()
            || r.author.chars().count() > 100
            || r.author.chars().any(char::is_control)
        {
            return Ok(ReplyResponse::Invalid(invalid(
                "author",
                "1 to 100 characters, no control characters",
            )));
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
