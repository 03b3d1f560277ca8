//! `portal-consumption`: consumption of heat, cooling, tap water,
//! electricity and gas per service and location (seed 004, Zerofriction).
//! The back-office sends the services of each location, its meters with
//! their channels (a multi-channel meter measures several utilities) and
//! the meter readings; the module derives consumption per local day and
//! per month (the difference between two readings) and shows it per
//! service: this year against last year and the estimate, by year, month
//! or day over a period, two periods compared, filtered by location or
//! channel, each chart as SVG with its table and a CSV of exactly what is
//! shown. Everything honours the account's location rights.
//!
//! Storage: readings, days and months per channel. The days and months
//! are kept in step with the readings in the same transaction (a
//! correction of an older reading derives again only the days it
//! touches), so a page by month over ten years sums monthly rows, never
//! ten years of days.
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, settings, templates, hooks
//! - `derive.rs`: consumption from readings (pure: days, months, the local day)
//! - `recompute.rs`: keeping a channel's days and months in step with its readings
//! - `store.rs`: reading services, channels, days, months and totals within a reach
//! - `sync.rs`: the back-office upsert of services, meters with channels, readings
//! - `api.rs`: the back-office API (`/api/admin/v1/consumption`)
//! - `pages.rs`: overview, detail by year, month or day, comparison, CSV
//! - `readings_pages.rs`: the readings page and a customer's own reading
//! - `demo.rs`: three years of daily readings of heat and tap water per demo location

pub mod api;
pub mod demo;
pub mod derive;
pub mod pages;
pub mod readings_pages;
pub mod recompute;
pub mod store;
pub mod sync;

use portal_core::access::Perm;
use portal_core::module::{
    BoxFuture, CardCx, DemoCx, HomeCard, Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec,
};
use portal_core::poem::{Route, get};

portal_core::permission! {
    /// Seeing consumption and readings.
    pub View = "consumption.view", label "consumption-permission-view", roles [Admin, Employee];
    /// Entering a meter reading (where the tenant allows it).
    pub SubmitReading = "consumption.submit_reading", label "consumption-permission-submit", roles [Admin];
}

/// The consumption module.
pub static CONSUMPTION: Module = Module {
    name: "consumption",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION, SubmitReading::PERMISSION],
    nav: &[NavItem::new("consumption-nav", "", 200).needs(View::PERMISSION)],
    settings: &[
        SettingSpec::flag(
            "customer_readings",
            "consumption-setting-customer-readings",
            false,
        ),
        SettingSpec::number(
            "jump_factor",
            "consumption-setting-jump-factor",
            2,
            100,
            "5",
        ),
    ],
    templates: portal_core::module_templates!("consumption";
        "overview.html", "detail.html", "compare.html", "readings.html", "filters.html"),
    translations: portal_core::module_translations!(),
    hooks: &ConsumptionHooks,
    ..Module::NONE
};
portal_core::register_module!(CONSUMPTION);

struct ConsumptionHooks;

impl Hooks for ConsumptionHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::overview))
                .at(
                    "/readings",
                    get(readings_pages::list).post(readings_pages::submit),
                )
                .at("/:kind", get(pages::detail))
                .at("/:kind/compare", get(pages::compare))
                .at("/:kind/export", get(pages::export)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::ConsumptionAdminApi)
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
}
