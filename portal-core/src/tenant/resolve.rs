//! Which tenant a request is for, decided from the `Host` header and path
//! only (never from another header, the query or the body):
//! 1. the host is a shared host and the first path segment is a tenant code
//!    (seed 002: one login address for every company, with its code);
//! 2. the host is `<code>.<dev_domain>` (development, e.g. `demo.localhost:8080`);
//! 3. the host is a tenant's portal URL (custom domain).
//!
//! Shared and development hosts come first and cannot be saved as a portal
//! URL, so no tenant can take them over.

use std::sync::Arc;

use super::Tenant;
use super::cache::Snapshot;
use crate::config::WebConfig;

/// A resolved request: the tenant and the path prefix its URLs need.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub tenant: Arc<Tenant>,
    /// `""` on the tenant's own host, `/<code>` on a shared host.
    pub base: String,
}

/// Resolves `host` (as sent, may include a port) and `path`.
pub fn resolve(snapshot: &Snapshot, web: &WebConfig, host: &str, path: &str) -> Option<Resolved> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let bare = strip_port(&host);
    if web
        .shared_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(bare) || h.eq_ignore_ascii_case(&host))
    {
        let code = path.trim_start_matches('/').split('/').next().unwrap_or("");
        return snapshot
            .by_code(&code.to_ascii_lowercase())
            .map(|t| Resolved {
                tenant: t.clone(),
                base: format!("/{code}"),
            });
    }
    if !web.dev_domain.is_empty()
        && let Some(code) = bare.strip_suffix(&format!(".{}", web.dev_domain))
    {
        return snapshot.by_code(code).map(|t| Resolved {
            tenant: t.clone(),
            base: String::new(),
        });
    }
    snapshot
        .by_host(&host)
        .or_else(|| snapshot.by_host(bare))
        .map(|t| Resolved {
            tenant: t.clone(),
            base: String::new(),
        })
}

/// Seed 002's printed login address, `<shared host>/login?CODE`: the
/// tenant's login page under its code, when `CODE` is a tenant's (compared
/// without case). Only on a shared host and only for the bare login page;
/// a query with `=` or `&` is an ordinary query, not a code.
pub fn login_code_path(
    snapshot: &Snapshot,
    web: &WebConfig,
    host: &str,
    path: &str,
    query: Option<&str>,
) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let bare = strip_port(&host);
    let shared = web
        .shared_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(bare) || h.eq_ignore_ascii_case(&host));
    if !shared || path.trim_end_matches('/') != "/login" {
        return None;
    }
    let code = query?.trim().to_ascii_lowercase();
    if code.is_empty() || code.contains(['=', '&', '/']) {
        return None;
    }
    snapshot
        .by_code(&code)
        .map(|t| format!("/{}/login", t.code))
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(h, _)| &host[..=h.len()]);
    }
    host.rsplit_once(':')
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
}
