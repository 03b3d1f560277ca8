//! The QDC demo hosting company (seed 000): tenant `qdc` ("MijnQDC"), its
//! name, logo, colours and support address; customer number + e-mail
//! login; no registration; reset links valid one hour; the Details as the
//! home page and the navigation Details · Abonnementen · Facturen; no
//! details are changed in the portal (support does it), only the login
//! account's password and two-step verification; customers without
//! parents, each with a year of invoices and its subscriptions. Shared by
//! the example's `demo` command and the facade's browser test; a second
//! run changes nothing.

use portal::Portal;
use portal::access::sync::{CustomerRow, upsert_customers};
use portal::access::sync_accounts::{AccountRow, upsert_accounts};
use portal::auth::activity::By;
use portal::auth::flows::staff::Welcome;
use portal::cli::demo;
use portal::tenant::repo::{self, TenantPatch};

pub const CODE: &str = "qdc";
/// The demo's password for every demo login (a demo database only).
pub const PASSWORD: &str = "Demo-hosting-2026!";
const LOGO: &[u8] = include_bytes!("logo.svg");

/// (external id, customer number, name, login e-mail, contact's first name)
pub const CUSTOMERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "qdc-c1",
        "40021",
        "Webbureau Noord B.V.",
        "admin@webbureau-noord.example",
        "Sanne",
    ),
    (
        "qdc-c2",
        "40022",
        "Bakkerij Van Dam",
        "info@bakkerij-vandam.example",
        "Piet",
    ),
];

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Creates or refreshes the hosting company's tenant; returns what to
/// print as JSON.
///
/// # Errors
/// When the database refuses a change or a module's demo data fails.
pub async fn setup(portal: &Portal) -> Result<serde_json::Value, Error> {
    let state = portal.state();
    let db = &state.db;
    let registry = &state.registry;
    let contact = TenantPatch {
        support_email: Some("support@qdc-hosting.example".into()),
        website: Some("https://www.qdc-hosting.example".into()),
        phone: Some("+31 10 765 4321".into()),
        mail_from_name: Some("QDC Support".into()),
        ..TenantPatch::default()
    };
    let (scope, created) = demo::tenant(state, CODE, "MijnQDC", &contact).await?;
    if created {
        demo::branding(
            state,
            scope,
            ["#12355b", "#ffffff", "#e8f0fa", "#0d2238"],
            LOGO,
        )
        .await?;
    }
    let set = |component: &'static str, key: &'static str, value: &'static str| {
        repo::set_setting(db, scope, registry, component, key, Some(value))
    };
    set("auth", "login_mode", "customer_number_email").await?;
    set("auth", "registration", "false").await?;
    set("auth", "reset_valid_minutes", "60").await?;
    // Seed 000: the login e-mail is the administration's e-mail.
    set("portal", "login_email_follows_customer", "true").await?;
    // Seed 000: QDC may set a customer's portal password (audited).
    set("auth", "staff_set_password", "true").await?;
    // Seed 000: "for now the customer can only change the login account"
    // (its password and two-step verification, under Instellingen); the
    // login e-mail is the administration's and changes through support,
    // like every other detail.
    for key in [
        "edit_login_email",
        "edit_personal",
        "edit_organisation",
        "edit_correspondence",
    ] {
        set("portal", key, "nobody").await?;
    }
    set("portal", "home", "organisation").await?;
    set(
        "portal",
        "nav",
        "organisation = Details | Details; subscriptions = Abonnementen | Subscriptions; invoices = Facturen | Invoices",
    )
    .await?;
    for name in ["invoices", "subscriptions"] {
        if registry.get(name).is_some() {
            repo::set_module_enabled(db, scope, registry, name, true).await?;
        }
    }
    let rows: Vec<CustomerRow> = CUSTOMERS
        .iter()
        .map(|(ext, number, name, email, _)| CustomerRow {
            external_id: (*ext).into(),
            number: (*number).into(),
            name: (*name).into(),
            email: (*email).into(),
            phone: "+31 10 555 0199".into(),
            payment_method: "Automatische incasso".into(),
            invoice_address: "Havenstraat 12\n3011 AB Rotterdam".into(),
            active: true,
            ..CustomerRow::default()
        })
        .collect();
    let report = upsert_customers(db, scope, &rows).await?;
    report.all_stored("customer")?;
    let accounts: Vec<AccountRow> = CUSTOMERS
        .iter()
        .map(|(ext, _, _, email, first)| AccountRow {
            external_id: format!("{ext}-login"),
            customer_external_id: (*ext).into(),
            email: (*email).into(),
            first_name: (*first).into(),
            last_name: "de Klant".into(),
            main: true,
            active: true,
            ..AccountRow::default()
        })
        .collect();
    let snapshot = state.cache.get().await?;
    let tenant = snapshot
        .by_id(scope.tenant_id())
        .ok_or("the demo tenant is not in the cache")?;
    let report = upsert_accounts(
        &state.deps(),
        tenant,
        &By::operator(),
        Welcome::None,
        &accounts,
    )
    .await?;
    report.all_stored("account")?;
    for (ext, _, _, email, _) in CUSTOMERS {
        demo::passwords(state, scope, ext, &[email], PASSWORD).await?;
    }
    let externals: Vec<String> = CUSTOMERS.iter().map(|c| c.0.to_string()).collect();
    demo::module_data(state, scope, &externals).await?;
    demo::staff_member(
        state,
        scope,
        ("beheer@qdc-hosting.example", "Beheer QDC"),
        portal::staff::StaffRole::Admin,
        PASSWORD,
    )
    .await?;
    let token = repo::create_api_token(db, scope, "demo", "*").await?;
    let base = format!("http://{CODE}.localhost:{}", demo::port(state));
    Ok(serde_json::json!({
        "tenant": CODE,
        "url": format!("{base}/"),
        "login_url": format!("{base}/login"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("{base}/mailbox")),
        "api_docs": format!("{base}/api/docs"),
        "api_token": token,
        "logins": CUSTOMERS.iter().map(|(_, number, name, email, _)| serde_json::json!({
            "role": name, "customer_number": number, "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "staff_url": format!("{base}/staff/login"),
        "staff": [{"role": "admin", "email": "beheer@qdc-hosting.example", "password": PASSWORD}],
    }))
}
