//! `portal-advances`: the advance amount per contract (seed 004,
//! "voorschotbedrag"). The supplier allows or blocks changes (`enabled`)
//! and sets the range: a fixed minimum and maximum amount, or a minimum
//! and maximum percentage around the original advance. The original is
//! the supplier's own amount and is remembered, so three changes in a row
//! cannot walk the amount out of the range. A change is stored with its
//! history, and reaches the back-office as the event `advances.changed`.
//!
//! A module of its own rather than part of moves: a supplier may let
//! customers change their advance without offering the move-in wizard,
//! and the advance belongs to a contract, not to a move.
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, settings, templates, hooks
//! - `range.rs`: the allowed range (pure)
//! - `store.rs`: contracts and their history within a reach; the change
//! - `api.rs`: the back-office API (`/api/admin/v1/advances`): contracts by external id, changes
//! - `pages.rs`: the advances page and the change form

pub mod api;
pub mod pages;
pub mod range;
pub mod store;

use portal_core::access::Perm;
use portal_core::module::{Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec};
use portal_core::poem::{Route, get, post};

portal_core::permission! {
    /// Seeing the advance amounts of the organisation's contracts.
    pub View = "advances.view", label "advances-permission-view", roles [Admin];
    /// Changing an advance amount within the supplier's range.
    pub Change = "advances.change", label "advances-permission-change", roles [Admin];
}

/// The advances module.
pub static ADVANCES: Module = Module {
    name: "advances",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION, Change::PERMISSION],
    nav: &[NavItem::new("advances-nav", "", 260).needs(View::PERMISSION)],
    settings: &[
        SettingSpec::flag("enabled", "advances-setting-enabled", false),
        SettingSpec {
            key: "mode",
            label_key: "advances-setting-mode",
            kind: portal_core::module::SettingKind::Choice(&["percent", "fixed"]),
            default: "percent",
        },
        SettingSpec::number("min_percent", "advances-setting-min-percent", 0, 100, "80"),
        SettingSpec::number(
            "max_percent",
            "advances-setting-max-percent",
            100,
            1000,
            "150",
        ),
        SettingSpec::number("min_euros", "advances-setting-min-euros", 0, 100_000, "10"),
        SettingSpec::number("max_euros", "advances-setting-max-euros", 0, 100_000, "500"),
    ],
    templates: portal_core::module_templates!("advances"; "advances.html"),
    translations: portal_core::module_translations!(),
    hooks: &AdvancesHooks,
    ..Module::NONE
};
portal_core::register_module!(ADVANCES);

struct AdvancesHooks;

impl Hooks for AdvancesHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::list))
                .at("/:id", post(pages::change)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::AdvancesAdminApi)
    }
}
