//! The Plaagvrij demo pest-control company (seed 002): tenant `plaagvrij`
//! with seed 002's login (a user name chosen by the company, passwords of
//! at least 8 characters with a capital, a digit and a symbol, reset
//! links valid 24 hours, passwords set by staff and by the main account
//! for its extra accounts), the logbook as
//! the home of the portal, and its customers:
//! - food factory "Voedselfabriek De Molen" with three locations, its
//!   main account, a read-only extra account (all three locations, for
//!   the audit) and an extra account writing on the warehouse only;
//! - bakery chain "Bakkerij Van Vliet" as a parent account ("domein
//!   contractant") with two branches, each with a location; the parent's
//!   main account sees both.
//!
//! The logbook module's demo fills every location with a year of visits,
//! recommendations, messages both ways and documents. Shared by the
//! example's `demo` command and the facade's browser test; a second run
//! changes nothing.

use portal::Portal;
use portal::access::people::{Rights, replace_rights};
use portal::access::sync::{CustomerRow, LocationRow, upsert_customers};
use portal::access::sync_accounts::{AccountRow, upsert_accounts};
use portal::auth::activity::By;
use portal::auth::flows::staff::Welcome;
use portal::cli::demo;
use portal::sea_query::{Expr, ExprTrait};
use portal::tenant::repo::{self, TenantPatch};

pub const CODE: &str = "plaagvrij";
/// The demo's password for every demo login (a demo database only); it
/// meets seed 002's policy.
pub const PASSWORD: &str = "Demo-logboek-2026!";

/// (external id, number, name, parent, locations as (external id, name, address))
type DemoCustomer = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str, &'static str)],
);

pub const CUSTOMERS: &[DemoCustomer] = &[
    (
        "ps-molen",
        "70001",
        "Voedselfabriek De Molen B.V.",
        None,
        &[
            ("ps-molen-prod", "Productiehal", "Molenweg 4\n5911 AA Venlo"),
            ("ps-molen-mag", "Magazijn", "Molenweg 6\n5911 AA Venlo"),
            ("ps-molen-exp", "Expeditie", "Molenweg 8\n5911 AA Venlo"),
        ],
    ),
    (
        "ps-vliet",
        "70100",
        "Bakkerij Van Vliet Hoofdaccount",
        None,
        &[],
    ),
    (
        "ps-vliet-centrum",
        "70101",
        "Bakkerij Van Vliet Centrum",
        Some("ps-vliet"),
        &[(
            "ps-vliet-centrum-1",
            "Bakkerij Centrum",
            "Markt 12\n5911 HJ Venlo",
        )],
    ),
    (
        "ps-vliet-noord",
        "70102",
        "Bakkerij Van Vliet Noord",
        Some("ps-vliet"),
        &[(
            "ps-vliet-noord-1",
            "Bakkerij Noord",
            "Noorderpoort 3\n5916 PJ Venlo",
        )],
    ),
];

/// (role label, customer, user name, e-mail, main, granted locations as (external id, write))
type DemoLogin = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, bool)],
);

pub const LOGINS: &[DemoLogin] = &[
    (
        "Hoofdaccount De Molen",
        "ps-molen",
        "demolen",
        "kwaliteit@demolen.example",
        true,
        &[],
    ),
    (
        "Extra, alleen lezen",
        "ps-molen",
        "demolen.audit",
        "audit@demolen.example",
        false,
        &[
            ("ps-molen-prod", false),
            ("ps-molen-mag", false),
            ("ps-molen-exp", false),
        ],
    ),
    (
        "Extra, schrijft Magazijn",
        "ps-molen",
        "demolen.magazijn",
        "magazijn@demolen.example",
        false,
        &[("ps-molen-mag", true)],
    ),
    (
        "Hoofdaccount Van Vliet",
        "ps-vliet",
        "vanvliet",
        "inkoop@bakkerijvanvliet.example",
        true,
        &[],
    ),
];

/// The company's staff: (role, e-mail, name).
pub const STAFF: &[(portal::staff::StaffRole, &str, &str)] = &[
    (
        portal::staff::StaffRole::Admin,
        "beheer@plaagvrij.example",
        "Beheer Plaagvrij",
    ),
    (
        portal::staff::StaffRole::Support,
        "binnendienst@plaagvrij.example",
        "Binnendienst Plaagvrij",
    ),
];

const LOGO: &[u8] = include_bytes!("logo.svg");

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Creates or refreshes the company's tenant; returns what to print as JSON.
///
/// # Errors
/// When the database refuses a change or the module's demo data fails.
pub async fn setup(portal: &Portal) -> Result<serde_json::Value, Error> {
    let state = portal.state();
    let db = &state.db;
    let registry = &state.registry;
    let contact = TenantPatch {
        support_email: Some("binnendienst@plaagvrij.example".into()),
        website: Some("https://www.plaagvrij.example".into()),
        phone: Some("+31 77 321 0000".into()),
        mail_from_name: Some("Plaagvrij".into()),
        ..TenantPatch::default()
    };
    let (scope, created) = demo::tenant(state, CODE, "Plaagvrij", &contact).await?;
    if created {
        demo::branding(
            state,
            scope,
            ["#1d5c3a", "#ffffff", "#e6f2ea", "#123d26"],
            LOGO,
        )
        .await?;
    }
    let set = |component: &'static str, key: &'static str, value: &'static str| {
        repo::set_setting(db, scope, registry, component, key, Some(value))
    };
    // Seed 002: a user name chosen by the company, its password policy,
    // reset links valid 24 hours, passwords the company may set itself.
    set("auth", "login_mode", "username").await?;
    set("auth", "registration", "false").await?;
    set("auth", "password_min_length", "8").await?;
    set("auth", "password_composition", "true").await?;
    set("auth", "reset_valid_minutes", "1440").await?;
    set("auth", "staff_set_password", "true").await?;
    // Seed 002: a main account sets its extra accounts' passwords by hand.
    set("auth", "customer_set_password", "true").await?;
    // The word for the user name (the seed also says "inlognaam").
    set("auth", "username_label", "Aanmeldnaam | Login name").await?;
    for key in ["edit_organisation", "edit_correspondence"] {
        set("portal", key, "nobody").await?;
    }
    set(
        "portal",
        "nav",
        "logbook = Logboek | Logbook; organisation = Mijn gegevens | My details",
    )
    .await?;
    if registry.get("logbook").is_some() {
        repo::set_module_enabled(db, scope, registry, "logbook", true).await?;
    }
    let rows: Vec<CustomerRow> = CUSTOMERS
        .iter()
        .map(|(ext, number, name, parent, locations)| CustomerRow {
            external_id: (*ext).into(),
            number: (*number).into(),
            name: (*name).into(),
            parent_external_id: parent.map(str::to_string),
            email: format!("administratie-{number}@klant.example"),
            invoice_address: locations
                .first()
                .map_or_else(|| "Postbus 100\n5900 AC Venlo".into(), |l| l.2.to_string()),
            active: true,
            locations: Some(
                locations
                    .iter()
                    .map(|(e, n, a)| LocationRow {
                        external_id: (*e).into(),
                        name: (*n).into(),
                        address: (*a).into(),
                        active: true,
                    })
                    .collect(),
            ),
            ..CustomerRow::default()
        })
        .collect();
    upsert_customers(db, scope, &rows)
        .await?
        .all_stored("customer")?;
    let accounts: Vec<AccountRow> = LOGINS
        .iter()
        .map(|(_, customer, username, email, main, _)| AccountRow {
            external_id: format!("{username}-login"),
            customer_external_id: (*customer).into(),
            email: (*email).into(),
            username: Some((*username).into()),
            first_name: "Demo".into(),
            last_name: (*username).into(),
            roles: Some(vec![if *main { "admin" } else { "employee" }.into()]),
            main: *main,
            active: true,
            ..AccountRow::default()
        })
        .collect();
    let snapshot = state.cache.get().await?;
    let tenant = snapshot
        .by_id(scope.tenant_id())
        .ok_or("the demo tenant is not in the cache")?;
    upsert_accounts(
        &state.deps(),
        tenant,
        &By::operator(),
        Welcome::None,
        &accounts,
    )
    .await?
    .all_stored("account")?;
    for (_, customer, _, email, _, _) in LOGINS {
        demo::passwords(state, scope, customer, &[email], PASSWORD).await?;
    }
    grant_locations(state, tenant).await?;
    let externals: Vec<String> = CUSTOMERS.iter().map(|c| c.0.to_string()).collect();
    demo::module_data(state, scope, &externals).await?;
    for (role, email, name) in STAFF {
        demo::staff_member(state, scope, (email, name), *role, PASSWORD).await?;
    }
    let token = repo::create_api_token(db, scope, "demo", "*").await?;
    let port = demo::port(state);
    let base = format!("http://{CODE}.localhost:{port}");
    Ok(serde_json::json!({
        "tenant": CODE,
        "url": format!("{base}/"),
        "login_url": format!("{base}/login"),
        "company_link": format!("http://localhost:{port}/login?{CODE}"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("{base}/mailbox")),
        "api_docs": format!("{base}/api/docs"),
        "api_token": token,
        "logins": LOGINS.iter().map(|(role, _, username, email, _, _)| serde_json::json!({
            "role": role, "username": username, "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "staff_url": format!("{base}/staff/login"),
        "staff": STAFF.iter().map(|(role, email, _)| serde_json::json!({
            "role": role.code(), "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
    }))
}

/// The extra accounts' rights per location (seed 002: "Rechten instellen").
async fn grant_locations(
    state: &portal::AppState,
    tenant: &portal::tenant::Tenant,
) -> Result<(), Error> {
    let db = &state.db;
    let scope = tenant.scope();
    for (_, customer, username, _, _, grants) in LOGINS {
        if grants.is_empty() {
            continue;
        }
        let account = portal::auth::accounts::list(db, scope, None)
            .await?
            .into_iter()
            .find(|a| a.username.as_deref() == Some(*username))
            .ok_or("a demo account is missing")?;
        let mut rights = Rights::default();
        for (loc, write) in *grants {
            let (id,): (i64,) = db
                .fetch_optional(
                    &scope
                        .select("core_locations")
                        .column("id")
                        .and_where(Expr::col("external_id").eq(*loc))
                        .to_owned(),
                )
                .await?
                .ok_or("a demo location is missing")?;
            rights.locations.insert(id, *write);
        }
        let customers =
            portal::access::sync_rows::customers_by_external_id(db, scope, &[customer.to_string()])
                .await?;
        let customer_id = *customers
            .get(*customer)
            .ok_or("a demo customer is missing")?;
        let mut tx = db.begin().await?;
        replace_rights(
            &mut tx,
            tenant,
            &By::operator(),
            &account,
            &rights,
            (&[customer_id], customer_id),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
