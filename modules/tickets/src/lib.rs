//! `portal-tickets`: support tickets (seed 001). A contact person sends a
//! question, an improvement or a bug report (Vraag / Verbetering /
//! Foutmelding) with a main category from the tenant's list, a subject, a
//! description and attachments; support answers on the staff pages (an
//! inbox, internal notes, assignment) or through the back-office API; the customer follows the conversation in the portal and gets a mail
//! when support replies or waits for them. Employees see their own tickets,
//! employee+ and admins all of the organisation.
//!
//! A ticket has its row `id` (URLs, the back-office API's paths) and a
//! `number` that counts from 1 per tenant (`tickets_counters`, bumped in
//! the ticket's own transaction): pages, mails and the API show the number.
//!
//! Attachments follow SECURITY.md F: read within limits while they stream,
//! typed by their bytes against an allow-list, kept under generated keys in
//! core's blob store, downloaded as attachments; a ticket and its files
//! commit together.
//!
//! Layout:
//! - `lib.rs`: the module: its declaration (permissions, navigation, settings, mails, assets) and hooks
//! - `store.rs`: reading tickets, messages and attachments within the principal's reach
//! - `write.rs`: new ticket, reply, status (files and rows commit together)
//! - `mails.rs`: "support replied" and "waiting for you" mails; support's own notice
//! - `pages.rs`: support page, lists, new ticket, ticket with conversation, downloads
//! - `desk.rs`: the support desk's reading: inbox filters and counts, assignees
//! - `desk_pages.rs`: the staff pages: inbox, ticket with notes, reply, assignment, a ticket for a customer
//! - `api.rs`: the back-office API (list since a cursor, get, reply, status, close, a ticket for a customer)
//! - `demo.rs`: demo tickets in each status, with attachments and support's replies

pub mod api;
pub mod demo;
pub mod desk;
pub mod desk_pages;
pub mod mails;
pub mod pages;
pub mod store;
pub mod write;

use portal_core::access::Perm;
use portal_core::files::upload::Limits;
use portal_core::module::{
    BlobColumn, BoxFuture, CardCx, DemoCx, HomeCard, Hooks, Module, ModuleApi, ModuleCx, NavItem,
    SettingSpec, StaffNavItem,
};
use portal_core::poem::{Route, get};
use portal_core::staff::{StaffPerm, StaffReach};
use portal_core::tenant::Tenant;
use portal_core::web::i18n::Texts;

portal_core::permission! {
    /// Sending tickets and replies (seed 001: "Medewerker klantportaal").
    pub Create = "tickets.create", label "tickets-permission-create", roles [Admin, Employee];
    /// Seeing one's own tickets.
    pub ViewOwn = "tickets.view_own", label "tickets-permission-view-own", roles [Admin, Employee];
    /// Seeing every ticket of the organisation ("Medewerker+", admins).
    pub ViewAll = "tickets.view_all", label "tickets-permission-view-all", roles [Admin, EmployeePlus];
}

portal_core::staff_permission! {
    /// The support desk: the tenant's tickets, replies, notes, assignment.
    pub Desk = "tickets.desk", label "tickets-staff-permission", roles [Support];
}
/// Rows per page of a list.
pub const PAGE_SIZE: u64 = 25;
/// The longest description or reply, from the customer or from support.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The tickets module.
pub static TICKETS: Module = Module {
    name: "tickets",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[Create::PERMISSION, ViewOwn::PERMISSION, ViewAll::PERMISSION],
    nav: &[NavItem::new("tickets-nav", "", 150).needs(ViewOwn::PERMISSION)],
    staff_permissions: &[Desk::STAFF_PERMISSION],
    staff_nav: &[StaffNavItem::new(
        "tickets-staff-nav",
        "",
        15,
        Desk::STAFF_PERMISSION,
    )],
    staff_customer_links: &[
        StaffNavItem::new("tickets-desk-of-customer", "", 10, Desk::STAFF_PERMISSION),
        StaffNavItem::new("tickets-desk-open-for", "/new", 20, Desk::STAFF_PERMISSION),
    ],
    settings: &[
        SettingSpec::text(
            "categories",
            "tickets-setting-categories",
            2000,
            "Financieel; Externe koppeling; Techniek",
        ),
        SettingSpec::text("category_help", "tickets-setting-category-help", 2000, ""),
        SettingSpec::text("privacy_notice", "tickets-setting-privacy", 2000, ""),
        SettingSpec::text("label_submitted", "tickets-setting-label-submitted", 60, ""),
        SettingSpec::text(
            "label_in_progress",
            "tickets-setting-label-in-progress",
            60,
            "",
        ),
        SettingSpec::text("label_waiting", "tickets-setting-label-waiting", 60, ""),
        SettingSpec::text("label_closed", "tickets-setting-label-closed", 60, ""),
        SettingSpec::number("max_file_mb", "tickets-setting-max-file", 1, 50, "10"),
        SettingSpec::number("max_ticket_mb", "tickets-setting-max-ticket", 1, 200, "25"),
        SettingSpec::number("max_files", "tickets-setting-max-files", 1, 20, "10"),
    ],
    mails: &[
        mails::RECEIVED,
        mails::REPLIED,
        mails::WAITING,
        mails::SUPPORT,
    ],
    templates: portal_core::module_templates!("tickets";
        "support.html", "new.html", "show.html", "staff_inbox.html", "staff_ticket.html", "staff_new.html"),
    translations: portal_core::module_translations!(),
    blob_columns: &[BlobColumn {
        table: "tickets_attachments",
        column: "blob_key",
    }],
    hooks: &TicketsHooks,
    ..Module::NONE
};
portal_core::register_module!(TICKETS);

/// A setting of this module, or its default.
fn setting<'a>(tenant: &'a Tenant, key: &str) -> &'a str {
    TICKETS.setting(tenant, key)
}

/// The tenant's main categories (a setting, `;`-separated).
pub fn categories(tenant: &Tenant) -> Vec<String> {
    setting(tenant, "categories")
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Staff-edited texts shown on the form; empty for the built-in one.
pub fn custom_text<'a>(tenant: &'a Tenant, key: &str) -> &'a str {
    setting(tenant, key).trim()
}

/// The upload limits of the tenant (settings in MB and files), within the
/// operator's cap on a whole form (`web.max_form_bytes`, less room for the
/// text fields) so the customer gets this module's message, not a 413.
pub fn limits(max_form_bytes: usize, tenant: &Tenant) -> Limits {
    let cap = max_form_bytes.saturating_sub(512 * 1024).max(1024 * 1024);
    let num = |key: &str, default: usize| {
        setting(tenant, key)
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or(default)
    };
    Limits {
        per_file: (num("max_file_mb", 10) * 1024 * 1024).min(cap),
        total: (num("max_ticket_mb", 25) * 1024 * 1024).min(cap),
        max_files: num("max_files", 10),
        ..Limits::default()
    }
}

/// A status's label: the tenant's own where it set one, else the built-in text.
pub fn status_label(
    texts: &Texts,
    tenant: &Tenant,
    voice: impl Into<portal_core::web::i18n::Voice>,
    status: &str,
) -> String {
    let own = setting(tenant, &format!("label_{status}")).trim();
    if own.is_empty() {
        texts.get(voice, &format!("tickets-status-{status}"))
    } else {
        own.to_string()
    }
}

/// The module's code: pages, the back-office API, demo data, home cards.
struct TicketsHooks;

impl Hooks for TicketsHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::support))
                .at("/new", get(pages::new_form).post(pages::new_submit))
                .at("/:id", get(pages::show).post(pages::reply))
                .at("/:id/files/:file", get(pages::download)),
        )
    }
    fn demo<'a>(&'a self, cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(demo::run(cx))
    }
    fn home_cards<'a>(
        &'a self,
        cx: &'a dyn CardCx,
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<HomeCard>>> {
        Box::pin(pages::home_cards(cx))
    }
    fn home_lists<'a>(
        &'a self,
        cx: &'a dyn CardCx,
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<portal_core::module::HomeList>>> {
        Box::pin(pages::home_lists(cx))
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::TicketsAdminApi)
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(desk_pages::inbox))
                .at(
                    "/new",
                    get(desk_pages::new_form).post(desk_pages::new_submit),
                )
                .at("/:id", get(desk_pages::show).post(desk_pages::answer))
                .at("/:id/assign", portal_core::poem::post(desk_pages::assign))
                .at(
                    "/:id/status",
                    portal_core::poem::post(desk_pages::set_status),
                )
                .at("/:id/files/:file", get(desk_pages::download)),
        )
    }
    fn staff_count<'a>(
        &'a self,
        reach: &'a StaffReach,
        _path: &'a str,
    ) -> BoxFuture<'a, Result<Option<i64>, portal_core::db::DbError>> {
        Box::pin(async move { desk::waiting_for_support(reach).await.map(Some) })
    }
}
