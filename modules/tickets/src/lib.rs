//! `portal-tickets`: support tickets (seed 001). A contact person sends a
//! question, an improvement or a bug report (Vraag / Verbetering /
//! Foutmelding) with a main category from the tenant's list, a subject, a
//! description and attachments; support answers through the back-office
//! API; the customer follows the conversation in the portal and gets a mail
//! when support replies or waits for them. Employees see their own tickets,
//! employee+ and admins all of the organisation.
//!
//! Attachments follow SECURITY.md F: read within limits while they stream,
//! typed by their bytes against an allow-list, kept under generated keys in
//! core's blob store, downloaded as attachments; a ticket and its files
//! commit together.
//!
//! Layout:
//! - `lib.rs`: the module (permissions, navigation, settings, mails, templates, routes, API)
//! - `store.rs`: reading tickets, messages and attachments within the principal's reach
//! - `write.rs`: new ticket, reply, status (files and rows commit together)
//! - `mails.rs`: "support replied" and "waiting for you" mails
//! - `pages.rs`: support page, lists, new ticket, ticket with conversation, downloads
//! - `api.rs`: the back-office API (list since a cursor, get, reply, status, close)
//! - `demo.rs`: demo tickets in each status, with attachments and support's replies

pub mod api;
pub mod demo;
pub mod mails;
pub mod pages;
pub mod store;
pub mod write;

use portal_core::access::Perm;
use portal_core::api::ApiPart;
use portal_core::app::AppState;
use portal_core::db::Migrations;
use portal_core::files::upload::Limits;
use portal_core::mail::MailKind;
use portal_core::module::{
    BlobColumn, BoxFuture, DemoCx, HomeCard, Module, ModuleApi, ModuleCx, NavItem, Permission,
    SettingKind, SettingSpec, Template, Translation,
};
use portal_core::poem::{Route, get};
use portal_core::tenant::{Lang, Tenant};
use portal_core::web::guard::User;
use portal_core::{ModuleEntry, inventory};

portal_core::permission! {
    /// Sending tickets and replies (seed 001: "Medewerker klantportaal").
    pub Create = "tickets.create", label "tickets-permission-create", roles [Admin, Employee];
    /// Seeing one's own tickets.
    pub ViewOwn = "tickets.view_own", label "tickets-permission-view-own", roles [Admin, Employee];
    /// Seeing every ticket of the organisation ("Medewerker+", admins).
    pub ViewAll = "tickets.view_all", label "tickets-permission-view-all", roles [Admin, EmployeePlus];
}
/// Rows per page of a list.
pub const PAGE_SIZE: u64 = 25;
/// The longest description or reply, from the customer or from support.
pub const MAX_TEXT_CHARS: usize = 20_000;

static MIGRATIONS: Migrations = Migrations {
    sqlite: portal_core::sqlx::migrate!("migrations/sqlite"),
    postgres: portal_core::sqlx::migrate!("migrations/postgres"),
};

const DEFAULT_CATEGORIES: &str = "Financieel; Externe koppeling; Techniek";

/// A setting of this module, or its default.
fn setting<'a>(tenant: &'a Tenant, key: &str) -> &'a str {
    tenant.setting("tickets", key).unwrap_or_else(|| {
        Tickets
            .settings()
            .iter()
            .find(|s| s.key == key)
            .map_or("", |s| s.default)
    })
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
pub fn limits(state: &AppState, tenant: &Tenant) -> Limits {
    let cap = state
        .config
        .web
        .max_form_bytes
        .saturating_sub(512 * 1024)
        .max(1024 * 1024);
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
pub fn status_label(state: &AppState, tenant: &Tenant, lang: Lang, status: &str) -> String {
    let own = setting(tenant, &format!("label_{status}")).trim();
    if own.is_empty() {
        state
            .renderer
            .texts()
            .get(lang, &format!("tickets-status-{status}"))
    } else {
        own.to_string()
    }
}

/// The tickets module.
pub struct Tickets;

impl Module for Tickets {
    fn name(&self) -> &'static str {
        "tickets"
    }
    fn migrations(&self) -> Option<&'static Migrations> {
        Some(&MIGRATIONS)
    }
    fn permissions(&self) -> &'static [Permission] {
        &[Create::PERMISSION, ViewOwn::PERMISSION, ViewAll::PERMISSION]
    }
    fn nav(&self) -> &'static [NavItem] {
        &[NavItem {
            order: 150,
            label_key: "tickets-nav",
            path: "",
            permission: Some(ViewOwn::PERMISSION),
        }]
    }
    fn settings(&self) -> &'static [SettingSpec] {
        const TEXT: SettingKind = SettingKind::Text { max_len: 2000 };
        const LABEL: SettingKind = SettingKind::Text { max_len: 60 };
        &[
            SettingSpec {
                key: "categories",
                label_key: "tickets-setting-categories",
                kind: TEXT,
                default: DEFAULT_CATEGORIES,
            },
            SettingSpec {
                key: "category_help",
                label_key: "tickets-setting-category-help",
                kind: TEXT,
                default: "",
            },
            SettingSpec {
                key: "privacy_notice",
                label_key: "tickets-setting-privacy",
                kind: TEXT,
                default: "",
            },
            SettingSpec {
                key: "label_submitted",
                label_key: "tickets-setting-label-submitted",
                kind: LABEL,
                default: "",
            },
            SettingSpec {
                key: "label_in_progress",
                label_key: "tickets-setting-label-in-progress",
                kind: LABEL,
                default: "",
            },
            SettingSpec {
                key: "label_waiting",
                label_key: "tickets-setting-label-waiting",
                kind: LABEL,
                default: "",
            },
            SettingSpec {
                key: "label_closed",
                label_key: "tickets-setting-label-closed",
                kind: LABEL,
                default: "",
            },
            SettingSpec {
                key: "max_file_mb",
                label_key: "tickets-setting-max-file",
                kind: SettingKind::Integer { min: 1, max: 50 },
                default: "10",
            },
            SettingSpec {
                key: "max_ticket_mb",
                label_key: "tickets-setting-max-ticket",
                kind: SettingKind::Integer { min: 1, max: 200 },
                default: "25",
            },
            SettingSpec {
                key: "max_files",
                label_key: "tickets-setting-max-files",
                kind: SettingKind::Integer { min: 1, max: 20 },
                default: "10",
            },
        ]
    }
    fn mails(&self) -> &'static [MailKind] {
        &[mails::REPLIED, mails::WAITING]
    }
    fn templates(&self) -> &'static [Template] {
        &[
            Template {
                name: "tickets/support.html",
                source: include_str!("../templates/support.html"),
            },
            Template {
                name: "tickets/new.html",
                source: include_str!("../templates/new.html"),
            },
            Template {
                name: "tickets/show.html",
                source: include_str!("../templates/show.html"),
            },
        ]
    }
    fn translations(&self) -> &'static [Translation] {
        &[
            Translation {
                lang: "nl",
                ftl: include_str!("../locales/nl.ftl"),
            },
            Translation {
                lang: "en",
                ftl: include_str!("../locales/en.ftl"),
            },
        ]
    }
    fn blob_columns(&self) -> &'static [BlobColumn] {
        &[BlobColumn {
            table: "tickets_attachments",
            column: "blob_key",
        }]
    }
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
        u: &'a User,
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<HomeCard>>> {
        Box::pin(pages::home_cards(u))
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi {
            customer: None,
            admin: Some(ApiPart::new(api::TicketsAdminApi, "/api/admin/v1/tickets")),
        }
    }
}

inventory::submit! { ModuleEntry(&Tickets) }
