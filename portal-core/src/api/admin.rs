//! Core's back-office API: the tenant's details, portal URL, modules,
//! branding, page messages and module settings.

use chrono::{DateTime, Utc};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi, Tags, param::Path};

use super::auth::{Staff, StaffToken};
use crate::files::{BlobError, read_limited};
use crate::tenant::branding::{Branding, ColourInput};
use crate::tenant::images::ImageError;
use crate::tenant::repo::{self, BrandImage, MessageInput, TenantError, TenantPatch};
use crate::tenant::{AddressForm, Lang, MessageKind, Tenant};
use crate::web::errors::internal;

#[derive(Tags)]
enum AdminTags {
    /// The tenant's details, portal URL and modules.
    Tenant,
    /// Logo, favicon and colours.
    Branding,
    /// Messages shown on portal pages.
    Messages,
    /// Per-tenant module settings.
    Settings,
}

/// One problem with the input.
#[derive(Object, Debug)]
pub struct FieldError {
    /// The input field, when the problem belongs to one.
    pub field: Option<String>,
    /// What is wrong, for the person who sent it.
    pub message: String,
}

/// The request was refused; nothing was changed. Every error the API
/// answers has this shape: the problems in `errors` (at least one), and,
/// when the refusal came before any handler (authentication, a body that
/// does not parse, an unknown path), the status with a title and message
/// for people and the correlation id of the log line.
#[derive(Object, Debug, Default)]
pub struct ApiErrors {
    pub errors: Vec<FieldError>,
    /// The HTTP status, repeated.
    #[oai(skip_serializing_if_is_none)]
    pub status: Option<u16>,
    /// A short title for people.
    #[oai(skip_serializing_if_is_none)]
    pub error: Option<String>,
    /// What happened and what to do, for people.
    #[oai(skip_serializing_if_is_none)]
    pub message: Option<String>,
    /// Quote this to support: it names the log line (server errors only).
    #[oai(skip_serializing_if_is_none)]
    pub correlation_id: Option<String>,
}

fn one_error(field: Option<&str>, message: impl Into<String>) -> Json<ApiErrors> {
    Json(ApiErrors {
        errors: vec![FieldError {
            field: field.map(str::to_string),
            message: message.into(),
        }],
        ..ApiErrors::default()
    })
}

/// Generic answer of a write.
#[derive(ApiResponse)]
pub enum WriteResponse {
    /// Done.
    #[oai(status = 204)]
    Done,
    /// The input was refused; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// The thing to change does not exist for this tenant.
    #[oai(status = 404)]
    NotFound,
    /// The upload is larger than allowed.
    #[oai(status = 413)]
    TooLarge(Json<ApiErrors>),
}

impl WriteResponse {
    fn from_tenant(r: Result<(), TenantError>) -> poem::Result<Self> {
        match r {
            Ok(()) => Ok(WriteResponse::Done),
            Err(TenantError::Invalid { field, message, .. }) => {
                Ok(WriteResponse::Invalid(one_error(Some(field), message)))
            }
            Err(TenantError::NotFound) => Ok(WriteResponse::NotFound),
            Err(TenantError::Db(e)) => Err(internal(e)),
        }
    }
}

/// A tenant as the back-office sees it.
#[derive(Object, Debug)]
pub struct TenantView {
    pub code: String,
    pub name: String,
    pub default_language: Lang,
    pub address_form: AddressForm,
    pub theme: String,
    pub support_email: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub portal_urls: Vec<String>,
    pub modules: Vec<String>,
    pub brand_inherit: bool,
}

impl From<&Tenant> for TenantView {
    fn from(t: &Tenant) -> Self {
        Self {
            code: t.code.clone(),
            name: t.name.clone(),
            default_language: t.default_language,
            address_form: t.address_form,
            theme: t.theme.clone(),
            support_email: t.contact.support_email.clone(),
            website: t.contact.website.clone(),
            phone: t.contact.phone.clone(),
            portal_urls: t.urls.iter().map(|u| u.url.clone()).collect(),
            modules: t.modules.iter().cloned().collect(),
            brand_inherit: t.brand_inherit,
        }
    }
}

/// Fields to change; absent fields stay as they are, an empty string clears an optional one.
#[derive(Object, Debug)]
pub struct TenantPatchBody {
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    pub default_language: Option<Lang>,
    pub address_form: Option<AddressForm>,
    #[oai(validator(max_length = 40))]
    pub theme: Option<String>,
    #[oai(validator(max_length = 254))]
    pub support_email: Option<String>,
    #[oai(validator(max_length = 2000))]
    pub website: Option<String>,
    #[oai(validator(max_length = 40))]
    pub phone: Option<String>,
    /// Take over the parent organisation's branding for every value not set
    /// here. The parent itself is set by the portal's operator
    /// (`portal tenant set-parent`), never by a tenant: otherwise any tenant
    /// could dress up as any other.
    pub brand_inherit: Option<bool>,
    /// Sender name of the tenant's mails ("" uses the tenant's name).
    #[oai(validator(max_length = 200))]
    pub mail_from_name: Option<String>,
    /// Sender address of the tenant's mails ("" uses the portal's configured address).
    #[oai(validator(max_length = 254))]
    pub mail_from_address: Option<String>,
    /// Reply-To of the tenant's mails ("" for none).
    #[oai(validator(max_length = 254))]
    pub mail_reply_to: Option<String>,
}

#[derive(Object, Debug)]
pub struct PortalUrlBody {
    /// e.g. `https://mijn.example.nl`
    #[oai(validator(max_length = 2000))]
    pub url: String,
}

/// Colours as `#rrggbb`; absent or empty means "not set" (inherited or default).
#[derive(Object, Debug)]
pub struct ColoursBody {
    #[oai(validator(
        max_length = 40,
        pattern = r"^(\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*)?$"
    ))]
    pub primary: Option<String>,
    #[oai(validator(
        max_length = 40,
        pattern = r"^(\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*)?$"
    ))]
    pub primary_text: Option<String>,
    #[oai(validator(
        max_length = 40,
        pattern = r"^(\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*)?$"
    ))]
    pub secondary: Option<String>,
    #[oai(validator(
        max_length = 40,
        pattern = r"^(\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*)?$"
    ))]
    pub secondary_text: Option<String>,
}

#[derive(Object, Debug)]
pub struct MessageBody {
    /// `*` for every page, or a path such as `/` or `/invoices`.
    #[oai(validator(max_length = 200))]
    pub page: String,
    pub kind: MessageKind,
    /// Rich text; anything beyond headings, bold, italic, underline, strike-through, lists, colours and links is removed.
    #[oai(validator(max_length = 20000))]
    pub html: String,
    /// The English text (same rules); absent or empty shows `html` to English readers.
    #[oai(validator(max_length = 20000))]
    pub html_en: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Object, Debug)]
pub struct MessageView {
    pub id: i64,
    pub page: String,
    pub kind: MessageKind,
    pub html: String,
    /// The English text; empty when only `html` was written.
    pub html_en: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Object, Debug)]
pub struct Created {
    pub id: i64,
}

#[derive(ApiResponse)]
pub enum CreateResponse {
    /// Created.
    #[oai(status = 201)]
    Created(Json<Created>),
    /// The input was refused; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
}

#[derive(Object, Debug)]
pub struct SettingView {
    pub key: String,
    pub value: String,
    pub is_default: bool,
}

#[derive(Object, Debug)]
pub struct SettingBody {
    /// The new value; absent resets the setting to its default.
    #[oai(validator(max_length = 20000))]
    pub value: Option<String>,
}

#[derive(ApiResponse)]
pub enum SettingsResponse {
    /// The module's settings for this tenant.
    #[oai(status = 200)]
    Ok(Json<Vec<SettingView>>),
    /// No such module in this portal.
    #[oai(status = 404)]
    NotFound,
}

/// Core's back-office endpoints, mounted at `/api/admin/v1`.
pub struct AdminApi;

fn message_input(b: MessageBody) -> MessageInput {
    MessageInput {
        page: b.page,
        kind: b.kind,
        html: b.html,
        html_en: b.html_en.unwrap_or_default(),
        starts_at: b.starts_at,
        ends_at: b.ends_at,
    }
}

async fn upload(
    staff: &Staff,
    which: BrandImage,
    body: Binary<poem::Body>,
) -> poem::Result<WriteResponse> {
    let state = &staff.state;
    let limit = state.config.web.max_upload_bytes;
    let bytes = match read_limited(body.0, limit).await {
        Ok(b) => b,
        Err(BlobError::TooLarge { limit }) => {
            return Ok(WriteResponse::TooLarge(one_error(
                Some("file"),
                format!("the file is larger than {limit} bytes"),
            )));
        }
        Err(e) => {
            return Ok(WriteResponse::Invalid(one_error(
                Some("file"),
                format!("the upload could not be read: {e}"),
            )));
        }
    };
    let tenant = &staff.resolved.tenant;
    match crate::tenant::images::store(&state.db, &state.blobs, tenant.scope(), which, &bytes).await
    {
        Ok(()) => Ok(WriteResponse::Done),
        Err(ImageError::NotAnImage(m)) => Ok(WriteResponse::Invalid(one_error(Some("file"), m))),
        Err(ImageError::Blob(e)) => Err(e.into()),
        Err(ImageError::Db(e)) => Err(e.into()),
    }
}

async fn remove_image(staff: &Staff, which: BrandImage) -> poem::Result<WriteResponse> {
    let state = &staff.state;
    crate::tenant::images::remove(
        &state.db,
        &state.blobs,
        staff.resolved.tenant.scope(),
        which,
    )
    .await?;
    Ok(WriteResponse::Done)
}

#[OpenApi(prefix_path = "/")]
impl AdminApi {
    /// Read the tenant's details.
    #[oai(
        path = "/tenant",
        method = "get",
        tag = "AdminTags::Tenant",
        operation_id = "core_tenant_get"
    )]
    async fn tenant_get(&self, auth: StaffToken) -> Json<TenantView> {
        Json(TenantView::from(&*auth.0.resolved.tenant))
    }

    /// Change the tenant's details.
    #[oai(
        path = "/tenant",
        method = "patch",
        tag = "AdminTags::Tenant",
        operation_id = "core_tenant_patch"
    )]
    async fn tenant_patch(
        &self,
        auth: StaffToken,
        body: Json<TenantPatchBody>,
    ) -> poem::Result<WriteResponse> {
        let b = body.0;
        let patch = TenantPatch {
            name: b.name,
            default_language: b.default_language,
            address_form: b.address_form,
            theme: b.theme,
            support_email: b.support_email,
            website: b.website,
            phone: b.phone,
            parent_code: None,
            brand_inherit: b.brand_inherit,
            mail_from_name: b.mail_from_name,
            mail_from_address: b.mail_from_address,
            mail_reply_to: b.mail_reply_to,
        };
        let s = &auth.0.state;
        WriteResponse::from_tenant(
            repo::update(
                &s.db,
                auth.0.resolved.tenant.scope(),
                &patch,
                s.renderer.themes(),
            )
            .await,
        )
    }

    /// Set the portal URL (checked at once: https, a valid domain, not used by another tenant).
    #[oai(
        path = "/tenant/portal-url",
        method = "put",
        tag = "AdminTags::Tenant",
        operation_id = "core_tenant_set_url"
    )]
    async fn set_url(
        &self,
        auth: StaffToken,
        body: Json<PortalUrlBody>,
    ) -> poem::Result<WriteResponse> {
        let s = &auth.0.state;
        let r = repo::set_portal_url(
            &s.db,
            auth.0.resolved.tenant.scope(),
            &body.0.url,
            &s.config.web,
        )
        .await;
        WriteResponse::from_tenant(r.map(drop))
    }

    /// Enable a module for the tenant.
    #[oai(
        path = "/tenant/modules/:name",
        method = "put",
        tag = "AdminTags::Tenant",
        operation_id = "core_module_enable"
    )]
    async fn module_enable(
        &self,
        auth: StaffToken,
        name: Path<String>,
    ) -> poem::Result<WriteResponse> {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        WriteResponse::from_tenant(
            repo::set_module_enabled(&s.db, t.scope(), &s.registry, &name.0, true).await,
        )
    }

    /// Disable a module for the tenant.
    #[oai(
        path = "/tenant/modules/:name",
        method = "delete",
        tag = "AdminTags::Tenant",
        operation_id = "core_module_disable"
    )]
    async fn module_disable(
        &self,
        auth: StaffToken,
        name: Path<String>,
    ) -> poem::Result<WriteResponse> {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        WriteResponse::from_tenant(
            repo::set_module_enabled(&s.db, t.scope(), &s.registry, &name.0, false).await,
        )
    }

    /// Set the colours; each text/background pair must reach a 4.5:1 contrast.
    #[oai(
        path = "/branding/colours",
        method = "put",
        tag = "AdminTags::Branding",
        operation_id = "core_branding_colours"
    )]
    async fn colours(
        &self,
        auth: StaffToken,
        body: Json<ColoursBody>,
    ) -> poem::Result<WriteResponse> {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        let snapshot = s.cache.get().await?;
        let fallback = match (t.brand_inherit, t.parent_id.and_then(|p| snapshot.by_id(p))) {
            (true, Some(parent)) => parent.branding.clone(),
            _ => Branding::default(),
        };
        let b = body.0;
        let input = ColourInput {
            primary: b.primary,
            primary_text: b.primary_text,
            secondary: b.secondary,
            secondary_text: b.secondary_text,
        };
        match repo::set_colours(&s.db, t.scope(), &input, &fallback).await {
            Ok(()) => Ok(WriteResponse::Done),
            Err(Ok(errors)) => Ok(WriteResponse::Invalid(Json(ApiErrors {
                errors: errors
                    .into_iter()
                    .map(|(f, m)| FieldError {
                        field: Some(f.to_string()),
                        message: m,
                    })
                    .collect(),
                ..ApiErrors::default()
            }))),
            Err(Err(e)) => Err(internal(e)),
        }
    }

    /// Upload the logo: PNG, JPEG, ICO or SVG (no scripts or external references), checked by content.
    #[oai(
        path = "/branding/logo",
        method = "put",
        tag = "AdminTags::Branding",
        operation_id = "core_branding_logo"
    )]
    async fn logo_put(
        &self,
        auth: StaffToken,
        body: Binary<poem::Body>,
    ) -> poem::Result<WriteResponse> {
        upload(&auth.0, BrandImage::Logo, body).await
    }

    /// Remove the logo.
    #[oai(
        path = "/branding/logo",
        method = "delete",
        tag = "AdminTags::Branding",
        operation_id = "core_branding_logo_delete"
    )]
    async fn logo_delete(&self, auth: StaffToken) -> poem::Result<WriteResponse> {
        remove_image(&auth.0, BrandImage::Logo).await
    }

    /// Upload the favicon (same rules as the logo).
    #[oai(
        path = "/branding/favicon",
        method = "put",
        tag = "AdminTags::Branding",
        operation_id = "core_branding_favicon"
    )]
    async fn favicon_put(
        &self,
        auth: StaffToken,
        body: Binary<poem::Body>,
    ) -> poem::Result<WriteResponse> {
        upload(&auth.0, BrandImage::Favicon, body).await
    }

    /// Remove the favicon.
    #[oai(
        path = "/branding/favicon",
        method = "delete",
        tag = "AdminTags::Branding",
        operation_id = "core_branding_favicon_delete"
    )]
    async fn favicon_delete(&self, auth: StaffToken) -> poem::Result<WriteResponse> {
        remove_image(&auth.0, BrandImage::Favicon).await
    }

    /// List the page messages that have not ended (current and scheduled).
    #[oai(
        path = "/messages",
        method = "get",
        tag = "AdminTags::Messages",
        operation_id = "core_messages_list"
    )]
    async fn messages_list(&self, auth: StaffToken) -> Json<Vec<MessageView>> {
        Json(
            auth.0
                .resolved
                .tenant
                .messages
                .iter()
                .filter(|m| m.ends_at.is_none_or(|e| e > chrono::Utc::now()))
                .map(|m| MessageView {
                    id: m.id,
                    page: m.page.clone(),
                    kind: m.kind,
                    html: m.html.clone(),
                    html_en: m.html_en.clone(),
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                })
                .collect(),
        )
    }

    /// Add a page message.
    #[oai(
        path = "/messages",
        method = "post",
        tag = "AdminTags::Messages",
        operation_id = "core_messages_add"
    )]
    async fn messages_add(
        &self,
        auth: StaffToken,
        body: Json<MessageBody>,
    ) -> poem::Result<CreateResponse> {
        match repo::add_message(
            &auth.0.state.db,
            auth.0.resolved.tenant.scope(),
            &message_input(body.0),
        )
        .await
        {
            Ok(id) => Ok(CreateResponse::Created(Json(Created { id }))),
            Err(TenantError::Invalid { field, message, .. }) => {
                Ok(CreateResponse::Invalid(one_error(Some(field), message)))
            }
            Err(e) => Err(internal(e)),
        }
    }

    /// Replace a page message.
    #[oai(
        path = "/messages/:id",
        method = "put",
        tag = "AdminTags::Messages",
        operation_id = "core_messages_update"
    )]
    async fn messages_update(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<MessageBody>,
    ) -> poem::Result<WriteResponse> {
        let r = repo::update_message(
            &auth.0.state.db,
            auth.0.resolved.tenant.scope(),
            id.0,
            &message_input(body.0),
        )
        .await;
        WriteResponse::from_tenant(r)
    }

    /// Delete a page message.
    #[oai(
        path = "/messages/:id",
        method = "delete",
        tag = "AdminTags::Messages",
        operation_id = "core_messages_delete"
    )]
    async fn messages_delete(
        &self,
        auth: StaffToken,
        id: Path<i64>,
    ) -> poem::Result<WriteResponse> {
        WriteResponse::from_tenant(
            repo::delete_message(&auth.0.state.db, auth.0.resolved.tenant.scope(), id.0).await,
        )
    }

    /// A module's settings (or core's `auth` settings) for this tenant, with defaults filled in.
    #[oai(
        path = "/settings/:module",
        method = "get",
        tag = "AdminTags::Settings",
        operation_id = "core_settings_get"
    )]
    async fn settings_get(&self, auth: StaffToken, module: Path<String>) -> SettingsResponse {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        let (name, specs) = if let Some((n, core, _)) = crate::tenant::CORE_SETTINGS
            .iter()
            .find(|(n, _, _)| *n == module.0)
        {
            (*n, *core)
        } else if let Some(m) = s.registry.get(&module.0) {
            (m.name(), m.settings())
        } else {
            return SettingsResponse::NotFound;
        };
        SettingsResponse::Ok(Json(
            specs
                .iter()
                .map(|spec| {
                    let stored = t.setting(name, spec.key);
                    SettingView {
                        key: spec.key.to_string(),
                        value: stored.unwrap_or(spec.default).to_string(),
                        is_default: stored.is_none(),
                    }
                })
                .collect(),
        ))
    }

    /// Set (or reset) one module setting.
    #[oai(
        path = "/settings/:module/:key",
        method = "put",
        tag = "AdminTags::Settings",
        operation_id = "core_settings_put"
    )]
    async fn settings_put(
        &self,
        auth: StaffToken,
        module: Path<String>,
        key: Path<String>,
        body: Json<SettingBody>,
    ) -> poem::Result<WriteResponse> {
        let (s, t) = (&auth.0.state, &auth.0.resolved.tenant);
        let r = repo::set_setting(
            &s.db,
            t.scope(),
            &s.registry,
            &module.0,
            &key.0,
            body.0.value.as_deref(),
        )
        .await;
        WriteResponse::from_tenant(r)
    }
}
