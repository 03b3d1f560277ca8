//! Back-office API authentication: API keys issued per tenant (`portal
//! tenant api-token <code> --scopes ...`, or a staff admin's page), stored
//! only as a hash, valid only on their own tenant's host, scoped and
//! revocable.
//!
//! A key's scope is checked here, in one place, from the path: the first
//! segment below `/api/admin/v1/` names it (`accounts`, `sync`, `mail`, a
//! module's name), and `tenant`, `branding`, `messages` and `settings` all
//! fall under scope `tenant`.

use std::sync::Arc;

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use crate::app::AppState;
use crate::auth::activity::By;
use crate::tenant::{Resolved, repo};
use crate::web::RequestCx;

/// A checked back-office caller: the tenant it may act for, and its key.
#[derive(Debug, Clone)]
pub struct Staff {
    pub state: Arc<AppState>,
    pub resolved: Resolved,
    /// The API key's id, for the activity log.
    pub key_id: i64,
}

impl Staff {
    /// Who acts, for the activity log.
    pub fn by(&self) -> By {
        By::api_key(self.key_id)
    }
}

/// Bearer token of the tenant's back-office.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_staff_token")]
pub struct StaffToken(pub Staff);

/// The scope a back-office path needs.
pub fn scope_of(path: &str) -> &str {
    let rest = path.strip_prefix("/api/admin/v1/").unwrap_or("");
    match rest.split('/').next().unwrap_or("") {
        "tenant" | "branding" | "messages" | "settings" | "" => "tenant",
        "webhook" | "events" | "portal-changes" => "events",
        other => other,
    }
}

/// True when the request carries an API key of its tenant that reaches
/// its path: a module's API checks this before it says the tenant has not
/// enabled the module, so that a caller without a key learns nothing (401
/// before 404).
pub async fn has_valid_key(req: &Request) -> bool {
    let token = req
        .headers()
        .get(poem::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match token {
        Some(token) => check_staff_token(
            req,
            Bearer {
                token: token.to_string(),
            },
        )
        .await
        .is_some(),
        None => false,
    }
}

async fn check_staff_token(req: &Request, bearer: Bearer) -> Option<Staff> {
    let state = req.data::<Arc<AppState>>()?.clone();
    let resolved = req.extensions().get::<Resolved>()?.clone();
    let path =
        RequestCx::of(req).map_or_else(|| req.uri().path().to_string(), |cx| cx.path.clone());
    match repo::api_key(&state.db, resolved.tenant.scope(), &bearer.token).await {
        Ok(Some(key)) if key.allows(scope_of(&path)) => Some(Staff {
            state,
            resolved,
            key_id: key.id,
        }),
        Ok(_) => None,
        Err(e) => {
            tracing::error!(error = %e, "API key check failed");
            None
        }
    }
}
