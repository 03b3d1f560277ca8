//! The login flows in a real browser (Debian's chromium over chromedriver,
//! driven by WebDriver): invitation mail in the development mailbox -> set
//! password -> log in -> enable 2FA with a code computed from the secret
//! on the page -> log out -> log in with a code -> reset through the
//! mailbox link -> log in. No page needs JavaScript.
//!
//! Without chromedriver on the machine the test says it was skipped;
//! with `PORTAL_TEST_REQUIRE_BROWSER=1` (CI) it fails instead.

use std::time::Duration;

use fantoccini::Locator;
use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::auth::flows::staff::{self, StaffNewAccount, Welcome};
use portal_core::auth::totp::{code_at, now_secs};
use portal_core::{Portal, Registry};

use crate::support::TestDb;
use crate::webdriver::{
    at, browser, fill, follow_mail_link, log_in, log_out, present, start_driver, submit, text,
    wait_for,
};

/// A code of a newer step than `last` that the server accepts now.
async fn code_after(secret: &str, last: i64) -> (String, i64) {
    loop {
        let now = i64::try_from(now_secs()).unwrap() / 30;
        // The current step, not the one before: the server takes one step
        // either side, so a code from the step before turned stale when the
        // submit crossed a step boundary on a loaded machine.
        let step = (last + 1).max(now);
        if step <= now + 1 {
            return (
                code_at(secret, u64::try_from(step * 30).unwrap()).unwrap(),
                step,
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A portal with tenant `acme` (e-mail login, the test module on) served
/// on a free port with its mail worker; returns its state and base URL.
async fn serve(tdb: &TestDb) -> (std::sync::Arc<portal_core::AppState>, String) {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    let mut config = tdb.config();
    config.bind = format!("127.0.0.1:{port}");
    config.mail.mailbox_pages = true;
    let portal = Portal::with_parts(
        config,
        tdb.db.clone(),
        Registry::from_inventory().unwrap(),
        true,
    )
    .await
    .unwrap();
    let scope = crate::support::tenant(&tdb.db, "acme", "Acme").await;
    let state = portal.state().clone();
    portal_core::tenant::repo::set_setting(
        &state.db,
        scope,
        &state.registry,
        "auth",
        "login_mode",
        Some("email"),
    )
    .await
    .unwrap();
    portal_core::tenant::repo::set_module_enabled(
        &state.db,
        scope,
        &state.registry,
        "testmod",
        true,
    )
    .await
    .unwrap();
    let endpoint = portal.endpoint().unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(endpoint));
    tokio::spawn(state.mailer.clone().run_worker(state.db.clone()));
    // Chromium resolves *.localhost to this machine by itself.
    (state, format!("http://acme.localhost:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_password_2fa_logout_code_login_reset_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let tdb = TestDb::sqlite().await;
    let (state, base) = serve(&tdb).await;

    // Staff invite a new user.
    let tenant = state
        .cache
        .get()
        .await
        .unwrap()
        .by_code("acme")
        .unwrap()
        .clone();
    let n = StaffNewAccount {
        customer_number: "1001".into(),
        customer_name: "Bakkerij Jansen".into(),
        email: "jan@example.nl".into(),
        username: None,
        display_name: "Jan Jansen".into(),
        lang: None,
        extra: false,
        active: true,
        welcome: Welcome::Invite,
    };
    staff::create_account(
        &state.deps(),
        &tenant,
        &portal_core::auth::activity::By::operator(),
        &n,
    )
    .await
    .unwrap()
    .unwrap();

    let c = browser(&driver).await;
    let result = async {
        // Invitation in the mailbox -> set a password.
        follow_mail_link(&c, &base, "/password/set/").await;
        let pw = "Bruine-beer-eet-honing-6";
        fill(&c, "#field-password", pw).await;
        fill(&c, "#field-repeat", pw).await;
        submit(&c, "#password-form").await;
        assert_eq!(at(&c, "/login").await, "/login");
        assert!(present(&c, "#password-set").await);

        // Log in.
        log_in(&c, &base, "jan@example.nl", pw).await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(text(&c, ".user-info").await.contains("jan@example.nl"));

        // Enable 2FA: current password, then the code computed from the secret shown.
        c.goto(&format!("{base}/settings")).await.unwrap();
        fill(&c, "#field-totp-off-current", pw).await;
        submit(&c, "#totp-enable-form").await;
        let secret = text(&c, "#totp-secret").await;
        assert!(
            c.find(Locator::Css(".qr-code svg")).await.is_ok(),
            "QR code on the page"
        );
        let (code, step) = code_after(&secret, 0).await;
        fill(&c, "#field-code", &code).await;
        submit(&c, "#totp-confirm-form").await;
        assert!(present(&c, "#settings-done").await);
        assert!(present(&c, "#totp-disable-form").await, "2FA is on");

        // Log out; log in with password and code.
        log_out(&c).await;
        assert!(present(&c, "#login-bye").await);
        log_in(&c, &base, "jan@example.nl", pw).await;
        assert_eq!(at(&c, "/login/totp").await, "/login/totp");
        let (code, step) = code_after(&secret, step).await;
        fill(&c, "#field-code", &code).await;
        submit(&c, "#totp-form").await;
        assert_eq!(at(&c, "/").await, "/");

        // Forgot the password: reset through the mailbox link.
        log_out(&c).await;
        c.goto(&format!("{base}/password/forgot")).await.unwrap();
        fill(&c, "#field-login", "jan@example.nl").await;
        submit(&c, "#forgot-form").await;
        assert!(present(&c, "#forgot-sent").await);
        follow_mail_link(&c, &base, "/password/reset/").await;
        let new = "Witte-zwaan-op-het-meer-2";
        fill(&c, "#field-password", new).await;
        fill(&c, "#field-repeat", new).await;
        submit(&c, "#password-form").await;
        assert_eq!(at(&c, "/login").await, "/login");

        // Log in with the new password (and, still, the code).
        log_in(&c, &base, "jan@example.nl", new).await;
        assert_eq!(at(&c, "/login/totp").await, "/login/totp");
        let (code, _) = code_after(&secret, step).await;
        fill(&c, "#field-code", &code).await;
        submit(&c, "#totp-form").await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(text(&c, ".user-info").await.contains("1001"));
    };
    // Close the browser whatever happened; the driver's Drop shuts it down after a panic.
    let outcome = tokio::time::timeout(Duration::from_secs(120), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two minutes");
}

/// Seed 001 in a real browser: the admin adds a contact person (an
/// employee) -> the invitation is in the development mailbox -> the new
/// user sets a password, logs in and sees only what an employee may.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_adds_contact_person_who_logs_in_with_the_role_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let tdb = TestDb::sqlite().await;
    let (state, base) = serve(&tdb).await;
    let scope = portal_core::tenant::repo::scope_for_code(&state.db, "acme")
        .await
        .unwrap()
        .unwrap();
    let admin_pw = "Groene-appel-valt-ver-3";
    let hash = state.hasher.hash(admin_pw).await.unwrap();
    let mut tx = state.db.begin().await.unwrap();
    let customer =
        portal_core::auth::accounts::upsert_customer(&mut tx, scope, "2001", "Praktijk Noord")
            .await
            .unwrap();
    portal_core::auth::accounts::insert(
        &mut tx,
        scope,
        &portal_core::auth::accounts::NewAccount {
            customer_id: customer,
            email: "beheer@praktijk.nl".into(),
            is_main: true,
            active: true,
            confirmed: true,
            password_hash: Some(hash),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let c = browser(&driver).await;
    let result = async {
        log_in(&c, &base, "beheer@praktijk.nl", admin_pw).await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(
            c.find(Locator::Css("a[href='/testmod/secret']"))
                .await
                .is_ok(),
            "the admin sees the admin-only entry"
        );
        c.goto(&format!("{base}/organisation")).await.unwrap();
        wait_for(&c, "a.tabs__tab[href='/organisation/contacts']")
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "#contact-add")
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(
            at(&c, "/organisation/contacts/new").await,
            "/organisation/contacts/new"
        );
        fill(&c, "#field-first_name", "Petra").await;
        fill(&c, "#field-last_name", "de Vries").await;
        wait_for(&c, "#field-gender")
            .await
            .unwrap()
            .select_by_value("female")
            .await
            .unwrap();
        fill(&c, "#field-email", "petra@praktijk.nl").await;
        // Employee is ticked by default; Employee+ stays off.
        fill(&c, "#field-current", admin_pw).await;
        submit(&c, "#contact-form").await;
        assert_eq!(
            at(&c, "/organisation/contacts").await,
            "/organisation/contacts"
        );
        assert!(present(&c, "#contacts-done").await);
        assert!(text(&c, "#contact-list").await.contains("Petra de Vries"));
        log_out(&c).await;

        // The invitation: set a password, log in.
        follow_mail_link(&c, &base, "/password/set/").await;
        let pw = "Paarse-olifant-danst-9";
        fill(&c, "#field-password", pw).await;
        fill(&c, "#field-repeat", pw).await;
        submit(&c, "#password-form").await;
        assert_eq!(at(&c, "/login").await, "/login");
        log_in(&c, &base, "petra@praktijk.nl", pw).await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(text(&c, ".user-info").await.contains("petra@praktijk.nl"));
        // An employee: no admin-only entry, no contact persons.
        assert!(
            c.find(Locator::Css("a[href='/testmod/secret']"))
                .await
                .is_err()
        );
        c.goto(&format!("{base}/organisation")).await.unwrap();
        assert!(
            c.find(Locator::Css("a.tabs__tab[href='/organisation/contacts']"))
                .await
                .is_err()
        );
        assert!(
            c.find(Locator::Css("a.tabs__tab[href='/organisation/personal']"))
                .await
                .is_ok()
        );
        c.goto(&format!("{base}/organisation/contacts"))
            .await
            .unwrap();
        assert!(
            c.find(Locator::Css("#contact-list")).await.is_err(),
            "404 for an employee"
        );
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two minutes");
}
