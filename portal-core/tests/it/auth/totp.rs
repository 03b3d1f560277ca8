//! SECURITY.md B (two-factor): replay, the time window, enabling with the
//! password and a first code, the in-between step, after a reset, disabling,
//! staff reset with a mail, rate limits.

use portal_core::auth::accounts;
use portal_core::auth::totp::{self, code_at, now_secs};
use sea_query::{Expr, ExprTrait};

use super::{Acc, PW, Visitor, account, login_email, mails, setup};
use crate::support::{TestDb, TestPortal, db_test};

/// The secret shown on the setup page.
fn secret_on(body: &str) -> String {
    let at = body
        .find("id=\"totp-secret\">")
        .expect("setup page shows the secret")
        + 17;
    body[at..at + body[at..].find('<').unwrap()].to_string()
}

/// Enables 2FA through the settings page; returns the secret and the step used.
async fn enable(v: &mut Visitor<'_>) -> (String, i64) {
    let r = v.post("/settings/totp", &[("current", PW)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<svg"), "QR code inline");
    let secret = secret_on(&r.body);
    let now = now_secs();
    let r = v
        .post(
            "/settings/totp/confirm",
            &[("code", &code_at(&secret, now).unwrap())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    (secret, i64::try_from(now / 30).unwrap())
}

/// A code for a step after `last` that the server accepts now (waits when needed).
async fn next_code(secret: &str, last: i64) -> (String, i64) {
    loop {
        let now = i64::try_from(now_secs()).unwrap();
        let step = std::cmp::max(last + 1, now / 30 - 1);
        if step <= now / 30 + 1 {
            return (
                code_at(secret, u64::try_from(step * 30).unwrap()).unwrap(),
                step,
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

async fn user_with_totp(p: &TestPortal) -> (Visitor<'_>, String, i64) {
    let mut v = Visitor::new(p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(v.logged_in().await);
    let (secret, step) = enable(&mut v).await;
    (v, secret, step)
}

#[test]
fn codes_one_step_off_are_accepted_two_are_not_and_none_twice() {
    let secret = totp::new_secret();
    // 160 bits = 32 base32 characters.
    assert_eq!(secret.len(), 32);
    assert_ne!(secret, totp::new_secret());
    let t = 1_800_000_000u64;
    let step = i64::try_from(t / 30).unwrap();
    for (offset, ok) in [
        (-60i64, false),
        (-30, true),
        (0, true),
        (30, true),
        (60, false),
    ] {
        let code = code_at(&secret, t.checked_add_signed(offset).unwrap()).unwrap();
        let same_as_now = code == code_at(&secret, t).unwrap();
        let got = totp::check(&secret, &code, t, None);
        assert_eq!(got.is_some(), ok || same_as_now, "offset {offset}");
        if ok {
            assert_eq!(got, Some(step + offset / 30));
        }
    }
    // The same code again (its step is now the last used one): refused.
    let code = code_at(&secret, t).unwrap();
    assert_eq!(totp::check(&secret, &code, t, Some(step)), None);
    // A newer step after it is fine.
    let next = code_at(&secret, t + 30).unwrap();
    assert_eq!(totp::check(&secret, &next, t, Some(step)), Some(step + 1));
    assert_eq!(totp::check(&secret, "12345", t, None), None);
    assert_eq!(totp::check(&secret, "abcdef", t, None), None);
}

async fn a_code_is_accepted_once_and_the_step_between_is_logged_out(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let (_v, secret, step) = user_with_totp(&p).await;
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert!(a.totp_secret.is_some());
    assert_eq!(a.totp_last_step, Some(step));

    // A second browser at the code step, its session kept by the process
    // before the first uses the code below (the step a login writes
    // changes no kept session's version, 0015).
    let mut w = Visitor::new(&p);
    login_email(&mut w, "jan@example.nl", PW).await;
    for _ in 0..2 {
        assert_eq!(w.get("/login/totp").await.status, 200);
    }
    let mut v = Visitor::new(&p);
    let r = login_email(&mut v, "jan@example.nl", PW).await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/login/totp"));
    let between = v.session().expect("a first-step session");
    // Between password and code every protected page answers as logged out.
    for path in ["/", "/settings"] {
        let r = v.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(r.header("location").starts_with("/login"), "{path}");
    }
    let r = v.post("/settings/logout-all", &[]).await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/login"));
    // The code of the step already used at enabling: refused.
    let used = code_at(&secret, u64::try_from(step * 30).unwrap()).unwrap();
    let r = v
        .post("/login/totp", &[("code", &used), ("next", "/")])
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Deze code klopt niet"));
    assert!(!v.logged_in().await);
    let (code, _) = next_code(&secret, step).await;
    let r = v
        .post("/login/totp", &[("code", &code), ("next", "/settings")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/settings");
    assert_ne!(
        v.session().unwrap(),
        between,
        "a new session id after the code"
    );
    assert!(v.logged_in().await);
    // The same code once more, in the other browser (its session kept
    // with the account as it was before the code was used): refused,
    // counted and logged as a wrong code.
    let failed = async || -> usize {
        let rows: Vec<(i64,)> = p
            .state()
            .db
            .fetch_all(
                &s.select("core_activity")
                    .column("id")
                    .and_where(Expr::col("action").eq("login.totp_failed"))
                    .to_owned(),
            )
            .await
            .unwrap();
        rows.len()
    };
    let before = failed().await;
    let r = w
        .post("/login/totp", &[("code", &code), ("next", "/")])
        .await;
    assert!(r.body.contains("Deze code klopt niet"));
    assert!(!w.logged_in().await);
    assert_eq!(failed().await, before + 1, "logged as a wrong code");
    // In a login after it: refused as well.
    let mut x = Visitor::new(&p);
    login_email(&mut x, "jan@example.nl", PW).await;
    let r = x
        .post("/login/totp", &[("code", &code), ("next", "/")])
        .await;
    assert!(r.body.contains("Deze code klopt niet"));
    assert!(!x.logged_in().await);
}
db_test!(a_code_is_accepted_once_and_the_step_between_is_logged_out);

async fn enabling_needs_the_password_and_keeps_the_secret_only_after_a_code(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let r = v
        .post("/settings/totp", &[("current", "Niet-het-wachtwoord-1")])
        .await;
    assert!(r.body.contains("Het huidige wachtwoord klopt niet."));
    assert!(!r.body.contains("totp-secret"));
    let r = v.post("/settings/totp", &[("current", PW)]).await;
    let secret = secret_on(&r.body);
    assert_eq!(r.header("cache-control"), "no-store");
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        a.totp_secret.is_none(),
        "not on the account before a code verifies"
    );
    let r = v
        .post("/settings/totp/confirm", &[("code", "000000")])
        .await;
    assert!(r.body.contains("Deze code klopt niet"));
    assert!(
        accounts::by_id(&p.state().db, s, id)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .is_none()
    );
    let before = v.session().unwrap();
    let code = code_at(&secret, now_secs()).unwrap();
    let r = v.post("/settings/totp/confirm", &[("code", &code)]).await;
    assert_eq!(r.status, 303);
    assert_ne!(
        v.session().unwrap(),
        before,
        "a privilege change gets a new session id"
    );
    assert!(v.logged_in().await);
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.totp_secret.as_deref(), Some(secret.as_str()));
}
db_test!(enabling_needs_the_password_and_keeps_the_secret_only_after_a_code);

async fn after_a_password_reset_the_code_is_still_asked(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let (_v, secret, step) = user_with_totp(&p).await;
    let mut v = Visitor::new(&p);
    v.post("/password/forgot", &[("login", "jan@example.nl")])
        .await;
    let mail = &mails(&p, s, "auth.reset").await[0];
    let path = super::path_of(&super::link_in(mail, "/password/reset/"));
    let new = "Nieuw-en-lang-wachtwoord-5";
    let r = v.post(&path, &[("password", new), ("repeat", new)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = login_email(&mut v, "jan@example.nl", new).await;
    assert!(
        r.header("location").starts_with("/login/totp"),
        "still two steps"
    );
    assert!(!v.logged_in().await);
    let (code, _) = next_code(&secret, step).await;
    v.post("/login/totp", &[("code", &code), ("next", "/")])
        .await;
    assert!(v.logged_in().await);
}
db_test!(after_a_password_reset_the_code_is_still_asked);

async fn disabling_needs_the_password_and_a_staff_reset_mails_the_user(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let (mut v, _secret, _) = user_with_totp(&p).await;
    let r = v
        .post(
            "/settings/totp/disable",
            &[("current", "Niet-het-wachtwoord-1")],
        )
        .await;
    assert!(r.body.contains("Het huidige wachtwoord klopt niet."));
    assert!(
        accounts::by_id(&p.state().db, s, id)
            .await
            .unwrap()
            .unwrap()
            .totp_enabled()
    );
    let r = v.post("/settings/totp/disable", &[("current", PW)]).await;
    assert_eq!(r.status, 303);
    assert!(
        !accounts::by_id(&p.state().db, s, id)
            .await
            .unwrap()
            .unwrap()
            .totp_enabled()
    );

    // Staff reset (seed 000: the user lost their phone) mails the user.
    let (_v2, _, _) = {
        let mut v = Visitor::new(&p);
        login_email(&mut v, "jan@example.nl", PW).await;
        let (secret, step) = enable(&mut v).await;
        (v, secret, step)
    };
    let tenant = super::snapshot(&p, "acme").await;
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    portal_core::auth::flows::staff::reset_totp(
        &p.state().deps(),
        &tenant,
        &portal_core::auth::activity::By::operator(),
        &a,
    )
    .await
    .unwrap();
    assert!(
        !accounts::by_id(&p.state().db, s, id)
            .await
            .unwrap()
            .unwrap()
            .totp_enabled()
    );
    let notice = mails(&p, s, "auth.totp_reset").await;
    assert_eq!(notice.len(), 1);
    assert_eq!(notice[0].to_address, "jan@example.nl");
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(v.logged_in().await, "one step again");
}
db_test!(disabling_needs_the_password_and_a_staff_reset_mails_the_user);

async fn wrong_codes_are_limited_per_account(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let (_v, secret, step) = user_with_totp(&p).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    for _ in 0..6 {
        let r = v
            .post("/login/totp", &[("code", "000000"), ("next", "/")])
            .await;
        assert!(r.body.contains("Deze code klopt niet"));
    }
    // Locked: even the right code is refused now, in this and a new login.
    let (code, _) = next_code(&secret, step).await;
    let r = v
        .post("/login/totp", &[("code", &code), ("next", "/")])
        .await;
    assert!(r.body.contains("Deze code klopt niet"));
    assert!(!v.logged_in().await);
    let mut w = Visitor::new(&p);
    login_email(&mut w, "jan@example.nl", PW).await;
    w.post("/login/totp", &[("code", &code), ("next", "/")])
        .await;
    assert!(!w.logged_in().await);
}
db_test!(wrong_codes_are_limited_per_account);

/// No two fields of the settings page share an id: the password form and
/// the two-step form each have a `current` password, and each label names
/// its own field.
async fn settings_page_fields_have_their_own_ids(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut c = Visitor::new(&p);
    login_email(&mut c, "jan@example.nl", PW).await;
    let page = c.get("/settings").await.body;
    assert_eq!(page.matches("id=\"field-current\"").count(), 1, "{page}");
    assert!(
        page.contains("for=\"field-totp-off-current\"")
            && page.contains("id=\"field-totp-off-current\"")
    );
}
db_test!(settings_page_fields_have_their_own_ids);
