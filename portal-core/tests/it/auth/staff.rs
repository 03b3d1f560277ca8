//! The staff side through the back-office API: create with the right
//! welcome mail, change the e-mail (both addresses hear it), delete (the
//! customer stays), tenant isolation of accounts.

use poem::http::Method;
use portal_core::auth::accounts;

use super::{Acc, PW, Visitor, account, link_in, login_email, mails, path_of, setup};
use crate::support::{TestDb, db_test, tenant};

async fn staff_create_accounts_with_the_seed_welcome_mails(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let post = |body: serde_json::Value| {
        p.req(Method::POST, super::HOST, "/api/admin/v1/accounts")
            .bearer(&token)
            .json(&body)
            .send()
    };
    // Seed 000: a confirmation stating customer number and e-mail; the password comes through "forgot password".
    let r = post(serde_json::json!({"customer_number": "1001", "customer_name": "Familie Jansen", "email": "jan@example.nl", "welcome": "created"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = &mails(&p, s, "auth.account_created").await[0];
    assert!(
        created.body_text.contains("1001") && created.body_text.contains("jan@example.nl"),
        "{}",
        created.body_text
    );
    // Seed 001: an invitation with a set-password link.
    let r = post(serde_json::json!({"customer_number": "1001", "email": "collega@example.nl", "extra": true, "welcome": "invite"})).await;
    assert_eq!(r.status, 201);
    let invite = &mails(&p, s, "auth.invite").await[0];
    let path = path_of(&link_in(invite, "/password/set/"));
    let mut v = Visitor::new(&p);
    let new = "Mijn-eigen-lange-zin-2";
    let r = v
        .post(
            &path,
            &[
                ("customer_number", "1001"),
                ("login", "collega@example.nl"),
                ("password", new),
                ("repeat", new),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    v.post(
        "/login",
        &[
            ("customer_number", "1001"),
            ("login", "collega@example.nl"),
            ("password", new),
        ],
    )
    .await;
    assert!(v.logged_in().await);
    // Bad input: a clear error naming the field; nothing created.
    let r = post(
        serde_json::json!({"customer_number": "1001", "email": "geen-adres", "welcome": "none"}),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("\"field\":\"email\""), "{}", r.body);
    let r = post(serde_json::json!({"customer_number": "1001", "email": "jan@example.nl", "welcome": "none"})).await;
    assert_eq!(r.status, 422, "the same e-mail twice at one customer");
    assert_eq!(
        accounts::list(&p.state().db, s, None).await.unwrap().len(),
        2
    );
}
db_test!(staff_create_accounts_with_the_seed_welcome_mails);

async fn an_email_change_mails_both_addresses_and_delete_keeps_the_customer(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let id = account(&p, s, Acc::default()).await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let r = p
        .req(
            Method::PATCH,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}"),
        )
        .bearer(&token)
        .json(&serde_json::json!({"email": "jan.nieuw@example.nl"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // In customer-number mode an address names one account of a customer.
    super::set(&p, s, "login_mode", "customer_number_email").await;
    account(
        &p,
        s,
        Acc {
            email: "tweede@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let clash = p
        .req(
            Method::PATCH,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}"),
        )
        .bearer(&token)
        .json(&serde_json::json!({"email": "Tweede@example.nl"}))
        .send()
        .await;
    assert_eq!(clash.status, 422, "{}", clash.body);
    super::set(&p, s, "login_mode", "email").await;
    let changed = mails(&p, s, "auth.email_changed").await;
    let mut to: Vec<&str> = changed.iter().map(|m| m.to_address.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["jan.nieuw@example.nl", "jan@example.nl"]);
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan.nieuw@example.nl", PW).await;
    assert!(v.logged_in().await, "the password stays");
    let r = p
        .req(
            Method::DELETE,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}"),
        )
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert!(!v.logged_in().await, "its sessions went with it");
    assert!(
        accounts::customer_by_number(&p.state().db, s, "1001")
            .await
            .unwrap()
            .is_some(),
        "the customer stays (seed 000)"
    );
    let r = p
        .req(
            Method::GET,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}"),
        )
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 404);
}
db_test!(an_email_change_mails_both_addresses_and_delete_keeps_the_customer);

async fn accounts_of_another_tenant_are_out_of_reach(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let other = tenant(&tdb.db, "beta", "Beta").await;
    super::set(&p, other, "login_mode", "email").await;
    let id = account(&p, s, Acc::default()).await;
    let beta_token = portal_core::tenant::repo::create_api_token(&p.state().db, other, "bo", "*")
        .await
        .unwrap();
    for (method, path) in [
        (Method::GET, format!("/api/admin/v1/accounts/{id}")),
        (
            Method::DELETE,
            format!("/api/admin/v1/accounts/{id}/sessions"),
        ),
        (Method::POST, format!("/api/admin/v1/accounts/{id}/reset")),
        (Method::GET, format!("/api/admin/v1/accounts/{id}/activity")),
    ] {
        let r = p
            .req(method, "beta.localhost", &path)
            .bearer(&beta_token)
            .send()
            .await;
        assert_eq!(r.status, 404, "{path}");
    }
    let list = p
        .req(Method::GET, "beta.localhost", "/api/admin/v1/accounts")
        .bearer(&beta_token)
        .send()
        .await;
    assert_eq!(list.body, "[]");
    // Acme's login does not work on beta, and acme's session is nobody on beta.
    let mut v = Visitor::on(&p, "beta.localhost");
    login_email(&mut v, "jan@example.nl", PW).await;
    assert!(!v.logged_in().await);
    let mut a = Visitor::new(&p);
    login_email(&mut a, "jan@example.nl", PW).await;
    let mut cross = Visitor::on(&p, "beta.localhost");
    cross.jar = a.jar.clone();
    assert!(!cross.logged_in().await);
}
db_test!(accounts_of_another_tenant_are_out_of_reach);

/// SECURITY.md 29: fields a caller must not set (`tenant_id`,
/// `customer_id`, `role`, `password_hash`) are ignored in a body.
async fn mass_assignment_is_ignored(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let other = tenant(&tdb.db, "beta", "Beta").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let r = p
        .req(Method::POST, super::HOST, "/api/admin/v1/accounts")
        .bearer(&token)
        .json(&serde_json::json!({
            "customer_number": "1001", "email": "nieuw@example.nl", "welcome": "none",
            "tenant_id": other.tenant_id(), "customer_id": 999_999, "role": "admin",
            "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$x$y", "active": false, "confirmed": false,
        }))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = v["id"].as_i64().unwrap();
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.customer_number, "1001", "its own customer, not 999999");
    assert!(a.password_hash.is_none(), "no hash from the body");
    assert!(a.active && a.confirmed);
    assert!(
        accounts::list(&p.state().db, other, None)
            .await
            .unwrap()
            .is_empty(),
        "not at the other tenant"
    );
    // A PATCH with fields it does not know changes nothing of them.
    let r = p
        .req(Method::PATCH, super::HOST, &format!("/api/admin/v1/accounts/{id}"))
        .bearer(&token)
        .json(&serde_json::json!({"customer_id": 1, "tenant_id": other.tenant_id(), "is_main": false}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (after.customer_id, after.is_main),
        (a.customer_id, a.is_main)
    );
}
db_test!(mass_assignment_is_ignored);

/// Found by schemathesis (issue 22, finding 9): switching off two-step
/// verification of an account without an e-mail address (a user name
/// only, seed 003's partner) answered 500, because its notice had no
/// address; the change is made and no mail is queued.
async fn an_account_without_email_gets_its_two_factor_reset(tdb: TestDb) {
    let (p, s) = setup(&tdb, "username").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    let r = p
        .req(Method::POST, super::HOST, "/api/admin/v1/accounts")
        .bearer(&token)
        .json(&serde_json::json!({"customer_number": "1001", "username": "els.devries", "email": "", "welcome": "none"}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = p
        .req(
            Method::DELETE,
            super::HOST,
            &format!("/api/admin/v1/accounts/{id}/two-factor"),
        )
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(mails(&p, s, "auth.totp_reset").await.is_empty());
}
db_test!(an_account_without_email_gets_its_two_factor_reset);
