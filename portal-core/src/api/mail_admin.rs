//! Back-office endpoints for mail: templates per key, language and form of
//! address (get, set, reset to default, preview), a test send, and the
//! outbox with failures.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::admin::{ApiErrors, FieldError};
use super::auth::StaffToken;
use crate::mail::template;
use crate::mail::{MailKind, PlaceholderKind, Recipient, TemplateText, outbox, store};
use crate::tenant::{AddressForm, Lang};
use crate::web::errors::internal;

#[derive(Tags)]
enum MailTags {
    /// Mail templates, previews, test mails and the outbox.
    Mail,
}

fn errors_of(list: Vec<template::TemplateError>) -> Json<ApiErrors> {
    Json(ApiErrors {
        errors: list
            .into_iter()
            .map(|e| FieldError {
                field: Some(e.part.to_string()),
                message: e.message,
            })
            .collect(),
        ..ApiErrors::default()
    })
}

/// A placeholder as the template editor lists it.
#[derive(Object, Debug)]
pub struct PlaceholderView {
    /// Write it as `{name}`.
    pub name: String,
    pub description_nl: String,
    pub description_en: String,
    /// `text`, `formatted` (a block with its own HTML) or `plural`.
    #[oai(validator(pattern = "^(text|formatted|plural)$"))]
    pub kind: String,
    /// For `plural`: the word for one, the word for more, and the count that chooses.
    pub singular: Option<String>,
    pub plural: Option<String>,
    pub count: Option<String>,
}

#[derive(Object, Debug)]
pub struct MailKindView {
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
    pub placeholders: Vec<PlaceholderView>,
}

impl From<&MailKind> for MailKindView {
    fn from(k: &MailKind) -> Self {
        Self {
            key: k.key.into(),
            label_nl: k.label_nl.into(),
            label_en: k.label_en.into(),
            placeholders: k
                .all_placeholders()
                .map(|p| {
                    let (kind, s, pl, c) = match p.kind {
                        PlaceholderKind::Text { .. } => ("text", None, None, None),
                        PlaceholderKind::Formatted { .. } => ("formatted", None, None, None),
                        PlaceholderKind::Plural {
                            singular,
                            plural,
                            count,
                        } => (
                            "plural",
                            Some(singular.into()),
                            Some(plural.into()),
                            Some(count.into()),
                        ),
                    };
                    PlaceholderView {
                        name: p.name.into(),
                        description_nl: p.description_nl.into(),
                        description_en: p.description_en.into(),
                        kind: kind.into(),
                        singular: s,
                        plural: pl,
                        count: c,
                    }
                })
                .collect(),
        }
    }
}

/// A template: subject, HTML body and text body, in the `{placeholder}`
/// syntax (`{{` for a literal `{`).
#[derive(Object, Debug)]
pub struct TemplateView {
    pub subject: String,
    pub html: String,
    pub text: String,
    /// True while the tenant has not changed the shipped text.
    pub is_default: bool,
}

#[derive(Object, Debug)]
pub struct TemplateBody {
    pub subject: String,
    /// HTML body; empty or absent: made from the text body.
    pub html: Option<String>,
    /// Text body; empty or absent: made from the HTML body.
    pub text: Option<String>,
}

#[derive(ApiResponse)]
pub enum TemplateResponse {
    /// The template.
    #[oai(status = 200)]
    Ok(Json<TemplateView>),
    /// The template was refused (unknown placeholder, broken syntax); nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No mail with this key.
    #[oai(status = 404)]
    NotFound,
}

#[derive(Object, Debug)]
pub struct PreviewBody {
    /// Unsaved text to preview; absent parts come from the current template.
    pub subject: Option<String>,
    pub html: Option<String>,
    pub text: Option<String>,
    /// The count plural placeholders choose by (default 1).
    pub count: Option<i64>,
}

#[derive(Object, Debug)]
pub struct RenderedView {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(ApiResponse)]
pub enum PreviewResponse {
    /// The mail as a recipient would get it, with the declared example values.
    #[oai(status = 200)]
    Ok(Json<RenderedView>),
    /// The template was refused.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No mail with this key.
    #[oai(status = 404)]
    NotFound,
}

#[derive(Object, Debug)]
pub struct TestMailBody {
    /// The mail to send (default `core.test`), rendered with example values.
    pub key: Option<String>,
    pub lang: Option<Lang>,
    pub form: Option<AddressForm>,
    pub to: String,
}

#[derive(Object, Debug)]
pub struct Queued {
    pub id: i64,
}

#[derive(ApiResponse)]
pub enum TestMailResponse {
    /// Queued; the outbox shows when it is delivered.
    #[oai(status = 202)]
    Queued(Json<Queued>),
    /// Bad address or unknown mail.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// The hourly number of test mails is used up (`mail.test_mails_per_hour`).
    #[oai(status = 429)]
    TooMany(Json<ApiErrors>),
}

#[derive(Object, Debug)]
pub struct OutboxView {
    pub id: i64,
    pub key: String,
    pub to: String,
    pub subject: String,
    /// `queued`, `sending`, `sent` or `failed` (a CHECK of the table).
    #[oai(validator(pattern = "^(queued|sending|sent|failed)$"))]
    pub status: String,
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Mail endpoints, mounted with core's back-office API at `/api/admin/v1`.
pub struct MailAdminApi;

#[OpenApi(prefix_path = "/mail", tag = "MailTags::Mail")]
impl MailAdminApi {
    /// List the mails and their placeholders.
    #[oai(path = "/kinds", method = "get", operation_id = "core_mail_kinds")]
    async fn kinds(&self, auth: StaffToken) -> Json<Vec<MailKindView>> {
        Json(
            auth.0
                .state
                .mailer
                .kinds()
                .map(MailKindView::from)
                .collect(),
        )
    }

    /// Read a template (the tenant's own, or the default).
    #[oai(
        path = "/templates/:key/:lang/:form",
        method = "get",
        operation_id = "core_mail_template_get"
    )]
    async fn template_get(
        &self,
        auth: StaffToken,
        key: Path<String>,
        lang: Path<Lang>,
        form: Path<AddressForm>,
    ) -> poem::Result<TemplateResponse> {
        let s = &auth.0.state;
        let Some(kind) = s.mailer.kind(&key.0) else {
            return Ok(TemplateResponse::NotFound);
        };
        let e =
            store::effective(&s.db, auth.0.resolved.tenant.scope(), kind, lang.0, form.0).await?;
        Ok(TemplateResponse::Ok(Json(TemplateView {
            subject: e.text.subject,
            html: e.text.html,
            text: e.text.text,
            is_default: e.is_default,
        })))
    }

    /// Save the tenant's own template; refused with an unknown placeholder or broken syntax.
    #[oai(
        path = "/templates/:key/:lang/:form",
        method = "put",
        operation_id = "core_mail_template_put"
    )]
    async fn template_put(
        &self,
        auth: StaffToken,
        key: Path<String>,
        lang: Path<Lang>,
        form: Path<AddressForm>,
        body: Json<TemplateBody>,
    ) -> poem::Result<TemplateResponse> {
        let s = &auth.0.state;
        let Some(kind) = s.mailer.kind(&key.0) else {
            return Ok(TemplateResponse::NotFound);
        };
        let b = body.0;
        let t = TemplateText {
            subject: b.subject,
            html: b.html.unwrap_or_default(),
            text: b.text.unwrap_or_default(),
        };
        match store::save(
            &s.db,
            auth.0.resolved.tenant.scope(),
            kind,
            lang.0,
            form.0,
            &t,
        )
        .await
        {
            Ok(t) => Ok(TemplateResponse::Ok(Json(TemplateView {
                subject: t.subject,
                html: t.html,
                text: t.text,
                is_default: false,
            }))),
            Err(Ok(errors)) => Ok(TemplateResponse::Invalid(errors_of(errors))),
            Err(Err(e)) => Err(internal(e)),
        }
    }

    /// Go back to the default template.
    #[oai(
        path = "/templates/:key/:lang/:form",
        method = "delete",
        operation_id = "core_mail_template_reset"
    )]
    async fn template_reset(
        &self,
        auth: StaffToken,
        key: Path<String>,
        lang: Path<Lang>,
        form: Path<AddressForm>,
    ) -> poem::Result<TemplateResponse> {
        let s = &auth.0.state;
        let Some(kind) = s.mailer.kind(&key.0) else {
            return Ok(TemplateResponse::NotFound);
        };
        let scope = auth.0.resolved.tenant.scope();
        store::reset(&s.db, scope, kind.key, lang.0, form.0).await?;
        let e = store::effective(&s.db, scope, kind, lang.0, form.0).await?;
        Ok(TemplateResponse::Ok(Json(TemplateView {
            subject: e.text.subject,
            html: e.text.html,
            text: e.text.text,
            is_default: true,
        })))
    }

    /// Preview a template (saved or not) with the example values.
    #[oai(
        path = "/templates/:key/:lang/:form/preview",
        method = "post",
        operation_id = "core_mail_template_preview"
    )]
    async fn preview(
        &self,
        auth: StaffToken,
        key: Path<String>,
        lang: Path<Lang>,
        form: Path<AddressForm>,
        body: Json<PreviewBody>,
    ) -> poem::Result<PreviewResponse> {
        let s = &auth.0.state;
        let tenant = &auth.0.resolved.tenant;
        let Some(kind) = s.mailer.kind(&key.0) else {
            return Ok(PreviewResponse::NotFound);
        };
        let current = store::effective(&s.db, tenant.scope(), kind, lang.0, form.0)
            .await?
            .text;
        let b = body.0;
        let t = TemplateText {
            subject: b.subject.unwrap_or(current.subject),
            html: b.html.unwrap_or(current.html),
            text: b.text.unwrap_or(current.text),
        };
        match s
            .mailer
            .preview(kind, tenant, &t, b.count.unwrap_or(1))
            .await
        {
            Ok(r) => Ok(PreviewResponse::Ok(Json(RenderedView {
                subject: r.subject,
                html: r.html,
                text: r.text,
            }))),
            Err(errors) => Ok(PreviewResponse::Invalid(errors_of(errors))),
        }
    }

    /// Send a mail with example values to an address you give.
    #[oai(path = "/test", method = "post", operation_id = "core_mail_test")]
    async fn test_mail(
        &self,
        auth: StaffToken,
        body: Json<TestMailBody>,
    ) -> poem::Result<TestMailResponse> {
        let s = &auth.0.state;
        let tenant = &auth.0.resolved.tenant;
        let b = body.0;
        let key = b.key.unwrap_or_else(|| "core.test".into());
        let Some(kind) = s.mailer.kind(&key) else {
            return Ok(TestMailResponse::Invalid(Json(ApiErrors {
                errors: vec![FieldError {
                    field: Some("key".into()),
                    message: format!("no mail {key:?}"),
                }],
                ..ApiErrors::default()
            })));
        };
        let to = Recipient {
            address: b.to.clone(),
            name: String::new(),
            lang: b.lang,
            form: b.form,
        };
        match s.mailer.send_test(&s.db, tenant, kind, &to).await {
            Ok(Some(id)) => Ok(TestMailResponse::Queued(Json(Queued { id }))),
            Ok(None) => Ok(TestMailResponse::TooMany(Json(ApiErrors {
                errors: vec![FieldError {
                    field: None,
                    message: "too many test mails this hour; try again later".into(),
                }],
                ..ApiErrors::default()
            }))),
            Err(crate::mail::MailError::BadAddress(a)) => {
                Ok(TestMailResponse::Invalid(Json(ApiErrors {
                    errors: vec![FieldError {
                        field: Some("to".into()),
                        message: format!("{a:?} is not an e-mail address"),
                    }],
                    ..ApiErrors::default()
                })))
            }
            Err(e) => Err(internal(e)),
        }
    }

    /// The outbox, newest first; `status=failed` shows what could not be delivered and why.
    #[oai(path = "/outbox", method = "get", operation_id = "core_mail_outbox")]
    async fn outbox(
        &self,
        auth: StaffToken,
        /// Only mails with this status.
        #[oai(validator(pattern = "^(queued|sending|sent|failed)$"))]
        status: Query<Option<String>>,
        /// At most this many (1 to 500; default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
    ) -> poem::Result<Json<Vec<OutboxView>>> {
        let s = &auth.0.state;
        let rows = outbox::list(
            &s.db,
            auth.0.resolved.tenant.scope(),
            status.0.as_deref(),
            limit.0.unwrap_or(100).min(500),
        )
        .await?;
        Ok(Json(
            rows.into_iter()
                .map(|m| OutboxView {
                    id: m.id,
                    key: m.mail_key,
                    to: m.to_address,
                    subject: m.subject,
                    status: m.status,
                    attempts: m.attempts,
                    last_error: m.last_error,
                    created_at: m.created_at,
                    sent_at: m.sent_at,
                })
                .collect(),
        ))
    }
}
