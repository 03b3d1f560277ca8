//! `portal-invoices`: a customer's invoices (seeds 000, 001, 004), synced
//! from the back-office. Customers with `invoices.view` (the organisation's
//! admins by default, seed 001) see a list (newest first, open or paid),
//! open an invoice in the portal, and download its PDF: the back-office's
//! own, or one rendered from the invoice's data. A credit awaiting payment
//! processing shows when it is paid back (seed 004).
//!
//! Layout:
//! - `lib.rs`: the module: its declaration (permissions, navigation, setting, assets) and hooks
//! - `store.rs`: reading invoices within the principal's customers
//! - `sync.rs`: the back-office upsert by external id
//! - `pages.rs`: list, invoice view, PDF download
//! - `demo.rs`: demo data for `portal demo`
//! - `api.rs`: the back-office API (sync, PDF upload, delete)
//! - `render.rs`: an invoice as PDF, through core's small PDF writer
//!   (`portal_core::pdf`)

pub mod api;
pub mod demo;
pub mod pages;
pub mod render;
pub mod store;
pub mod sync;

use portal_core::access::Perm;
use portal_core::module::{
    BlobColumn, BoxFuture, CardCx, DemoCx, HomeCard, Hooks, Module, ModuleApi, ModuleCx, NavItem,
    SettingSpec,
};
use portal_core::poem::{Route, get};

portal_core::permission! {
    /// Seeing invoices (and their PDFs): the organisation's admins (seed 001).
    pub View = "invoices.view", label "invoices-permission-view", roles [Admin];
}
/// Rows per page of the list.
pub const PAGE_SIZE: u64 = 20;

/// The invoices module.
pub static INVOICES: Module = Module {
    name: "invoices",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION],
    nav: &[NavItem::new("invoices-nav", "", 300).needs(View::PERMISSION)],
    settings: &[SettingSpec::flag(
        "per_contract",
        "invoices-setting-per-contract",
        false,
    )],
    templates: portal_core::module_templates!("invoices"; "list.html", "show.html"),
    translations: portal_core::module_translations!(),
    blob_columns: &[BlobColumn {
        table: "invoices_invoices",
        column: "pdf_key",
    }],
    hooks: &InvoicesHooks,
    ..Module::NONE
};
portal_core::register_module!(INVOICES);

/// True when the tenant shows invoices per contract (seed 004, a setting).
pub fn per_contract(tenant: &portal_core::tenant::Tenant) -> bool {
    INVOICES.flag(tenant, "per_contract")
}

/// The module's code: pages, the back-office API, demo data, the home card.
struct InvoicesHooks;

impl Hooks for InvoicesHooks {
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
        cx: &'a dyn CardCx,
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<HomeCard>>> {
        Box::pin(pages::home_card(cx))
    }
    fn demo<'a>(&'a self, cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(demo::fill(cx))
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::InvoicesAdminApi)
    }
}
