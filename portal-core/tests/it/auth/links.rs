//! SECURITY.md C (reset, invitation and confirmation links) and
//! registration (seed 004).

use chrono::{Duration, Utc};
use portal_core::auth::accounts;
use portal_core::auth::flows::staff::{self, StaffNewAccount, Welcome};
use portal_core::auth::tokens::{self, LinkState, Purpose};
use sea_query::{Expr, ExprTrait};

use super::{
    Acc, PW, Visitor, account, expire_tokens_at, link_in, login_email, mails, path_of, set, setup,
    snapshot,
};
use crate::support::{TestDb, TestPortal, db_test};

#[derive(sqlx::FromRow, Debug)]
struct TokenRow {
    token_hash: String,
    created_at: chrono::DateTime<Utc>,
    expires_at: chrono::DateTime<Utc>,
}
portal_core::from_sqlite! {
    TokenRow { token_hash, created_at, expires_at }
}

async fn token_rows(
    p: &TestPortal,
    s: portal_core::tenant::TenantScope,
    purpose: &str,
) -> Vec<TokenRow> {
    p.state().background.idle().await;
    p.state()
        .db
        .fetch_all(
            &s.select("core_auth_tokens")
                .columns(["token_hash", "created_at", "expires_at"])
                .and_where(Expr::col("purpose").eq(purpose))
                .to_owned(),
        )
        .await
        .unwrap()
}

async fn a_request_answers_the_same_for_known_and_unknown_and_only_queues(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(&p, s, Acc::default()).await;
    let ask = |number: &'static str, email: &'static str| {
        let p = &p;
        async move {
            let mut v = Visitor::new(p);
            let runs = p.state().hasher.runs();
            let r = v
                .post(
                    "/password/forgot",
                    &[("customer_number", number), ("login", email)],
                )
                .await;
            assert_eq!(p.state().hasher.runs(), runs, "no hashing either way");
            let start = r.body.find("<main").unwrap();
            (
                r.status,
                r.body[start..r.body.find("</main>").unwrap()].to_string(),
            )
        }
    };
    let known = ask("1001", "jan@example.nl").await;
    let unknown = ask("1001", "niemand@example.nl").await;
    let no_customer = ask("7777", "jan@example.nl").await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown);
    assert_eq!(known, no_customer);
    assert!(known.1.contains("id=\"forgot-sent\""));
    // An extra account whose main account is inactive gets no link (seed 002).
    account(
        &p,
        s,
        Acc {
            customer: "2002",
            email: "hoofd@example.nl",
            active: false,
            ..Acc::default()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "2002",
            ..Acc::extra()
        },
    )
    .await;
    let extra = ask("2002", "extra@example.nl").await;
    assert_eq!(extra, known);
    // One mail, queued in the outbox (not sent during the request).
    let queued = mails(&p, s, "auth.reset").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].status, "queued");
    assert_eq!(queued[0].to_address, "jan@example.nl");
}
db_test!(a_request_answers_the_same_for_known_and_unknown_and_only_queues);

async fn twenty_parallel_redemptions_one_wins(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let mut tx = p.state().db.begin().await.unwrap();
    let token = tokens::issue(&mut tx, s, id, Purpose::Reset, Duration::hours(1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tasks = vec![];
    for _ in 0..20 {
        let db = p.state().db.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let got = tokens::redeem(&mut tx, s, Purpose::Reset, &token)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            got
        }));
    }
    let mut wins = 0;
    for t in tasks {
        if t.await.unwrap() == Some(id) {
            wins += 1;
        }
    }
    assert_eq!(wins, 1);
    // And through the page: the second use of a link shows the spent page.
    let mut v = Visitor::new(&p);
    v.post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let path = path_of(&link_in(
        &mails(&p, s, "auth.reset").await[0],
        "/password/reset/",
    ));
    let new = "Groene-boot-vaart-weg-8";
    assert_eq!(
        v.post(&path, &[("password", new), ("repeat", new)])
            .await
            .status,
        303
    );
    let again = v
        .post(
            &path,
            &[
                ("password", "Nog-een-ander-wachtwoord-1"),
                ("repeat", "Nog-een-ander-wachtwoord-1"),
            ],
        )
        .await;
    assert!(again.body.contains("Deze link werkt niet meer"));
    let mut w = Visitor::new(&p);
    login_email(&mut w, "jan@example.nl", new).await;
    assert!(w.logged_in().await);
}
db_test!(twenty_parallel_redemptions_one_wins);

async fn validity_per_tenant_and_purpose_to_the_second(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    // Defaults: reset 1 h (seed 000), invitation 48 h (seed 003).
    Visitor::new(&p)
        .post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let r = &token_rows(&p, s, "reset").await[0];
    assert_eq!(r.expires_at - r.created_at, Duration::hours(1));
    // Seed 002: 24 h, a tenant setting.
    set(&p, s, "reset_valid_minutes", "1440").await;
    Visitor::new(&p)
        .post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let newest = token_rows(&p, s, "reset")
        .await
        .into_iter()
        .max_by_key(|r| r.created_at)
        .unwrap();
    assert_eq!(newest.expires_at - newest.created_at, Duration::hours(24));
    let tenant = snapshot(&p, "acme").await;
    let n = StaffNewAccount {
        customer_number: "2002".into(),
        customer_name: "Nieuw".into(),
        email: "nieuw@example.nl".into(),
        username: None,
        display_name: String::new(),
        lang: None,
        extra: false,
        active: true,
        welcome: Welcome::Invite,
    };
    staff::create_account(
        &p.state().deps(),
        &tenant,
        &portal_core::auth::activity::By::operator(),
        &n,
    )
    .await
    .unwrap()
    .unwrap();
    let inv = &token_rows(&p, s, "invite").await[0];
    assert_eq!(inv.expires_at - inv.created_at, Duration::hours(48));

    // One second before expiry: valid; one second after: spent, and the page offers a new link.
    let link = link_in(&mails(&p, s, "auth.reset").await[0], "/password/reset/");
    let token = link.rsplit('/').next().unwrap().to_string();
    expire_tokens_at(&p, "reset", Utc::now() + Duration::seconds(1)).await;
    assert!(matches!(
        tokens::peek(&p.state().db, s, Purpose::Reset, &token)
            .await
            .unwrap(),
        LinkState::Valid { .. }
    ));
    let page = Visitor::new(&p).get(&path_of(&link)).await;
    assert!(page.body.contains("id=\"password-form\""));
    // A way out that does not use the link (seed 001: "Annuleren").
    assert!(
        page.body.contains("id=\"password-cancel\""),
        "{}",
        page.body
    );
    expire_tokens_at(&p, "reset", Utc::now() - Duration::seconds(1)).await;
    assert_eq!(
        tokens::peek(&p.state().db, s, Purpose::Reset, &token)
            .await
            .unwrap(),
        LinkState::Spent
    );
    let page = Visitor::new(&p).get(&path_of(&link)).await;
    assert!(page.body.contains("Deze link werkt niet meer"));
    assert!(
        page.body.contains("id=\"notice-action\""),
        "offers a new link"
    );
    assert!(page.body.contains("href=\"/password/forgot\""));
    let mut tx = p.state().db.begin().await.unwrap();
    assert_eq!(
        tokens::redeem(&mut tx, s, Purpose::Reset, &token)
            .await
            .unwrap(),
        None
    );
}
db_test!(validity_per_tenant_and_purpose_to_the_second);

async fn only_a_hash_of_a_256_bit_token_is_stored(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    Visitor::new(&p)
        .post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let link = link_in(&mails(&p, s, "auth.reset").await[0], "/password/reset/");
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 64, "256 bits, hex");
    let rows = token_rows(&p, s, "reset").await;
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].token_hash, token);
    assert_eq!(rows[0].token_hash, portal_core::auth::hash_secret(token));
}
db_test!(only_a_hash_of_a_256_bit_token_is_stored);

async fn links_use_the_configured_portal_url_not_the_host_header(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    portal_core::tenant::repo::set_portal_url(
        &p.state().db,
        s,
        "https://mijn.acme.example",
        &p.state().config.web,
    )
    .await
    .unwrap();
    // The request arrives on the dev host; the mail still names the portal URL.
    let mut v = Visitor::on(&p, "acme.localhost");
    v.post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let link = link_in(&mails(&p, s, "auth.reset").await[0], "/password/reset/");
    assert!(
        link.starts_with("https://mijn.acme.example/password/reset/"),
        "{link}"
    );
}
db_test!(links_use_the_configured_portal_url_not_the_host_header);

async fn the_reset_page_sends_no_referrer_notifies_and_ends_sessions(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(&p, s, Acc::default()).await;
    let mut elsewhere = Visitor::new(&p);
    elsewhere
        .post(
            "/login",
            &[
                ("customer_number", "1001"),
                ("login", "jan@example.nl"),
                ("password", PW),
            ],
        )
        .await;
    assert!(elsewhere.logged_in().await);
    let mut v = Visitor::new(&p);
    v.post(
        "/password/forgot",
        &[("customer_number", "1001"), ("login", "jan@example.nl")],
    )
    .await;
    let path = path_of(&link_in(
        &mails(&p, s, "auth.reset").await[0],
        "/password/reset/",
    ));
    let page = v.get(&path).await;
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    // Seed 000: the customer number and e-mail are asked again.
    assert!(page.body.contains("name=\"customer_number\""));
    let new = "Paarse-koe-in-de-wei-4";
    let r = v
        .post(
            &path,
            &[
                ("customer_number", "1001"),
                ("login", "piet@example.nl"),
                ("password", new),
                ("repeat", new),
            ],
        )
        .await;
    assert!(r.body.contains("horen niet bij deze link"));
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    let r = v
        .post(
            &path,
            &[
                ("customer_number", "1001"),
                ("login", "jan@example.nl"),
                ("password", new),
                ("repeat", new),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    assert!(!elsewhere.logged_in().await, "other sessions ended");
    let notice = mails(&p, s, "auth.password_changed").await;
    assert_eq!(notice.len(), 1);
    assert_eq!(notice[0].to_address, "jan@example.nl");
}
db_test!(the_reset_page_sends_no_referrer_notifies_and_ends_sessions);

/// Seed 000: a new account has no password; its customer finds "forgot
/// password" on the login page, sets the first password with the link and
/// logs in with it.
async fn a_first_password_comes_through_forgot_password(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(
        &p,
        s,
        Acc {
            password: None,
            ..Acc::default()
        },
    )
    .await;
    let mut v = Visitor::new(&p);
    let login = v.get("/login").await;
    assert!(
        login.body.contains("href=\"/password/forgot\""),
        "{}",
        login.body
    );
    let who = [("customer_number", "1001"), ("login", "jan@example.nl")];
    v.post("/password/forgot", &who).await;
    let path = path_of(&link_in(
        &mails(&p, s, "auth.reset").await[0],
        "/password/reset/",
    ));
    assert_eq!(v.get(&path).await.status, 200);
    let first = "Eerste-wachtwoord-hosting-7";
    let r = v
        .post(
            &path,
            &[who[0], who[1], ("password", first), ("repeat", first)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = v
        .post(
            "/login",
            &[who[0], who[1], ("password", first), ("next", "/")],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    assert!(v.logged_in().await);
}
db_test!(a_first_password_comes_through_forgot_password);

async fn a_new_link_ends_the_previous_and_resends_are_limited(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    set(&p, s, "registration", "true").await;
    let tenant = snapshot(&p, "acme").await;
    let n = StaffNewAccount {
        customer_number: "3003".into(),
        customer_name: "Klant".into(),
        email: "uitgenodigd@example.nl".into(),
        username: None,
        display_name: "Uitgenodigd".into(),
        lang: None,
        extra: false,
        active: true,
        welcome: Welcome::Invite,
    };
    let a = staff::create_account(
        &p.state().deps(),
        &tenant,
        &portal_core::auth::activity::By::operator(),
        &n,
    )
    .await
    .unwrap()
    .unwrap();
    let first = link_in(&mails(&p, s, "auth.invite").await[0], "/password/set/");
    staff::send_link(
        &p.state().deps(),
        &tenant,
        &portal_core::auth::activity::By::operator(),
        &a,
        Purpose::Invite,
    )
    .await
    .unwrap();
    let all = mails(&p, s, "auth.invite").await;
    assert_eq!(all.len(), 2);
    let second = link_in(&all[0], "/password/set/");
    assert_ne!(first, second);
    let page = Visitor::new(&p).get(&path_of(&first)).await;
    assert!(
        page.body.contains("Deze link werkt niet meer"),
        "the first invitation is dead"
    );
    let page = Visitor::new(&p).get(&path_of(&second)).await;
    assert!(page.body.contains("id=\"password-form\""));

    // Registration (seed 004): same answer whether or not the customer exists or has an account.
    account(
        &p,
        s,
        Acc {
            customer: "4004",
            email: "bestaand@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut tx = p.state().db.begin().await.unwrap();
    accounts::upsert_customer(&mut tx, s, "5005", "Zonder account")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let register = |number: &'static str, email: &'static str| {
        let p = &p;
        async move {
            let r = Visitor::new(p)
                .post(
                    "/register",
                    &[
                        ("customer_number", number),
                        ("email", email),
                        ("password", "Lange-zin-voor-mij-9"),
                        ("repeat", "Lange-zin-voor-mij-9"),
                    ],
                )
                .await;
            let start = r.body.find("<main").unwrap();
            (
                r.status,
                r.body[start..r.body.find("</main>").unwrap()].to_string(),
            )
        }
    };
    let unknown = register("9999", "iemand@example.nl").await;
    let has_account = register("4004", "ander@example.nl").await;
    let fresh = register("5005", "nieuw@example.nl").await;
    assert_eq!(unknown.0, 200);
    assert_eq!(unknown, has_account);
    assert_eq!(unknown, fresh);
    let confirm = mails(&p, s, "auth.confirm").await;
    assert_eq!(confirm.len(), 1, "only the fresh registration gets a mail");
    assert_eq!(confirm[0].to_address, "nieuw@example.nl");
    // Unconfirmed: login shows the message; resend sends a new link and ends the old one.
    let first_confirm = link_in(&confirm[0], "/register/confirm/");
    let mut v = Visitor::new(&p);
    let r = v
        .post(
            "/login",
            &[
                ("customer_number", "5005"),
                ("login", "nieuw@example.nl"),
                ("password", "Lange-zin-voor-mij-9"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"resend-confirmation\""));
    for _ in 0..5 {
        v.post(
            "/register/resend",
            &[("customer_number", "5005"), ("login", "nieuw@example.nl")],
        )
        .await;
    }
    let confirm = mails(&p, s, "auth.confirm").await;
    // The registration's own mail, then 3 resends an hour.
    assert_eq!(confirm.len(), 4, "resends are limited");
    let page = Visitor::new(&p).get(&path_of(&first_confirm)).await;
    assert!(
        page.body.contains("Deze link werkt niet meer"),
        "the first confirmation is dead"
    );
    let newest = link_in(&confirm[0], "/register/confirm/");
    // Opening the link (as a mail scanner would) changes nothing; the button does.
    let mut opener = Visitor::new(&p);
    let page = opener.get(&path_of(&newest)).await;
    assert!(page.body.contains("id=\"confirm-form\""), "{}", page.body);
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    let page = opener.get(&path_of(&newest)).await;
    assert!(
        page.body.contains("id=\"confirm-form\""),
        "still valid after two views"
    );
    let done = opener.post(&path_of(&newest), &[]).await;
    assert!(done.body.contains("E-mailadres bevestigd"), "{}", done.body);
    let again = opener.post(&path_of(&newest), &[]).await;
    assert!(again.body.contains("Deze link werkt niet meer"));
    let mut v = Visitor::new(&p);
    v.post(
        "/login",
        &[
            ("customer_number", "5005"),
            ("login", "nieuw@example.nl"),
            ("password", "Lange-zin-voor-mij-9"),
        ],
    )
    .await;
    assert!(v.logged_in().await);
}
db_test!(a_new_link_ends_the_previous_and_resends_are_limited);

async fn registration_is_off_unless_the_tenant_turns_it_on(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    assert_eq!(Visitor::new(&p).get("/register").await.status, 404);
    assert!(
        !Visitor::new(&p)
            .get("/login")
            .await
            .body
            .contains("href=\"/register\"")
    );
    set(&p, s, "registration", "true").await;
    assert_eq!(Visitor::new(&p).get("/register").await.status, 200);
    // A form wrong in every field says so for every field at once, in the
    // form's order, and keeps what was typed.
    let mut v = Visitor::new(&p);
    let r = v
        .post(
            "/register",
            &[
                ("customer_number", ""),
                ("email", "geen-adres"),
                ("password", "kort"),
                ("repeat", "anders"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let at = |id: &str| {
        r.body
            .find(&format!("href=\"#field-{id}\""))
            .unwrap_or_else(|| panic!("no {id} in the summary: {}", r.body))
    };
    assert!(
        at("customer_number") < at("email")
            && at("email") < at("password")
            && at("password") < at("repeat")
    );
    assert!(r.body.contains("value=\"geen-adres\""));
    assert!(
        Visitor::new(&p)
            .get("/login")
            .await
            .body
            .contains("href=\"/register\"")
    );
}
db_test!(registration_is_off_unless_the_tenant_turns_it_on);

async fn staff_never_choose_or_see_a_password_unless_the_tenant_allows_it(tdb: TestDb) {
    let (p, s) = setup(&tdb, "username").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let api =
        |method: poem::http::Method, path: &str| p.req(method, super::HOST, path).bearer(&token);
    let created = api(poem::http::Method::POST, "/api/admin/v1/accounts")
        .json(&serde_json::json!({"customer_number": "6006", "email": "nieuw@example.nl", "welcome": "invite"}))
        .send()
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let v: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    assert_eq!(
        v["username"], "nieuw@example.nl",
        "seed 003: user name defaults to the e-mail"
    );
    assert_eq!(v["has_password"], false);
    let id = v["id"].as_i64().unwrap();
    for path in [
        format!("/api/admin/v1/accounts/{id}"),
        "/api/admin/v1/accounts".to_string(),
    ] {
        let body = api(poem::http::Method::GET, &path).send().await.body;
        for secret in ["password_hash", "argon2", "token", "totp_secret"] {
            assert!(!body.contains(secret), "{path} shows {secret}: {body}");
        }
    }
    // "Reset portal account" sends a link; nobody on the staff side sees it.
    let r = api(
        poem::http::Method::POST,
        &format!("/api/admin/v1/accounts/{id}/reset"),
    )
    .send()
    .await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    // Setting a password: refused by default ...
    let body = serde_json::json!({"password": "Zon8-Maan-Ster", "repeat": "Zon8-Maan-Ster"});
    let r = api(
        poem::http::Method::PUT,
        &format!("/api/admin/v1/accounts/{id}/password"),
    )
    .json(&body)
    .send()
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // ... allowed where the tenant says so (seed 002), policy-checked and audited.
    set(&p, s, "staff_set_password", "true").await;
    set(&p, s, "password_min_length", "8").await;
    set(&p, s, "password_composition", "true").await;
    let weak =
        serde_json::json!({"password": "zonder-hoofdletter1", "repeat": "zonder-hoofdletter1"});
    let r = api(
        poem::http::Method::PUT,
        &format!("/api/admin/v1/accounts/{id}/password"),
    )
    .json(&weak)
    .send()
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("upper-case"), "{}", r.body);
    let r = api(
        poem::http::Method::PUT,
        &format!("/api/admin/v1/accounts/{id}/password"),
    )
    .json(&body)
    .send()
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let activity = api(
        poem::http::Method::GET,
        &format!("/api/admin/v1/accounts/{id}/activity"),
    )
    .send()
    .await
    .body;
    assert!(activity.contains("password.set_by_staff"), "{activity}");
    assert!(!activity.contains("Zon8-Maan-Ster"));
    let mut v = Visitor::new(&p);
    v.post(
        "/login",
        &[
            ("login", "nieuw@example.nl"),
            ("password", "Zon8-Maan-Ster"),
        ],
    )
    .await;
    assert!(v.logged_in().await);
    let _ = PW;
}
db_test!(staff_never_choose_or_see_a_password_unless_the_tenant_allows_it);

/// An empty "forgot password" form is refused at its fields with what was
/// typed kept, instead of the "if the account exists" answer; no mail.
async fn an_empty_forgot_password_form_names_its_fields(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    let r = v
        .post(
            "/password/forgot",
            &[("customer_number", "1001"), ("login", "")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-login\"") && !r.body.contains("id=\"forgot-sent\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"1001\""));
    assert!(mails(&p, s, "auth.reset").await.is_empty());
}
db_test!(an_empty_forgot_password_form_names_its_fields);

/// Finding 2 of the outside-in test, in part: wrong passwords typed by
/// someone else locked the account, and a completed password reset did
/// not lift the lock; now it does.
async fn a_completed_reset_lifts_the_lock(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut attacker = Visitor::new(&p);
    for _ in 0..8 {
        login_email(&mut attacker, "jan@example.nl", "fout-fout-fout").await;
    }
    let mut jan = Visitor::new(&p);
    login_email(&mut jan, "jan@example.nl", PW).await;
    assert!(!jan.logged_in().await, "locked (the throttle as it is)");
    jan.post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let path = path_of(&link_in(
        &mails(&p, s, "auth.reset").await[0],
        "/password/reset/",
    ));
    let new = "Paarse-koe-in-de-wei-4";
    let r = jan.post(&path, &[("password", new), ("repeat", new)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    login_email(&mut jan, "jan@example.nl", new).await;
    assert!(jan.logged_in().await, "the reset lifted the lock");
}
db_test!(a_completed_reset_lifts_the_lock);
