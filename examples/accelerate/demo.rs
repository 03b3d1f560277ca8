//! The Van Dijk Hypotheekadvies demo office (seed 003): tenant `vandijk`
//! in user-name login mode with seed 003's settings (activation links 48
//! hours, staff never set passwords, informal tone), two advisers, and:
//! - the couple Jan and Els de Vries with one e-mail address between them
//!   (Els has a user name only; her mails go to Jan): a dossier at 40 %
//!   with an approved copy of the ID, an employer's statement received, a
//!   salary slip rejected with a remark and asked again, a questionnaire to
//!   fill in, the service agreement to sign, the mortgage at "waiting for
//!   documents" and an appointment;
//! - Karin Smit with two dossiers under one e-mail address (her address
//!   logs in to the newest; the older one by its user name).
//!
//! Shared by the example's `demo` command and the facade's browser test;
//! a second run changes nothing.

use chrono::Utc;
use portal::Portal;
use portal::access::sync::{CustomerRow, upsert_customers};
use portal::access::sync_accounts::{AccountRow, upsert_accounts};
use portal::auth::activity::By;
use portal::auth::flows::staff::Welcome;
use portal::cli::demo;
use portal::sea_query::{Expr, ExprTrait};
use portal::tenant::AddressForm;
use portal::tenant::repo::{self, TenantPatch};
use portal_dossiers::api::{
    ActionRow, AdviserRow, AppointmentRow, ClientRow, DossierRow, ProductRow,
};
use portal_dossiers::store::{Field, Part};

pub const CODE: &str = "vandijk";
/// The demo's password for every demo login (a demo database only).
pub const PASSWORD: &str = "Demo-advies-2026!";

/// (customer, user name, e-mail, first name, last name)
pub const LOGINS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "vd-devries",
        "jan.devries",
        "jan.devries@example.nl",
        "Jan",
        "de Vries",
    ),
    ("vd-devries", "els.devries", "", "Els", "de Vries"),
    (
        "vd-smit-2024",
        "karin.smit.2024",
        "karin.smit@example.nl",
        "Karin",
        "Smit",
    ),
    (
        "vd-smit",
        "karin.smit",
        "karin.smit@example.nl",
        "Karin",
        "Smit",
    ),
];

/// The office's staff: (role, e-mail, name).
pub const STAFF: &[(portal::staff::StaffRole, &str, &str)] = &[
    (
        portal::staff::StaffRole::Admin,
        "beheer@vandijk-advies.example",
        "Beheer Van Dijk",
    ),
    (
        portal::staff::StaffRole::Support,
        "piet@vandijk-advies.example",
        "Piet van Dijk",
    ),
];

const LOGO: &[u8] = include_bytes!("logo.svg");

type Error = Box<dyn std::error::Error + Send + Sync>;

fn text_pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let mut y = 780.0;
    let mut page = vec![portal::pdf::TextLine {
        x: 50.0,
        y: 800.0,
        size: 16.0,
        bold: true,
        text: title.into(),
    }];
    for l in lines {
        page.push(portal::pdf::TextLine {
            x: 50.0,
            y,
            size: 11.0,
            bold: false,
            text: (*l).into(),
        });
        y -= 16.0;
    }
    portal::pdf::document(title, &[page], None)
}

fn upload(ext: &str, title: &str, months: i64) -> ActionRow {
    ActionRow {
        external_id: ext.into(),
        kind: "upload".into(),
        title: title.into(),
        description: String::new(),
        valid_months: Some(months),
        fields: Vec::new(),
        parts: Vec::new(),
    }
}

fn field(key: &str, label: &str, kind: &str, options: &[&str], required: bool) -> Field {
    Field {
        key: key.into(),
        label: label.into(),
        kind: kind.into(),
        options: options.iter().map(|o| (*o).to_string()).collect(),
        required,
    }
}

/// The knowledge-and-experience questionnaire.
fn questionnaire(ext: &str) -> ActionRow {
    ActionRow {
        external_id: ext.into(),
        kind: "form".into(),
        title: "Kennis en ervaring".into(),
        description: "Zo weten we hoe we je het best kunnen adviseren.".into(),
        valid_months: None,
        fields: vec![
            field(
                "eerder",
                "Heb je eerder een hypotheek gehad?",
                "yes_no",
                &[],
                true,
            ),
            field("inkomen", "Bruto jaarinkomen", "number", &[], true),
            field(
                "risico",
                "Hoeveel risico wil je lopen?",
                "choice",
                &["Weinig", "Gemiddeld", "Veel"],
                true,
            ),
            field("toelichting", "Wil je nog iets kwijt?", "text", &[], false),
        ],
        parts: Vec::new(),
    }
}

/// The service agreement with its SEPA mandate.
fn agreement(ext: &str) -> ActionRow {
    ActionRow {
        external_id: ext.into(),
        kind: "sign".into(),
        title: "Dienstverleningsovereenkomst".into(),
        description: "Lees elk onderdeel en ga ermee akkoord.".into(),
        valid_months: None,
        fields: Vec::new(),
        parts: vec![
            Part {
                title: "Onze dienstverlening".into(),
                text: "Van Dijk Hypotheekadvies adviseert en bemiddelt bij je hypotheek. We werken onafhankelijk en vergelijken geldverstrekkers voor je.".into(),
            },
            Part {
                title: "Algemene voorwaarden".into(),
                text: "Op onze dienstverlening zijn onze algemene voorwaarden van toepassing; je vindt ze bij de belangrijke documenten.".into(),
            },
            Part {
                title: "SEPA-machtiging".into(),
                text: "Je machtigt Van Dijk Hypotheekadvies om de advieskosten eenmalig van je rekening af te schrijven.".into(),
            },
        ],
    }
}

fn dossiers() -> Vec<DossierRow> {
    let client = |position: i64, account: &str, first: &str, last: &str| ClientRow {
        position,
        account_external_id: Some(account.into()),
        first_name: first.into(),
        last_name: last.into(),
    };
    let next_week = Utc::now() + chrono::Duration::days(9);
    vec![
        DossierRow {
            external_id: "vd-d-1001".into(),
            customer_external_id: "vd-devries".into(),
            title: "Hypotheek Kerkstraat 5".into(),
            status: "open".into(),
            closed_on: None,
            adviser_external_id: Some("piet".into()),
            handler_external_id: Some("sanne".into()),
            clients: vec![
                client(1, "jan.devries-login", "Jan", "de Vries"),
                client(2, "els.devries-login", "Els", "de Vries"),
            ],
            products: vec![ProductRow {
                external_id: "vd-p-1001".into(),
                title: "Hypotheek".into(),
                status: "waiting_for_documents".into(),
                explanation: "De geldverstrekker wacht op een recente salarisstrook.".into(),
                visible: true,
            }],
            actions: vec![
                upload("vd-a-id", "Kopie identiteitsbewijs", 120),
                upload("vd-a-wgv", "Werkgeversverklaring", 3),
                upload("vd-a-slip", "Recente salarisstrook", 3),
                questionnaire("vd-a-kenn"),
                agreement("vd-a-dvo"),
            ],
            appointments: vec![AppointmentRow {
                external_id: "vd-m-1001".into(),
                starts_at: next_week,
                place: "Kantoor Deventer, Brink 10".into(),
                items: "Legitimatiebewijs\nLaatste jaaropgave\nOverzicht van je spaargeld".into(),
            }],
        },
        DossierRow {
            external_id: "vd-d-0900".into(),
            customer_external_id: "vd-smit-2024".into(),
            title: "Hypotheek Lindelaan 3".into(),
            status: "open".into(),
            closed_on: None,
            adviser_external_id: Some("piet".into()),
            handler_external_id: None,
            clients: vec![client(1, "karin.smit.2024-login", "Karin", "Smit")],
            products: vec![ProductRow {
                external_id: "vd-p-0900".into(),
                title: "Hypotheek".into(),
                status: "in_administration".into(),
                explanation: String::new(),
                visible: true,
            }],
            actions: Vec::new(),
            appointments: Vec::new(),
        },
        DossierRow {
            external_id: "vd-d-1100".into(),
            customer_external_id: "vd-smit".into(),
            title: "Oversluiten hypotheek Lindelaan 3".into(),
            status: "open".into(),
            closed_on: None,
            adviser_external_id: Some("piet".into()),
            handler_external_id: Some("sanne".into()),
            clients: vec![client(1, "karin.smit-login", "Karin", "Smit")],
            products: Vec::new(),
            actions: vec![
                upload("vd-a-tax", "Taxatierapport", 6),
                questionnaire("vd-a-kenn-2"),
                agreement("vd-a-dvo-2"),
            ],
            appointments: Vec::new(),
        },
    ]
}

/// Creates or refreshes the office's tenant; returns what to print as JSON.
///
/// # Errors
/// When the database refuses a change.
pub async fn setup(portal: &Portal) -> Result<serde_json::Value, Error> {
    let state = portal.state();
    let db = &state.db;
    let registry = &state.registry;
    let contact = TenantPatch {
        support_email: Some("info@vandijk-advies.example".into()),
        website: Some("https://www.vandijk-advies.example".into()),
        phone: Some("+31 570 600 600".into()),
        mail_from_name: Some("Van Dijk Hypotheekadvies".into()),
        ..TenantPatch::default()
    };
    let (scope, created) = demo::tenant(state, CODE, "Van Dijk Hypotheekadvies", &contact).await?;
    if created {
        demo::branding(
            state,
            scope,
            ["#2b3a67", "#ffffff", "#e8ebf5", "#1b2546"],
            LOGO,
        )
        .await?;
        repo::update(
            db,
            scope,
            &TenantPatch {
                address_form: Some(AddressForm::Informal),
                ..TenantPatch::default()
            },
            state.renderer.themes(),
        )
        .await?;
    }
    let set = |component: &'static str, key: &'static str, value: &'static str| {
        repo::set_setting(db, scope, registry, component, key, Some(value))
    };
    // Seed 003: user names, activation links valid 48 hours, staff never
    // choose a client's password.
    set("auth", "login_mode", "username").await?;
    set("auth", "registration", "false").await?;
    set("auth", "invite_valid_hours", "48").await?;
    set("auth", "staff_set_password", "false").await?;
    set("dossiers", "retention_years", "5").await?;
    repo::set_module_enabled(db, scope, registry, "dossiers", true).await?;
    let customers: Vec<CustomerRow> = [
        ("vd-devries", "2001", "Jan en Els de Vries"),
        ("vd-smit-2024", "2002", "Karin Smit (2024)"),
        ("vd-smit", "2003", "Karin Smit"),
    ]
    .iter()
    .map(|(ext, number, name)| CustomerRow {
        external_id: (*ext).into(),
        number: (*number).into(),
        name: (*name).into(),
        active: true,
        ..CustomerRow::default()
    })
    .collect();
    upsert_customers(db, scope, &customers)
        .await?
        .all_stored("customer")?;
    let accounts: Vec<AccountRow> = LOGINS
        .iter()
        .map(|(customer, username, email, first, last)| AccountRow {
            external_id: format!("{username}-login"),
            customer_external_id: (*customer).into(),
            email: (*email).into(),
            username: Some((*username).into()),
            first_name: (*first).into(),
            last_name: (*last).into(),
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
    // Demo passwords, by user name (Els has no e-mail address).
    let hash = state.hasher.hash(PASSWORD).await?;
    for a in portal::auth::accounts::list(db, scope, None).await? {
        if a.username.is_some() && a.password_hash.is_none() {
            let mut tx = db.begin().await?;
            portal::auth::accounts::update(
                &mut tx,
                scope,
                a.id,
                vec![
                    ("password_hash", hash.clone().into()),
                    ("confirmed", true.into()),
                ],
            )
            .await?;
            tx.commit().await?;
        }
    }
    let deps = state.deps();
    portal_dossiers::api::sync_advisers(
        &deps,
        scope,
        &[
            AdviserRow {
                external_id: "piet".into(),
                name: "Piet van Dijk".into(),
                email: "piet@vandijk-advies.example".into(),
                phone: "0570 600 601".into(),
                signature: "Met vriendelijke groet,\nPiet van Dijk\nHypotheekadviseur, Van Dijk Hypotheekadvies".into(),
            },
            AdviserRow {
                external_id: "sanne".into(),
                name: "Sanne Bakker".into(),
                email: "sanne@vandijk-advies.example".into(),
                phone: "0570 600 602".into(),
                signature: "Met vriendelijke groet,\nSanne Bakker\nDossierbehandelaar".into(),
            },
        ],
    )
    .await?;
    let report = portal_dossiers::api::sync_dossiers(&deps, tenant, &dossiers())
        .await
        .map_err(|e| e.to_string())?;
    if let Some(bad) = report.iter().find(|r| r.status != "saved") {
        return Err(format!("dossier {}: {:?}", bad.external_id, bad.errors).into());
    }
    if created {
        progress_so_far(state, tenant).await?;
        standard_documents(state, scope).await?;
    }
    for (role, email, name) in STAFF {
        demo::staff_member(state, scope, (email, name), *role, PASSWORD).await?;
    }
    let token = repo::create_api_token(db, scope, "demo", "*").await?;
    let base = format!("http://{CODE}.localhost:{}", demo::port(state));
    Ok(serde_json::json!({
        "tenant": CODE,
        "url": format!("{base}/"),
        "login_url": format!("{base}/login"),
        "mailbox": state.mailer.mailbox_pages().then(|| format!("{base}/mailbox")),
        "api_docs": format!("{base}/api/docs"),
        "api_token": token,
        "logins": LOGINS.iter().map(|(_, username, email, first, last)| serde_json::json!({
            "name": format!("{first} {last}"), "username": username, "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
        "staff_url": format!("{base}/staff/login"),
        "staff": STAFF.iter().map(|(role, email, _)| serde_json::json!({
            "role": role.code(), "email": email, "password": PASSWORD,
        })).collect::<Vec<_>>(),
    }))
}

async fn action_id(
    db: &portal::db::Db,
    scope: portal::tenant::TenantScope,
    ext: &str,
) -> Result<portal_dossiers::store::Action, Error> {
    let (id,): (i64,) = db
        .fetch_optional(
            &scope
                .select("dossiers_actions")
                .column("id")
                .and_where(Expr::col("external_id").eq(ext))
                .to_owned(),
        )
        .await?
        .ok_or("a demo action is missing")?;
    Ok(portal_dossiers::store::action(db, scope, id)
        .await?
        .ok_or("a demo action is missing")?)
}

/// The couple's dossier at 40 %, through the module's own writes: the ID
/// approved, the employer's statement received, the salary slip rejected
/// with a remark (a new item asks again).
async fn progress_so_far(
    state: &portal::AppState,
    tenant: &portal::tenant::Tenant,
) -> Result<(), Error> {
    let db = &state.db;
    let scope = tenant.scope();
    let deps = state.deps();
    let jan = portal::auth::accounts::list(db, scope, None)
        .await?
        .into_iter()
        .find(|a| a.username.as_deref() == Some("jan.devries"))
        .ok_or("the demo account is missing")?;
    for (ext, name, review) in [
        ("vd-a-id", "paspoort-jan.pdf", Some(("approved", ""))),
        ("vd-a-wgv", "werkgeversverklaring.pdf", None),
        (
            "vd-a-slip",
            "salarisstrook-augustus.pdf",
            Some((
                "rejected",
                "Deze salarisstrook is ouder dan drie maanden. Wil je de strook van vorige maand sturen?",
            )),
        ),
    ] {
        let a = action_id(db, scope, ext).await?;
        let pdf = text_pdf(name, &["Voorbeeld voor de demo."]);
        portal_dossiers::write::upload(&deps, tenant, &a, jan.id, &pdf, 1, name)
            .await
            .map_err(|e| e.to_string())?;
        if let Some((status, remark)) = review {
            portal_dossiers::write::review(&deps, tenant, &a, status, remark, "Piet van Dijk")
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The office's standard documents, for every dossier.
async fn standard_documents(
    state: &portal::AppState,
    scope: portal::tenant::TenantScope,
) -> Result<(), Error> {
    for (ext, title, lines) in [
        (
            "vd-doc-dvd",
            "Dienstverleningsdocument",
            &[
                "Wie zijn wij en wat doen we voor je.",
                "Hoe worden we betaald en wat kost ons advies.",
            ][..],
        ),
        (
            "vd-doc-privacy",
            "Privacyverklaring",
            &["Hoe we met je gegevens omgaan. We vragen nooit je BSN."][..],
        ),
    ] {
        let bytes = text_pdf(title, lines);
        let key = portal::files::BlobStore::new_key(scope.tenant_id(), "dossiers", "pdf");
        state.blobs.put(&key, &bytes).await?;
        state
            .db
            .execute(
                &scope
                    .insert("dossiers_documents")
                    .set("external_id", ext)
                    .set("title", title)
                    .set("blob_key", key.as_str())
                    .set("name", format!("{title}.pdf"))
                    .set("mime", "application/pdf")
                    .set("created_at", Utc::now())
                    .statement(),
            )
            .await?;
    }
    Ok(())
}
