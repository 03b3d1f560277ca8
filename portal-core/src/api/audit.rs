//! The activity log of what the back-office changes about the tenant
//! itself through core's API: branding, page messages, mail templates,
//! settings, the tenant's details, URL and modules. Accounts and the sync
//! record their own, finer entries. Written after a successful change,
//! with the API key that made it.

use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Request, Response};

use crate::app::AppState;
use crate::auth::activity::{self, Actor, Entry};
use crate::tenant::{Resolved, repo};
use crate::web::RequestCx;

/// The action a change to `path` (below `/api/admin/v1/`) is logged as.
fn action_of(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/admin/v1/")?;
    let mut parts = rest.split('/');
    match (parts.next()?, parts.next()) {
        ("branding", _) => Some("branding.changed"),
        ("messages", _) => Some("messages.changed"),
        ("mail", Some("templates")) if !rest.ends_with("/preview") => Some("template.changed"),
        ("settings", _) => Some("settings.changed"),
        ("tenant", _) => Some("tenant.changed"),
        _ => None,
    }
}

/// Middleware around core's back-office part.
///
/// # Errors
/// Those of the endpoint; a failure to log is logged, not answered.
pub async fn middleware<E: Endpoint>(ep: Arc<E>, req: Request) -> poem::Result<Response> {
    let unsafe_method = !req.method().is_safe();
    let path = RequestCx::of(&req)
        .map(|cx| cx.path.clone())
        .unwrap_or_default();
    let action = action_of(&path).filter(|_| unsafe_method);
    // Read like the bearer check reads it: any case, any spacing.
    let token = req
        .header("authorization")
        .and_then(|h| h.trim().split_once(char::is_whitespace))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let method = req.method().to_string();
    let state = req.data::<Arc<AppState>>().cloned();
    let resolved = req.extensions().get::<Resolved>().cloned();
    let resp = ep.call(req).await?.into_response();
    if let (Some(action), Some(token), Some(state), Some(r)) = (action, token, state, resolved)
        && resp.status().is_success()
    {
        let scope = r.tenant.scope();
        let key = repo::api_key(&state.db, scope, &token).await.ok().flatten();
        let detail = format!("{method} {path}");
        let entry = Entry::tenant(Actor::ApiKey, key.map(|k| k.id), action, &detail, None);
        if let Err(e) = activity::record_now(&state.db, scope, entry).await {
            tracing::error!(error = %e, "recording a back-office change failed");
        }
    }
    Ok(resp)
}
