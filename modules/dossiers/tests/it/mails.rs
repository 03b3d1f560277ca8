//! Seed 003's mails on both databases: the activation mail that core's
//! invitation sends for a dossier's client is the seed's text with the
//! dossier's values, for one client and for two (the partner without an
//! e-mail address reached through the first client); the three variants
//! of the seed (formal, informal, informal with automatic plural) render
//! exactly as the seed writes them; an e-mail address on two dossiers logs
//! in to the newest and the user name reaches the older.

use poem::http::Method;
use portal_core::mail::{MailValues, Recipient};
use portal_core::tenant::{AddressForm, Lang};
use portal_dossiers::seed_mails;
use serde_json::json;

use portal_core::sea_query::{Expr, ExprTrait};

use crate::support::{Visitor, d1, d2, office, setup};

/// The seed's text with its placeholders as the seed means them for these
/// clients; the link block stays `{LINKS}` (its token is random).
fn expected(seed: &str, salutation: &str, plural: bool, signature: &str) -> String {
    let words: [(&str, &str, &str); 9] = [
        ("jou_jullie", "jou", "jullie"),
        ("je_jullie", "je", "jullie"),
        ("jouw_jullie", "jouw", "jullie"),
        ("vindje_vindenjullie", "vind je", "vinden jullie"),
        ("krijgje_krijgenjullie", "krijg je", "krijgen jullie"),
        ("mochtje_mochtenjullie", "mocht je", "mochten jullie"),
        (
            "jeontvangt_jullieontvangen",
            "je ontvangt",
            "jullie ontvangen",
        ),
        ("kunt_kunnen", "kunt", "kunnen"),
        ("heb_hebben", "heb je", "hebben jullie"),
    ];
    let mut out = seed
        .replace("{dossier.salutation}", salutation)
        .replace("{dossier.advisor_email_signature}", signature)
        .replace("{dossier.owner_email_signature}", signature)
        .replace("{dossier.links_set_password_formatted}", "{LINKS}");
    for (name, one, two) in words {
        out = out.replace(
            &format!("{{dossier.{name}}}"),
            if plural { two } else { one },
        );
    }
    out
}

/// `body` is `expected` with a link block of `login` and a link.
fn matches(body: &str, expected: &str, login: &str) {
    let (before, after) = expected.split_once("{LINKS}").unwrap();
    assert!(
        body.starts_with(before),
        "--- got:\n{body}\n--- want:\n{expected}"
    );
    assert!(
        body.ends_with(after),
        "--- got:\n{body}\n--- want:\n{expected}"
    );
    let links = &body[before.len()..body.len() - after.len()];
    assert!(
        links.starts_with(&format!("{login}\n")) && links.contains("/password/set/"),
        "{links}"
    );
}

const ADVISER: &str = "Met vriendelijke groet,\nPiet Adviseur";

async fn seed_mails(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    office(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [d1(), d2()]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    // Core's invitation of each account: the dossier's activation mail.
    let state = s.portal.state();
    let scope = s.scope().await;
    for ext in ["C1", "C2", "C3"] {
        let rows: Vec<(i64,)> = state
            .db
            .fetch_all(
                &scope
                    .select("core_users")
                    .column("id")
                    .and_where(Expr::col("external_id").eq(ext))
                    .to_owned(),
            )
            .await
            .unwrap();
        let (st, r) = s
            .api(
                Method::POST,
                &format!("/api/admin/v1/accounts/{}/invite", rows[0].0),
                None,
            )
            .await;
        assert!(st == 200 || st == 204, "{ext}: {st} {r}");
    }
    let mails = s.mails("dossiers.activate").await;
    assert_eq!(mails.len(), 3, "one activation mail per account");
    assert!(
        s.mails("auth.invite").await.is_empty(),
        "not core's own invitation"
    );
    // Two clients, formal (the tenant's form): Jan's own, and Els's (no
    // e-mail address) to Jan's address with her login name.
    let two = expected(
        seed_mails::ACTIVATE_FORMAL,
        "Beste Jan de Vries en Els de Vries",
        true,
        ADVISER,
    );
    let to_jan: Vec<_> = mails
        .iter()
        .filter(|m| m.to_address == "jan@devries.nl")
        .collect();
    assert_eq!(to_jan.len(), 2);
    let jan = to_jan
        .iter()
        .find(|m| m.body_text.contains("jan.devries\n"))
        .unwrap();
    let els = to_jan
        .iter()
        .find(|m| m.body_text.contains("els.devries\n"))
        .unwrap();
    matches(&jan.body_text, &two, "jan.devries");
    matches(&els.body_text, &two, "els.devries");
    // One client.
    let piet = mails
        .iter()
        .find(|m| m.to_address == "piet@jansen.nl")
        .unwrap();
    matches(
        &piet.body_text,
        &expected(
            seed_mails::ACTIVATE_FORMAL,
            "Beste Piet Jansen",
            false,
            ADVISER,
        ),
        "piet.jansen",
    );

    // The informal variants, for one and for two clients: the module's
    // default (automatic plural) and the seed's plain informal one pasted
    // by the office.
    let tenant = s.tenant().await;
    let render = |seed_text: Option<&'static str>, d: &'static str| {
        let state = state.clone();
        let tenant = tenant.clone();
        async move {
            if let Some(text) = seed_text {
                portal_core::mail::store::save(
                    &state.db,
                    scope,
                    &portal_dossiers::mails::ACTIVATE,
                    Lang::Nl,
                    AddressForm::Informal,
                    &portal_core::mail::TemplateText {
                        subject: "Activeer je portaal".into(),
                        html: String::new(),
                        text: text.into(),
                    },
                )
                .await
                .unwrap();
            }
            let dossier = portal_dossiers::store::dossier_by_external(&state.db, scope, d)
                .await
                .unwrap()
                .unwrap();
            let mut informal = (*tenant).clone();
            informal.address_form = AddressForm::Informal;
            let mail = portal_dossiers::mails::dossier_values(&state.db, &informal, &dossier)
                .await
                .unwrap()
                .unwrap();
            let values: MailValues = mail.values.formatted(
                "dossier.links_set_password_formatted",
                "<p>x</p>",
                "login\nhttps://mijn.example/password/set/t",
            );
            let to = Recipient {
                form: Some(AddressForm::Informal),
                lang: Some(Lang::Nl),
                ..mail.to
            };
            let mut tx = state.db.begin().await.unwrap();
            state
                .mailer
                .render_in(&mut tx, &informal, "dossiers.activate", &to, &values)
                .await
                .unwrap()
                .text
        }
    };
    for (d, salutation, plural) in [
        ("D1", "Beste Jan en Els", true),
        ("D2", "Beste Piet", false),
    ] {
        let body = render(None, d).await;
        matches(
            &body,
            &expected(
                seed_mails::ACTIVATE_INFORMAL_PLURAL,
                salutation,
                plural,
                ADVISER,
            ),
            "login",
        );
    }
    for (d, salutation) in [("D2", "Beste Piet"), ("D1", "Beste Jan en Els")] {
        let body = render(Some(seed_mails::ACTIVATE_INFORMAL), d).await;
        // The seed's plain informal text has no plural words: it reads
        // the same for two clients but for the salutation.
        matches(
            &body,
            &expected(seed_mails::ACTIVATE_INFORMAL, salutation, false, ADVISER),
            "login",
        );
    }
}

#[tokio::test]
async fn seed_mails_sqlite() {
    seed_mails(false).await;
}

#[tokio::test]
async fn seed_mails_postgres() {
    seed_mails(true).await;
}

/// An e-mail address on two dossiers logs in to the newest; the user name
/// reaches the older one.
async fn two_dossiers(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    office(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/customers",
            Some(json!({"customers": [{"external_id": "K3", "number": "1003", "name": "Jan de Vries (verbouwing)"}]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/accounts",
            Some(json!({"accounts": [
                {"external_id": "C4", "customer_external_id": "K3", "email": "jan@devries.nl", "username": "jan.verbouwing",
                 "first_name": "Jan", "last_name": "de Vries", "main": true, "active": true}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    crate::support::set_passwords(&s).await;
    let newer = json!({
        "external_id": "D9", "customer_external_id": "K3", "title": "Verbouwing Kerkstraat 5",
        "clients": [{"position": 1, "account_external_id": "C4", "first_name": "Jan", "last_name": "de Vries"}]
    });
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [d1(), newer]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let mut by_mail = Visitor::login(&s, "jan@devries.nl").await;
    let page = by_mail.get("/dossiers").await;
    let page = by_mail
        .get(page.headers.get("location").unwrap().to_str().unwrap())
        .await
        .text();
    assert!(
        page.contains("Verbouwing Kerkstraat 5"),
        "the newest: {page}"
    );
    let mut by_name = Visitor::login(&s, "jan.devries").await;
    let page = by_name.get("/dossiers").await;
    let page = by_name
        .get(page.headers.get("location").unwrap().to_str().unwrap())
        .await
        .text();
    assert!(page.contains("Hypotheek Kerkstraat 5"), "the older: {page}");
    // A partner without an e-mail address has an account and logs in by name.
    let mut els = Visitor::login(&s, "els.devries").await;
    assert_eq!(els.get("/dossiers").await.status, 303);
}

#[tokio::test]
async fn two_dossiers_sqlite() {
    two_dossiers(false).await;
}

#[tokio::test]
async fn two_dossiers_postgres() {
    two_dossiers(true).await;
}
