//! The staff navigation: core's entries and every enabled module's, each
//! shown only to members whose role holds its staff permission, in order;
//! a module may put a number beside its entry (open tickets).

use minijinja::{Value, context};

use super::StaffUser;
use crate::module::StaffNavItem;
use crate::staff::permission::{
    Branding, Customers, Members, Messages, Requests, Settings, StaffPerm, Templates,
};

/// Core's staff pages.
const CORE: &[StaffNavItem] = &[
    StaffNavItem::new("staff-customers", "", 10, Customers::STAFF_PERMISSION),
    StaffNavItem::new(
        "staff-requests",
        "/requests",
        17,
        Requests::STAFF_PERMISSION,
    ),
    StaffNavItem::new("org-activity", "/activity", 20, Customers::STAFF_PERMISSION),
    StaffNavItem::new(
        "staff-messages",
        "/messages",
        40,
        Messages::STAFF_PERMISSION,
    ),
    StaffNavItem::new(
        "staff-branding",
        "/branding",
        50,
        Branding::STAFF_PERMISSION,
    ),
    StaffNavItem::new(
        "staff-templates",
        "/templates",
        60,
        Templates::STAFF_PERMISSION,
    ),
    StaffNavItem::new(
        "staff-permissions",
        "/permissions",
        70,
        Customers::STAFF_PERMISSION,
    ),
    StaffNavItem::new("staff-members", "/members", 80, Members::STAFF_PERMISSION),
    StaffNavItem::new(
        "staff-api-keys",
        "/api-keys",
        90,
        Settings::STAFF_PERMISSION,
    ),
    StaffNavItem::new(
        "staff-settings",
        "/settings",
        95,
        Settings::STAFF_PERMISSION,
    ),
];

/// One entry as the layout shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    order: i32,
    label_key: &'static str,
    /// Below the tenant's base: `/staff/tickets`.
    pub path: String,
    count: Option<i64>,
}

/// The entries `u` may use, with the modules' counts.
///
/// # Errors
/// A module's count fails on the database.
pub async fn entries(u: &StaffUser) -> poem::Result<Vec<Entry>> {
    let tenant = u.page.tenant();
    let mut out: Vec<Entry> = CORE
        .iter()
        .filter(|i| u.session.member.holds(&i.permission))
        .map(|i| Entry {
            order: i.order,
            label_key: i.label_key,
            path: format!("/staff{}", i.path),
            count: None,
        })
        .collect();
    for m in u.page.state.registry.iter() {
        if !tenant.has_module(m.name()) {
            continue;
        }
        for i in m.staff_nav() {
            let Some(reach) = u.reach_for(&i.permission) else {
                continue;
            };
            let count = m.staff_count(&reach, i.path).await?;
            out.push(Entry {
                order: i.order,
                label_key: i.label_key,
                path: format!("/staff/{}{}", m.name(), i.path),
                count,
            });
        }
    }
    out.sort_by(|a, b| a.order.cmp(&b.order).then(a.path.cmp(&b.path)));
    Ok(out)
}

/// The entries for the template: label, link, count, and whether the
/// request is on that page (the longest matching path wins).
pub fn value(u: &StaffUser, entries: &[Entry]) -> Value {
    let here = u.page.cx.path.trim_end_matches('/');
    let here = if here.is_empty() { "/staff" } else { here };
    let current = entries
        .iter()
        .filter(|e| here == e.path || here.starts_with(&format!("{}/", e.path)))
        .max_by_key(|e| e.path.len())
        .map(|e| e.path.as_str());
    entries
        .iter()
        .map(|e| {
            context! {
                label => u.page.t(e.label_key), href => u.page.url(&e.path),
                count => e.count, current => Some(e.path.as_str()) == current,
            }
        })
        .collect::<Vec<_>>()
        .into()
}
