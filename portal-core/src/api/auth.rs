//! Back-office API authentication: a bearer token issued per tenant
//! (`portal tenant api-token <code>`), stored only as a hash, valid only on
//! its own tenant's host. Staff accounts with their own tokens come with the
//! accounts issue.

use std::sync::Arc;

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use crate::app::AppState;
use crate::tenant::{Resolved, repo};

/// A checked back-office caller: the tenant it may act for.
#[derive(Debug, Clone)]
pub struct Staff {
    pub state: Arc<AppState>,
    pub resolved: Resolved,
}

/// Bearer token of the tenant's back-office.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_staff_token")]
pub struct StaffToken(pub Staff);

async fn check_staff_token(req: &Request, bearer: Bearer) -> Option<Staff> {
    let state = req.data::<Arc<AppState>>()?.clone();
    let resolved = req.extensions().get::<Resolved>()?.clone();
    match repo::api_token_valid(&state.db, resolved.tenant.scope(), &bearer.token).await {
        Ok(true) => Some(Staff { state, resolved }),
        Ok(false) => None,
        Err(e) => {
            tracing::error!(error = %e, "API token check failed");
            None
        }
    }
}
