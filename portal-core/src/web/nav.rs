//! The main navigation and the home page, as the tenant arranges them.
//!
//! Modules declare their entries ([`crate::module::NavItem`]); the tenant's
//! layout (`portal.nav`) decides the order, the labels per language, which
//! core pages stand in the main navigation rather than the account menu,
//! and groups: one tab holding several modules' pages, with a
//! sub-navigation (seed 001: "Facturen/Abonnement"). Without a layout:
//! home, then each module's entries by their order. `portal.home` picks
//! the home page: the overview, the organisation's details (seed 000) or a
//! module's page.
//!
//! The layout is text, one item per `;`:
//! `organisation; invoices+subscriptions = Facturen/Abonnement | Invoices/Subscription; tickets = Support`.
//! An item names one or more keys joined by `+` (`home`, `organisation`,
//! or a module's name) and optionally a label, Dutch `|` English. Enabled
//! modules the layout does not name follow at the end, so a newly enabled
//! module is never lost; `home` and `organisation` appear only if named.

use minijinja::{Value, context};

use super::context::RequestCx;
use crate::access::Principal;
use crate::access::edit_policy::COMPONENT;
use crate::app::AppState;
use crate::module::Registry;
use crate::tenant::{Lang, Tenant};

/// The key of the home page in a layout.
pub const HOME: &str = "home";
/// The key of the organisation's details ("Mijn organisatie", "Details").
pub const ORGANISATION: &str = "organisation";

/// One visible entry, before translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub order: i32,
    pub label_key: &'static str,
    /// Path below the tenant's base.
    pub path: String,
    /// `home`, `organisation` or the module's name: what a layout names.
    pub key: &'static str,
}

/// The entries `principal` sees on `tenant`, in order: home, then the
/// modules'. Modules the tenant has not enabled show nothing; entries with
/// a permission show only to principals holding it.
pub fn entries(registry: &Registry, tenant: &Tenant, principal: &Principal) -> Vec<NavEntry> {
    let mut out = vec![NavEntry {
        order: 0,
        label_key: "nav-home",
        path: "/".into(),
        key: HOME,
    }];
    for m in registry.iter().filter(|m| tenant.has_module(m.name())) {
        for item in m.nav() {
            if item.permission.is_none_or(|p| principal.has(p.key)) {
                out.push(NavEntry {
                    order: item.order,
                    label_key: item.label_key,
                    path: format!("/{}{}", m.name(), item.path),
                    key: m.name(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(&b.path)));
    out
}

/// One item of a tenant's layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutItem {
    pub keys: Vec<String>,
    /// Dutch label, English label (the Dutch one when absent).
    pub label: Option<(String, Option<String>)>,
}

/// Parses a layout; `known` tells which keys name an installed module.
///
/// # Errors
/// A message for the staff member who typed it: the item and what is wrong.
pub fn parse_layout(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<LayoutItem>, String> {
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for raw in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (keys, label) = match raw.split_once('=') {
            Some((k, l)) => (k, Some(l)),
            None => (raw, None),
        };
        let mut item_keys = Vec::new();
        for key in keys.split('+').map(str::trim) {
            if key.is_empty() {
                return Err(format!("\"{raw}\": a name is missing around \"+\""));
            }
            if key != HOME && key != ORGANISATION && !known(key) {
                return Err(format!(
                    "\"{key}\" is not a page of this portal (home, organisation or a module's name)"
                ));
            }
            if !seen.insert(key.to_string()) {
                return Err(format!("\"{key}\" appears twice"));
            }
            item_keys.push(key.to_string());
        }
        let label = match label {
            None => None,
            Some(l) => {
                let (nl, en) = match l.split_once('|') {
                    Some((nl, en)) => (nl.trim(), Some(en.trim())),
                    None => (l.trim(), None),
                };
                for part in std::iter::once(nl).chain(en) {
                    if part.is_empty()
                        || part.chars().count() > 40
                        || part.chars().any(char::is_control)
                    {
                        return Err(format!("\"{raw}\": a label has 1 to 40 characters"));
                    }
                }
                Some((nl.to_string(), en.map(str::to_string)))
            }
        };
        items.push(LayoutItem {
            keys: item_keys,
            label,
        });
    }
    Ok(items)
}

/// Checks a `portal.home` or `portal.nav` value before it is stored.
///
/// # Errors
/// A message saying what to write instead.
pub fn check_setting(key: &str, value: &str, registry: &Registry) -> Result<(), String> {
    let known = |k: &str| registry.get(k).is_some();
    match key {
        "nav" => parse_layout(value, &known).map(|_| ()),
        "home" => match home_target(value) {
            Home::Overview | Home::Organisation => Ok(()),
            Home::Path(p) if known(p.trim_start_matches('/').split('/').next().unwrap_or("")) => {
                Ok(())
            }
            Home::Path(_) => Err(format!(
                "\"{value}\": write overview, organisation or the path of a module's page, e.g. /invoices"
            )),
        },
        _ => Ok(()),
    }
}

/// What the home page of a tenant is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    Overview,
    Organisation,
    /// A module's page, below the tenant's base.
    Path(String),
}

fn home_target(value: &str) -> Home {
    match value.trim() {
        "" | "overview" | "/" => Home::Overview,
        "organisation" | "/organisation" => Home::Organisation,
        p if p.starts_with('/') && !p.starts_with("//") => Home::Path(p.to_string()),
        _ => Home::Overview,
    }
}

/// The tenant's home page.
pub fn home(tenant: &Tenant) -> Home {
    home_target(tenant.setting(COMPONENT, "home").unwrap_or("overview"))
}

/// The tenant's layout; an unreadable stored one (a module since removed)
/// counts as none.
fn layout(tenant: &Tenant, registry: &Registry) -> Vec<LayoutItem> {
    let text = tenant.setting(COMPONENT, "nav").unwrap_or("");
    parse_layout(text, &|k| registry.get(k).is_some()).unwrap_or_default()
}

/// One tab of the main navigation, before translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavTab {
    /// The tenant's own label, or the first entry's.
    pub label: Option<String>,
    pub entries: Vec<NavEntry>,
}

/// The tabs `principal` sees on `tenant` in `lang`, as the tenant's layout
/// arranges them; tabs with no visible entry are left out.
pub fn tabs(
    registry: &Registry,
    tenant: &Tenant,
    principal: &Principal,
    lang: Lang,
) -> Vec<NavTab> {
    let mut all = entries(registry, tenant, principal);
    let items = layout(tenant, registry);
    if items.is_empty() {
        return all
            .into_iter()
            .map(|e| NavTab {
                label: None,
                entries: vec![e],
            })
            .collect();
    }
    if principal.user.is_some() {
        all.push(NavEntry {
            order: 0,
            label_key: "nav-organisation",
            path: "/organisation".into(),
            key: ORGANISATION,
        });
    }
    let mut out = Vec::new();
    for item in &items {
        let entries: Vec<NavEntry> = item
            .keys
            .iter()
            .flat_map(|k| all.iter().filter(move |e| e.key == k.as_str()).cloned())
            .collect();
        if entries.is_empty() {
            continue;
        }
        let label = item.label.as_ref().map(|(nl, en)| match lang {
            Lang::Nl => nl.clone(),
            Lang::En => en.clone().unwrap_or_else(|| nl.clone()),
        });
        out.push(NavTab { label, entries });
    }
    // Enabled modules the layout does not name follow, each its own tab.
    let named = |k: &str| items.iter().any(|i| i.keys.iter().any(|x| x == k));
    for e in all {
        if e.key != HOME && e.key != ORGANISATION && !named(e.key) {
            out.push(NavTab {
                label: None,
                entries: vec![e],
            });
        }
    }
    out
}

fn is_active(cx_path: &str, entry_path: &str) -> bool {
    if entry_path == "/" {
        cx_path == "/"
    } else {
        cx_path == entry_path
            || cx_path
                .strip_prefix(entry_path)
                .is_some_and(|r| r.starts_with('/'))
    }
}

/// The navigation as the templates get it: tabs with a label, URL and
/// state; a tab with several entries carries them as `children` (the
/// sub-navigation shown while one of them is open). Also whether the
/// organisation's page stands in it (the account menu then leaves it out).
pub fn build(state: &AppState, cx: &RequestCx) -> (Vec<Value>, bool) {
    let texts = state.renderer.texts();
    let voice = cx.voice();
    let tenant = &cx.resolved.tenant;
    let url = |p: &str| format!("{}{p}", cx.resolved.base);
    let tabs = tabs(&state.registry, tenant, &cx.principal, cx.lang);
    let organisation = tabs
        .iter()
        .any(|t| t.entries.iter().any(|e| e.key == ORGANISATION));
    let items = tabs
        .into_iter()
        .map(|tab| {
            // The most specific entry wins: on /invoices/open the entry
            // /invoices/open is current, not /invoices.
            let current = tab
                .entries
                .iter()
                .filter(|e| is_active(&cx.path, &e.path))
                .max_by_key(|e| e.path.len())
                .map(|e| e.path.clone());
            let children: Vec<Value> = if tab.entries.len() > 1 {
                tab.entries
                    .iter()
                    .map(|e| {
                        context! {
                            label => texts.get(voice, e.label_key), url => url(&e.path),
                            active => current.as_deref() == Some(e.path.as_str()),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let first = &tab.entries[0];
            context! {
                label => tab.label.clone().unwrap_or_else(|| texts.get(voice, first.label_key)),
                url => url(&first.path),
                active => current.is_some(),
                children,
            }
        })
        .collect();
    (items, organisation)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_layout_parses_groups_and_labels_and_refuses_unknown_names() {
        let known = |k: &str| matches!(k, "invoices" | "subscriptions" | "tickets");
        let items = parse_layout(
            " organisation ; invoices+subscriptions = Facturen/Abonnement | Invoices/Subscription; tickets = Support",
            &known,
        )
        .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].keys, vec!["invoices", "subscriptions"]);
        assert_eq!(
            items[1].label,
            Some((
                "Facturen/Abonnement".into(),
                Some("Invoices/Subscription".into())
            ))
        );
        assert_eq!(items[2].label, Some(("Support".into(), None)));
        assert!(parse_layout("", &known).unwrap().is_empty());
        assert!(
            parse_layout("dossiers", &known)
                .unwrap_err()
                .contains("dossiers")
        );
        assert!(
            parse_layout("tickets; tickets", &known)
                .unwrap_err()
                .contains("twice")
        );
        assert!(parse_layout("invoices+", &known).is_err());
        assert!(parse_layout("tickets = ", &known).is_err());
    }

    #[test]
    fn home_reads_overview_organisation_or_a_path() {
        assert_eq!(home_target("overview"), Home::Overview);
        assert_eq!(home_target(""), Home::Overview);
        assert_eq!(home_target("organisation"), Home::Organisation);
        assert_eq!(home_target("/invoices"), Home::Path("/invoices".into()));
        assert_eq!(home_target("//evil.example"), Home::Overview);
    }
}
