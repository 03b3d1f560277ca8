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
use portal_core::mail::{MailDefault, MailKind, Placeholder};
use portal_core::module::{Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec};
use portal_core::poem::{Route, get, post};
use portal_core::tenant::{AddressForm, Lang};

portal_core::permission! {
    /// Seeing the advance amounts of the organisation's contracts.
    pub View = "advances.view", label "advances-permission-view", roles [Admin];
    /// Changing an advance amount within the supplier's range.
    pub Change = "advances.change", label "advances-permission-change", roles [Admin];
}

/// The optional confirmation of a changed advance (setting `confirmation_mail`).
pub const CHANGED: MailKind = MailKind {
    key: "advances.changed",
    label_nl: "Bevestiging van een nieuw voorschotbedrag",
    label_en: "Confirmation of a new advance amount",
    placeholders: &[
        Placeholder::text(
            "user.name",
            "naam van de gebruiker",
            "name of the user",
            "Jan Jansen",
        ),
        Placeholder::text(
            "contract.number",
            "contractnummer",
            "contract number",
            "WN-2023-0417",
        ),
        Placeholder::text(
            "advance.old",
            "vorig voorschotbedrag",
            "previous advance",
            "€ 125,00",
        ),
        Placeholder::text(
            "advance.new",
            "nieuw voorschotbedrag",
            "new advance",
            "€ 140,00",
        ),
    ],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Uw nieuwe voorschotbedrag voor contract {contract.number}",
            html: "",
            text: "Beste {user.name},\n\nU heeft het voorschotbedrag van contract {contract.number} gewijzigd van {advance.old} in {advance.new}. Het nieuwe bedrag geldt vanaf de eerstvolgende voorschotnota.\n\nU ziet uw voorschot in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Je nieuwe voorschotbedrag voor contract {contract.number}",
            html: "",
            text: "Hoi {user.name},\n\nJe hebt het voorschotbedrag van contract {contract.number} gewijzigd van {advance.old} in {advance.new}. Het nieuwe bedrag geldt vanaf de eerstvolgende voorschotnota.\n\nJe ziet je voorschot in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Your new advance amount for contract {contract.number}",
            html: "",
            text: "Dear {user.name},\n\nYou changed the advance amount of contract {contract.number} from {advance.old} to {advance.new}. The new amount applies from the next advance invoice.\n\nYou can see your advance in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

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
        SettingSpec::flag("confirmation_mail", "advances-setting-mail", false),
    ],
    mails: &[CHANGED],
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
