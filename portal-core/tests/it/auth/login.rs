//! SECURITY.md A (login): failures look alike, the password policy,
//! changing a password, argon2id hashes that upgrade; the three login
//! modes; throttling; the unconfirmed-registration message (seed 004).

use portal_core::auth::accounts;
use portal_core::auth::password::{Policy, PolicyError};

use super::{Acc, PW, Visitor, account, login_email, set, setup, snapshot};
use crate::support::{TestDb, db_test};

/// The part of the login page that a failure changes (the CSRF token differs per visitor).
fn failure_part(body: &str) -> String {
    let start = body.find("<main").expect("page has a main");
    let end = body.find("</main>").unwrap();
    let main = &body[start..end];
    // Each visitor has its own CSRF token.
    let csrf = main.find("name=\"_csrf\" value=\"").unwrap() + 20;
    format!("{}{}", &main[..csrf], &main[csrf + 64..])
}

async fn every_login_failure_looks_the_same(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(&p, s, Acc::default()).await;
    account(
        &p,
        s,
        Acc {
            customer: "1002",
            email: "uit@example.nl",
            active: false,
            ..Acc::default()
        },
    )
    .await;
    // An extra account whose main account is inactive (seed 002).
    account(
        &p,
        s,
        Acc {
            customer: "1003",
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
            customer: "1003",
            ..Acc::extra()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "1004",
            email: "geenww@example.nl",
            password: None,
            ..Acc::default()
        },
    )
    .await;
    let cases = [
        ("9999", "jan@example.nl", PW, "unknown customer number"),
        ("1001", "piet@example.nl", PW, "wrong e-mail"),
        (
            "1001",
            "jan@example.nl",
            "Verkeerd-wachtwoord-1",
            "wrong password",
        ),
        ("1002", "uit@example.nl", PW, "inactive account"),
        (
            "1003",
            "extra@example.nl",
            PW,
            "extra account, main inactive",
        ),
        ("1004", "geenww@example.nl", PW, "no password set yet"),
    ];
    // Warm up: the dummy hash is made on first use.
    Visitor::new(&p)
        .post(
            "/login",
            &[
                ("customer_number", "0"),
                ("login", "x@y.nl"),
                ("password", "x"),
            ],
        )
        .await;
    let mut bodies = vec![];
    for (number, email, pw, what) in cases {
        let mut v = Visitor::new(&p);
        let before = p.state().hasher.runs();
        let r = v
            .post(
                "/login",
                &[
                    ("customer_number", number),
                    ("login", email),
                    ("password", pw),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{what}");
        assert!(r.body.contains("id=\"login-failed\""), "{what}: {}", r.body);
        assert!(v.session().is_none(), "{what}: no session");
        // The same argon2 work whether or not the account exists.
        assert_eq!(p.state().hasher.runs() - before, 1, "{what}: one verify");
        // The same page, apart from what the visitor typed.
        bodies.push(
            failure_part(&r.body)
                .replace(&format!("value=\"{number}\""), "value=\"N\"")
                .replace(&format!("value=\"{email}\""), "value=\"E\""),
        );
    }
    for (b, (_, _, _, what)) in bodies.iter().zip(cases) {
        assert_eq!(b, &bodies[0], "{what} differs from the first failure");
    }
    // The right details work.
    let mut v = Visitor::new(&p);
    let ok = v
        .post(
            "/login",
            &[
                ("customer_number", "1001"),
                ("login", "JAN@example.nl "),
                ("password", PW),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert!(v.logged_in().await);
}
db_test!(every_login_failure_looks_the_same);

async fn an_unconfirmed_registration_hears_it_after_the_right_password(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(
        &p,
        s,
        Acc {
            confirmed: false,
            ..Acc::default()
        },
    )
    .await;
    let mut v = Visitor::new(&p);
    let wrong = v
        .post(
            "/login",
            &[
                ("customer_number", "1001"),
                ("login", "jan@example.nl"),
                ("password", "Fout-wachtwoord-12"),
            ],
        )
        .await;
    assert!(wrong.body.contains("id=\"login-failed\""));
    assert!(
        !wrong.body.contains("login-unconfirmed"),
        "only after the right password"
    );
    let right = v
        .post(
            "/login",
            &[
                ("customer_number", "1001"),
                ("login", "jan@example.nl"),
                ("password", PW),
            ],
        )
        .await;
    assert!(
        right.body.contains("id=\"login-unconfirmed\""),
        "{}",
        right.body
    );
    assert!(right.body.contains("id=\"resend-confirmation\""));
    assert!(v.session().is_none());
}
db_test!(an_unconfirmed_registration_hears_it_after_the_right_password);

async fn each_login_mode_asks_its_own_fields(tdb: TestDb) {
    let (p, s) = setup(&tdb, "username").await;
    account(
        &p,
        s,
        Acc {
            username: Some("Bakkerij.Jansen"),
            ..Acc::default()
        },
    )
    .await;
    let page = Visitor::new(&p).get("/login").await;
    assert!(page.body.contains("Gebruikersnaam of e-mailadres"));
    assert!(!page.body.contains("name=\"customer_number\""));
    for login in ["bakkerij.jansen", "jan@example.nl"] {
        let mut v = Visitor::new(&p);
        v.post("/login", &[("login", login), ("password", PW)])
            .await;
        assert!(v.logged_in().await, "username mode with {login}");
    }
    // User names are unique per tenant.
    let mut tx = p.state().db.begin().await.unwrap();
    let c = accounts::upsert_customer(&mut tx, s, "1009", "Ander")
        .await
        .unwrap();
    let taken = accounts::insert(
        &mut tx,
        s,
        &accounts::NewAccount {
            customer_id: c,
            email: "ander@example.nl".into(),
            username: Some("bakkerij.JANSEN".into()),
            display_name: String::new(),
            lang: None,
            is_main: true,
            active: true,
            confirmed: true,
            password_hash: None,
            ..Default::default()
        },
    )
    .await;
    assert!(
        matches!(taken, Err(accounts::AccountError::UsernameTaken(_))),
        "{taken:?}"
    );
    drop(tx);

    // Seed 003: one e-mail on several dossiers (accounts) logs in to the
    // newest; the older ones by their own user name.
    account(
        &p,
        s,
        Acc {
            customer: "1002",
            username: Some("jan-dossier-2"),
            ..Acc::default()
        },
    )
    .await;
    let mut v = Visitor::new(&p);
    v.post("/login", &[("login", "jan@example.nl"), ("password", PW)])
        .await;
    let settings = v.get("/settings").await.body;
    assert!(settings.contains("jan-dossier-2"), "the newest account");
    let mut v = Visitor::new(&p);
    v.post("/login", &[("login", "Bakkerij.Jansen"), ("password", PW)])
        .await;
    assert!(v.get("/settings").await.body.contains("Bakkerij.Jansen"));

    account(
        &p,
        s,
        Acc {
            customer: "1003",
            email: "piet@example.nl",
            username: Some("piet"),
            ..Acc::default()
        },
    )
    .await;
    set(&p, s, "login_mode", "email").await;
    let page = Visitor::new(&p).get("/login").await;
    assert!(page.body.contains("type=\"email\" id=\"field-login\""));
    let mut v = Visitor::new(&p);
    login_email(&mut v, "piet@example.nl", PW).await;
    assert!(v.logged_in().await, "email mode");
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(
        !v.logged_in().await,
        "email mode never guesses between two accounts"
    );

    set(&p, s, "login_mode", "customer_number_email").await;
    let page = Visitor::new(&p).get("/login").await;
    assert!(page.body.contains("name=\"customer_number\""));
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(
        !v.logged_in().await,
        "customer number is required in this mode"
    );
}
db_test!(each_login_mode_asks_its_own_fields);

#[test]
fn the_password_policy_gives_reasons() {
    let default = Policy {
        min_length: 12,
        composition: false,
    };
    let ctx = [
        "Acme Energie",
        "100234",
        "jan.de.vries@example.nl",
        "jan.de.vries",
    ];
    assert_eq!(
        default.check("kort", &ctx),
        Err(PolicyError::TooShort { min: 12 })
    );
    assert_eq!(
        default.check(&"a".repeat(129), &ctx),
        Err(PolicyError::TooLong { max: 128 })
    );
    // 128 characters of (different) emoji: allowed, never truncated.
    // (128 times the same one is a repetition, easy to guess: refused.)
    let long: String = (0..128_u32)
        .map(|i| char::from_u32(0x1F300 + (i * 37) % 256).unwrap())
        .collect();
    assert_eq!(long.chars().count(), 128);
    assert_eq!(default.check(&long, &ctx), Ok(()));
    assert_eq!(default.check("correct horse 🐎 battery", &ctx), Ok(()));
    assert_eq!(
        default.check("password1234", &ctx),
        Err(PolicyError::Common)
    );
    assert_eq!(
        default.check("Welkom2025", &ctx),
        Err(PolicyError::TooShort { min: 12 })
    );
    assert_eq!(
        default.check("password12345", &ctx),
        Err(PolicyError::Common)
    );
    assert_eq!(
        default.check("mijn-100234-wachtwoord", &ctx),
        Err(PolicyError::ContainsContext)
    );
    assert_eq!(
        default.check("ACME energie is top", &ctx),
        Err(PolicyError::ContainsContext)
    );
    assert_eq!(
        default.check("hoi jan.de.vries!!", &ctx),
        Err(PolicyError::ContainsContext)
    );
    assert_eq!(
        default.check_pair("lange zin met woorden", "lange zin met woord", &ctx),
        Err(PolicyError::Mismatch)
    );
    // A short password and a different repetition: both at once.
    assert_eq!(
        default.check_pair("kort", "anders", &ctx),
        Err(PolicyError::AndMismatch(Box::new(PolicyError::TooShort {
            min: 12
        })))
    );
    // Seed 002: 8+ with upper case, digit and symbol.
    let seed002 = Policy {
        min_length: 8,
        composition: true,
    };
    assert_eq!(
        seed002.check("kortje", &ctx),
        Err(PolicyError::TooShort { min: 8 })
    );
    assert_eq!(
        seed002.check("geenhoofdletter1!", &ctx),
        Err(PolicyError::NeedsUpper)
    );
    assert_eq!(
        seed002.check("GeenCijfer!!", &ctx),
        Err(PolicyError::NeedsDigit)
    );
    assert_eq!(
        seed002.check("GeenSymbool12", &ctx),
        Err(PolicyError::NeedsSymbol)
    );
    assert_eq!(seed002.check("Zon8-Maan", &ctx), Ok(()));
}

async fn the_policy_reason_is_shown_and_the_password_kept_out_of_the_page(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let r = v
        .post(
            "/settings/password",
            &[
                ("current", PW),
                ("password", "acme-is-mijn-werk"),
                ("repeat", "acme-is-mijn-werk"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains(
            "mag uw naam, e-mailadres, klantnummer of de naam van de organisatie niet bevatten"
        ),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("acme-is-mijn-werk"),
        "a password is never echoed"
    );
    // Seed 002 composition rules, per tenant.
    set(&p, s, "password_min_length", "8").await;
    set(&p, s, "password_composition", "true").await;
    let r = v
        .post(
            "/settings/password",
            &[
                ("current", PW),
                ("password", "zonderhoofdletter1!"),
                ("repeat", "zonderhoofdletter1!"),
            ],
        )
        .await;
    assert!(
        r.body.contains("Gebruik minstens één hoofdletter."),
        "{}",
        r.body
    );
}
db_test!(the_policy_reason_is_shown_and_the_password_kept_out_of_the_page);

async fn changing_the_password_needs_the_current_one(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    // No default admin: a fresh portal has no accounts at all.
    assert!(
        accounts::list(&p.state().db, s, None)
            .await
            .unwrap()
            .is_empty()
    );
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let new = "Rode-auto-op-de-dijk-3";
    let r = v
        .post(
            "/settings/password",
            &[
                ("current", "Niet-het-wachtwoord-1"),
                ("password", new),
                ("repeat", new),
            ],
        )
        .await;
    assert!(r.body.contains("Het huidige wachtwoord klopt niet."));
    let mut other = Visitor::new(&p);
    assert_eq!(
        login_email(&mut other, "jan@example.nl", new).await.status,
        200,
        "unchanged"
    );
    let r = v
        .post(
            "/settings/password",
            &[("current", PW), ("password", new), ("repeat", new)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(v.logged_in().await, "this session stays");
    let mut again = Visitor::new(&p);
    login_email(&mut again, "jan@example.nl", new).await;
    assert!(again.logged_in().await);
    // The owner hears of it.
    assert_eq!(super::mails(&p, s, "auth.password_changed").await.len(), 1);
}
db_test!(changing_the_password_needs_the_current_one);

async fn hashes_are_argon2id_with_own_salts_and_upgrade_at_login(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let a = account(&p, s, Acc::default()).await;
    let b = account(
        &p,
        s,
        Acc {
            customer: "1002",
            email: "piet@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let ha = accounts::by_id(&p.state().db, s, a)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    let hb = accounts::by_id(&p.state().db, s, b)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert!(ha.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ha}");
    assert_ne!(ha, hb, "same password, different salts");
    // A current hash stays as it is at login (one argon2 run, no rehash).
    let runs = p.state().hasher.runs();
    let mut v = Visitor::new(&p);
    login_email(&mut v, "piet@example.nl", PW).await;
    assert!(v.logged_in().await);
    assert_eq!(p.state().hasher.runs() - runs, 1, "only the verify");
    let hb2 = accounts::by_id(&p.state().db, s, b)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert_eq!(hb, hb2, "not rehashed");
    // A hash made with older, weaker parameters is replaced at the next login.
    use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8192, 1, 1, None).unwrap(),
    )
    .hash_password(PW.as_bytes())
    .unwrap()
    .to_string();
    let mut tx = p.state().db.begin().await.unwrap();
    accounts::update(&mut tx, s, a, vec![("password_hash", weak.clone().into())])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(v.logged_in().await);
    let now = accounts::by_id(&p.state().db, s, a)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert_ne!(now, weak);
    assert!(now.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{now}");
}
db_test!(hashes_are_argon2id_with_own_salts_and_upgrade_at_login);

async fn failed_logins_lock_out_and_the_lockout_looks_like_a_wrong_password(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut wrong_bodies = vec![];
    for _ in 0..6 {
        let mut v = Visitor::new(&p);
        let r = login_email(&mut v, "jan@example.nl", "Fout-wachtwoord-99").await;
        wrong_bodies.push(r.status);
    }
    assert!(wrong_bodies.iter().all(|s| *s == 200));
    // Now locked: the right password gets the wrong-password answer.
    let mut v = Visitor::new(&p);
    let r = login_email(&mut v, "jan@example.nl", PW).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"login-failed\""));
    assert!(!v.logged_in().await);
    // An unknown account locks the same way (no hint that it does not exist).
    for _ in 0..6 {
        login_email(
            &mut Visitor::new(&p),
            "niemand@example.nl",
            "Fout-wachtwoord-99",
        )
        .await;
    }
    let locked = portal_core::auth::throttle::locked(
        &p.state().db,
        s,
        &portal_core::auth::flows::identity_key(
            "login",
            portal_core::auth::LoginMode::Email,
            &portal_core::auth::accounts::Identity {
                customer_number: String::new(),
                login: "niemand@example.nl".into(),
            },
        ),
    )
    .await
    .unwrap();
    assert!(locked);
    // Another account is not affected.
    account(
        &p,
        s,
        Acc {
            customer: "1002",
            email: "piet@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut piet = Visitor::new(&p);
    login_email(&mut piet, "piet@example.nl", PW).await;
    assert!(piet.logged_in().await);
    let _ = snapshot(&p, "acme").await;
}
db_test!(failed_logins_lock_out_and_the_lockout_looks_like_a_wrong_password);

/// An empty field is named at the field, in every login mode, and what was
/// typed stays; nothing is looked up (no failed login is counted).
async fn empty_login_fields_are_named_at_the_field(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    for (mode, fields, expect) in [
        (
            "customer_number_email",
            vec![
                ("customer_number", ""),
                ("login", "jan@example.nl"),
                ("password", ""),
            ],
            vec!["error-customer_number", "error-password"],
        ),
        (
            "email",
            vec![("login", ""), ("password", "x")],
            vec!["error-login"],
        ),
        (
            "username",
            vec![("login", "jan"), ("password", "")],
            vec!["error-password"],
        ),
    ] {
        set(&p, s, "login_mode", mode).await;
        let mut v = Visitor::new(&p);
        let r = v.post("/login", &fields).await;
        assert_eq!(r.status, 200, "{mode}");
        for id in &expect {
            assert!(
                r.body.contains(&format!("id=\"{id}\"")),
                "{mode} {id}: {}",
                r.body
            );
        }
        assert!(
            !r.body.contains("id=\"login-failed\""),
            "{mode}: not 'unknown combination'"
        );
        for (name, value) in &fields {
            if !value.is_empty() && *name != "password" {
                assert!(
                    r.body.contains(&format!("value=\"{value}\"")),
                    "{mode}: typed kept"
                );
            }
        }
    }
}
db_test!(empty_login_fields_are_named_at_the_field);

/// Seed 000: the account's name and customer number at the top open the
/// menu with "Instellingen" and "Uitloggen" (a <details>, no JavaScript).
async fn the_account_name_opens_the_account_menu(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    let r = v
        .post(
            "/login",
            &[
                ("customer_number", "1001"),
                ("login", "jan@example.nl"),
                ("password", PW),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let home = v.get("/").await.body;
    let at = home
        .find("<summary class=\"user-menu__toggle\">")
        .expect("the menu's toggle");
    let summary = &home[at..at + home[at..].find("</summary>").unwrap()];
    assert!(
        summary.contains("user-info__name") && summary.contains("1001"),
        "{summary}"
    );
    let menu = &home[at..at + home[at..].find("</details>").unwrap()];
    assert!(
        menu.contains("/settings") && menu.contains("/logout"),
        "{menu}"
    );
}
db_test!(the_account_name_opens_the_account_menu);

/// Finding 2 of the outside-in test: wrong passwords typed elsewhere locked
/// the owner out. A browser that logged in to the account before is counted
/// on its own key, so it logs in at once; a new browser still waits, and
/// the owner's login ends the delay for every browser.
async fn a_browser_that_logged_in_before_is_not_held_back(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut jan = Visitor::new(&p);
    login_email(&mut jan, "jan@example.nl", PW).await;
    assert!(jan.logged_in().await);
    assert!(
        jan.jar.keys().any(|k| k.starts_with("portal_device_")),
        "a device cookie: {:?}",
        jan.jar
    );
    // Jan's session ends; his browser keeps its device cookie.
    jan.jar.retain(|k, _| k.starts_with("portal_device_"));
    let mut attacker = Visitor::new(&p);
    for _ in 0..8 {
        login_email(&mut attacker, "jan@example.nl", "fout-fout-fout").await;
    }
    let mut elsewhere = Visitor::new(&p);
    login_email(&mut elsewhere, "jan@example.nl", PW).await;
    assert!(!elsewhere.logged_in().await, "a new browser waits");
    // A forged device cookie is no way round the delay.
    let mut forger = Visitor::new(&p);
    for (k, v) in &jan.jar {
        let (body, _) = v.rsplit_once('.').unwrap();
        forger
            .jar
            .insert(k.clone(), format!("{body}.{}", "0".repeat(64)));
    }
    login_email(&mut forger, "jan@example.nl", PW).await;
    assert!(!forger.logged_in().await, "a forged device cookie");
    login_email(&mut jan, "jan@example.nl", PW).await;
    assert!(jan.logged_in().await, "Jan's own browser is not held back");
    // Jan proved the password: the delay is over everywhere.
    login_email(&mut elsewhere, "jan@example.nl", PW).await;
    assert!(elsewhere.logged_in().await);
    // Wrong passwords from Jan's own browser still count, on its own key.
    let mut jan2 = Visitor::new(&p);
    jan2.jar = jan.jar.clone();
    jan2.jar.retain(|k, _| k.starts_with("portal_device_"));
    for _ in 0..8 {
        login_email(&mut jan2, "jan@example.nl", "fout-fout-fout").await;
    }
    login_email(&mut jan2, "jan@example.nl", PW).await;
    assert!(
        !jan2.logged_in().await,
        "guessing from a known browser waits too"
    );
}
db_test!(a_browser_that_logged_in_before_is_not_held_back);

/// Finding 2: thirty failures from one address locked every user behind
/// it. The address now counts distinct identities: one person mistyping
/// forty times leaves the office working; thirty-one identities tried from
/// one address still close it.
async fn the_address_limit_counts_identities_not_failures(tdb: TestDb) {
    use portal_core::auth::accounts::Identity;
    use portal_core::auth::flows::Client;
    use portal_core::auth::flows::login::{LoginOutcome, login};
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    account(
        &p,
        s,
        Acc {
            customer: "1002",
            email: "piet@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let snap = p.state().cache.get().await.unwrap();
    let tenant = snap.by_code("acme").unwrap();
    let deps = p.state().deps();
    let who = |login: &str| Identity {
        customer_number: String::new(),
        login: login.into(),
    };
    let from = |ip: &str| Client {
        ip: Some(ip.into()),
        user_agent: None,
    };
    let office = from("203.0.113.7");
    for _ in 0..40 {
        let out = login(&deps, tenant, &who("jan@example.nl"), "fout", &office, None)
            .await
            .unwrap();
        assert!(matches!(out, LoginOutcome::Failed));
    }
    let out = login(&deps, tenant, &who("piet@example.nl"), PW, &office, None)
        .await
        .unwrap();
    assert!(
        matches!(out, LoginOutcome::Session { .. }),
        "a colleague behind the same address logs in: {out:?}"
    );
    let sprayer = from("198.51.100.9");
    for i in 0..31 {
        let typed = format!("gok{i}@example.nl");
        login(&deps, tenant, &who(&typed), "fout", &sprayer, None)
            .await
            .unwrap();
    }
    let out = login(&deps, tenant, &who("piet@example.nl"), PW, &sprayer, None)
        .await
        .unwrap();
    assert!(
        matches!(out, LoginOutcome::Failed),
        "an address that tried 31 identities is held: {out:?}"
    );
}
db_test!(the_address_limit_counts_identities_not_failures);
