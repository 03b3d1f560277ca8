//! The login flows in a real browser (Debian's chromium over chromedriver,
//! driven by WebDriver): invitation mail in the development mailbox -> set
//! password -> log in -> enable 2FA with a code computed from the secret
//! on the page -> log out -> log in with a code -> reset through the
//! mailbox link -> log in. No page needs JavaScript.
//!
//! Without chromedriver on the machine the test says it was skipped;
//! with `PORTAL_TEST_REQUIRE_BROWSER=1` (CI) it fails instead.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::auth::flows::staff::{self, StaffNewAccount, Welcome};
use portal_core::auth::totp::{code_at, now_secs};
use portal_core::{Portal, Registry};

use crate::support::TestDb;

/// chromedriver on a free port, stopped (with its browser) when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ends the browser sessions, then the driver itself.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port)).and_then(|mut s| {
            use std::io::Write;
            s.write_all(b"GET /shutdown HTTP/1.0\r\n\r\n")
        });
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> Option<Driver> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(path) = path else {
        assert!(
            std::env::var("PORTAL_TEST_REQUIRE_BROWSER").is_err(),
            "PORTAL_TEST_REQUIRE_BROWSER is set but chromedriver is not installed"
        );
        eprintln!("SKIPPED: no chromedriver (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver {
        child,
        port,
        _profile: tempfile::TempDir::new().unwrap(),
    })
}

async fn browser(d: &Driver) -> Client {
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1024,768",
                     format!("--user-data-dir={}", d._profile.path().display())]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .unwrap()
}

async fn fill(c: &Client, css: &str, text: &str) {
    let e = wait_for(c, css).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    wait_for(c, &format!("{form} button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The element, once it is there (a few seconds at most: the page after a
/// submit may still be loading on a busy machine).
async fn wait_for(
    c: &Client,
    css: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
}

async fn text(c: &Client, css: &str) -> String {
    wait_for(c, css).await.unwrap().text().await.unwrap()
}

async fn present(c: &Client, css: &str) -> bool {
    wait_for(c, css).await.is_ok()
}

/// Waits (a few seconds at most) until the browser is at `expected`; the
/// path it ended at, with the page's main text when it is elsewhere.
async fn at(c: &Client, expected: &str) -> String {
    let mut now = String::new();
    for _ in 0..50 {
        now = c.current_url().await.unwrap().path().to_string();
        if now == expected {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let main = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    format!("{now}\n{main}")
}

/// Opens the newest mail in the mailbox and follows its link containing `part`.
async fn follow_mail_link(c: &Client, base: &str, part: &str) {
    // The outbox worker puts the mail in the mailbox within moments.
    for _ in 0..50 {
        c.goto(&format!("{base}/mailbox")).await.unwrap();
        if c.find(Locator::Css("td a[href*='/mailbox/']"))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_for(c, "td a[href*='/mailbox/']")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, &format!("pre.mail-text a[href*='{part}']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// A code of a newer step than `last` that the server accepts now.
async fn code_after(secret: &str, last: i64) -> (String, i64) {
    loop {
        let now = i64::try_from(now_secs()).unwrap() / 30;
        let step = (last + 1).max(now - 1);
        if step <= now + 1 {
            return (
                code_at(secret, u64::try_from(step * 30).unwrap()).unwrap(),
                step,
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn log_in(c: &Client, base: &str, email: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#field-login", email).await;
    fill(c, "#field-password", password).await;
    submit(c, "#login-form").await;
}

async fn log_out(c: &Client) {
    // The user menu is a <details>: open it, then the form's button.
    wait_for(c, "summary.user-menu__toggle")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "form.user-menu__logout button")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
        &state,
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
        fill(&c, "#totp-enable-form #field-current", pw).await;
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
