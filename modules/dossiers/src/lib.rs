//! `portal-dossiers`: an adviser's client dossiers (seed 003, Accelerate).
//! A client sees the overview (the adviser and the handler with their
//! contact details, the progress as a percentage, the open action items
//! with a bell and a count in the dossier's tabs), the important documents
//! (the office's standard ones and the dossier's), a tab per product where
//! the back-office allows it (the mortgage with the lender's status) and
//! the appointment. Action items: an upload (files checked as every upload,
//! photos made PDF, several files merged into one PDF; deletable while
//! "received"), a form (fields the back-office defines, checked), and a
//! signature (each part accepted on its own; who, when, from where and a
//! hash of the text stored; the signed copy downloadable). Advisers review
//! uploads and forms in the staff workspace; a rejection with a remark
//! opens the item again and the percentage drops. Closed dossiers are
//! deleted after the tenant's retention period.
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, settings, mails, hooks
//! - `progress.rs`: the percentage done
//! - `pdf.rs`: uploads to one PDF (photos to pages, merging)
//! - `store.rs`: reading dossiers within a reach, and what is below them
//! - `write.rs`: uploads, forms, signatures, reviews, the new-actions mail
//! - `mails.rs`: seed 003's dossier placeholders, a dossier's values, its account mails
//! - `seed_mails.rs`: seed 003's mail texts, word for word
//! - `pages.rs`, `action_pages.rs`: the client's pages
//! - `staff_pages.rs`: review of waiting actions
//! - `api.rs`: the back-office API (sync, documents, review)
//! - `retention.rs`: deleting closed dossiers after the retention period

pub mod action_pages;
pub mod api;
pub mod mails;
pub mod pages;
pub mod pdf;
pub mod progress;
pub mod retention;
pub mod seed_mails;
pub mod staff_pages;
pub mod store;
pub mod write;

use portal_core::access::Perm;
use portal_core::module::{
    BlobColumn, BoxFuture, Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec, StaffRequest,
};
use portal_core::poem::{Route, get, post};
use portal_core::staff::{StaffPerm, StaffReach};

pub use mails::ACTIONS_OPENED;

portal_core::permission! {
    /// The dossier: every client of it sees it and works on its action items.
    pub View = "dossiers.view", label "dossiers-permission-view", roles [*];
}

portal_core::staff_permission! {
    /// Advisers: reviewing uploads and forms.
    pub Review = "dossiers.review", label "dossiers-staff-permission", roles [Support];
}

/// The dossiers module.
pub static DOSSIERS: Module = Module {
    name: "dossiers",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION],
    nav: &[NavItem::new("dossiers-nav", "", 100).needs(View::PERMISSION)],
    staff_permissions: &[Review::STAFF_PERMISSION],
    settings: &[
        SettingSpec::number("retention_years", "dossiers-setting-retention", 1, 30, "5"),
        SettingSpec::number("max_file_mb", "dossiers-setting-max-file", 1, 25, "10"),
    ],
    mails: &[mails::ACTIVATE, mails::RESET, mails::ACTIONS_OPENED],
    templates: portal_core::module_templates!("dossiers";
        "list.html", "tabs.html", "overview.html", "documents.html", "product.html",
        "appointment.html", "action.html", "staff_action.html"),
    translations: portal_core::module_translations!(),
    blob_columns: &[
        BlobColumn {
            table: "dossiers_files",
            column: "pdf_key",
        },
        BlobColumn {
            table: "dossiers_signatures",
            column: "pdf_key",
        },
        BlobColumn {
            table: "dossiers_documents",
            column: "blob_key",
        },
    ],
    hooks: &DossiersHooks,
    ..Module::NONE
};
portal_core::register_module!(DOSSIERS);

struct DossiersHooks;

impl Hooks for DossiersHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::list))
                .at("/:id", get(pages::overview))
                .at("/:id/documents", get(pages::documents))
                .at("/:id/documents/:doc", get(pages::document))
                .at("/:id/products/:product", get(pages::product))
                .at("/:id/appointment", get(pages::appointment))
                .at("/:id/actions/:action", get(action_pages::show))
                .at("/:id/actions/:action/upload", post(action_pages::upload))
                .at("/:id/actions/:action/delete", post(action_pages::delete))
                .at("/:id/actions/:action/form", post(action_pages::form))
                .at("/:id/actions/:action/sign", post(action_pages::sign))
                .at("/:id/actions/:action/file", get(action_pages::file))
                .at("/:id/actions/:action/signed", get(action_pages::signed)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::DossiersAdminApi)
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(Route::new().at(
            "/actions/:id",
            get(staff_pages::show).post(staff_pages::decide),
        ))
    }
    fn staff_requests<'a>(
        &'a self,
        reach: &'a StaffReach,
        _open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, portal_core::db::DbError>> {
        Box::pin(async move {
            let waiting = store::waiting(reach.db(), reach.scope()).await?;
            // Their dossiers in one query, not one per item.
            let ids: Vec<i64> = waiting.iter().map(|a| a.dossier_id).collect();
            let dossiers: std::collections::HashMap<i64, store::Dossier> =
                store::dossiers_in(reach.db(), reach.scope(), &ids)
                    .await?
                    .into_iter()
                    .map(|d| (d.id, d))
                    .collect();
            let mut out = Vec::with_capacity(waiting.len());
            for a in waiting {
                let d = dossiers.get(&a.dossier_id);
                out.push(StaffRequest {
                    id: a.id,
                    customer_id: d.map(|d| d.customer_id),
                    kind_key: "dossiers-kind-review",
                    subject: format!("{} ({})", a.title, d.map_or("", |d| d.title.as_str())),
                    status_key: format!("dossiers-status-{}", a.status),
                    open: true,
                    status: a.status,
                    created_at: a.updated_at,
                    path: format!("/staff/dossiers/actions/{}", a.id),
                });
            }
            Ok(out)
        })
    }
    fn account_mail<'a>(
        &'a self,
        cx: &'a portal_core::module::AccountMailCx<'a>,
    ) -> BoxFuture<'a, Result<Option<portal_core::module::AccountMail>, portal_core::db::DbError>>
    {
        Box::pin(mails::account_mail(cx))
    }
    fn housekeeping<'a>(
        &'a self,
        db: &'a portal_core::db::Db,
    ) -> BoxFuture<'a, Result<u64, String>> {
        Box::pin(async move { retention::run(db).await.map_err(|e| e.to_string()) })
    }
}
