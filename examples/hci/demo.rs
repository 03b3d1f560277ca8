//! The HCI demo practice: tenant `hci` (e-mail + password login, Dutch),
//! practice "Praktijk De Linde" with an admin, an employee and an
//! employee+, change requests on, and every module's demo data for the
//! practice (invoices, subscriptions, tickets in each status with
//! attachments). Shared by the example's `demo` command and the facade's
//! browser test; a second run changes nothing.

use portal::Portal;
use portal::access::sync::{CustomerRow, LocationRow, upsert_customers};
use portal::access::sync_accounts::{AccountRow, upsert_accounts};
use portal::auth::activity::By;
use portal::auth::flows::staff::Welcome;
use portal::cli::demo;
use portal::tenant::repo::{self, TenantPatch};

pub const CODE: &str = "hci";
/// The demo's password for every demo login (a demo database only).
pub const PASSWORD: &str = "Demo-praktijk-2026!";
pub const PRACTICE: &str = "hci-5001";

/// (role label, e-mail, roles)
pub const PEOPLE: &[(&str, &str, &[&str])] = &[
    (
        "Beheerder klantportal",
        "eigenaar@praktijk-delinde.example",
        &["admin"],
    ),
    (
        "Medewerker klantportal",
        "assistent@praktijk-delinde.example",
        &["employee"],
    ),
    (
        "Medewerker+ klantportal",
        "praktijkmanager@praktijk-delinde.example",
        &["employee", "employee_plus"],
    ),
];

/// The practice's support desk: (role, e-mail, name); they log in at
/// `/staff/login` with [`PASSWORD`] and set up two-step verification.
pub const STAFF: &[(portal::staff::StaffRole, &str, &str)] = &[
    (
        portal::staff::StaffRole::Admin,
        "beheer@hci-demo.example",
        "Beheer HCI",
    ),
    (
        portal::staff::StaffRole::Support,
        "support-medewerker@hci-demo.example",
        "Sanne de Support",
    ),
    (
        portal::staff::StaffRole::Editor,
        "redactie@hci-demo.example",
        "Ruben Redactie",
    ),
];

type Error = Box<dyn std::error::Error + Send + Sync>;

const LOGO: &[u8] = include_bytes!("logo.svg");

/// Seed 001's invitation adds where to turn with questions: the
/// organisation's contact person or HCI Customer Support. The tenant's
/// own version of the informal Dutch invitation.
async fn invitation_line(
    state: &portal::AppState,
    scope: portal::tenant::TenantScope,
) -> Result<(), Error> {
    use portal::mail::store;
    use portal::mail::template::TemplateText;
    use portal::tenant::{AddressForm, Lang};
    let kind = state
        .mailer
        .kind("auth.invite")
        .ok_or("no auth.invite mail")?;
    let default = kind
        .defaults
        .iter()
        .find(|d| d.lang == Lang::Nl && d.form == AddressForm::Informal)
        .ok_or("no informal Dutch invitation")?;
    let line = "Heb je vragen? Neem dan contact op met de contactpersoon van je organisatie of met HCI Customer Support.";
    let text = TemplateText {
        subject: default.subject.to_string(),
        html: default
            .html
            .replace("<p>Groeten,", &format!("<p>{line}</p>\n<p>Groeten,")),
        text: default
            .text
            .replace("Groeten,\n", &format!("{line}\n\nGroeten,\n")),
    };
    store::save(
        &state.db,
        scope,
        kind,
        Lang::Nl,
        AddressForm::Informal,
        &text,
    )
    .await
    .map_err(|e| format!("the invitation was refused: {e:?}"))?;
    Ok(())
}

/// Creates or refreshes the practice; returns what to print as JSON.
///
/// # Errors
/// When the database refuses a change or a module's demo data fails.
pub async fn setup(portal: &Portal) -> Result<serde_json::Value, Error> {
    let state = portal.state();
    let db = &state.db;
    let registry = &state.registry;
    let contact = TenantPatch {
        support_email: Some("support@hci-demo.example".into()),
        phone: Some("+31 30 123 4567".into()),
        mail_from_name: Some("HCI Customer Support".into()),
        // Seed 001: HCI speaks informally ("je").
        address_form: Some(portal::tenant::AddressForm::Informal),
        ..TenantPatch::default()
    };
    let (scope, created) = demo::tenant(state, CODE, "HCI Klantportaal (demo)", &contact).await?;
    if created {
        demo::branding(
            state,
            scope,
            ["#7a1f5c", "#ffffff", "#f6eaf2", "#3d0f2e"],
            LOGO,
        )
        .await?;
        invitation_line(state, scope).await?;
    }
    repo::set_setting(db, scope, registry, "auth", "login_mode", Some("email")).await?;
    // Seed 001's navigation: Klantportaal · Mijn organisatie ·
    // Facturen/Abonnement (one tab) · Support; the home lists what waits.
    repo::set_setting(
        db,
        scope,
        registry,
        "portal",
        "nav",
        Some("home = Klantportaal | Customer portal; organisation; invoices+subscriptions = Facturen/Abonnement | Invoices/Subscription; tickets = Support"),
    )
    .await?;
    // Seed 001's modules only (a build with more modules leaves them off here).
    for name in ["invoices", "subscriptions", "tickets"] {
        if state.registry.get(name).is_some() {
            repo::set_module_enabled(&state.db, scope, &state.registry, name, true).await?;
        }
    }
    if registry.names().contains(&"subscriptions") {
        // Seed 001: the admin asks for a change in the portal.
        repo::set_setting(
            db,
            scope,
            registry,
            "subscriptions",
            "change_requests",
            Some("true"),
        )
        .await?;
    }
    let practice = CustomerRow {
        external_id: PRACTICE.into(),
        number: "5001".into(),
        name: "Praktijk De Linde".into(),
        email: "administratie@praktijk-delinde.example".into(),
        phone: "+31 30 555 0101".into(),
        payment_method: "Automatische incasso".into(),
        invoice_address: "Lindelaan 8\n3581 AB Utrecht".into(),
        active: true,
        locations: Some(vec![LocationRow {
            external_id: format!("{PRACTICE}-1"),
            name: "Praktijk De Linde".into(),
            address: "Lindelaan 8\n3581 AB Utrecht".into(),
            active: true,
        }]),
        ..CustomerRow::default()
    };
    let report = upsert_customers(db, scope, std::slice::from_ref(&practice)).await?;
    if report.counts.invalid > 0 {
        return Err(format!("the demo practice was refused: {:?}", report.rows).into());
    }
    let rows: Vec<AccountRow> = PEOPLE
        .iter()
        .enumerate()
        .map(|(n, (_, email, roles))| AccountRow {
            external_id: format!("{PRACTICE}-cp{n}"),
            customer_external_id: PRACTICE.into(),
            email: (*email).into(),
            first_name: ["Anna", "Bram", "Carla"][n].into(),
            last_name: "de Linde".into(),
            roles: Some(roles.iter().map(|r| (*r).to_string()).collect()),
            main: n == 0,
            active: true,
            ..AccountRow::default()
        })
        .collect();
    let snapshot = state.cache.get().await?;
    let tenant = snapshot
        .by_id(scope.tenant_id())
        .ok_or("the demo tenant is not in the cache")?;
    let report =
        upsert_accounts(&state.deps(), tenant, &By::operator(), Welcome::None, &rows).await?;
    if report.counts.invalid > 0 {
        return Err(format!("demo contact persons refused: {:?}", report.rows).into());
    }
    let emails: Vec<&str> = PEOPLE.iter().map(|p| p.1).collect();
    demo::passwords(state, scope, PRACTICE, &emails, PASSWORD).await?;
    demo::module_data(state, scope, &[PRACTICE.to_string()]).await?;
    let token = repo::create_api_token(db, scope, "demo", "*").await?;
    let base = format!("http://{CODE}.localhost:{}", demo::port(state));
    for (role, email, name) in STAFF {
        demo::staff_member(state, scope, (email, name), *role, PASSWORD).await?;
    }
    Ok(serde_json::json!({
        "tenant": CODE,
        "url": format!("{base}/"),
        "login_url": format!("{base}/login"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("{base}/mailbox")),
        "api_docs": format!("{base}/api/docs"),
        "api_token": token,
        "logins": PEOPLE.iter().map(|(role, email, _)| serde_json::json!({
            "role": role, "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "staff_url": format!("{base}/staff/login"),
        "staff": STAFF.iter().map(|(role, email, _)| serde_json::json!({
            "role": role.code(), "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
    }))
}
