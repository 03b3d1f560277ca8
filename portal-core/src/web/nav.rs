//! The navigation: home, then each enabled module's entries the principal may see.

use minijinja::{Value, context};

use super::context::RequestCx;
use crate::access::Principal;
use crate::app::AppState;
use crate::module::Registry;
use crate::tenant::Tenant;

/// One visible entry, before translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub order: i32,
    pub label_key: &'static str,
    /// Path below the tenant's base.
    pub path: String,
}

/// The entries `principal` sees on `tenant`, in order. Modules the tenant
/// has not enabled show nothing; entries with a permission show only to
/// principals holding it.
pub fn entries(registry: &Registry, tenant: &Tenant, principal: &Principal) -> Vec<NavEntry> {
    let mut out = vec![NavEntry {
        order: 0,
        label_key: "nav-home",
        path: "/".into(),
    }];
    for m in registry.iter().filter(|m| tenant.has_module(m.name())) {
        for item in m.nav() {
            if item.permission.is_none_or(|p| principal.has(p.key)) {
                out.push(NavEntry {
                    order: item.order,
                    label_key: item.label_key,
                    path: format!("/{}{}", m.name(), item.path),
                });
            }
        }
    }
    out.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(&b.path)));
    out
}

/// The navigation as the templates get it.
pub fn build(state: &AppState, cx: &RequestCx) -> Vec<Value> {
    let texts = state.renderer.texts();
    entries(&state.registry, &cx.resolved.tenant, &cx.principal)
        .into_iter()
        .map(|e| {
            let active = if e.path == "/" {
                cx.path == "/"
            } else {
                cx.path == e.path || cx.path.strip_prefix(e.path.as_str()).is_some_and(|r| r.starts_with('/'))
            };
            context! { label => texts.get(cx.voice(), e.label_key), url => format!("{}{}", cx.resolved.base, e.path), active }
        })
        .collect()
}
