//! The staff pages at `/staff`: login with required 2FA, customer search,
//! account details and activity, reset, view-as-customer (read-only,
//! banner, audited), tenant separation, and scoped, revocable API keys.

use portal_core::auth::{accounts, activity, totp};
use portal_core::staff::{StaffRole, members};
use portal_core::tenant::TenantScope;
use sea_query::ExprTrait;

use crate::auth::{Acc, PW, Visitor, account, login_email, mails, set, setup};
use crate::support::{TestDb, TestPortal, db_test, tenant};

const STAFF_PW: &str = "Staf-wachtwoord-lang-42!";

async fn staff_member(p: &TestPortal, s: TenantScope, email: &str, role: StaffRole) -> i64 {
    let hash = p.state().hasher.hash(STAFF_PW).await.unwrap();
    members::create(&p.state().db, s, email, "Sanne Staf", role, &hash)
        .await
        .unwrap()
}

fn secret_on(page: &str) -> String {
    let at = page
        .find("id=\"totp-secret\">")
        .expect("the setup page shows the secret")
        + 17;
    page[at..at + page[at..].find('<').unwrap()].to_string()
}

/// Logs in as staff, setting up 2FA the first time; returns the secret.
async fn staff_login(v: &mut Visitor<'_>, email: &str, secret: Option<&str>) -> String {
    let r = v
        .post("/staff/login", &[("email", email), ("password", STAFF_PW)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let next = r.header("location").to_string();
    let secret = match secret {
        Some(s) => {
            assert!(next.ends_with("/staff/login/code"), "{next}");
            s.to_string()
        }
        None => {
            assert!(next.ends_with("/staff/login/setup"), "{next}");
            // Not in yet: every staff page answers as logged out.
            let home = v.get("/staff").await;
            assert_eq!(home.status, 303);
            assert!(home.header("location").ends_with("/staff/login"));
            secret_on(&v.get("/staff/login/setup").await.body)
        }
    };
    let code = totp::code_at(&secret, totp::now_secs()).unwrap();
    let r = v
        .post("/staff/login/code", &[("code", code.as_str())])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").ends_with("/staff"));
    secret
}

/// The staff password step for `beheer@acme.nl`.
async fn admin_password(v: &mut Visitor<'_>, pw: &str) -> crate::support::Resp {
    v.post(
        "/staff/login",
        &[("email", "beheer@acme.nl"), ("password", pw)],
    )
    .await
}

/// Finding 2 for staff: wrong passwords typed elsewhere cannot keep an
/// administrator out of a browser they logged in with before; a new
/// browser waits; a colleague behind the same address is not held back.
async fn a_staff_browser_that_logged_in_before_is_not_held_back(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "beheer@acme.nl", StaffRole::Admin).await;
    staff_member(&p, s, "collega@acme.nl", StaffRole::Support).await;
    let mut own = Visitor::new(&p);
    staff_login(&mut own, "beheer@acme.nl", None).await;
    let device = |v: &Visitor<'_>| v.jar.keys().any(|k| k.starts_with("portal_staff_device_"));
    assert!(device(&own), "a staff device cookie: {:?}", own.jar);
    // The session ends; the browser keeps its device cookie.
    own.jar.retain(|k, _| k.starts_with("portal_staff_device_"));
    let mut attacker = Visitor::new(&p);
    for _ in 0..8 {
        admin_password(&mut attacker, "fout-fout-fout").await;
    }
    let mut elsewhere = Visitor::new(&p);
    let r = admin_password(&mut elsewhere, STAFF_PW).await;
    assert_eq!(r.status, 200, "a new browser waits");
    assert!(r.body.contains("id=\"login-failed\""));
    let r = admin_password(&mut own, STAFF_PW).await;
    assert_eq!(r.status, 303, "the member's own browser is not held back");
    assert!(r.header("location").ends_with("/staff/login/code"));
    // The member proved the password: the delay is over everywhere.
    let r = admin_password(&mut elsewhere, STAFF_PW).await;
    assert_eq!(r.status, 303);
    // Eight failures of one e-mail are one identity for the address.
    let mut colleague = Visitor::new(&p);
    staff_login(&mut colleague, "collega@acme.nl", None).await;
}
db_test!(a_staff_browser_that_logged_in_before_is_not_held_back);

async fn staff_login_needs_two_factor(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let mut v = Visitor::new(&p);
    // A wrong password: the same page as an unknown address.
    let wrong = v
        .post(
            "/staff/login",
            &[("email", "staf@acme.nl"), ("password", "fout")],
        )
        .await;
    let unknown = v
        .post(
            "/staff/login",
            &[("email", "niemand@acme.nl"), ("password", "fout")],
        )
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("id=\"login-failed\""));
    assert_eq!(
        wrong.body.replace(char::is_numeric, ""),
        unknown
            .body
            .replace(char::is_numeric, "")
            .replace("niemand", "staf"),
    );
    // The time of the setup's code: the replay below must use that step's
    // code even when a 30-second step ends before it (a new step's code is
    // a different, valid one).
    let setup_at = totp::now_secs();
    let secret = staff_login(&mut v, "staf@acme.nl", None).await;
    let home = v.get("/staff").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("id=\"staff-search\""));
    // The next login asks for the code; a wrong one keeps the door shut.
    let r = v.post("/staff/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(v.get("/staff").await.status, 303);
    let r = v
        .post(
            "/staff/login",
            &[("email", "staf@acme.nl"), ("password", STAFF_PW)],
        )
        .await;
    assert!(r.header("location").ends_with("/staff/login/code"));
    let r = v.post("/staff/login/code", &[("code", "000000")]).await;
    assert_eq!(r.status, 200);
    assert_eq!(v.get("/staff").await.status, 303);
    // The code already used at setup cannot be used again in its step.
    let used = totp::code_at(&secret, setup_at).unwrap();
    let r = v
        .post("/staff/login/code", &[("code", used.as_str())])
        .await;
    assert_eq!(r.status, 200, "a replayed code is refused");
    // A customer's session is not a staff session.
    account(&p, s, Acc::default()).await;
    let mut c = Visitor::new(&p);
    login_email(&mut c, "jan@example.nl", PW).await;
    assert_eq!(c.get("/staff").await.status, 303);
}
db_test!(staff_login_needs_two_factor);

async fn staff_find_reset_and_see_activity(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let id = account(&p, s, Acc::default()).await;
    let mut user = Visitor::new(&p);
    login_email(&mut user, "jan@example.nl", PW).await;
    assert!(user.logged_in().await);
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let found = v.get("/staff?q=1001").await;
    assert!(found.body.contains("/staff/customers/"), "{}", found.body);
    let by_mail = v.get("/staff?q=JAN@example").await;
    assert!(by_mail.body.contains("/staff/customers/"));
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    let page = v.get(&format!("/staff/customers/{}", a.customer_id)).await;
    assert!(page.body.contains("jan@example.nl"));
    let r = v.post(&format!("/staff/accounts/{id}/reset"), &[]).await;
    assert_eq!(r.status, 303);
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert!(a.password_hash.is_none() && a.totp_secret.is_none());
    assert!(
        !user.logged_in().await,
        "the reset ended the user's session"
    );
    assert_eq!(
        mails(&p, s, "auth.reset").await.len(),
        1,
        "a new link was sent"
    );
    let log = activity::for_user(&p.state().db, s, id, 50).await.unwrap();
    let reset = log.iter().find(|e| e.action == "account.reset").unwrap();
    assert_eq!(reset.actor, "staff");
    assert!(reset.actor_id.is_some());
    let page = v.get(&format!("/staff/accounts/{id}")).await;
    assert!(page.body.contains("id=\"activity-list\""));
    assert!(
        page.body.contains("Portaalaccount gereset"),
        "{}",
        page.body
    );
    // A support member has no API keys or settings pages.
    assert_eq!(v.get("/staff/api-keys").await.status, 404);
    assert_eq!(v.get("/staff/settings").await.status, 404);
}
db_test!(staff_find_reset_and_see_activity);

async fn view_as_customer_is_read_only_and_audited(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let id = account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let r = v.post(&format!("/staff/accounts/{id}/view-as"), &[]).await;
    assert_eq!(r.status, 303);
    let home = v.get("/settings").await;
    assert_eq!(home.status, 200, "the customer's own pages open");
    assert!(home.body.contains("id=\"view-as-banner\""));
    assert!(home.body.contains("jan@example.nl"));
    // Every unsafe request is refused with a message that says why.
    let before = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    for (path, fields) in [
        ("/settings/language", vec![("lang", "en")]),
        (
            "/settings/password",
            vec![
                ("current", PW),
                ("password", "Nieuw-wachtwoord-99!"),
                ("repeat", "Nieuw-wachtwoord-99!"),
            ],
        ),
        (
            "/organisation/personal",
            vec![
                ("first_name", "X"),
                ("last_name", "Y"),
                ("email", "x@y.nl"),
                ("current", PW),
            ],
        ),
        ("/logout", vec![]),
    ] {
        let r = v.post(path, &fields).await;
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("Alleen lezen"), "{path}: {}", r.body);
    }
    let after = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(before.lang, after.lang);
    assert_eq!(before.password_hash, after.password_hash);
    assert_eq!(before.email, after.email);
    // The language and customer switches work, for the staff member's
    // browser only: the customer's own language stays.
    let r = v.post("/lang", &[("lang", "en"), ("next", "/")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let home = v.get("/").await.body;
    assert!(home.contains("lang=\"en\""), "the pages are in English now");
    let r = v
        .post("/customer", &[("customer", "0"), ("next", "/")])
        .await;
    assert_ne!(r.status, 403, "{}", r.body);
    let after = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(before.lang, after.lang, "the customer's language is theirs");
    // The way back, and the log of both ends.
    let r = v.post("/staff/view-as/end", &[]).await;
    assert_eq!(r.status, 303);
    assert!(
        r.header("location")
            .ends_with(&format!("/staff/accounts/{id}"))
    );
    let page = v.get("/settings").await;
    assert!(!page.body.contains("id=\"view-as-banner\""));
    assert_eq!(page.status, 303, "no customer session of its own");
    let log = activity::for_user(&p.state().db, s, id, 50).await.unwrap();
    for action in ["view_as.started", "view_as.ended"] {
        let e = log.iter().find(|e| e.action == action).unwrap();
        assert_eq!(e.actor, "staff", "{action}");
    }
}
db_test!(view_as_customer_is_read_only_and_audited);

async fn staff_of_one_tenant_reach_nothing_of_another(tdb: TestDb) {
    let (p, a) = setup(&tdb, "email").await;
    let b = tenant(&tdb.db, "beta", "Beta").await;
    staff_member(&p, a, "staf@acme.nl", StaffRole::Admin).await;
    let theirs = account(
        &p,
        b,
        Acc {
            customer: "9009",
            email: "klant@beta.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let other = v.get(&format!("/staff/accounts/{theirs}")).await;
    let missing = v.get("/staff/accounts/999999").await;
    assert_eq!(other.status, 404);
    assert_eq!(missing.status, 404);
    assert_eq!(
        other.body.replace(char::is_numeric, ""),
        missing.body.replace(char::is_numeric, "")
    );
    assert_eq!(
        v.post(&format!("/staff/accounts/{theirs}/view-as"), &[])
            .await
            .status,
        404
    );
    assert_eq!(
        v.post(&format!("/staff/accounts/{theirs}/reset"), &[])
            .await
            .status,
        404
    );
    let c = accounts::by_id(&p.state().db, b, theirs)
        .await
        .unwrap()
        .unwrap();
    assert!(c.password_hash.is_some(), "untouched");
    // The staff cookie means nothing on the other tenant's host.
    let mut on_b = Visitor::on(&p, "beta.localhost");
    on_b.jar = v.jar.clone();
    let r = on_b.get("/staff").await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").ends_with("/staff/login"));
}
db_test!(staff_of_one_tenant_reach_nothing_of_another);

async fn api_keys_are_scoped_shown_once_and_revocable(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "baas@acme.nl", StaffRole::Admin).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "baas@acme.nl", None).await;
    let bad = v
        .post(
            "/staff/api-keys",
            &[("name", "x"), ("scopes", "sync,alles")],
        )
        .await;
    assert!(bad.body.contains("id=\"key-error\""));
    let empty = v
        .post("/staff/api-keys", &[("name", "x"), ("scopes", " ")])
        .await;
    assert!(
        empty.body.contains("id=\"key-error\""),
        "an empty scope is not full access"
    );
    let r = v
        .post(
            "/staff/api-keys",
            &[("name", "sync-job"), ("scopes", "sync")],
        )
        .await;
    assert_eq!(r.status, 200);
    let at = r.body.find("id=\"new-key-value\">").unwrap() + 19;
    let key = r.body[at..at + r.body[at..].find('<').unwrap()].to_string();
    assert!(key.starts_with("pt_"));
    let list = v.get("/staff/api-keys").await.body;
    assert!(
        list.contains("sync-job") && !list.contains(&key),
        "shown once only"
    );
    let call = |path: &'static str, key: String| {
        let p = &p;
        async move {
            p.req(poem::http::Method::GET, crate::auth::HOST, path)
                .bearer(&key)
                .send()
                .await
                .status
        }
    };
    assert_eq!(
        call("/api/admin/v1/accounts", key.clone()).await,
        401,
        "outside its scope"
    );
    assert_eq!(call("/api/admin/v1/tenant", key.clone()).await, 401);
    let body = serde_json::json!({ "customers": [{"external_id": "K1", "number": "100", "name": "Klant"}] });
    let r = p
        .req(
            poem::http::Method::POST,
            crate::auth::HOST,
            "/api/admin/v1/sync/customers",
        )
        .bearer(&key)
        .json(&body)
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let keys = portal_core::tenant::repo::api_keys(&p.state().db, s)
        .await
        .unwrap();
    let k = keys.iter().find(|k| k.name == "sync-job").unwrap();
    assert!(k.last_used_at.is_some());
    let r = v
        .post(&format!("/staff/api-keys/{}/revoke", k.id), &[])
        .await;
    assert_eq!(r.status, 303);
    let r = p
        .req(
            poem::http::Method::POST,
            crate::auth::HOST,
            "/api/admin/v1/sync/customers",
        )
        .bearer(&key)
        .json(&body)
        .send()
        .await;
    assert_eq!(r.status, 401, "revoked");
    // The permissions page lists what roles hold.
    assert_eq!(v.get("/staff/permissions").await.status, 200);
}
db_test!(api_keys_are_scoped_shown_once_and_revocable);

async fn tenant_changes_are_in_the_staff_activity_log(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "baas@acme.nl", StaffRole::Admin).await;
    let token =
        portal_core::tenant::repo::create_api_token(&p.state().db, s, "huisstijl", "tenant")
            .await
            .unwrap();
    let r = p
        .req(
            poem::http::Method::PUT,
            crate::auth::HOST,
            "/api/admin/v1/branding/colours",
        )
        .bearer(&token)
        .json(&serde_json::json!({"primary": "#5a1e6e"}))
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // A bearer scheme in lower case is the same key, logged alike.
    let r = p
        .req(
            poem::http::Method::PUT,
            crate::auth::HOST,
            "/api/admin/v1/branding/colours",
        )
        .header("authorization", &format!("bearer  {token}"))
        .json(&serde_json::json!({"primary": "#5a1e6f"}))
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // A refused change is not logged as a change.
    let r = p
        .req(
            poem::http::Method::PUT,
            crate::auth::HOST,
            "/api/admin/v1/branding/colours",
        )
        .bearer(&token)
        .json(&serde_json::json!({"primary": "geen-kleur"}))
        .send()
        .await;
    assert_eq!(r.status, 400);
    let log = activity::for_tenant(&p.state().db, s, 50).await.unwrap();
    let changes: Vec<_> = log
        .iter()
        .filter(|e| e.action == "branding.changed")
        .collect();
    assert_eq!(changes.len(), 2, "{log:?}");
    let key = portal_core::tenant::repo::api_keys(&p.state().db, s)
        .await
        .unwrap();
    for c in changes {
        assert_eq!(c.actor, "api_key");
        assert_eq!(c.actor_id, Some(key[0].id));
    }
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "baas@acme.nl", None).await;
    let page = v.get("/staff/activity").await;
    assert!(page.body.contains("Huisstijl gewijzigd"), "{}", page.body);
    assert!(
        page.body.contains("Medewerker ingelogd")
            || page.body.contains("2FA voor medewerker ingesteld")
    );
}
db_test!(tenant_changes_are_in_the_staff_activity_log);

async fn staff_change_colours_and_page_messages(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Editor).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    // Too little contrast: refused with the field named, input kept.
    let r = v
        .post(
            "/staff/branding/colours",
            &[("primary", "#777777"), ("primary_text", "#888888")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("error-summary") && r.body.contains("value=\"#777777\""),
        "{}",
        r.body
    );
    let r = v
        .post(
            "/staff/branding/colours",
            &[("primary", "#5a1e6e"), ("primary_text", "#ffffff")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let css = v.get("/branding/brand.css").await.body;
    assert!(css.contains("#5a1e6e"), "{css}");
    // A message with a script: the script is gone, the text stays.
    let r = v
        .post(
            "/staff/messages",
            &[
                ("page", "/"),
                ("kind", "important"),
                (
                    "html",
                    "<p><b>Storing</b> vandaag<script>alert(1)</script></p>",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    account(&p, s, Acc::default()).await;
    let mut c = Visitor::new(&p);
    login_email(&mut c, "jan@example.nl", PW).await;
    let home = c.get("/").await.body;
    assert!(
        home.contains("<b>Storing</b> vandaag") && !home.contains("<script>alert"),
        "{home}"
    );
    let r = v
        .post(
            "/staff/messages",
            &[("page", "geen pad"), ("kind", "neutral"), ("html", "x")],
        )
        .await;
    assert!(r.body.contains("id=\"message-error\""));
    let id = p
        .state()
        .cache
        .get()
        .await
        .unwrap()
        .by_code("acme")
        .unwrap()
        .messages[0]
        .id;
    assert_eq!(
        v.post(&format!("/staff/messages/{id}/delete"), &[])
            .await
            .status,
        303
    );
    assert_eq!(
        v.post(&format!("/staff/messages/{id}/delete"), &[])
            .await
            .status,
        404
    );
    assert!(!c.get("/").await.body.contains("Storing"));
    let log = activity::for_tenant(&p.state().db, s, 20).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "branding.changed" && e.actor == "staff")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "messages.changed" && e.actor == "staff")
    );
}
db_test!(staff_change_colours_and_page_messages);

/// Each staff role reaches the pages its permissions name and gets a 404
/// elsewhere, and its navigation shows exactly those pages.
async fn staff_roles_reach_only_their_pages(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let customer = account(&p, s, Acc::default()).await;
    let c = accounts::by_id(&p.state().db, s, customer)
        .await
        .unwrap()
        .unwrap();
    let customer_page = format!("/staff/customers/{}", c.customer_id);
    let pages: [(&str, [u16; 3]); 10] = [
        // path: [admin, support, editor]
        (customer_page.as_str(), [200, 200, 404]),
        ("/staff/activity", [200, 200, 404]),
        ("/staff/requests", [200, 200, 404]),
        ("/staff/permissions", [200, 200, 404]),
        ("/staff/messages", [200, 200, 200]),
        ("/staff/branding", [200, 404, 200]),
        ("/staff/templates", [200, 404, 200]),
        ("/staff/api-keys", [200, 404, 404]),
        ("/staff/settings", [200, 404, 404]),
        ("/staff/members", [200, 404, 404]),
    ];
    for (i, (role, email)) in [
        (StaffRole::Admin, "baas@acme.nl"),
        (StaffRole::Support, "staf@acme.nl"),
        (StaffRole::Editor, "redactie@acme.nl"),
    ]
    .into_iter()
    .enumerate()
    {
        staff_member(&p, s, email, role).await;
        let mut v = Visitor::new(&p);
        staff_login(&mut v, email, None).await;
        let home = v.get("/staff").await;
        for (path, want) in &pages {
            let r = v.get(path).await;
            assert_eq!(r.status, want[i], "{role:?} {path}: {}", r.body);
            let link = format!("href=\"{}\"", path);
            if !path.starts_with("/staff/customers") {
                let shown = if role == StaffRole::Editor {
                    v.get("/staff/messages").await.body.contains(&link)
                } else {
                    home.body.contains(&link)
                };
                assert_eq!(shown, want[i] == 200, "{role:?}: navigation entry {path}");
            }
        }
        if role == StaffRole::Editor {
            assert_eq!(home.status, 303, "an editor has no customer pages");
            assert!(home.header("location").ends_with("/staff/messages"));
            let r = v
                .post(&format!("/staff/accounts/{customer}/deactivate"), &[])
                .await;
            assert_eq!(r.status, 404, "an editor cannot act on accounts");
        } else {
            assert_eq!(home.status, 200);
        }
    }
}
db_test!(staff_roles_reach_only_their_pages);

async fn staff_edit_mail_templates(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Admin).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let list = v.get("/staff/templates").await.body;
    assert!(list.contains("/staff/templates/auth.reset"), "{list}");
    let page = v
        .get("/staff/templates/auth.reset?lang=nl&form=formal")
        .await;
    assert!(
        page.body
            .contains("id=\"template-state\">Dit is de standaardtekst")
    );
    assert!(page.body.contains("{user.name}") || page.body.contains("user.name"));
    // An unknown placeholder: refused, what was typed kept.
    let path = "/staff/templates/auth.reset?lang=nl&form=formal";
    let r = v
        .post(
            path,
            &[
                ("subject", "Nieuw wachtwoord {geen.plaatshouder}"),
                ("text", "Hallo"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"error-subject\""), "{}", r.body);
    assert!(r.body.contains("geen.plaatshouder"));
    let r = v
        .post(
            path,
            &[
                ("subject", "Stel uw wachtwoord opnieuw in"),
                ("text", "Beste {user.name}, {link.url}"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = v.get(path).await.body;
    assert!(
        page.contains("Stel uw wachtwoord opnieuw in")
            && page.contains("Dit portaal heeft een eigen tekst")
    );
    assert_eq!(
        v.post("/staff/templates/auth.reset/reset?lang=nl&form=formal", &[])
            .await
            .status,
        303
    );
    assert!(v.get(path).await.body.contains("Dit is de standaardtekst"));
    assert_eq!(v.get("/staff/templates/bestaat.niet").await.status, 404);
    // A version's form posts to that version, whatever the reader's language.
    let en = v
        .get("/staff/templates/auth.reset?lang=en&form=informal")
        .await
        .body;
    assert!(
        en.contains("action=\"/staff/templates/auth.reset?lang=en&amp;form=informal\""),
        "{en}"
    );
    assert!(
        en.contains("<html lang=\"nl\""),
        "the page stays in the reader's language"
    );
    // The versions read as languages and forms, never as raw keys.
    let page = v.get(path).await.body;
    assert!(
        page.contains("Nederlands · formeel") || page.contains("Nederlands · Formeel"),
        "{page}"
    );
    assert!(
        !page.contains("staff-form-") && !page.contains("lang-{"),
        "{page}"
    );
    // A preview renders the typed text with example values, unsaved.
    let r = v
        .post(
            path,
            &[
                ("subject", "Voorbeeld voor {user.name}"),
                ("text", "Beste {user.name}, klik {link.url}"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"template-preview\""), "{}", r.body);
    assert!(
        !r.body
            .contains("id=\"preview-subject\">Voorbeeld voor {user.name}"),
        "placeholders filled"
    );
    assert!(
        v.get(path).await.body.contains("Dit is de standaardtekst"),
        "not saved"
    );
    let r = v
        .post(
            path,
            &[
                ("subject", "x {geen.plaatshouder}"),
                ("text", "y"),
                ("action", "preview"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"error-subject\"") && !r.body.contains("id=\"template-preview\""));
    // A test mail of the saved version goes to the staff member.
    let r = v
        .post(
            "/staff/templates/auth.invite/test?lang=en&form=informal",
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let sent = mails(&p, s, "auth.invite").await;
    assert!(
        sent.iter().any(|m| m.to_address == "staf@acme.nl"),
        "the test mail is queued"
    );
    assert!(
        activity::for_tenant(&p.state().db, s, 50)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "template.test_sent")
    );
    let log = activity::for_tenant(&p.state().db, s, 20).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "template.changed")
            .count(),
        2
    );
}
db_test!(staff_edit_mail_templates);

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let at = page.find(start).expect(start) + start.len();
    &page[at..at + page[at..].find(end).expect(end)]
}

/// A staff admin adds a member (first password shown once, 2FA at the
/// first login), changes their role, deactivates and resets them; the last
/// active admin cannot be demoted; a member changes their own password.
/// Every change is in the activity log.
async fn staff_admins_manage_staff_and_members_their_own_password(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "baas@acme.nl", StaffRole::Admin).await;
    let mut admin = Visitor::new(&p);
    staff_login(&mut admin, "baas@acme.nl", None).await;
    // Bad input: the message sits at the field and the typed values stay.
    let r = admin
        .post(
            "/staff/members",
            &[
                ("email", "geen-adres"),
                ("name", "Piet"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-email\"") && r.body.contains("value=\"Piet\""),
        "{}",
        r.body
    );
    let r = admin
        .post(
            "/staff/members",
            &[
                ("email", "piet@acme.nl"),
                ("name", "Piet"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), "no-store");
    let first = between(&r.body, "id=\"new-password-value\">", "<").to_string();
    assert!(
        r.body.matches("<option value=\"editor\"").count() >= 3,
        "every role offered: {}",
        r.body
    );
    assert!(
        admin
            .get("/staff/members")
            .await
            .body
            .contains("piet@acme.nl")
    );
    assert!(
        !admin.get("/staff/members").await.body.contains(&first),
        "shown once"
    );
    let piet = members::by_email(&p.state().db, s, "piet@acme.nl")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(piet.role(), StaffRole::Editor);
    // The new member logs in with it and sets up 2FA.
    let mut v = Visitor::new(&p);
    let r = v
        .post(
            "/staff/login",
            &[("email", "piet@acme.nl"), ("password", first.as_str())],
        )
        .await;
    assert!(
        r.header("location").ends_with("/staff/login/setup"),
        "{}",
        r.header("location")
    );
    // Role change: editor becomes support and now sees customers.
    let r = admin
        .post(
            &format!("/staff/members/{}", piet.id),
            &[("role", "support")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let piet = members::by_id(&p.state().db, s, piet.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(piet.role(), StaffRole::Support);
    // The last active admin cannot demote or deactivate themself away.
    let me = members::by_email(&p.state().db, s, "baas@acme.nl")
        .await
        .unwrap()
        .unwrap();
    let r = admin
        .post(&format!("/staff/members/{}", me.id), &[("role", "support")])
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"member-error\""), "{}", r.body);
    assert!(
        members::by_id(&p.state().db, s, me.id)
            .await
            .unwrap()
            .unwrap()
            .is_admin()
    );
    // Deactivate, then reset (new first password, 2FA gone).
    let r = admin
        .post(
            &format!("/staff/members/{}", piet.id),
            &[("active", "false")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = v
        .post(
            "/staff/login",
            &[("email", "piet@acme.nl"), ("password", first.as_str())],
        )
        .await;
    assert_eq!(r.status, 200, "a deactivated member cannot log in");
    let r = admin
        .post(&format!("/staff/members/{}/reset", piet.id), &[])
        .await;
    let second = between(&r.body, "id=\"new-password-value\">", "<").to_string();
    assert_ne!(first, second);
    // Another tenant's member id: 404.
    let other = tenant(&p.state().db, "other", "Other").await;
    let stranger = staff_member(&p, other, "x@other.nl", StaffRole::Support).await;
    assert_eq!(
        admin
            .post(&format!("/staff/members/{stranger}"), &[("role", "admin")])
            .await
            .status,
        404
    );
    assert_eq!(
        admin
            .post(&format!("/staff/members/{stranger}/reset"), &[])
            .await
            .status,
        404
    );
    // Own password: the current one is checked, the policy applies.
    let r = admin
        .post(
            "/staff/me/password",
            &[
                ("current", "fout"),
                ("password", "een-lang-nieuw-wachtwoord"),
                ("repeat", "een-lang-nieuw-wachtwoord"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"error-current\""), "{}", r.body);
    let r = admin
        .post(
            "/staff/me/password",
            &[
                ("current", STAFF_PW),
                ("password", "kort"),
                ("repeat", "kort"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"error-password\""), "{}", r.body);
    let r = admin
        .post(
            "/staff/me/password",
            &[
                ("current", STAFF_PW),
                ("password", "een-lang-nieuw-wachtwoord"),
                ("repeat", "een-lang-nieuw-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        admin.get("/staff/members").await.status,
        200,
        "this session stays"
    );
    let log = activity::for_tenant(&p.state().db, s, 50).await.unwrap();
    for action in [
        "staff.member_added",
        "staff.member_changed",
        "staff.member_reset",
        "staff.password_changed",
    ] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.actor_id == Some(me.id)),
            "{action} logged"
        );
    }
}
db_test!(staff_admins_manage_staff_and_members_their_own_password);

/// Support changes an account's login e-mail on request (both addresses
/// mailed), sets a password only where the tenant allows it and under its
/// policy, and deletes an account (the customer stays); refused input
/// keeps what was typed; another tenant's account is not found; each is
/// in the account's or customer's activity.
async fn staff_change_email_set_password_and_delete_accounts(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let sup = staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let page = format!("/staff/accounts/{id}");
    let r = v
        .post(&format!("{page}/email"), &[("email", "geen-adres")])
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-email\"") && r.body.contains("value=\"geen-adres\""),
        "{}",
        r.body
    );
    let r = v
        .post(
            &format!("{page}/email"),
            &[("email", "jan.nieuw@example.nl")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let sent = mails(&p, s, "auth.email_changed").await;
    let to: Vec<&str> = sent.iter().map(|m| m.to_address.as_str()).collect();
    assert!(
        to.contains(&"jan@example.nl") && to.contains(&"jan.nieuw@example.nl"),
        "{to:?}"
    );
    // Setting a password: not in this tenant (404), then allowed and checked.
    assert_eq!(
        v.post(
            &format!("{page}/password"),
            &[("password", "x"), ("repeat", "x")]
        )
        .await
        .status,
        404
    );
    assert!(!v.get(&page).await.body.contains("id=\"password-form\""));
    set(&p, s, "staff_set_password", "true").await;
    assert!(v.get(&page).await.body.contains("id=\"password-form\""));
    let r = v
        .post(
            &format!("{page}/password"),
            &[("password", "kort"), ("repeat", "kort")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"error-password\""), "{}", r.body);
    let good = "Een-lang-en-sterk-wachtwoord-9";
    let r = v
        .post(
            &format!("{page}/password"),
            &[("password", good), ("repeat", good)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let log = activity::for_user(&p.state().db, s, id, 50).await.unwrap();
    for action in ["email.changed", "password.set_by_staff"] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.actor_id == Some(sup)),
            "{action}"
        );
    }
    // The user name: changed, a taken one refused at the field.
    account(
        &p,
        s,
        Acc {
            email: "piet@example.nl",
            username: Some("piet"),
            ..Acc::default()
        },
    )
    .await;
    let r = v
        .post(&format!("{page}/username"), &[("username", "Piet")])
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-username\"") && r.body.contains("al in gebruik"),
        "{}",
        r.body
    );
    let r = v
        .post(&format!("{page}/username"), &[("username", "jan.bakker")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.username.as_deref(), Some("jan.bakker"));
    // Another tenant's account: every action answers 404.
    let other = tenant(&p.state().db, "other", "Other").await;
    let theirs = account(&p, other, Acc::default()).await;
    for action in ["email", "password", "delete"] {
        let r = v
            .post(
                &format!("/staff/accounts/{theirs}/{action}"),
                &[("email", "x@y.nl")],
            )
            .await;
        assert_eq!(r.status, 404, "{action}");
    }
    // Delete: the account goes, the customer stays.
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    let r = v.post(&format!("{page}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(
        r.header("location")
            .ends_with(&format!("/staff/customers/{}?done=deleted", a.customer_id))
    );
    assert!(
        accounts::by_id(&p.state().db, s, id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        v.get(&format!("/staff/customers/{}", a.customer_id))
            .await
            .status,
        200
    );
    assert!(
        accounts::by_id(&p.state().db, other, theirs)
            .await
            .unwrap()
            .is_some()
    );
    let log = activity::for_customer(&p.state().db, s, a.customer_id, 50)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "account.deleted" && e.actor_id == Some(sup))
    );
}
db_test!(staff_change_email_set_password_and_delete_accounts);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\x01\0\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";

/// An editor uploads a logo and a favicon (shown at once, the old one
/// deleted), is refused a fake or oversized file at the field, checks
/// colours without saving (the verdict shown, in Dutch), is refused a pair
/// that fails the contrast guard with the reason and the typed values
/// kept, and saves one that passes.
async fn editors_upload_images_and_check_colours_before_saving(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "redactie@acme.nl", StaffRole::Editor).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "redactie@acme.nl", None).await;
    let r = v
        .post_multipart("/staff/branding/logo", &[], &[("file", "logo.png", PNG)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t = crate::auth::snapshot(&p, "acme").await;
    let first = t.own_branding.logo.clone().expect("the logo is set");
    assert_eq!(v.get(&format!("/branding/logo/{first}")).await.status, 200);
    let page = v.get("/staff/branding").await.body;
    assert!(page.contains("id=\"logo-preview\""), "{page}");
    // A second logo replaces the first, whose blob goes.
    v.post_multipart("/staff/branding/logo", &[], &[("file", "nieuw.png", PNG)])
        .await;
    let t = crate::auth::snapshot(&p, "acme").await;
    assert_ne!(t.own_branding.logo.as_deref(), Some(first.as_str()));
    assert!(
        p.state().blobs.get(&first).await.unwrap().is_none(),
        "the old logo is deleted"
    );
    // A fake image and an oversized one: refused at the field, nothing changes.
    let before = t.own_branding.logo.clone();
    let r = v
        .post_multipart(
            "/staff/branding/favicon",
            &[],
            &[(
                "file",
                "icon.png",
                b"<html><script>alert(1)</script></html>",
            )],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"error-favicon\""), "{}", r.body);
    let big = vec![0x89u8; p.state().config.web.max_upload_bytes + 10];
    let r = v
        .post_multipart("/staff/branding/logo", &[], &[("file", "groot.png", &big)])
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-logo\"") && r.body.contains("kB"),
        "{}",
        r.body
    );
    let t = crate::auth::snapshot(&p, "acme").await;
    assert_eq!(t.own_branding.logo, before);
    assert!(t.own_branding.favicon.is_none());
    // Check: the verdict, nothing saved.
    let r = v
        .post(
            "/staff/branding/colours",
            &[
                ("primary", "#777777"),
                ("primary_text", "#888888"),
                ("action", "check"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("te weinig contrast") && r.body.contains("value=\"#777777\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("id=\"error-primary\"") && r.body.contains("1,26"),
        "{}",
        r.body
    );
    assert!(
        crate::auth::snapshot(&p, "acme")
            .await
            .own_branding
            .primary
            .is_none()
    );
    // Save with a failing pair: refused with the reason; a passing pair is saved.
    let r = v
        .post(
            "/staff/branding/colours",
            &[
                ("primary", "#777777"),
                ("primary_text", "#888888"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("minimaal 4,5:1"), "{}", r.body);
    assert!(
        crate::auth::snapshot(&p, "acme")
            .await
            .own_branding
            .primary
            .is_none()
    );
    let r = v
        .post(
            "/staff/branding/colours",
            &[
                ("primary", "#123456"),
                ("primary_text", "#ffffff"),
                ("action", "check"),
            ],
        )
        .await;
    assert!(
        r.body.contains("voldoet") && !r.body.contains("id=\"error-primary\""),
        "{}",
        r.body
    );
    let r = v
        .post(
            "/staff/branding/colours",
            &[
                ("primary", "#123456"),
                ("primary_text", "#ffffff"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        crate::auth::snapshot(&p, "acme")
            .await
            .own_branding
            .primary
            .as_deref(),
        Some("#123456")
    );
    // No parent organisation: nothing to take over.
    assert_eq!(
        v.post("/staff/branding/inherit", &[("inherit", "true")])
            .await
            .status,
        404
    );
    // Removing the logo.
    assert_eq!(v.post("/staff/branding/logo/remove", &[]).await.status, 303);
    assert!(
        crate::auth::snapshot(&p, "acme")
            .await
            .own_branding
            .logo
            .is_none()
    );
}
db_test!(editors_upload_images_and_check_colours_before_saving);

/// The portal URL is checked at once with the reason in the reader's
/// language and the typed address kept; the contact details are saved or
/// refused at their field; both are in the activity log.
async fn admins_set_the_portal_url_and_contact_details(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "baas@acme.nl", StaffRole::Admin).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "baas@acme.nl", None).await;
    let r = v
        .post("/staff/settings/url", &[("url", "http://portaal.acme.nl")])
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-url\"") && r.body.contains("moet https:// gebruiken"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"http://portaal.acme.nl\""),
        "typed kept"
    );
    let r = v
        .post(
            "/staff/settings/url",
            &[("url", "https://portaal.acme.nl/pad")],
        )
        .await;
    assert!(r.body.contains("geen pad bevatten"), "{}", r.body);
    let r = v
        .post("/staff/settings/url", &[("url", "https://portaal.acme.nl")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        crate::auth::snapshot(&p, "acme").await.urls[0].url,
        "https://portaal.acme.nl"
    );
    // Another tenant cannot take it.
    let other = tenant(&p.state().db, "other", "Other").await;
    staff_member(&p, other, "x@other.nl", StaffRole::Admin).await;
    let mut x = Visitor::on(&p, "other.localhost");
    staff_login(&mut x, "x@other.nl", None).await;
    let r = x
        .post("/staff/settings/url", &[("url", "https://portaal.acme.nl")])
        .await;
    assert!(
        r.body.contains("al het adres van een ander portaal"),
        "{}",
        r.body
    );
    // Contact details.
    let r = v
        .post(
            "/staff/settings/contact",
            &[
                ("support_email", "geen-adres"),
                ("phone", "030 123 4567"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-support_email\"") && r.body.contains("value=\"030 123 4567\""),
        "{}",
        r.body
    );
    let r = v
        .post(
            "/staff/settings/contact",
            &[
                ("support_email", "support@acme.nl"),
                ("phone", "030 123 4567"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t = crate::auth::snapshot(&p, "acme").await;
    assert_eq!(t.contact.support_email.as_deref(), Some("support@acme.nl"));
    let log = activity::for_tenant(&p.state().db, s, 20).await.unwrap();
    assert!(log.iter().any(|e| e.action == "settings.portal_url"));
    assert!(log.iter().any(|e| e.action == "settings.contact"));
}
db_test!(admins_set_the_portal_url_and_contact_details);

/// Page messages: a page picked from the enabled modules' navigation, a
/// Dutch and an English text (each reader sees theirs), a start and end in
/// Dutch time, a warning for a long text, and refused input kept.
async fn page_messages_per_language_and_time(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "redactie@acme.nl", StaffRole::Editor).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "redactie@acme.nl", None).await;
    let page = v.get("/staff/messages").await.body;
    assert!(
        page.contains("<option value=\"*\"") && page.contains("<option value=\"/settings\""),
        "{page}"
    );
    // End before start: refused, what was typed kept.
    let r = v
        .post(
            "/staff/messages",
            &[
                ("page", "/"),
                ("kind", "important"),
                ("html", "<p><b>Storing</b></p>"),
                ("html_en", ""),
                ("starts_at", "2030-06-02T10:00"),
                ("ends_at", "2030-06-01T10:00"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"message-error\"") && r.body.contains("na het begin"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("2030-06-02T10:00") && r.body.contains("Storing"),
        "{}",
        r.body
    );
    let r = v
        .post(
            "/staff/messages",
            &[
                ("page", "/"),
                ("kind", "neutral"),
                ("html", "<p>x</p>"),
                ("starts_at", "morgen"),
            ],
        )
        .await;
    assert!(r.body.contains("geldige datum"), "{}", r.body);
    // Dutch and English, from a summer time (10:00 CEST is 08:00 UTC).
    let long = "Lang ".repeat(100);
    let r = v
        .post(
            "/staff/messages",
            &[
                ("page", "/"),
                ("kind", "important"),
                (
                    "html",
                    &format!(
                        "<p><b>Storing</b> <a href=\"https://status.acme.nl\">status</a> {long}</p>"
                    ),
                ),
                ("html_en", "<p><b>Outage</b></p>"),
                ("starts_at", "2026-07-01T10:00"),
                ("ends_at", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t = crate::auth::snapshot(&p, "acme").await;
    let m = &t.messages[0];
    assert_eq!(
        m.starts_at.unwrap().to_rfc3339(),
        "2026-07-01T08:00:00+00:00"
    );
    assert!(v.get("/staff/messages").await.body.contains("Lang bericht"));
    account(&p, s, Acc::default()).await;
    let mut c = Visitor::new(&p);
    login_email(&mut c, "jan@example.nl", PW).await;
    let home = c.get("/").await.body;
    assert!(
        home.contains("<b>Storing</b>") && home.contains("href=\"https://status.acme.nl\""),
        "{home}"
    );
    c.post("/lang", &[("lang", "en"), ("next", "/")]).await;
    let home = c.get("/").await.body;
    assert!(
        home.contains("<b>Outage</b>") && !home.contains("Storing"),
        "{home}"
    );
}
db_test!(page_messages_per_language_and_time);

/// Staff sessions end after the tenant's idle limit and absolute limit.
async fn staff_session_limits_are_a_tenant_setting(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    set(&p, s, "staff_session_idle_minutes", "5").await;
    set(&p, s, "staff_session_absolute_hours", "2").await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    assert_eq!(v.get("/staff").await.status, 200);
    let rows: Vec<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_staff_sessions")
                .columns(["created_at", "expires_at"])
                .and_where(sea_query::Expr::col("staff_id").eq(id))
                .and_where(sea_query::Expr::col("stage").eq("full"))
                .to_owned(),
        )
        .await
        .unwrap();
    let (created, expires) = rows[0];
    assert_eq!((expires - created).num_minutes(), 120, "the absolute limit");
    // Six minutes without a request: the session is over.
    p.state()
        .db
        .execute(
            &s.update("core_staff_sessions")
                .value(
                    "last_seen_at",
                    chrono::Utc::now() - chrono::Duration::minutes(6),
                )
                .and_where(sea_query::Expr::col("staff_id").eq(id))
                .to_owned(),
        )
        .await
        .unwrap();
    let r = v.get("/staff").await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").ends_with("/staff/login"));
}
db_test!(staff_session_limits_are_a_tenant_setting);

async fn insert_row(p: &TestPortal, q: sea_query::InsertStatement) -> i64 {
    let mut tx = p.state().db.begin().await.unwrap();
    let id = tx.insert_returning_id(&q).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Support sets an extra account's roles and its rights per location and
/// child customer, within the account's customer and its children only;
/// both are logged; a main account keeps all its locations.
async fn support_sets_roles_and_location_rights(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let main = account(&p, s, Acc::default()).await;
    let extra = account(&p, s, Acc::extra()).await;
    let stranger = account(
        &p,
        s,
        Acc {
            customer: "2002",
            email: "x@elders.nl",
            ..Acc::default()
        },
    )
    .await;
    let db = &p.state().db;
    let a = accounts::by_id(db, s, extra).await.unwrap().unwrap();
    let other = accounts::by_id(db, s, stranger).await.unwrap().unwrap();
    let child = accounts::by_id(
        db,
        s,
        account(
            &p,
            s,
            Acc {
                customer: "1002",
                email: "k@kind.nl",
                ..Acc::default()
            },
        )
        .await,
    )
    .await
    .unwrap()
    .unwrap()
    .customer_id;
    db.execute(
        &s.update("core_customers")
            .value("parent_id", a.customer_id)
            .and_where(sea_query::Expr::col("id").eq(child))
            .to_owned(),
    )
    .await
    .unwrap();
    let loc = |c: i64, name: &'static str| {
        s.insert("core_locations")
            .set("customer_id", c)
            .set("name", name)
            .statement()
    };
    let home = insert_row(&p, loc(a.customer_id, "Bakkerij")).await;
    let shop = insert_row(&p, loc(a.customer_id, "Winkel")).await;
    let theirs = insert_row(&p, loc(other.customer_id, "Elders")).await;
    let sup = staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let page = v.get(&format!("/staff/accounts/{extra}/access")).await.body;
    assert!(
        page.contains("Bakkerij") && page.contains("Winkel") && !page.contains("Elders"),
        "{page}"
    );
    assert!(
        page.contains("name=\"role_employee_plus\""),
        "the roles are offered: {page}"
    );
    let (h, w, t, c) = (
        home.to_string(),
        shop.to_string(),
        theirs.to_string(),
        child.to_string(),
    );
    let r = v
        .post(
            &format!("/staff/accounts/{extra}/access"),
            &[
                ("role_employee_plus", "on"),
                (&format!("read_{h}"), "on"),
                (&format!("write_{w}"), "on"),
                (&format!("read_{t}"), "on"),
                (&format!("child_{c}"), "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let roles = portal_core::access::load::roles_of(db, s, extra)
        .await
        .unwrap();
    assert!(
        roles.has(portal_core::access::Role::EmployeePlus)
            && roles.has(portal_core::access::Role::Employee)
    );
    assert!(!roles.has(portal_core::access::Role::Admin));
    let rights = portal_core::access::people::rights_of(
        &p.state().deps(),
        &*crate::auth::snapshot(&p, "acme").await,
        extra,
    )
    .await
    .unwrap();
    assert_eq!(rights.locations.get(&home), Some(&false));
    assert_eq!(
        rights.locations.get(&shop),
        Some(&true),
        "write implies read"
    );
    assert!(
        !rights.locations.contains_key(&theirs),
        "another customer's location is ignored"
    );
    assert_eq!(rights.children, vec![child]);
    let log = activity::for_user(db, s, extra, 20).await.unwrap();
    for action in ["roles.changed", "rights.changed"] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.actor_id == Some(sup)),
            "{action}"
        );
    }
    // The main account: roles only.
    assert!(
        v.get(&format!("/staff/accounts/{main}/access"))
            .await
            .body
            .contains("id=\"access-main\"")
    );
    // Another tenant's account: 404.
    let o = tenant(db, "other", "Other").await;
    let theirs_acc = account(&p, o, Acc::default()).await;
    assert_eq!(
        v.get(&format!("/staff/accounts/{theirs_acc}/access"))
            .await
            .status,
        404
    );
    assert_eq!(
        v.post(
            &format!("/staff/accounts/{theirs_acc}/access"),
            &[("role_admin", "on")]
        )
        .await
        .status,
        404
    );
}
db_test!(support_sets_roles_and_location_rights);

/// Support links a customer to a parent by customer number and unlinks it;
/// a wrong number is refused at the field; the customer's activity shows it.
async fn support_links_a_customer_to_its_parent(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let a = account(&p, s, Acc::default()).await;
    account(
        &p,
        s,
        Acc {
            customer: "9000",
            email: "hoofd@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let db = &p.state().db;
    let c = accounts::by_id(db, s, a)
        .await
        .unwrap()
        .unwrap()
        .customer_id;
    staff_member(&p, s, "staf@acme.nl", StaffRole::Support).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "staf@acme.nl", None).await;
    let path = format!("/staff/customers/{c}/parent");
    for (number, key) in [("404", "Er is geen klant"), ("1001", "niet onder zichzelf")] {
        let r = v.post(&path, &[("parent", number)]).await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("id=\"error-parent\"") && r.body.contains(key),
            "{}",
            r.body
        );
        assert!(
            r.body.contains(&format!("value=\"{number}\"")),
            "typed kept"
        );
    }
    assert_eq!(v.post(&path, &[("parent", "9000")]).await.status, 303);
    let (_, number, _) = accounts::parent_of(db, s, c).await.unwrap().unwrap();
    assert_eq!(number, "9000");
    let page = v.get(&format!("/staff/customers/{c}")).await.body;
    assert!(
        page.contains("id=\"parent-now\"") && page.contains("Hoofdklant gewijzigd"),
        "{page}"
    );
    // The parent cannot become its own child's child.
    let parent_id = accounts::customer_by_number(db, s, "9000")
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = v
        .post(
            &format!("/staff/customers/{parent_id}/parent"),
            &[("parent", "1001")],
        )
        .await;
    assert!(r.body.contains("zelf de hoofdklant"), "{}", r.body);
    assert_eq!(v.post(&path, &[("parent", "")]).await.status, 303);
    assert!(accounts::parent_of(db, s, c).await.unwrap().is_none());
    let o = tenant(db, "other", "Other").await;
    let theirs = account(&p, o, Acc::default()).await;
    let theirs_c = accounts::by_id(db, o, theirs)
        .await
        .unwrap()
        .unwrap()
        .customer_id;
    assert_eq!(
        v.post(
            &format!("/staff/customers/{theirs_c}/parent"),
            &[("parent", "9000")]
        )
        .await
        .status,
        404
    );
}
db_test!(support_links_a_customer_to_its_parent);

/// The settings page: a value outside what a setting takes is refused at
/// its field in the reader's language with what was typed kept; a good one
/// is saved and logged.
async fn settings_are_checked_in_the_readers_language(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    staff_member(&p, s, "baas@acme.nl", StaffRole::Admin).await;
    let mut v = Visitor::new(&p);
    staff_login(&mut v, "baas@acme.nl", None).await;
    // Seed 002: the HTML of a login button for the company's website, to
    // copy (escaped as text) and previewed.
    let page = v.get("/staff/settings").await.body;
    assert!(
        page.contains("id=\"login-button-html\"")
            && page.contains("&lt;a href=&quot;http://acme.localhost")
            && page.contains("/login&quot;")
            && page.contains("Inloggen klantportaal"),
        "{page}"
    );
    let r = v
        .post(
            "/staff/settings",
            &[
                ("auth.session_idle_minutes", "2"),
                ("auth.login_mode", "email"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-auth.session_idle_minutes\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .replace(['\u{2068}', '\u{2069}'], "")
            .contains("van 5 tot en met 10080")
            && r.body.contains("value=\"2\""),
        "{}",
        r.body
    );
    let r = v
        .post(
            "/staff/settings",
            &[
                ("auth.session_idle_minutes", "30"),
                ("auth.login_mode", "email"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t = crate::auth::snapshot(&p, "acme").await;
    assert_eq!(t.setting("auth", "session_idle_minutes"), Some("30"));
    let log = activity::for_tenant(&p.state().db, s, 20).await.unwrap();
    assert!(log.iter().any(|e| e.action == "settings.changed"));
}
db_test!(settings_are_checked_in_the_readers_language);

/// Noted with the outside-in test: `%` and `_` in a staff search were
/// wildcards (or dropped); now they match themselves, so an address with
/// an underscore is found, and only it.
async fn staff_search_takes_wildcards_literally(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(
        &p,
        s,
        Acc {
            customer: "3001",
            email: "jan_de@example.nl",
            ..Acc::default()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "3002",
            email: "janxde@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let db = &p.state().db;
    let found = accounts::search_customers(db, s, "jan_de", 10)
        .await
        .unwrap();
    let numbers: Vec<&str> = found.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["3001"]);
    assert!(
        accounts::search_customers(db, s, "%", 10)
            .await
            .unwrap()
            .is_empty()
    );
}
db_test!(staff_search_takes_wildcards_literally);
