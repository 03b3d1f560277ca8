//! The demo tenant: branding, a page message, a login per login mode,
//! customers for the modules' demo data, a staff member and an API token.
//! `portal demo` prints what [`setup`] returns; the facade's browser test
//! drives the same data. The steps every example demo shares ([`tenant`],
//! [`enable_modules`], [`module_data`], [`port`]) are public, so an
//! example's own demo (e.g. `examples/hci/demo.rs`) sets up its tenant the
//! same way.

use anyhow::Context as _;

use crate::app::{AppState, Portal};
use crate::tenant::TenantScope;
use crate::tenant::repo::{self, MessageInput, NewTenant, TenantPatch};
use crate::tenant::{AddressForm, Lang, MessageKind, branding::ColourInput};

const DEMO_CODE: &str = "demo";
const DEMO_LOGO: &[u8] = include_bytes!("../../assets/demo-logo.svg");

/// The demo's password for every demo login (a demo database only).
pub const PASSWORD: &str = "Demo-portaal-2026!";

/// One demo login per login mode.
#[derive(Debug, Clone, Copy)]
struct DemoLogin {
    tenant: &'static str,
    tenant_name: &'static str,
    mode: &'static str,
    settings: &'static [(&'static str, &'static str)],
    customer_number: &'static str,
    customer_name: &'static str,
    email: &'static str,
    username: Option<&'static str>,
}

const DEMO_LOGINS: &[DemoLogin] = &[
    // Seeds 000 and 004: customer number + e-mail; registration on.
    DemoLogin {
        tenant: DEMO_CODE,
        tenant_name: "Demo Energie",
        mode: "customer_number_email",
        settings: &[("registration", "true")],
        customer_number: "100001",
        customer_name: "Familie de Vries",
        email: "klant@demo-energie.example",
        username: None,
    },
    // Seed 002: user name chosen by staff, 8+ with composition rules, 24 h reset links.
    DemoLogin {
        tenant: "demo-ongedierte",
        tenant_name: "Demo Ongediertebestrijding",
        mode: "username",
        settings: &[
            ("password_min_length", "8"),
            ("password_composition", "true"),
            ("reset_valid_minutes", "1440"),
            ("staff_set_password", "true"),
        ],
        customer_number: "200001",
        customer_name: "Bakkerij Jansen",
        email: "inkoop@bakkerij-jansen.example",
        username: Some("bakkerij.jansen"),
    },
    DemoLogin {
        tenant: "demo-mail",
        tenant_name: "Demo Hosting",
        mode: "email",
        settings: &[],
        customer_number: "300001",
        customer_name: "Studio Noord",
        email: "info@studio-noord.example",
        username: None,
    },
];

/// The demo tenant `code`: found, or created with `name` (Dutch, formal)
/// and `contact` (only when created: a second run changes nothing).
///
/// # Errors
/// When the database refuses the tenant.
pub async fn tenant(
    state: &AppState,
    code: &str,
    name: &str,
    contact: &TenantPatch,
) -> anyhow::Result<(TenantScope, bool)> {
    if let Some(s) = repo::scope_for_code(&state.db, code).await? {
        return Ok((s, false));
    }
    let new = NewTenant {
        code: code.into(),
        name: name.into(),
        default_language: Lang::Nl,
        address_form: AddressForm::Formal,
    };
    let s = repo::create(&state.db, &new).await?;
    repo::update(&state.db, s, contact, state.renderer.themes()).await?;
    Ok((s, true))
}

/// The tenant's colours (primary, its text, secondary, its text) and an
/// SVG logo.
///
/// # Errors
/// Colours the contrast check refuses, or a storage failure.
pub async fn branding(
    state: &AppState,
    scope: TenantScope,
    [primary, primary_text, secondary, secondary_text]: [&str; 4],
    logo_svg: &[u8],
) -> anyhow::Result<()> {
    let colours = ColourInput {
        primary: Some(primary.into()),
        primary_text: Some(primary_text.into()),
        secondary: Some(secondary.into()),
        secondary_text: Some(secondary_text.into()),
    };
    repo::set_colours(&state.db, scope, &colours, &Default::default())
        .await
        .map_err(|e| anyhow::anyhow!("demo colours refused: {e:?}"))?;
    let key = crate::files::BlobStore::new_key(scope.tenant_id(), "logo", "svg");
    state.blobs.put(&key, logo_svg).await?;
    repo::set_image(&state.db, scope, repo::BrandImage::Logo, Some(&key)).await?;
    Ok(())
}

/// Sets `password` (confirmed) on the accounts of customer
/// `customer_external_id` whose e-mail is one of `emails`.
///
/// # Errors
/// A database or hashing failure.
pub async fn passwords(
    state: &AppState,
    scope: TenantScope,
    customer_external_id: &str,
    emails: &[&str],
    password: &str,
) -> anyhow::Result<()> {
    let db = &state.db;
    let hash = state.hasher.hash(password).await?;
    let customers = crate::access::sync_rows::customers_by_external_id(
        db,
        scope,
        &[customer_external_id.to_string()],
    )
    .await?;
    let Some(customer) = customers.get(customer_external_id).copied() else {
        anyhow::bail!("no demo customer {customer_external_id}");
    };
    let mut tx = db.begin().await?;
    for a in crate::auth::accounts::list(db, scope, Some(customer)).await? {
        if emails.contains(&a.email.as_str()) {
            let fields = vec![
                ("password_hash", hash.clone().into()),
                ("confirmed", true.into()),
            ];
            crate::auth::accounts::update(&mut tx, scope, a.id, fields).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Turns every compiled-in module on for the tenant (in dependency order;
/// twice changes nothing).
///
/// # Errors
/// A database failure.
pub async fn enable_modules(state: &AppState, scope: TenantScope) -> anyhow::Result<()> {
    for name in state.registry.names() {
        repo::set_module_enabled(&state.db, scope, &state.registry, name, true).await?;
    }
    Ok(())
}

/// Every module's demo data for the tenant's `customers` (external ids;
/// the printed login belongs to the first).
///
/// # Errors
/// The first module whose demo data fails, named.
pub async fn module_data(
    state: &AppState,
    scope: TenantScope,
    customers: &[String],
) -> anyhow::Result<()> {
    let snapshot = state.cache.get().await?;
    let tenant = snapshot
        .by_id(scope.tenant_id())
        .context("the demo tenant is not in the cache")?;
    let cx = crate::module::DemoCx::new(state.deps(), &state.registry, tenant, customers);
    for m in state.registry.iter() {
        m.demo(&cx)
            .await
            .map_err(|e| anyhow::anyhow!("demo data of module {}: {e}", m.name()))?;
    }
    Ok(())
}

/// A demo staff member (`email`, `name`) with `role` and `password`, made
/// once: a second run leaves them as they are.
///
/// # Errors
/// A database failure or a malformed address.
pub async fn staff_member(
    state: &AppState,
    scope: TenantScope,
    (email, name): (&str, &str),
    role: crate::staff::StaffRole,
    password: &str,
) -> anyhow::Result<()> {
    let db = &state.db;
    if crate::staff::members::by_email(db, scope, email)
        .await?
        .is_none()
    {
        let hash = state.hasher.hash(password).await?;
        crate::staff::members::create(db, scope, email, name, role, &hash).await?;
    }
    Ok(())
}

/// The port the portal serves on, for the printed addresses.
pub fn port(state: &AppState) -> String {
    state
        .config
        .bind
        .rsplit(':')
        .next()
        .unwrap_or("8080")
        .to_string()
}

/// The demo tenant's customers as the back-office would sync them.
fn demo_customer_rows() -> Vec<crate::access::sync::CustomerRow> {
    use crate::access::sync::{CustomerRow, LocationRow};
    let customer = |n: &str, name: &str, parent: Option<&str>, street: &str| CustomerRow {
        external_id: format!("demo-{n}"),
        number: n.into(),
        name: name.into(),
        parent_external_id: parent.map(str::to_string),
        email: format!("administratie-{n}@demo-klant.example"),
        phone: "+31 20 555 0100".into(),
        payment_method: "Automatische incasso".into(),
        invoice_address: format!("{street}\n1012 AB Amsterdam"),
        correspondence_address: String::new(),
        active: true,
        locations: Some(vec![LocationRow {
            external_id: format!("demo-{n}-1"),
            name: "Hoofdvestiging".into(),
            address: format!("{street}\n1012 AB Amsterdam"),
            active: true,
        }]),
    };
    vec![
        customer("100001", "Familie de Vries", None, "Prinsengracht 12"),
        customer(
            "100002",
            "Familie de Vries, vakantiehuis",
            Some("demo-100001"),
            "Duinweg 3",
        ),
        customer("100003", "Studio Zuid", None, "Zuidplein 40"),
    ]
}

/// Sets the tenant's login mode and the demo account with [`PASSWORD`].
async fn demo_login(
    portal: &Portal,
    scope: crate::tenant::TenantScope,
    d: DemoLogin,
) -> anyhow::Result<DemoLogin> {
    use crate::auth::accounts::{self, NewAccount};
    let state = portal.state();
    let db = &state.db;
    let auth = crate::auth::settings::COMPONENT;
    repo::set_setting(db, scope, &state.registry, auth, "login_mode", Some(d.mode)).await?;
    for (k, v) in d.settings {
        repo::set_setting(db, scope, &state.registry, auth, k, Some(v)).await?;
    }
    let mut tx = db.begin().await?;
    let customer =
        accounts::upsert_customer(&mut tx, scope, d.customer_number, d.customer_name).await?;
    let existing = accounts::list(db, scope, Some(customer)).await?;
    let hash = state.hasher.hash(PASSWORD).await?;
    match existing.first() {
        Some(a) => {
            accounts::update(
                &mut tx,
                scope,
                a.id,
                vec![("password_hash", hash.into()), ("active", true.into())],
            )
            .await?;
        }
        None => {
            let new = NewAccount {
                customer_id: customer,
                email: d.email.into(),
                username: d.username.map(str::to_string),
                display_name: "Demo Klant".into(),
                lang: None,
                is_main: true,
                active: true,
                confirmed: true,
                password_hash: Some(hash),
                ..Default::default()
            };
            accounts::insert(&mut tx, scope, &new).await?;
        }
    }
    tx.commit().await?;
    Ok(d)
}

/// Creates or refreshes the demo tenant; returns what to print (URLs,
/// logins, the staff login and an API token) as JSON.
///
/// # Errors
/// When the database refuses a change or a module's demo data fails.
pub async fn setup(portal: &Portal) -> anyhow::Result<serde_json::Value> {
    let state = portal.state();
    let db = &state.db;
    let contact = TenantPatch {
        support_email: Some("support@demo-energie.example".into()),
        website: Some("https://www.demo-energie.example".into()),
        phone: Some("+31 20 123 4567".into()),
        ..TenantPatch::default()
    };
    let (scope, created) = tenant(state, DEMO_CODE, "Demo Energie", &contact).await?;
    if created {
        branding(
            state,
            scope,
            ["#0b6e4f", "#ffffff", "#e6f4ee", "#10231c"],
            DEMO_LOGO,
        )
        .await?;
        let message = MessageInput {
            page: "*".into(),
            kind: MessageKind::Warning,
            html: "<h3>Gepland onderhoud</h3><p>Op <strong>zaterdag</strong> is het klantportaal tussen 08:00 en 10:00 \
                   <u>niet bereikbaar</u>. <a href=\"https://www.demo-energie.example/onderhoud\">Meer informatie</a></p>"
                .into(),
            html_en: "<h3>Planned maintenance</h3><p>On <strong>Saturday</strong> the customer portal is                       <u>not available</u> from 08:00 to 10:00. <a href=\"https://www.demo-energie.example/onderhoud\">More information</a></p>"
                .into(),
            starts_at: None,
            ends_at: None,
        };
        repo::add_message(db, scope, &message).await?;
        // A mail in the development mailbox, to show where mail goes.
        let snapshot = state.cache.get().await?;
        if let Some(tenant) = snapshot.by_code(DEMO_CODE) {
            let to = crate::mail::Recipient {
                address: "klant@demo-energie.example".into(),
                name: "Demo Klant".into(),
                lang: None,
                form: None,
            };
            let mut tx = db.begin().await?;
            state
                .mailer
                .enqueue(
                    &mut tx,
                    tenant,
                    "core.test",
                    &to,
                    &crate::mail::MailValues::new(),
                )
                .await?;
            tx.commit().await?;
        }
    }
    enable_modules(state, scope).await?;
    let mut logins = vec![demo_login(portal, scope, DEMO_LOGINS[0]).await?];
    for d in &DEMO_LOGINS[1..] {
        let (s, _) = tenant(state, d.tenant, d.tenant_name, &TenantPatch::default()).await?;
        logins.push(demo_login(portal, s, *d).await?);
    }
    // Several customers for the modules' demo data, by external id: the
    // login's own (adopted by its number), a child of it, and another.
    let demo_customers = demo_customer_rows();
    let report = crate::access::sync::upsert_customers(db, scope, &demo_customers).await?;
    anyhow::ensure!(
        report.counts.invalid == 0,
        "demo customers refused: {:?}",
        report
            .rows
            .iter()
            .flat_map(|r| r.errors.clone())
            .collect::<Vec<_>>()
    );
    let ids: Vec<String> = demo_customers
        .iter()
        .map(|c| c.external_id.clone())
        .collect();
    module_data(state, scope, &ids).await?;
    let token = repo::create_api_token(db, scope, "demo", "*").await?;
    let staff_email = "medewerker@demo-energie.example";
    staff_member(
        state,
        scope,
        (staff_email, "Demo Medewerker"),
        crate::staff::StaffRole::Admin,
        PASSWORD,
    )
    .await?;
    let port = port(state);
    Ok(serde_json::json!({
        "tenant": DEMO_CODE,
        "url": format!("http://{DEMO_CODE}.localhost:{port}/"),
        "shared_url": format!("http://127.0.0.1:{port}/{DEMO_CODE}/"),
        "api_docs": format!("http://{DEMO_CODE}.localhost:{port}/api/docs"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("http://{DEMO_CODE}.localhost:{port}/mailbox")),
        "api_token": token,
        "staff": {
            "url": format!("http://{DEMO_CODE}.localhost:{port}/staff/login"),
            "email": staff_email,
            "password": PASSWORD,
        },
        "logins": logins.iter().map(|l| serde_json::json!({
            "tenant": l.tenant,
            "login_mode": l.mode,
            "url": format!("http://{}.localhost:{port}/login", l.tenant),
            "customer_number": l.customer_number,
            "login": l.username.unwrap_or(l.email),
            "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "modules": state.registry.names(),
    }))
}
