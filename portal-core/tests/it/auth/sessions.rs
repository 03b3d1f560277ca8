//! SECURITY.md D (sessions, cookies, CSRF).

use chrono::{Duration, Utc};
use poem::http::Method;
use sea_query::{Expr, ExprTrait, Query};

use super::{Acc, PW, Visitor, account, exec, login_email, set, setup};
use crate::support::{TestDb, db_test, portal_with};
use portal_core::db::Db;
use portal_core::tenant::TenantScope;

async fn login_issues_a_new_session_id_and_the_old_one_is_dead(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let first = v.session().unwrap();
    // A visitor who arrives with a (planted) session cookie gets a new id at login.
    login_email(&mut v, "jan@example.nl", PW).await;
    let second = v.session().unwrap();
    assert_ne!(first, second);
    // Logging in again in the same browser ends the session it had.
    let mut old = Visitor::new(&p);
    old.jar.insert("portal_session".into(), first.clone());
    assert!(
        !old.logged_in().await,
        "the earlier session of this browser ended"
    );
    let mut planted = Visitor::new(&p);
    planted.jar.insert("portal_session".into(), "ab".repeat(32));
    assert!(!planted.logged_in().await, "an unknown id is nobody");
    login_email(&mut planted, "jan@example.nl", PW).await;
    assert_ne!(planted.session().unwrap(), "ab".repeat(32));
    // The id is stored hashed only.
    let rows: Vec<(String,)> = p
        .state()
        .db
        .fetch_all(&s.select("core_sessions").column("token_hash").to_owned())
        .await
        .unwrap();
    assert!(rows.iter().all(|(h,)| *h != first && *h != second));
    assert!(
        rows.iter()
            .any(|(h,)| *h == portal_core::auth::hash_secret(&second))
    );
}
db_test!(login_issues_a_new_session_id_and_the_old_one_is_dead);

async fn the_cookie_is_host_prefixed_secure_httponly_lax_without_domain(tdb: TestDb) {
    let mut config = tdb.config();
    config.web.https = true;
    let p = portal_with(&tdb, config).await;
    let s = crate::support::tenant(&tdb.db, "acme", "Acme").await;
    set(&p, s, "login_mode", "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    let r = login_email(&mut v, "jan@example.nl", PW).await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-portal_session="))
        .expect("a __Host- session cookie over https");
    for part in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain"), "{cookie}");
    assert!(v.logged_in().await);
}
db_test!(the_cookie_is_host_prefixed_secure_httponly_lax_without_domain);

async fn after_logout_the_old_cookie_is_logged_out(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let old = v.session().unwrap();
    let r = v.post("/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert!(v.session().is_none(), "cookie removed");
    // Replaying the old cookie: the server has ended the session.
    let mut replay = Visitor::new(&p);
    replay.jar.insert("portal_session".into(), old);
    assert!(!replay.logged_in().await);
    // Logout over GET does nothing.
    let mut w = Visitor::new(&p);
    login_email(&mut w, "jan@example.nl", PW).await;
    assert_eq!(w.get("/logout").await.status, 405);
    assert!(w.logged_in().await);
}
db_test!(after_logout_the_old_cookie_is_logged_out);

async fn idle_and_absolute_timeouts_are_enforced_on_the_server(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let set_times = |col: &'static str, at: chrono::DateTime<Utc>| {
        Query::update()
            .table("core_sessions")
            .value(col, at)
            .and_where(Expr::col("tenant_id").eq(s.tenant_id()))
            .to_owned()
    };
    // Idle: the default is 60 minutes.
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    exec(
        &p,
        &set_times("last_seen_at", Utc::now() - Duration::minutes(59)),
    )
    .await;
    assert!(v.logged_in().await, "59 minutes idle is fine");
    exec(
        &p,
        &set_times("last_seen_at", Utc::now() - Duration::minutes(61)),
    )
    .await;
    assert!(!v.logged_in().await, "61 minutes idle is not");
    // A tenant setting shortens it.
    set(&p, s, "session_idle_minutes", "10").await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    exec(
        &p,
        &set_times("last_seen_at", Utc::now() - Duration::minutes(11)),
    )
    .await;
    assert!(!v.logged_in().await, "the tenant's 10 minutes");
    // Absolute: a session ends at its expiry however active it is.
    set(&p, s, "session_absolute_hours", "2").await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    #[derive(sqlx::FromRow)]
    struct Times {
        created_at: chrono::DateTime<Utc>,
        expires_at: chrono::DateTime<Utc>,
    }
    portal_core::from_sqlite! {
        Times { created_at, expires_at }
    }
    let t: Vec<Times> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_sessions")
                .columns(["created_at", "expires_at"])
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(t[0].expires_at - t[0].created_at, Duration::hours(2));
    exec(
        &p,
        &set_times("expires_at", Utc::now() - Duration::seconds(1)),
    )
    .await;
    assert!(!v.logged_in().await);
}
db_test!(idle_and_absolute_timeouts_are_enforced_on_the_server);

async fn deactivation_and_staff_apply_to_live_sessions_at_once(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let extra = account(&p, s, Acc::extra()).await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let mut e = Visitor::new(&p);
    login_email(&mut e, "extra@example.nl", PW).await;
    assert!(v.logged_in().await && e.logged_in().await);
    // Deactivating the main account ends its sessions and its extra accounts' (seed 002).
    let r = p
        .req(
            Method::PATCH,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}"),
        )
        .bearer(&token)
        .json(&serde_json::json!({"active": false}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!v.logged_in().await);
    assert!(
        !e.logged_in().await,
        "extra accounts work only while the main account is active"
    );
    let mut again = Visitor::new(&p);
    login_email(&mut again, "extra@example.nl", PW).await;
    assert!(!again.logged_in().await);
    p.req(
        Method::PATCH,
        super::HOST,
        &format!("/api/admin/v1/accounts/{id}"),
    )
    .bearer(&token)
    .json(&serde_json::json!({"active": true}))
    .send()
    .await;
    login_email(&mut e, "extra@example.nl", PW).await;
    assert!(e.logged_in().await);
    // Staff end a user's sessions.
    let r = p
        .req(
            Method::DELETE,
            super::HOST,
            &format!("/api/admin/v1/accounts/{extra}/sessions"),
        )
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert!(!e.logged_in().await);
    // "Log out everywhere" ends this and every other session.
    let mut a = Visitor::new(&p);
    let mut b = Visitor::new(&p);
    login_email(&mut a, "jan@example.nl", PW).await;
    login_email(&mut b, "jan@example.nl", PW).await;
    let r = a.post("/settings/logout-all", &[]).await;
    assert_eq!(r.status, 303);
    assert!(!a.logged_in().await && !b.logged_in().await);
}
db_test!(deactivation_and_staff_apply_to_live_sessions_at_once);

/// A full session of `user`, committed; its cookie value.
async fn new_session(db: &Db, s: TenantScope, user: i64) -> String {
    use portal_core::auth::session;
    let mut tx = db.begin().await.unwrap();
    let c = session::create(
        &mut tx,
        s,
        user,
        session::Stage::Full,
        Duration::hours(8),
        None,
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    c
}

/// Runs `q` (`$t`: the tenant's id) in a transaction of its own, as
/// another process or a hand-written statement would.
async fn change_by_hand(db: &Db, s: TenantScope, q: &str) {
    let mut tx = db.begin().await.unwrap();
    let q = q.replace("$t", &s.tenant_id().to_string());
    tx.execute_raw(Box::leak(q.into_boxed_str())).await.unwrap();
    tx.commit().await.unwrap();
}

/// The tenant's sessions version (0014) and accounts version (0015).
async fn versions(db: &Db, s: TenantScope) -> (i64, i64) {
    let rows: Vec<(i64, i64)> = db
        .fetch_all(
            &s.select("core_access_versions")
                .columns(["sessions_version", "accounts_version"])
                .to_owned(),
        )
        .await
        .unwrap();
    rows[0]
}

/// Sessions kept per process (`auth::session_keep`) follow every change
/// another process (or a hand-written statement) makes, on the next look-up
/// of every process: each answer equals a fresh look-up's. A change that
/// cannot alter an answer (`last_seen_at` moving on; another visitor's
/// session changed, ended or purged) keeps them.
async fn kept_sessions_follow_every_change_at_once(tdb: TestDb) {
    use portal_core::access::parts_cache::PartsCache;
    use portal_core::auth::session::{self, Session};
    use portal_core::auth::session_keep::KeptSessions;

    let (p, s) = setup(&tdb, "email").await;
    let main = account(&p, s, Acc::default()).await;
    let extra = account(&p, s, Acc::extra()).await;
    let extra2 = account(
        &p,
        s,
        Acc {
            email: "extra2@example.nl",
            ..Acc::extra()
        },
    )
    .await;
    let db = &p.state().db;
    let new_session_of = async |user: i64| new_session(db, s, user).await;
    let cookie = new_session_of(extra).await;
    let idle = Duration::hours(1);
    // Two processes on one database.
    let processes = [
        (PartsCache::default(), KeptSessions::default()),
        (PartsCache::default(), KeptSessions::default()),
    ];
    // All of it but the account's last used code step: read from the
    // database where it counts (the code step of a login), it changes no
    // version (0015) so that a tenant's two-factor logins keep its
    // sessions kept.
    let shown = |found: &Option<std::sync::Arc<Session>>| {
        found.as_ref().map(|f| {
            let account = portal_core::auth::accounts::Account {
                totp_last_step: None,
                ..f.account.clone()
            };
            format!(
                "{} {:?} {:?} {:?} {:?} {:?}",
                f.id, f.stage, f.pending_totp, f.selected_customer_id, account, f.principal
            )
        })
    };
    // Each process twice: the first answer may be kept from before the
    // change, the second is kept when the session is live; both must be
    // what a process that never saw the session reads.
    let check = async |what: &str, kept_through: bool| {
        let fresh = session::lookup(
            db,
            &PartsCache::default(),
            &KeptSessions::default(),
            s,
            &cookie,
            idle,
        )
        .await
        .unwrap();
        for (parts, kept) in &processes {
            let hits = kept.hits();
            for _ in 0..2 {
                let found = session::lookup(db, parts, kept, s, &cookie, idle)
                    .await
                    .unwrap();
                assert_eq!(shown(&found), shown(&fresh), "{what}");
            }
            let expected = match (&fresh, kept_through) {
                (None, _) => hits,
                (Some(_), true) => hits + 2,
                (Some(_), false) => hits + 1,
            };
            assert_eq!(
                kept.hits(),
                expected,
                "{what}: answers from the kept session"
            );
        }
        fresh
    };
    assert!(check("at the start", false).await.is_some());
    check("the next pages", true).await;
    let change = async |q: &str| change_by_hand(db, s, q).await;
    let at = |d: Duration| {
        // As the database stores a time: a bound value in each dialect.
        let t = (Utc::now() + d).to_rfc3339();
        if db.backend() == portal_core::db::Backend::Postgres {
            format!("'{t}'::timestamptz")
        } else {
            format!("'{t}'")
        }
    };
    change(&format!(
        "UPDATE core_sessions SET last_seen_at = {} WHERE tenant_id = $t",
        at(Duration::seconds(1))
    ))
    .await;
    check("last seen moved on: nothing an answer holds", true).await;
    change(&format!(
        "UPDATE core_users SET totp_last_step = 4242 WHERE id = {extra}"
    ))
    .await;
    check("the code step a two-factor login writes", true).await;
    change(&format!(
        "UPDATE core_users SET lang = 'en' WHERE id = {extra}"
    ))
    .await;
    let s1 = check("the account's language", false).await.unwrap();
    assert_eq!(s1.account.lang.as_deref(), Some("en"));
    change("UPDATE core_customers SET number = '4711' WHERE tenant_id = $t").await;
    let s2 = check("the customer's number", false).await.unwrap();
    assert_eq!(s2.account.customer_number, "4711");
    change("UPDATE core_sessions SET selected_customer_id = 0 WHERE tenant_id = $t").await;
    let s3 = check("the customer chosen in the switcher", false)
        .await
        .unwrap();
    assert_eq!(s3.selected_customer_id, Some(0));
    change("UPDATE core_sessions SET pending_totp = 'JBSWY3DPEHPK3PXP' WHERE tenant_id = $t").await;
    let s6 = check("a TOTP secret being enabled", false).await.unwrap();
    assert_eq!(s6.pending_totp.as_deref(), Some("JBSWY3DPEHPK3PXP"));
    change("UPDATE core_sessions SET stage = 'totp' WHERE tenant_id = $t").await;
    let s4 = check("back to the code step", false).await.unwrap();
    assert_eq!(s4.stage, session::Stage::Totp);
    change("UPDATE core_sessions SET stage = 'full' WHERE tenant_id = $t").await;
    check("past the code step", false).await.unwrap();
    change(&format!(
        "UPDATE core_sessions SET user_id = {main} WHERE user_id = {extra}"
    ))
    .await;
    let s8 = check("the session moved to another account", false)
        .await
        .unwrap();
    assert_eq!(s8.account.id, main);
    change(&format!(
        "UPDATE core_sessions SET user_id = {extra} WHERE user_id = {main}"
    ))
    .await;
    check("and back", false).await.unwrap();
    change(&format!(
        "INSERT INTO core_user_roles (tenant_id, user_id, role) VALUES ($t, {extra}, 'admin')"
    ))
    .await;
    let s5 = check("a role added", false).await.unwrap();
    assert!(format!("{:?}", s5.principal).contains("admin"));
    // An access change and an account change in one transaction (on
    // PostgreSQL two marks, one per version).
    let mut tx = db.begin().await.unwrap();
    for q in [
        format!("DELETE FROM core_user_roles WHERE user_id = {extra}"),
        format!("UPDATE core_users SET lang = 'nl' WHERE id = {extra}"),
    ] {
        tx.execute_raw(Box::leak(q.into_boxed_str())).await.unwrap();
    }
    tx.commit().await.unwrap();
    let s7 = check("a role taken and the language in one transaction", false)
        .await
        .unwrap();
    assert_eq!(s7.account.lang.as_deref(), Some("nl"));
    // A kept session is this tenant's only.
    let other = crate::support::tenant(db, "other", "Other").await;
    for (parts, kept) in &processes {
        let hits = kept.hits();
        let found = session::lookup(db, parts, kept, other, &cookie, idle)
            .await
            .unwrap();
        assert!(found.is_none(), "the cookie on another tenant");
        assert_eq!(kept.hits(), hits);
    }
    check("still kept on its own tenant", true).await.unwrap();
    // Another visitor's session changing or ending changes nothing this
    // one's look-up returns: it stays kept (the probe reads its own row).
    let theirs = format!("WHERE user_id = {main}");
    new_session_of(main).await;
    for (what, q) in [
        (
            "their switcher",
            format!("UPDATE core_sessions SET selected_customer_id = 0 {theirs}"),
        ),
        (
            "their code step",
            format!("UPDATE core_sessions SET stage = 'totp' {theirs}"),
        ),
        (
            "their TOTP being enabled",
            format!("UPDATE core_sessions SET pending_totp = 'JBSWY3DPEHPK3PXP' {theirs}"),
        ),
        (
            "their last seen moved back",
            format!(
                "UPDATE core_sessions SET last_seen_at = {} {theirs}",
                at(-Duration::hours(2))
            ),
        ),
        (
            "their logout",
            format!("DELETE FROM core_sessions {theirs}"),
        ),
    ] {
        change(&q).await;
        check(what, true).await.unwrap();
    }
    new_session_of(main).await;
    change(&format!(
        "UPDATE core_sessions SET expires_at = {} {theirs}",
        at(Duration::seconds(-1))
    ))
    .await;
    assert_eq!(session::purge_expired(db).await.unwrap(), 1);
    check("expired sessions purged", true).await.unwrap();
    // Changes that end the session (the look-up ends it): each on a new
    // session that both processes keep first.
    let live = async |c: &str| {
        let mut answers = Vec::new();
        for (parts, kept) in &processes {
            answers.push(
                session::lookup(db, parts, kept, s, c, idle)
                    .await
                    .unwrap()
                    .is_some(),
            );
        }
        answers
    };
    let mut ending = vec![
        (
            "the main account deactivated",
            format!("UPDATE core_users SET active = false WHERE id = {main}"),
            format!("UPDATE core_users SET active = true WHERE id = {main}"),
        ),
        (
            "the customer deactivated",
            "UPDATE core_customers SET active = false WHERE tenant_id = $t".to_string(),
            "UPDATE core_customers SET active = true WHERE tenant_id = $t".to_string(),
        ),
        (
            "expired",
            format!(
                "UPDATE core_sessions SET expires_at = {} WHERE tenant_id = $t",
                at(Duration::seconds(-1))
            ),
            String::new(),
        ),
        (
            "idle: last seen moved back past the idle timeout",
            format!(
                "UPDATE core_sessions SET last_seen_at = {} WHERE tenant_id = $t",
                at(-Duration::hours(2))
            ),
            String::new(),
        ),
        (
            "logged out",
            "DELETE FROM core_sessions WHERE tenant_id = $t".to_string(),
            String::new(),
        ),
        (
            "its token changed",
            "UPDATE core_sessions SET token_hash = 'x' || token_hash WHERE tenant_id = $t"
                .to_string(),
            String::new(),
        ),
        (
            "moved to another tenant",
            format!(
                "UPDATE core_sessions SET tenant_id = {} WHERE tenant_id = $t",
                other.tenant_id()
            ),
            String::new(),
        ),
    ];
    if db.backend() == portal_core::db::Backend::Postgres {
        ending.push((
            "sessions truncated",
            "TRUNCATE core_sessions".to_string(),
            String::new(),
        ));
    }
    // Last: no session of this account after it.
    ending.push((
        "the account removed",
        format!("DELETE FROM core_users WHERE id = {extra}"),
        String::new(),
    ));
    for (what, end, undo) in ending {
        let c = new_session_of(extra).await;
        assert_eq!(live(&c).await, [true, true], "{what}: before");
        assert_eq!(live(&c).await, [true, true], "{what}: kept");
        change(&end).await;
        assert_eq!(live(&c).await, [false, false], "{what}");
        if !undo.is_empty() {
            change(&undo).await;
        }
    }
    // The main account removed: an extra account's kept session ends
    // (its own row is untouched; the account's removal changes the number).
    let c = new_session_of(extra2).await;
    assert_eq!(
        live(&c).await,
        [true, true],
        "the main account removed: before"
    );
    assert_eq!(
        live(&c).await,
        [true, true],
        "the main account removed: kept"
    );
    change(&format!("DELETE FROM core_users WHERE id = {main}")).await;
    assert_eq!(live(&c).await, [false, false], "the main account removed");
}
db_test!(kept_sessions_follow_every_change_at_once);

/// During a rolling update a process of the previous release (its probe
/// reads 0014's sessions version alone) runs beside this one: that number
/// must still change with every change, the sessions' own included; the
/// accounts version this release reads changes with accounts, customers
/// and access, not with sessions.
async fn the_previous_releases_sessions_version_still_follows_every_change(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let user = account(&p, s, Acc::default()).await;
    let db = &p.state().db;
    new_session(db, s, user).await;
    let steps = [
        (
            "a switch of customer",
            "UPDATE core_sessions SET selected_customer_id = 0 WHERE tenant_id = $t",
            false,
        ),
        (
            "the code step",
            "UPDATE core_sessions SET stage = 'totp' WHERE tenant_id = $t",
            false,
        ),
        (
            "a logout",
            "DELETE FROM core_sessions WHERE tenant_id = $t",
            false,
        ),
        (
            "a two-factor login's code step",
            "UPDATE core_users SET totp_last_step = 4242 WHERE tenant_id = $t",
            false,
        ),
        (
            "an account's language",
            "UPDATE core_users SET lang = 'en' WHERE tenant_id = $t",
            true,
        ),
        (
            "a customer's name",
            "UPDATE core_customers SET name = 'Anders' WHERE tenant_id = $t",
            true,
        ),
        (
            "a role",
            "DELETE FROM core_user_roles WHERE tenant_id = $t",
            true,
        ),
    ];
    for (what, q, accounts) in steps {
        let (sessions0, accounts0) = versions(db, s).await;
        change_by_hand(db, s, q).await;
        let (sessions1, accounts1) = versions(db, s).await;
        assert_ne!(
            sessions1, sessions0,
            "{what}: the previous release's number"
        );
        assert_eq!(
            accounts1 != accounts0,
            accounts,
            "{what}: this release's number"
        );
        assert!(sessions1 != 0 && accounts1 != 0, "{what}: 0 is never kept");
    }
}
db_test!(the_previous_releases_sessions_version_still_follows_every_change);

/// Every column of an account is in a kept session, so writing any of
/// them changes the accounts version (0015's list of columns), except the
/// last used code step; a column added to `core_users` later fails here
/// until the trigger names it.
async fn every_account_column_but_the_code_step_counts(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let user = account(&p, s, Acc::default()).await;
    let db = &p.state().db;
    let columns: Vec<String> = match db.backend() {
        portal_core::db::Backend::Postgres => sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_name = 'core_users' AND table_schema = current_schema()",
        )
        .fetch_all(db.pg_pool().unwrap())
        .await
        .unwrap(),
        portal_core::db::Backend::Sqlite => {
            let rows: Vec<(String,)> = db
                .fetch_all_across_tenants(
                    &Query::select()
                        .column("name")
                        .from_function(
                            sea_query::Func::cust("pragma_table_info").arg("core_users"),
                            "c",
                        )
                        .to_owned(),
                )
                .await
                .unwrap();
            rows.into_iter().map(|(c,)| c).collect()
        }
    };
    assert!(columns.len() >= 20, "{columns:?}");
    for c in &columns {
        let (_, before) = versions(db, s).await;
        change_by_hand(
            db,
            s,
            &format!("UPDATE core_users SET {c} = {c} WHERE id = {user}"),
        )
        .await;
        let changed = versions(db, s).await.1 != before;
        assert_eq!(changed, c != "totp_last_step", "{c}");
    }
}
db_test!(every_account_column_but_the_code_step_counts);

async fn forms_need_a_csrf_token_and_get_changes_nothing(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    // The login form itself is protected.
    let r = v
        .post_with_token(
            "/login",
            &[("login", "jan@example.nl"), ("password", PW)],
            "forged",
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(v.session().is_none());
    login_email(&mut v, "jan@example.nl", PW).await;
    for path in [
        "/settings/password",
        "/settings/totp",
        "/settings/logout-all",
        "/logout",
        "/settings/language",
    ] {
        let r = v
            .post_with_token(path, &[("current", PW), ("lang", "en")], "")
            .await;
        assert_eq!(r.status, 403, "{path} without a token");
    }
    // Cross-site: refused even with a valid token.
    let token = v.get("/settings").await.csrf_token();
    let cookies = v
        .jar
        .iter()
        .map(|(k, val)| format!("{k}={val}"))
        .collect::<Vec<_>>()
        .join("; ");
    let r = p
        .req(Method::POST, super::HOST, "/logout")
        .header("cookie", &cookies)
        .header("sec-fetch-site", "cross-site")
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}"),
        )
        .send()
        .await;
    assert_eq!(r.status, 403);
    let r = p
        .req(Method::POST, super::HOST, "/logout")
        .header("cookie", &cookies)
        .header("origin", "https://evil.example")
        .body(
            "application/x-www-form-urlencoded",
            format!("_csrf={token}"),
        )
        .send()
        .await;
    assert_eq!(r.status, 403);
    // `Origin: null` (sent from a no-referrer page) passes only with the
    // browser's own same-origin mark, and still needs the token.
    let null_origin = |site: Option<&'static str>, token: String| {
        let mut r = p
            .req(Method::POST, super::HOST, "/settings/language")
            .header("cookie", &cookies)
            .header("origin", "null")
            .body(
                "application/x-www-form-urlencoded",
                format!("_csrf={token}&lang=en"),
            );
        if let Some(site) = site {
            r = r.header("sec-fetch-site", site);
        }
        r.send()
    };
    assert_eq!(null_origin(None, token.clone()).await.status, 403);
    assert_eq!(
        null_origin(Some("same-site"), token.clone()).await.status,
        403
    );
    assert_eq!(
        null_origin(Some("same-origin"), "forged".into())
            .await
            .status,
        403
    );
    assert_eq!(
        null_origin(Some("same-origin"), token.clone()).await.status,
        303
    );
    assert!(v.logged_in().await, "still logged in: nothing changed");
    // No state change over GET.
    for path in [
        "/settings/logout-all",
        "/settings/totp/disable",
        "/register/resend",
    ] {
        assert_eq!(v.get(path).await.status, 405, "{path}");
    }
    assert!(v.logged_in().await);
}
db_test!(forms_need_a_csrf_token_and_get_changes_nothing);

async fn the_language_follows_the_account(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(v.get("/settings").await.body.contains("lang=\"nl\""));
    // The settings page stores it on the account: another browser sees it.
    v.post("/settings/language", &[("lang", "en")]).await;
    let mut other = Visitor::new(&p);
    login_email(&mut other, "jan@example.nl", PW).await;
    assert!(other.get("/settings").await.body.contains("lang=\"en\""));
    // The header switch changes the account's language too.
    let r = other
        .post("/lang", &[("lang", "nl"), ("next", "/settings")])
        .await;
    assert_eq!(r.status, 303);
    assert!(other.get("/settings").await.body.contains("lang=\"nl\""));
    assert!(
        v.get("/settings").await.body.contains("lang=\"nl\""),
        "the account's language"
    );
}
db_test!(the_language_follows_the_account);

/// Finding 4 of the outside-in test: an `Authorization: Bearer` header
/// (even a made-up one) does not excuse a session-authenticated request
/// from the CSRF token; an API request without any credential is a 401,
/// not a CSRF 403.
async fn a_bearer_header_does_not_skip_csrf_for_a_session(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(v.logged_in().await);
    let cookies = v
        .jar
        .iter()
        .map(|(k, val)| format!("{k}={val}"))
        .collect::<Vec<_>>()
        .join("; ");
    let r = p
        .req(Method::POST, &v.host, "/settings/logout-all")
        .header("cookie", &cookies)
        .bearer("made-up")
        .body("application/x-www-form-urlencoded", "")
        .send()
        .await;
    assert_eq!(r.status, 403, "a session needs its token: {}", r.body);
    assert!(v.logged_in().await, "nothing happened");
    // Without a session, the API answers for itself: 401, not a CSRF 403.
    let r = p
        .req(Method::POST, &v.host, "/api/admin/v1/sync/customers")
        .body("application/json", "{\"customers\": []}")
        .send()
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
}
db_test!(a_bearer_header_does_not_skip_csrf_for_a_session);
