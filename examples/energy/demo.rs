//! The Warmtenet Oost demo heat-network supplier (seed 004): tenant
//! `warmte`, customer number + e-mail login with registration, its logo,
//! favicon and colours, page messages on the consumption and invoices
//! pages, and two customers:
//! - household "Familie de Boer" (customer 50001): heat and warm tap
//!   water, three years of daily readings;
//! - housing corporation "Woonstichting De Linde" (50002): 40 locations,
//!   each with heat and tap water (three years) and cooling and
//!   electricity (the last year).
//!
//! Shared by the example's `demo` command and the facade's browser test;
//! a second run changes nothing.

use chrono::{Days, Utc};
use portal::Portal;
use portal::access::sync::{CustomerRow, LocationRow, upsert_customers};
use portal::access::sync_accounts::{AccountRow, upsert_accounts};
use portal::auth::activity::By;
use portal::auth::flows::staff::Welcome;
use portal::cli::demo;
use portal::tenant::messages::MessageKind;
use portal::tenant::repo::{self, MessageInput, TenantPatch};
use portal_consumption::sync::{ChannelRow, MeterRow, ServiceRow};

pub const CODE: &str = "warmte";
/// The demo's password for every demo login (a demo database only).
pub const PASSWORD: &str = "Demo-warmte-2026!";
/// The supplier's terms, linked from the move-in's summary.
pub const TERMS_URL: &str = "https://www.warmtenet-oost.example/voorwaarden";
/// A vacant dwelling on the household's network, open to a move-in.
pub const VACANT: (&str, i64) = ("7511 AB", 14);
/// Locations of the housing corporation.
pub const CORPORATION_LOCATIONS: usize = 40;

/// (external id, customer number, name, login e-mail)
pub const CUSTOMERS: &[(&str, &str, &str, &str)] = &[
    ("wo-boer", "50001", "Familie de Boer", "deboer@example.nl"),
    (
        "wo-linde",
        "50002",
        "Woonstichting De Linde",
        "beheer@delinde.example",
    ),
];

const LOGO: &[u8] = include_bytes!("logo.svg");

type Error = Box<dyn std::error::Error + Send + Sync>;

fn locations(ext: &str) -> Vec<LocationRow> {
    if ext == "wo-boer" {
        return vec![LocationRow {
            external_id: "wo-boer-1".into(),
            name: "Kastanjelaan 12".into(),
            address: "Kastanjelaan 12\n7511 AB Enschede".into(),
            active: true,
        }];
    }
    (1..=CORPORATION_LOCATIONS)
        .map(|i| LocationRow {
            external_id: format!("wo-linde-{i}"),
            name: format!("Lindehof {i}"),
            address: format!("Lindehof {i}\n7512 CD Enschede"),
            active: true,
        })
        .collect()
}

/// Creates or refreshes the supplier's tenant; returns what to print as JSON.
///
/// # Errors
/// When the database refuses a change or a module's demo data fails.
pub async fn setup(portal: &Portal) -> Result<serde_json::Value, Error> {
    let state = portal.state();
    let db = &state.db;
    let registry = &state.registry;
    let contact = TenantPatch {
        support_email: Some("klantenservice@warmtenet-oost.example".into()),
        website: Some("https://www.warmtenet-oost.example".into()),
        phone: Some("+31 53 200 3000".into()),
        mail_from_name: Some("Warmtenet Oost".into()),
        ..TenantPatch::default()
    };
    let (scope, created) = demo::tenant(state, CODE, "Warmtenet Oost", &contact).await?;
    if created {
        demo::branding(
            state,
            scope,
            ["#9c3a0b", "#ffffff", "#fbeee6", "#5c2206"],
            LOGO,
        )
        .await?;
        let key = portal::files::BlobStore::new_key(scope.tenant_id(), "favicon", "svg");
        state.blobs.put(&key, LOGO).await?;
        repo::set_image(db, scope, repo::BrandImage::Favicon, Some(&key)).await?;
        for (page, kind, nl, en) in [
            (
                "/consumption",
                MessageKind::Neutral,
                "<p>Uw verbruik wordt elke nacht bijgewerkt met de standen van uw slimme meter.</p>",
                "<p>Your consumption is updated every night from your smart meter's readings.</p>",
            ),
            (
                "/invoices",
                MessageKind::Warning,
                "<p>Betaalt u per overschrijving? Vermeld dan altijd het factuurnummer.</p>",
                "<p>Paying by bank transfer? Always mention the invoice number.</p>",
            ),
        ] {
            repo::add_message(
                db,
                scope,
                &MessageInput {
                    page: page.into(),
                    kind,
                    html: nl.into(),
                    html_en: en.into(),
                    starts_at: None,
                    ends_at: None,
                },
            )
            .await?;
        }
    }
    let set = |component: &'static str, key: &'static str, value: &'static str| {
        repo::set_setting(db, scope, registry, component, key, Some(value))
    };
    set("auth", "login_mode", "customer_number_email").await?;
    set("auth", "registration", "true").await?;
    // Seed 004: customers may change their advance, 80 % to 150 % of the original.
    set("advances", "enabled", "true").await?;
    for name in ["invoices", "consumption", "advances", "moves"] {
        repo::set_module_enabled(db, scope, registry, name, true).await?;
    }
    set("moves", "terms_url", TERMS_URL).await?;
    let rows: Vec<CustomerRow> = CUSTOMERS
        .iter()
        .map(|(ext, number, name, email)| CustomerRow {
            external_id: (*ext).into(),
            number: (*number).into(),
            name: (*name).into(),
            email: (*email).into(),
            payment_method: "Automatische incasso".into(),
            invoice_address: locations(ext)[0].address.clone(),
            active: true,
            locations: Some(locations(ext)),
            ..CustomerRow::default()
        })
        .collect();
    upsert_customers(db, scope, &rows)
        .await?
        .all_stored("customer")?;
    let accounts: Vec<AccountRow> = CUSTOMERS
        .iter()
        .map(|(ext, _, _, email)| AccountRow {
            external_id: format!("{ext}-login"),
            customer_external_id: (*ext).into(),
            email: (*email).into(),
            first_name: "Demo".into(),
            last_name: "Klant".into(),
            main: true,
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
    for (ext, _, _, email) in CUSTOMERS {
        demo::passwords(state, scope, ext, &[email], PASSWORD).await?;
    }
    let externals: Vec<String> = CUSTOMERS.iter().map(|c| c.0.to_string()).collect();
    // Heat and tap water for every location (the consumption module's demo), invoices.
    demo::module_data(state, scope, &externals).await?;
    energy_invoices(state, scope, &externals).await?;
    advances(state, scope).await?;
    corporation_extras(state, tenant).await?;
    move_in(state, tenant).await?;
    demo::staff_member(
        state,
        scope,
        ("klantenservice@warmtenet-oost.example", "Klantenservice"),
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
        "logins": CUSTOMERS.iter().map(|(_, number, name, email)| serde_json::json!({
            "role": name, "customer_number": number, "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "staff_url": format!("{base}/staff/login"),
        "staff": [{"role": "admin", "email": "klantenservice@warmtenet-oost.example", "password": PASSWORD}],
        "move_in": {"url": format!("{base}/moves/in"), "postcode": VACANT.0, "house_numbers": "14, 16, 18, 20"},
    }))
}

/// The invoices module's demo invoices as a heat supplier writes them:
/// advance invoices per contract (the corporation has two contracts,
/// heat and cooling), the credit with seed 004's refund notice kept.
async fn energy_invoices(
    state: &portal::AppState,
    scope: portal::tenant::TenantScope,
    customers: &[String],
) -> Result<(), Error> {
    let today = Utc::now().date_naive();
    let mut rows = portal_invoices::demo::rows(customers, today);
    for (i, r) in rows.iter_mut().enumerate() {
        let cooling = r.customer_external_id == "wo-linde" && i % 2 == 1;
        r.contract = match (r.customer_external_id.as_str(), cooling) {
            ("wo-boer", _) => "WN-2023-0417".into(),
            (_, false) => "WN-2021-0090".into(),
            (_, true) => "KN-2024-0012".into(),
        };
        if let Some(line) = r.lines.first_mut()
            && line.total_cents > 0
        {
            let what = if cooling {
                "Voorschot koeling"
            } else {
                "Voorschot warmte en warm tapwater"
            };
            line.description = format!("{what}, {}", r.issued_on.format("%m-%Y"));
        }
    }
    portal_invoices::sync::upsert(&state.db, scope, &rows)
        .await?
        .all_stored("invoice")?;
    Ok(())
}

/// The advance per contract, as the back-office sends it.
async fn advances(
    state: &portal::AppState,
    scope: portal::tenant::TenantScope,
) -> Result<(), Error> {
    let row = |ext: &str, customer: &str, number: &str, description: &str, cents: i64| {
        portal_advances::api::ContractRow {
            external_id: ext.into(),
            customer_external_id: customer.into(),
            contract_number: number.into(),
            description: description.into(),
            frequency: "monthly".into(),
            currency: "EUR".into(),
            amount_cents: cents,
        }
    };
    portal_advances::api::upsert(
        &state.db,
        scope,
        &[
            row(
                "WN-2023-0417",
                "wo-boer",
                "WN-2023-0417",
                "Warmte en warm tapwater, Kastanjelaan 12",
                12_500,
            ),
            row(
                "WN-2021-0090",
                "wo-linde",
                "WN-2021-0090",
                "Warmte Lindehof",
                480_000,
            ),
            row(
                "KN-2024-0012",
                "wo-linde",
                "KN-2024-0012",
                "Koeling Lindehof",
                95_000,
            ),
        ],
    )
    .await?
    .all_stored("advance")?;
    Ok(())
}

/// The move-in (seed 004): the dwellings on the household's street as the
/// back-office knows them (12 is the household's own and not open; 14 to
/// 20 are vacant, with their meters and last readings), and one pending
/// move-in for staff's list, once.
async fn move_in(state: &portal::AppState, tenant: &portal::tenant::Tenant) -> Result<(), Error> {
    use portal_moves::address::{AddressRow, Meter, Register};
    let db = &state.db;
    let scope = tenant.scope();
    let read_on = portal::web::format::local(Utc::now()).date() - Days::new(20);
    let rows: Vec<AddressRow> = (12..=20)
        .step_by(2)
        .map(|n: i64| AddressRow {
            external_id: format!("adres-kastanjelaan-{n}"),
            postcode: VACANT.0.into(),
            house_number: n,
            addition: String::new(),
            street: "Kastanjelaan".into(),
            city: "Enschede".into(),
            products: vec!["Warmte".into(), "Warm tapwater".into()],
            meters: vec![
                Meter {
                    number: format!("WM-2{n:04}"),
                    registers: vec![Register {
                        code: "heat".into(),
                        label: "Warmte".into(),
                        unit: "GJ".into(),
                        last_reading: Some(80.0 + n as f64 * 1.5),
                        last_read_on: Some(read_on),
                    }],
                },
                Meter {
                    number: format!("TW-3{n:04}"),
                    registers: vec![Register {
                        code: "water".into(),
                        label: "Warm tapwater".into(),
                        unit: "m³".into(),
                        last_reading: Some(30.0 + n as f64),
                        last_read_on: Some(read_on),
                    }],
                },
            ],
            advance_cents: Some(9_500),
            open: n != 12,
        })
        .collect();
    let report = portal_moves::address::upsert(db, scope, &rows).await?;
    if let Some(bad) = report.iter().find(|r| r.status != "saved") {
        return Err(format!("address {}: {:?}", bad.external_id, bad.errors).into());
    }
    if !portal_moves::move_in::list(db, scope, false)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let address = portal_moves::address::find(db, scope, "7511AB", 20, "")
        .await?
        .ok_or("the demo address is missing")?;
    let moving_on = portal::web::format::local(Utc::now()).date() + Days::new(10);
    let data = portal_moves::draft::DraftData {
        postcode: VACANT.0.into(),
        house_number: "20".into(),
        address_id: Some(address.id),
        moving_on: moving_on.to_string(),
        readings: [
            ("WM-20020|heat".to_string(), "111,2".to_string()),
            ("TW-30020|water".to_string(), "52".to_string()),
        ]
        .into(),
        customer_kind: "person".into(),
        name: "Sanne Bakker".into(),
        email: "sanne.bakker@example.nl".into(),
        correspondence: "same".into(),
        payment: "direct_debit".into(),
        iban: "NL02ABNA0123456789".into(),
        account_holder: "S. Bakker".into(),
        mandate: true,
        terms: true,
        ..Default::default()
    };
    let draft = portal_moves::draft::Draft {
        id: 0,
        step: portal_moves::wizard::STEPS,
        data,
        document_key: None,
        document_name: String::new(),
        document_type: String::new(),
    };
    let voice = portal_moves::move_in::Voice {
        lang: portal::tenant::Lang::Nl,
        form: portal::tenant::AddressForm::Formal,
    };
    portal_moves::move_in::complete(&state.deps(), tenant, &draft, &address, moving_on, voice)
        .await?;
    Ok(())
}

/// Cooling and electricity for the corporation's locations: a year of
/// daily readings each, once.
async fn corporation_extras(
    state: &portal::AppState,
    tenant: &portal::tenant::Tenant,
) -> Result<(), Error> {
    let db = &state.db;
    let scope = tenant.scope();
    let services: Vec<ServiceRow> = (1..=CORPORATION_LOCATIONS)
        .flat_map(|i| {
            [("cooling", "GJ", 4.0), ("electricity", "kWh", 3500.0)].map(|(kind, unit, est)| {
                ServiceRow {
                    external_id: format!("wo-linde-{i}-{kind}"),
                    location_external_id: format!("wo-linde-{i}"),
                    kind: kind.into(),
                    status: "supplied".into(),
                    supply_from: None,
                    supply_to: None,
                    contract_number: format!("C-wo-linde-{i}"),
                    estimated_annual: Some(est),
                    unit: unit.into(),
                }
            })
        })
        .collect();
    let report = portal_consumption::sync::services(db, scope, &services).await?;
    report.all_stored("service")?;
    if report.counts.created == 0 {
        return Ok(());
    }
    let meters: Vec<MeterRow> = (1..=CORPORATION_LOCATIONS)
        .map(|i| MeterRow {
            external_id: format!("wo-linde-{i}-E"),
            location_external_id: format!("wo-linde-{i}"),
            number: format!("EM-{:05}", 20_000 + i),
            active: true,
            channels: vec![
                ChannelRow {
                    code: "cool".into(),
                    kind: "cooling".into(),
                    unit: "GJ".into(),
                },
                ChannelRow {
                    code: "1.8.0".into(),
                    kind: "electricity".into(),
                    unit: "kWh".into(),
                },
            ],
        })
        .collect();
    portal_consumption::sync::meters(db, scope, &meters)
        .await?
        .all_stored("meter")?;
    let today = Utc::now().date_naive();
    let start = today.checked_sub_days(Days::new(365)).unwrap_or(today);
    let mut rows = Vec::new();
    for i in 1..=CORPORATION_LOCATIONS {
        let meter = format!("wo-linde-{i}-E");
        rows.extend(portal_consumption::demo::readings(
            &meter, "cool", "cooling", i, start, today,
        ));
        rows.extend(portal_consumption::demo::readings(
            &meter,
            "1.8.0",
            "electricity",
            i,
            start,
            today,
        ));
    }
    for chunk in rows.chunks(portal_consumption::sync::MAX_ROWS) {
        portal_consumption::sync::readings(db, scope, chunk)
            .await?
            .all_stored("reading")?;
    }
    Ok(())
}
