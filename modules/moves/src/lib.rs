//! `portal-moves`: moving in and out (seed 004, Zerofriction). This first
//! part is the move-out: a logged-in customer ends the contract at a
//! location in the browser (the location, the moving date within the
//! tenant's window, the end readings, the new correspondence address for
//! the final note, an IBAN for a refund); the request is confirmed by
//! mail, reaches the back-office as the event `moves.move_out`, and staff
//! handle it in the staff workspace's list of requests (Waiting with a
//! message to the customer, Processed, Rejected), which the customer sees.
//! The public move-in wizard and the "Hoe kunnen wij helpen?" start page
//! are not built yet.
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, settings, mails, templates, hooks
//! - `iban.rs`: the IBAN check (mod 97)
//! - `store.rs`: requests within a reach, the move-out, staff's status
//! - `pages.rs`: the customer's requests and the move-out form
//! - `staff_pages.rs`: a request on the staff pages, its status

pub mod iban;
pub mod pages;
pub mod staff_pages;
pub mod store;

use portal_core::access::Perm;
use portal_core::mail::{MailDefault, MailKind, Placeholder};
use portal_core::module::{BoxFuture, Hooks, Module, ModuleCx, NavItem, SettingSpec, StaffRequest};
use portal_core::poem::{Route, get};
use portal_core::staff::StaffReach;
use portal_core::tenant::{AddressForm, Lang};

portal_core::permission! {
    /// Sending a move-out (and seeing the organisation's moving requests).
    pub Request = "moves.request", label "moves-permission-request", roles [Admin];
}

const REQUEST_PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::text(
        "user.name",
        "naam van de gebruiker",
        "name of the user",
        "Jan Jansen",
    ),
    Placeholder::text(
        "move.location",
        "adres van de locatie",
        "address of the location",
        "Kastanjelaan 12",
    ),
    Placeholder::text("move.date", "verhuisdatum", "moving date", "31-01-2027"),
    Placeholder::text(
        "move.number",
        "nummer van het verzoek",
        "number of the request",
        "17",
    ),
];

/// The confirmation of a move-out to the customer.
pub const RECEIVED: MailKind = MailKind {
    key: "moves.move_out_received",
    label_nl: "Bevestiging van een uithuizing",
    label_en: "Confirmation of a move-out",
    placeholders: REQUEST_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Wij hebben uw uithuizing ontvangen ({move.location})",
            html: "",
            text: "Beste {user.name},\n\nWij hebben uw uithuizing voor {move.location} per {move.date} ontvangen (verzoek {move.number}). Wij verwerken het en sturen de eindafrekening naar uw nieuwe adres.\n\nU volgt de status in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "We hebben je uithuizing ontvangen ({move.location})",
            html: "",
            text: "Hoi {user.name},\n\nWe hebben je uithuizing voor {move.location} per {move.date} ontvangen (verzoek {move.number}). We verwerken het en sturen de eindafrekening naar je nieuwe adres.\n\nJe volgt de status in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "We have received your move-out ({move.location})",
            html: "",
            text: "Dear {user.name},\n\nWe have received your move-out for {move.location} as of {move.date} (request {move.number}). We will process it and send the final bill to your new address.\n\nYou can follow its status in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// A new status of a moving request, with staff's message.
pub const STATUS: MailKind = MailKind {
    key: "moves.request_status",
    label_nl: "Nieuwe status van een verhuisverzoek",
    label_en: "New status of a moving request",
    placeholders: &[
        Placeholder::text(
            "user.name",
            "naam van de gebruiker",
            "name of the user",
            "Jan Jansen",
        ),
        Placeholder::text(
            "move.location",
            "adres van de locatie",
            "address of the location",
            "Kastanjelaan 12",
        ),
        Placeholder::text(
            "move.number",
            "nummer van het verzoek",
            "number of the request",
            "17",
        ),
        Placeholder::text(
            "move.status",
            "nieuwe status",
            "new status",
            "In afwachting",
        ),
        Placeholder::text(
            "move.message",
            "toelichting (kan leeg zijn)",
            "note (may be empty)",
            "Wilt u de eindstand van de watermeter doorgeven?",
        ),
    ],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Uw verhuisverzoek {move.number}: {move.status}",
            html: "",
            text: "Beste {user.name},\n\nUw verhuisverzoek voor {move.location} (nummer {move.number}) heeft nu de status: {move.status}.\n\n{move.message}\n\nU ziet uw verzoeken in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Je verhuisverzoek {move.number}: {move.status}",
            html: "",
            text: "Hoi {user.name},\n\nJe verhuisverzoek voor {move.location} (nummer {move.number}) heeft nu de status: {move.status}.\n\n{move.message}\n\nJe ziet je verzoeken in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Your moving request {move.number}: {move.status}",
            html: "",
            text: "Dear {user.name},\n\nYour moving request for {move.location} (number {move.number}) now has the status: {move.status}.\n\n{move.message}\n\nYou can see your requests in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// The moves module.
pub static MOVES: Module = Module {
    name: "moves",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[Request::PERMISSION],
    nav: &[NavItem::new("moves-nav", "", 280).needs(Request::PERMISSION)],
    settings: &[
        SettingSpec::number("window_before_days", "moves-setting-before", 0, 365, "30"),
        SettingSpec::number("window_after_days", "moves-setting-after", 0, 365, "90"),
    ],
    mails: &[RECEIVED, STATUS],
    templates: portal_core::module_templates!("moves"; "requests.html", "move_out.html", "staff_request.html"),
    translations: portal_core::module_translations!(),
    hooks: &MovesHooks,
    ..Module::NONE
};
portal_core::register_module!(MOVES);

struct MovesHooks;

impl Hooks for MovesHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::requests))
                .at("/out", get(pages::move_out_form).post(pages::move_out)),
        )
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(Route::new().at(
            "/requests/:id",
            get(staff_pages::request).post(staff_pages::set_status),
        ))
    }
    fn staff_requests<'a>(
        &'a self,
        reach: &'a StaffReach,
        open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, portal_core::db::DbError>> {
        Box::pin(async move {
            Ok(store::for_staff(reach, open)
                .await?
                .into_iter()
                .map(|r| StaffRequest {
                    id: r.id,
                    customer_id: r.customer_id,
                    kind_key: "moves-kind-out",
                    subject: r.location_name.clone(),
                    status_key: format!("moves-status-{}", r.status),
                    open: matches!(r.status.as_str(), "new" | "waiting"),
                    status: r.status,
                    created_at: r.created_at,
                    path: format!("/staff/moves/requests/{}", r.id),
                })
                .collect())
        })
    }
}
