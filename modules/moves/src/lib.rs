//! `portal-moves`: moving in and out (seed 004, Zerofriction).
//!
//! - The move-in: a public seven-step wizard without an account (the
//!   address matched against the tenant's known addresses, the key date,
//!   start readings with the handover document, personal data, the
//!   correspondence address, payment, the summary with the terms). Drafts
//!   are kept per browser, resumable from a mailed single-use link, and
//!   expire. A completed move-in is one event `moves.move_in` and one
//!   confirmation mail; staff handle it; the back-office links the
//!   customer it made (core's account sync then invites the resident).
//! - The move-out: a logged-in customer ends the contract at a location
//!   (the moving date within the tenant's window, end readings, the new
//!   correspondence address for the final note, an IBAN for a refund);
//!   confirmed by mail, event `moves.move_out`, status in the portal.
//! - The start page's actions ("Hoe kunnen wij helpen?": move in, move
//!   out) beside core's login.
//!
//! Layout:
//! - `lib.rs`: the module: permissions, navigation, settings, mails, templates, hooks
//! - `iban.rs`: the IBAN check (mod 97)
//! - `address.rs`: the known addresses (sync, matching a typed postcode)
//! - `draft.rs`: wizard drafts (browser key, resume link, expiry)
//! - `wizard.rs`: the move-in wizard's pages
//! - `move_in.rs`: completed move-ins, their status, the linked customer
//! - `store.rs`: move-outs within a reach, staff's status
//! - `pages.rs`: the customer's requests and the move-out form
//! - `staff_pages.rs`, `staff_move_in.rs`: requests on the staff pages
//! - `api.rs`: the back-office API

pub mod address;
pub mod api;
pub mod draft;
pub mod iban;
pub mod move_in;
pub mod pages;
pub mod staff_move_in;
pub mod staff_pages;
pub mod store;
pub mod wizard;

use portal_core::access::Perm;
use portal_core::mail::{MailDefault, MailKind, Placeholder};
use portal_core::module::{
    BlobColumn, BoxFuture, Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec, StaffRequest,
    StartAction,
};
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

const MOVE_IN_PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::text(
        "user.name",
        "naam van de bewoner",
        "name of the resident",
        "Jan Jansen",
    ),
    Placeholder::text(
        "move.location",
        "het nieuwe adres",
        "the new address",
        "Kastanjelaan 12, 1234 AB Amsterdam",
    ),
    Placeholder::text("move.date", "sleuteldatum", "key date", "01-02-2027"),
    Placeholder::text(
        "move.number",
        "nummer van het verzoek",
        "number of the request",
        "17",
    ),
];

/// The confirmation of a move-in to the resident (no account yet).
pub const MOVE_IN_RECEIVED: MailKind = MailKind {
    key: "moves.move_in_received",
    label_nl: "Bevestiging van een inhuizing",
    label_en: "Confirmation of a move-in",
    placeholders: MOVE_IN_PLACEHOLDERS,
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Wij hebben uw inhuizing ontvangen ({move.location})",
            html: "",
            text: "Beste {user.name},\n\nWij hebben uw inhuizing op {move.location} per {move.date} ontvangen (verzoek {move.number}). Wij controleren uw gegevens en maken uw contract op. Daarna ontvangt u een welkomstmail met uw contract en een link om uw account voor het klantportaal aan te maken.\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "We hebben je inhuizing ontvangen ({move.location})",
            html: "",
            text: "Hoi {user.name},\n\nWe hebben je inhuizing op {move.location} per {move.date} ontvangen (verzoek {move.number}). We controleren je gegevens en maken je contract op. Daarna krijg je een welkomstmail met je contract en een link om je account voor het klantportaal aan te maken.\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "We have received your move-in ({move.location})",
            html: "",
            text: "Dear {user.name},\n\nWe have received your move-in at {move.location} as of {move.date} (request {move.number}). We will check your details and draw up your contract. You will then receive a welcome mail with your contract and a link to create your customer portal account.\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// A link to go on with a move-in later (single use, expiring).
pub const MOVE_IN_RESUME: MailKind = MailKind {
    key: "moves.move_in_resume",
    label_nl: "Link om een inhuizing later af te maken",
    label_en: "Link to finish a move-in later",
    placeholders: &[
        Placeholder::text(
            "user.name",
            "naam van de bewoner (kan leeg zijn)",
            "name of the resident (may be empty)",
            "Jan Jansen",
        ),
        Placeholder::text(
            "link.url",
            "persoonlijke link om verder te gaan",
            "personal link to go on",
            "https://mijn.voorbeeld.nl/moves/in/resume/abc",
        ),
        Placeholder::text(
            "link.valid_for",
            "hoe lang de link geldig is, in de taal van de mail",
            "how long the link is valid, in the mail's language",
            "3 dagen",
        ),
    ],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Ga verder met uw inhuizing",
            html: "",
            text: "Beste {user.name},\n\nMet deze link gaat u verder met het doorgeven van uw inhuizing, waar u gebleven was:\n{link.url}\n\nDe link werkt één keer en is {link.valid_for} geldig. Heeft u dit niet aangevraagd? Dan kunt u deze e-mail negeren.\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Ga verder met je inhuizing",
            html: "",
            text: "Hoi {user.name},\n\nMet deze link ga je verder met het doorgeven van je inhuizing, waar je gebleven was:\n{link.url}\n\nDe link werkt één keer en is {link.valid_for} geldig. Heb je dit niet aangevraagd? Dan kun je deze e-mail negeren.\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Go on with your move-in",
            html: "",
            text: "Dear {user.name},\n\nWith this link you go on with your move-in where you left off:\n{link.url}\n\nThe link works once and is valid for {link.valid_for}. Did you not ask for it? Then you can ignore this mail.\n\nKind regards,\n{tenant.name}",
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
        SettingSpec::flag("move_in", "moves-setting-move-in", true),
        SettingSpec::number("draft_days", "moves-setting-draft-days", 1, 60, "7"),
        SettingSpec::text("terms_url", "moves-setting-terms-url", 300, ""),
    ],
    mails: &[RECEIVED, STATUS, MOVE_IN_RECEIVED, MOVE_IN_RESUME],
    blob_columns: &[
        BlobColumn {
            table: "moves_drafts",
            column: "document_key",
        },
        BlobColumn {
            table: "moves_move_ins",
            column: "document_key",
        },
    ],
    templates: portal_core::module_templates!("moves"; "requests.html", "move_out.html", "staff_request.html",
        "move_in.html", "move_in_done.html", "move_in_resume.html", "staff_move_in.html"),
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
                .at("/out", get(pages::move_out_form).post(pages::move_out))
                .at("/in", get(wizard::start))
                .at("/in/done", get(wizard::done))
                .at("/in/document", get(wizard::document))
                .at(
                    "/in/resume/:secret",
                    get(wizard::resume_show).post(wizard::resume),
                )
                .at("/in/:step", get(wizard::show).post(wizard::submit)),
        )
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::MovesAdminApi)
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at(
                    "/requests/:id",
                    get(staff_pages::request).post(staff_pages::set_status),
                )
                .at(
                    "/move-ins/:id",
                    get(staff_move_in::show).post(staff_move_in::set_status),
                )
                .at("/move-ins/:id/document", get(staff_move_in::document)),
        )
    }
    fn start_actions(&self, tenant: &portal_core::tenant::Tenant) -> Vec<StartAction> {
        let mut actions = Vec::new();
        if MOVES.flag(tenant, "move_in") {
            actions.push(StartAction {
                order: 10,
                title_key: "moves-start-in",
                text_key: "moves-start-in-text",
                path: "/moves/in",
            });
        }
        actions.push(StartAction {
            order: 20,
            title_key: "moves-start-out",
            text_key: "moves-start-out-text",
            path: "/moves/out",
        });
        actions
    }
    fn housekeeping<'a>(
        &'a self,
        db: &'a portal_core::db::Db,
    ) -> BoxFuture<'a, Result<u64, String>> {
        Box::pin(async move { draft::delete_expired(db).await.map_err(|e| e.to_string()) })
    }
    fn staff_requests<'a>(
        &'a self,
        reach: &'a StaffReach,
        open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, portal_core::db::DbError>> {
        Box::pin(async move {
            let ins = move_in::list(reach.db(), reach.scope(), open)
                .await?
                .into_iter()
                .map(|m| StaffRequest {
                    id: m.id,
                    customer_id: m.customer_id,
                    kind_key: "moves-kind-in",
                    subject: format!("{} ({})", m.address_label, m.name),
                    status_key: format!("moves-status-{}", m.status),
                    open: matches!(m.status.as_str(), "new" | "waiting"),
                    status: m.status,
                    created_at: m.created_at,
                    path: format!("/staff/moves/move-ins/{}", m.id),
                });
            Ok(store::for_staff(reach, open)
                .await?
                .into_iter()
                .map(|r| StaffRequest {
                    id: r.id,
                    customer_id: Some(r.customer_id),
                    kind_key: "moves-kind-out",
                    subject: r.location_name.clone(),
                    status_key: format!("moves-status-{}", r.status),
                    open: matches!(r.status.as_str(), "new" | "waiting"),
                    status: r.status,
                    created_at: r.created_at,
                    path: format!("/staff/moves/requests/{}", r.id),
                })
                .chain(ins)
                .collect())
        })
    }
}
