//! `portal-logbook`: the digital pest-control logbook (seed 002, PestScan).
//! A pest-control company (the tenant) keeps, per location of its
//! customers, the checkpoints on site, every visit with its observations
//! and materials, the technician's recommendations and what was done about
//! them, messages both ways and the documents an auditor asks for (BRCGS
//! 4.14.8: inspections, recommendations and the actions taken). The
//! customer's quality manager shows it to the auditor from the portal.
//!
//! Everything is per location and honours the account's rights there
//! (core's `Reach`): a main account reads and writes every location of its
//! customers (a parent's, "domein contractant", its children's too); an
//! extra account only the locations it was granted, read-only or with
//! write rights (write implies read). Read-only accounts see everything and
//! change nothing: the write endpoints answer 403 for a location they may
//! read and 404 for one they may not. Pages are addressed by location, so
//! the header's customer switcher does not limit them (`Reach::everywhere`).
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, templates, hooks
//! - `store.rs`: reading locations, checkpoints, visits, recommendations, messages, documents
//! - `write.rs`: the customer's changes (a recommendation's status and response, a
//!   message) and the supplier's (replies, notifications, handled), each with its
//!   history and event
//! - `sync.rs`: the back-office upsert of checkpoints, visits with observations,
//!   recommendations and planned visits, by external id
//! - `documents.rs`: documents and visit PDFs from the back-office into the blob store
//! - `api.rs`: the back-office API (`/api/admin/v1/logbook`)
//! - `pages.rs`: the customer's pages: location choice, dashboard, checkpoints, visits
//! - `recommendation_pages.rs`: recommendations: list, filter, CSV export, status and response
//! - `message_pages.rs`: messages and documents of a location
//! - `staff_pages.rs`: the supplier's side: messages and responses to handle
//! - `report_pdf.rs`: a visit report as PDF when the back-office sent none
//! - `demo.rs`: a year of visits, recommendations, messages and documents

pub mod api;
pub mod demo;
pub mod documents;
pub mod message_pages;
pub mod pages;
pub mod recommendation_pages;
pub mod report_pdf;
pub mod staff_pages;
pub mod store;
pub mod sync;
pub mod write;

use portal_core::access::Perm;
use portal_core::module::{
    BlobColumn, BoxFuture, CardCx, DemoCx, HomeCard, HomeList, Hooks, Module, ModuleApi, ModuleCx,
    NavItem, StaffNavItem, StaffRequest,
};
use portal_core::poem::{Route, get};
use portal_core::staff::{StaffPerm, StaffReach};

portal_core::permission! {
    /// The logbook: rights per location (seed 002), not per role, so every
    /// account holds it; what it reaches is its locations.
    pub View = "logbook.view", label "logbook-permission-view", roles [*];
}

portal_core::staff_permission! {
    /// The supplier's side: customers' messages and recommendation responses.
    pub Desk = "logbook.desk", label "logbook-staff-permission", roles [Support];
}

/// The logbook module.
pub static LOGBOOK: Module = Module {
    name: "logbook",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION],
    nav: &[NavItem::new("logbook-nav", "", 120).needs(View::PERMISSION)],
    staff_permissions: &[Desk::STAFF_PERMISSION],
    staff_nav: &[StaffNavItem::new(
        "logbook-staff-nav",
        "",
        20,
        Desk::STAFF_PERMISSION,
    )],
    templates: portal_core::module_templates!("logbook";
        "locations.html", "dashboard.html", "checkpoints.html", "visits.html", "visit.html",
        "recommendations.html", "recommendation.html", "messages.html", "documents.html",
        "location_nav.html", "staff_inbox.html", "staff_message.html", "staff_recommendation.html"),
    translations: portal_core::module_translations!(),
    blob_columns: &[
        BlobColumn {
            table: "logbook_documents",
            column: "blob_key",
        },
        BlobColumn {
            table: "logbook_visits",
            column: "pdf_key",
        },
    ],
    hooks: &LogbookHooks,
    ..Module::NONE
};
portal_core::register_module!(LOGBOOK);

/// The module's code: pages, the back-office API, staff pages, demo data.
struct LogbookHooks;

impl Hooks for LogbookHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::index))
                .at("/locations", get(pages::choose))
                .at("/documents/:id", get(message_pages::download))
                .at("/:loc", get(pages::dashboard))
                .at("/:loc/checkpoints", get(pages::checkpoints))
                .at("/:loc/visits", get(pages::visits))
                .at("/:loc/visits/:id", get(pages::visit))
                .at("/:loc/visits/:id/pdf", get(pages::visit_pdf))
                .at("/:loc/recommendations", get(recommendation_pages::list))
                .at(
                    "/:loc/recommendations/export",
                    get(recommendation_pages::export),
                )
                .at(
                    "/:loc/recommendations/:id",
                    get(recommendation_pages::show).post(recommendation_pages::respond),
                )
                .at(
                    "/:loc/messages",
                    get(message_pages::list).post(message_pages::send),
                )
                .at("/:loc/documents", get(message_pages::documents)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::LogbookAdminApi)
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
    ) -> BoxFuture<'a, portal_core::poem::Result<Vec<HomeList>>> {
        Box::pin(pages::home_lists(cx))
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(staff_pages::inbox))
                .at(
                    "/messages/:id",
                    get(staff_pages::message).post(staff_pages::reply),
                )
                .at(
                    "/recommendations/:id",
                    get(staff_pages::recommendation).post(staff_pages::recommendation_seen),
                ),
        )
    }
    fn staff_requests<'a>(
        &'a self,
        reach: &'a StaffReach,
        open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, portal_core::db::DbError>> {
        Box::pin(staff_pages::requests(reach, open))
    }
    fn staff_count<'a>(
        &'a self,
        reach: &'a StaffReach,
        _path: &'a str,
    ) -> BoxFuture<'a, Result<Option<i64>, portal_core::db::DbError>> {
        Box::pin(async move { staff_pages::to_handle(reach).await.map(Some) })
    }
}
