//! `portal-subscriptions`: a customer's running subscriptions (seed 000:
//! yearly or monthly; one-off services are not shown), each with its
//! products and cost specification, and the change request of seed 001
//! (subject required, "I agree to the extra costs"), which the tenant
//! turns on (`subscriptions.change_requests`); where it is off, the page
//! shows the tenant's support address for changes (seed 000). Both are for
//! the organisation's admins by default (seed 001).
//!
//! Layout:
//! - `lib.rs`: the module: its declaration (permissions, navigation, setting, mail, assets) and hooks
//! - `store.rs`: subscriptions and change requests within the principal's customers
//! - `sync.rs`: the back-office upsert by external id
//! - `requests.rs`: storing a change request (with its confirmation mail), its status
//! - `pages.rs`: list, "more information", the change request form
//! - `staff_pages.rs`: a change request for support, its status (mailed to the requester)
//! - `demo.rs`: demo data for `portal demo`
//! - `api.rs`: the back-office API (sync, change requests)

pub mod api;
pub mod demo;
pub mod pages;
pub mod requests;
pub mod staff_pages;
pub mod store;
pub mod sync;

use portal_core::access::Perm;
use portal_core::mail::{MailDefault, MailKind, Placeholder};
use portal_core::module::{
    BoxFuture, DemoCx, Hooks, Module, ModuleApi, ModuleCx, NavItem, SettingSpec, StaffRequest,
};
use portal_core::poem::{Route, get};
use portal_core::staff::StaffReach;
use portal_core::tenant::{AddressForm, Lang, Tenant};

portal_core::permission! {
    /// Seeing subscriptions and their costs.
    pub View = "subscriptions.view", label "subscriptions-permission-view", roles [Admin];
    /// Sending a change request (seed 001: the organisation's admin).
    pub RequestChange = "subscriptions.request_change", label "subscriptions-permission-request", roles [Admin];
}

/// True when the tenant takes change requests in the portal (seed 001).
pub fn change_requests_on(tenant: &Tenant) -> bool {
    SUBSCRIPTIONS.flag(tenant, "change_requests")
}

/// The confirmation of a change request.
pub const CHANGE_REQUESTED: MailKind = MailKind {
    key: "subscriptions.change_requested",
    label_nl: "Wijzigingsverzoek ontvangen",
    label_en: "Change request received",
    placeholders: &[
        Placeholder::text(
            "user.name",
            "naam van de gebruiker",
            "name of the user",
            "Jan Jansen",
        ),
        Placeholder::text(
            "request.subject",
            "onderwerp van het verzoek",
            "subject of the request",
            "Extra mailboxen",
        ),
        Placeholder::text(
            "request.number",
            "nummer van het verzoek",
            "number of the request",
            "42",
        ),
    ],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Uw wijzigingsverzoek {request.number} is ontvangen",
            html: "",
            text: "Beste {user.name},\n\nWij hebben uw verzoek om uw abonnement te wijzigen ontvangen: \"{request.subject}\" (nummer {request.number}). U heeft aangegeven akkoord te gaan met de extra kosten. Wij nemen het zo snel mogelijk in behandeling.\n\nU ziet de status van uw verzoek in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Je wijzigingsverzoek {request.number} is ontvangen",
            html: "",
            text: "Hoi {user.name},\n\nWe hebben je verzoek om je abonnement te wijzigen ontvangen: \"{request.subject}\" (nummer {request.number}). Je hebt aangegeven akkoord te gaan met de extra kosten. We pakken het zo snel mogelijk op.\n\nJe ziet de status van je verzoek in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Your change request {request.number} has been received",
            html: "",
            text: "Dear {user.name},\n\nWe have received your request to change your subscription: \"{request.subject}\" (number {request.number}). You agreed to the extra costs. We will handle it as soon as we can.\n\nYou can follow its status in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// Support changed the status of a change request.
pub const REQUEST_STATUS: MailKind = MailKind {
    key: "subscriptions.request_status",
    label_nl: "Status van uw wijzigingsverzoek",
    label_en: "Status of your change request",
    placeholders: &[
        Placeholder::text(
            "user.name",
            "naam van de gebruiker",
            "name of the user",
            "Jan Jansen",
        ),
        Placeholder::text(
            "request.subject",
            "onderwerp van het verzoek",
            "subject of the request",
            "Extra mailboxen",
        ),
        Placeholder::text(
            "request.number",
            "nummer van het verzoek",
            "number of the request",
            "42",
        ),
        Placeholder::text(
            "request.status",
            "nieuwe status",
            "new status",
            "Afgehandeld",
        ),
        Placeholder::text(
            "request.message",
            "toelichting van support (kan leeg zijn)",
            "support's note (may be empty)",
            "De extra mailboxen staan klaar.",
        ),
    ],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Uw wijzigingsverzoek {request.number}: {request.status}",
            html: "",
            text: "Beste {user.name},\n\nDe status van uw verzoek \"{request.subject}\" (nummer {request.number}) is nu: {request.status}.\n\n{request.message}\n\nU ziet uw verzoeken in het klantportaal: {special.consumerportal_url}\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Je wijzigingsverzoek {request.number}: {request.status}",
            html: "",
            text: "Hoi {user.name},\n\nDe status van je verzoek \"{request.subject}\" (nummer {request.number}) is nu: {request.status}.\n\n{request.message}\n\nJe ziet je verzoeken in het klantportaal: {special.consumerportal_url}\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Your change request {request.number}: {request.status}",
            html: "",
            text: "Dear {user.name},\n\nThe status of your request \"{request.subject}\" (number {request.number}) is now: {request.status}.\n\n{request.message}\n\nYou can see your requests in the customer portal: {special.consumerportal_url}\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// The subscriptions module.
pub static SUBSCRIPTIONS: Module = Module {
    name: "subscriptions",
    migrations: Some(&portal_core::module_migrations!()),
    permissions: &[View::PERMISSION, RequestChange::PERMISSION],
    nav: &[NavItem::new("subscriptions-nav", "", 200).needs(View::PERMISSION)],
    settings: &[SettingSpec::flag(
        "change_requests",
        "subscriptions-setting-change-requests",
        false,
    )],
    mails: &[CHANGE_REQUESTED, REQUEST_STATUS],
    templates: portal_core::module_templates!("subscriptions";
        "list.html", "show.html", "change.html", "staff_request.html"),
    translations: portal_core::module_translations!(),
    hooks: &SubscriptionsHooks,
    ..Module::NONE
};
portal_core::register_module!(SUBSCRIPTIONS);

/// The module's code: pages, the back-office API, demo data.
struct SubscriptionsHooks;

impl Hooks for SubscriptionsHooks {
    fn routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(
            Route::new()
                .at("/", get(pages::list))
                .at(
                    "/change",
                    get(pages::change_form).post(pages::change_submit),
                )
                .at("/:id", get(pages::show)),
        )
    }
    fn demo<'a>(&'a self, cx: &'a DemoCx<'a>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(demo::fill(cx))
    }
    fn api(&self, _cx: &ModuleCx) -> ModuleApi {
        ModuleApi::admin(api::SubscriptionsAdminApi)
    }
    fn staff_routes(&self, _cx: &ModuleCx) -> Option<Route> {
        Some(Route::new().at(
            "/requests/:id",
            get(staff_pages::request).post(staff_pages::request_status),
        ))
    }
    fn staff_requests<'a>(
        &'a self,
        reach: &'a StaffReach,
        open: bool,
    ) -> BoxFuture<'a, Result<Vec<StaffRequest>, portal_core::db::DbError>> {
        Box::pin(async move {
            Ok(store::requests_for_staff(reach, open)
                .await?
                .into_iter()
                .map(|r| StaffRequest {
                    id: r.id,
                    customer_id: Some(r.customer_id),
                    kind_key: "subscriptions-change",
                    subject: r.subject,
                    status_key: format!("subscriptions-status-{}", r.status),
                    open: !store::settled(&r.status),
                    status: r.status,
                    created_at: r.created_at,
                    path: format!("/staff/subscriptions/requests/{}", r.id),
                })
                .collect())
        })
    }
}
