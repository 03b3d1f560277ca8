//! The back-office's side of events: its webhook (the address, and a
//! signing secret shown once) and the list of events with their delivery
//! state, for a back-office that prefers to poll or to catch up; and the
//! customers' portal changes waiting for processing, which the back-office
//! confirms once it has taken them over (`access::portal_changes`).

use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::admin::{ApiErrors, FieldError};
use super::auth::StaffToken;
use crate::access::portal_changes::{self, ChangeView};
use crate::events::{self, EventView};

#[derive(Tags)]
enum EventTags {
    /// Events to the back-office: webhook and list.
    Events,
}

/// The webhook's address.
#[derive(Object, Debug)]
pub struct WebhookBody {
    /// `https://...`; every event is POSTed here, signed.
    #[oai(validator(max_length = 2000))]
    pub url: String,
}

/// The signing secret, shown once.
#[derive(Object, Debug)]
pub struct WebhookSecret {
    /// Verify `X-Portal-Signature: t=<unix seconds>,v1=<hex>` as HMAC-SHA256 of `"<t>.<body>"` with this secret.
    pub secret: String,
}

#[derive(ApiResponse)]
pub enum WebhookResponse {
    /// Set; the secret is shown only now.
    #[oai(status = 200)]
    Set(Json<WebhookSecret>),
    /// Not an acceptable address.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
}

#[derive(ApiResponse)]
pub enum ConfirmResponse {
    /// Confirmed: the portal no longer shows it as waiting, and the next
    /// sync may overwrite its fields.
    #[oai(status = 204)]
    Confirmed,
    /// No such change, or it was confirmed already.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum DeleteResponse {
    /// Removed; events wait (and stay listable) until a webhook is set again.
    #[oai(status = 204)]
    Deleted,
    /// There was no webhook.
    #[oai(status = 404)]
    NotFound,
}

/// The events endpoints.
pub struct EventsAdminApi;

#[OpenApi(tag = "EventTags::Events")]
impl EventsAdminApi {
    /// Set the webhook every event is delivered to (replaces the old one and its secret).
    #[oai(path = "/webhook", method = "put", operation_id = "core_webhook_put")]
    async fn webhook_put(
        &self,
        auth: StaffToken,
        body: Json<WebhookBody>,
    ) -> poem::Result<WebhookResponse> {
        let s = &auth.0.state;
        let url = match events::check_url(&body.0.url, s.config.events.allow_http) {
            Ok(u) => u,
            Err(message) => {
                return Ok(WebhookResponse::Invalid(Json(ApiErrors {
                    errors: vec![FieldError {
                        field: Some("url".into()),
                        message,
                    }],
                    ..ApiErrors::default()
                })));
            }
        };
        let secret =
            events::set_webhook(&s.db, auth.0.resolved.tenant.scope(), url.as_str()).await?;
        Ok(WebhookResponse::Set(Json(WebhookSecret { secret })))
    }

    /// Remove the webhook.
    #[oai(
        path = "/webhook",
        method = "delete",
        operation_id = "core_webhook_delete"
    )]
    async fn webhook_delete(&self, auth: StaffToken) -> poem::Result<DeleteResponse> {
        let removed =
            events::remove_webhook(&auth.0.state.db, auth.0.resolved.tenant.scope()).await?;
        Ok(if removed {
            DeleteResponse::Deleted
        } else {
            DeleteResponse::NotFound
        })
    }

    /// List events after an id (oldest first), with their delivery state.
    #[oai(path = "/events", method = "get", operation_id = "core_events_list")]
    async fn events(
        &self,
        auth: StaffToken,
        /// Only events with a larger id (a cursor: the last id you have).
        after: Query<Option<i64>>,
        /// At most this many (1 to 1,000; default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
    ) -> poem::Result<Json<Vec<EventView>>> {
        let limit = limit.0.unwrap_or(100).clamp(1, 1000);
        let list = events::list(
            &auth.0.state.db,
            auth.0.resolved.tenant.scope(),
            after.0.unwrap_or(0),
            limit,
        )
        .await?;
        Ok(Json(list))
    }

    /// List customers' portal changes after an id (oldest first); by default only those waiting for processing.
    #[oai(
        path = "/portal-changes",
        method = "get",
        operation_id = "core_portal_changes_list"
    )]
    async fn portal_changes(
        &self,
        auth: StaffToken,
        /// Only changes with a larger id (a cursor: the last id you have).
        after: Query<Option<i64>>,
        /// Also the confirmed ones (default: only those waiting).
        all: Query<Option<bool>>,
        /// At most this many (1 to 1,000; default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
    ) -> poem::Result<Json<Vec<ChangeView>>> {
        let limit = limit.0.unwrap_or(100).clamp(1, 1000);
        let list = portal_changes::list(
            &auth.0.state.db,
            auth.0.resolved.tenant.scope(),
            after.0.unwrap_or(0),
            !all.0.unwrap_or(false),
            limit,
        )
        .await?;
        Ok(Json(list))
    }

    /// Confirm a portal change: the back-office has processed it.
    #[oai(
        path = "/portal-changes/:id/confirm",
        method = "post",
        operation_id = "core_portal_change_confirm"
    )]
    async fn portal_change_confirm(
        &self,
        auth: StaffToken,
        id: poem_openapi::param::Path<i64>,
    ) -> poem::Result<ConfirmResponse> {
        let mut tx = auth.0.state.db.begin().await?;
        let n = portal_changes::confirm(&mut tx, auth.0.resolved.tenant.scope(), &[id.0]).await?;
        tx.commit().await?;
        Ok(if n == 1 {
            ConfirmResponse::Confirmed
        } else {
            ConfirmResponse::NotFound
        })
    }
}
