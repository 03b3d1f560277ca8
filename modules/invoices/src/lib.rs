//! `portal-invoices`: a customer's invoices (seeds 000, 001, 004), synced
//! from the back-office. Customers with `invoices.view` (the organisation's
//! admins by default, seed 001) see a list (newest first, open or paid),
//! open an invoice in the portal, and download its PDF: the back-office's
//! own, or one rendered from the invoice's data. A credit awaiting payment
//! processing shows when it is paid back (seed 004).
//!
//! Layout:
//! - `lib.rs`: the module (permissions, navigation, templates, texts, routes, API)
//! - `store.rs`: reading invoices within the principal's customers
//! - `sync.rs`: the back-office upsert by external id
//! - `pages.rs`: list, invoice view, PDF download
//! - `demo.rs`: demo data for `portal demo`
//! - `api.rs`: the back-office API (sync, PDF upload, delete)
//! - `render.rs`: an invoice as PDF; `pdf.rs`: the small PDF writer;
//!   `pdf_image.rs`: the tenant's PNG or JPEG logo as a PDF image

pub mod api;
pub mod demo;
pub mod pages;
pub mod pdf;
pub mod pdf_image;
pub mod render;
pub mod store;
pub mod sync;

use portal_core::access::Perm;
use portal_core::api::ApiPart;
use portal_core::db::Migrations;
use portal_core::module::{
    BlobColumn, BoxFuture, DemoCx, HomeCard, Module, ModuleApi, ModuleCx, NavItem, Permission,
    Template, Translation,
};
use portal_core::poem::{Route, get};
use portal_core::web::guard::User;
use portal_core::{ModuleEntry, inventory};

portal_core::permission! {
    /// Seeing invoices (and their PDFs): the organisation's admins (seed 001).
    pub View = "invoices.view", label "invoices-permission-view", roles [Admin];
}
/// Rows per page of the list.
pub const PAGE_SIZE: u64 = 20;

static MIGRATIONS: Migrations = Migrations {
    sqlite: portal_core::sqlx::migrate!("migrations/sqlite"),
    postgres: portal_core::sqlx::migrate!("migrations/postgres"),
};

/// True when the tenant shows invoices per contract (seed 004, a setting).
pub fn per_contract(tenant: &portal_core::tenant::Tenant) -> bool {
    tenant.setting("invoices", "per_contract") == Some("true")
}

/// The invoices module.
pub struct Invoices;

impl Module for Invoices {
    fn name(&self) -> &'static str {
        "invoices"
    }
    fn migrations(&self) -> Option<&'static Migrations> {
        Some(&MIGRATIONS)
    }
    fn permissions(&self) -> &'static [Permission] {
        &[View::PERMISSION]
    }
    fn nav(&self) -> &'static [NavItem] {
        &[NavItem {
            order: 300,
            label_key: "invoices-nav",
            path: "",
            permission: Some(View::PERMISSION),
        }]
    }
    fn settings(&self) -> &'static [portal_core::module::SettingSpec] {
        &[portal_core::module::SettingSpec {
            key: "per_contract",
            label_key: "invoices-setting-per-contract",
            kind: portal_core::module::SettingKind::Bool,
            default: "false",
        }]
    }
    fn templates(&self) -> &'static [Template] {
        &[
            Template {
                name: "invoices/list.html",
                source: include_str!("../templates/list.html"),
            },
            Template {
                name: "invoices/show.html",
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
            table: "invoices_invoices",
            column: "pdf_key",
        }]
    }
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::list))
                .at("/:id", get(pages::show))
                .at("/:id/pdf", get(pages::pdf)),
        )
    }
    fn home_cards<'a>(
        &'a self,
        u: &'a User,
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<HomeCard>>> {
        Box::pin(pages::home_card(u))
    }
    fn demo<'a>(&'a self, cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(demo::fill(cx))
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi {
            customer: None,
            admin: Some(ApiPart::new(
                api::InvoicesAdminApi,
                "/api/admin/v1/invoices",
            )),
        }
    }
}

inventory::submit! { ModuleEntry(&Invoices) }
