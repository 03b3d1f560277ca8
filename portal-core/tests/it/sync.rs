//! The back-office sync API: customers and locations upserted by external
//! id, idempotent, per-row errors, nothing of a refused row written.

use poem::http::Method;
use portal_core::auth::accounts;
use sea_query::ExprTrait;
use serde_json::{Value, json};

use crate::auth::{Acc, account, setup};
use crate::support::{TestDb, TestPortal, db_test, tenant};

async fn sync(p: &TestPortal, host: &str, token: &str, customers: Value) -> (u16, Value) {
    let r = p
        .req(Method::POST, host, "/api/admin/v1/sync/customers")
        .bearer(token)
        .json(&json!({ "customers": customers }))
        .send()
        .await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn batch() -> Value {
    json!([
        {"external_id": "K1", "number": "100", "name": "Contractant BV", "email": "info@contractant.nl",
         "payment_method": "Automatische incasso", "invoice_address": "Straat 1\n1000 AA Stad",
         "locations": [{"external_id": "L1", "name": "Hoofdkantoor"}]},
        {"external_id": "K2", "number": "201", "name": "Kind A", "parent_external_id": "K1",
         "locations": [{"external_id": "L2", "name": "Keuken"}, {"external_id": "L3", "name": "Magazijn"}]},
        {"external_id": "K3", "number": "202", "name": "Kind B", "parent_external_id": "K1"}
    ])
}

#[derive(sqlx::FromRow, Debug)]
struct Loc {
    external_id: Option<String>,
    active: bool,
}
portal_core::from_sqlite! {
    Loc { external_id, active }
}

async fn locations(p: &TestPortal, s: portal_core::tenant::TenantScope) -> Vec<(String, bool)> {
    let rows: Vec<Loc> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_locations")
                .columns(["external_id", "active"])
                .to_owned(),
        )
        .await
        .unwrap();
    let mut v: Vec<(String, bool)> = rows
        .into_iter()
        .map(|l| (l.external_id.unwrap(), l.active))
        .collect();
    v.sort();
    v
}

async fn customers_and_locations_sync_idempotently(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    // A customer the portal already knew (by number) is adopted, not duplicated.
    account(
        &p,
        s,
        Acc {
            customer: "100",
            email: "hoofd@contractant.nl",
            ..Acc::default()
        },
    )
    .await;

    let (status, report) = sync(&p, "acme.localhost", &token, batch()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report["counts"],
        json!({"created": 2, "updated": 1, "unchanged": 0, "invalid": 0, "conflicts": 0})
    );
    let parent = accounts::customer_by_number(&p.state().db, s, "100")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(parent.name, "Contractant BV");
    // The parent's main account now sees both children.
    let a = accounts::find_for_login(
        &p.state().db,
        s,
        accounts::LoginMode::CustomerNumberEmail,
        &accounts::Identity {
            customer_number: "100".into(),
            login: "hoofd@contractant.nl".into(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    let tenant_now = crate::auth::snapshot(&p, "acme").await;
    let principal =
        portal_core::access::load::principal(&p.state().db, &p.state().registry, &tenant_now, &a)
            .await
            .unwrap();
    assert_eq!(principal.access.unwrap().customers.len(), 3);
    assert_eq!(
        locations(&p, s).await,
        vec![
            ("L1".into(), true),
            ("L2".into(), true),
            ("L3".into(), true)
        ]
    );

    // The same batch again: nothing changes.
    let (_, again) = sync(&p, "acme.localhost", &token, batch()).await;
    assert_eq!(
        again["counts"],
        json!({"created": 0, "updated": 0, "unchanged": 3, "invalid": 0, "conflicts": 0})
    );

    // A change in one row, and a location that is no longer sent.
    let mut changed = batch();
    changed[1]["name"] = json!("Kind A (nieuw)");
    changed[1]["locations"] = json!([{"external_id": "L2", "name": "Keuken"}]);
    let (_, r) = sync(&p, "acme.localhost", &token, changed).await;
    assert_eq!(
        r["counts"],
        json!({"created": 0, "updated": 1, "unchanged": 2, "invalid": 0, "conflicts": 0})
    );
    assert_eq!(r["rows"][1]["status"], "updated");
    assert_eq!(
        locations(&p, s).await,
        vec![
            ("L1".into(), true),
            ("L2".into(), true),
            ("L3".into(), false)
        ]
    );
}
db_test!(customers_and_locations_sync_idempotently);

async fn a_refused_row_names_its_problems_and_writes_nothing(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    sync(&p, "acme.localhost", &token, batch()).await;
    let bad = json!([
        {"external_id": "K9", "number": "100", "name": "Steelt het nummer van K1",
         "locations": [{"external_id": "L9"}]},
        {"external_id": "K10", "number": "300", "parent_external_id": "BESTAAT-NIET"},
        {"external_id": "K11", "number": "301", "email": "geen adres"},
        {"external_id": "K12", "number": "302", "locations": [{"external_id": "L1"}]},
        {"external_id": "K13", "number": "303", "name": "Goed"}
    ]);
    let (status, r) = sync(&p, "acme.localhost", &token, bad).await;
    assert_eq!(status, 200);
    assert_eq!(
        r["counts"],
        json!({"created": 1, "updated": 0, "unchanged": 0, "invalid": 4, "conflicts": 0})
    );
    let errors = |i: usize| r["rows"][i]["errors"].to_string();
    assert_eq!(r["rows"][0]["external_id"], "K9");
    assert!(
        errors(0).contains("belongs to another customer"),
        "{}",
        errors(0)
    );
    assert!(errors(1).contains("BESTAAT-NIET"), "{}", errors(1));
    assert!(errors(2).contains("e-mail"), "{}", errors(2));
    assert!(
        errors(3).contains("location \\\"L1\\\" belongs to another customer"),
        "{}",
        errors(3)
    );
    assert_eq!(r["rows"][4]["status"], "created");
    // Nothing of the refused rows: no K9 location, number 100 still K1's.
    assert!(!locations(&p, s).await.iter().any(|(x, _)| x == "L9"));
    for n in ["300", "301", "302"] {
        assert!(
            accounts::customer_by_number(&p.state().db, s, n)
                .await
                .unwrap()
                .is_none(),
            "{n}"
        );
    }
    assert_eq!(
        accounts::customer_by_number(&p.state().db, s, "100")
            .await
            .unwrap()
            .unwrap()
            .name,
        "Contractant BV"
    );
    // A batch as a whole: empty is refused with a reason.
    let (status, r) = sync(&p, "acme.localhost", &token, json!([])).await;
    assert_eq!(status, 400);
    assert!(r.to_string().contains("minItems(1)"), "{r}");
    // Without a token: the API refuses it as unauthenticated (401), not as
    // a form that expired (finding 9 of the outside-in test).
    let r = p
        .req(
            Method::POST,
            "acme.localhost",
            "/api/admin/v1/sync/customers",
        )
        .json(&json!({"customers": batch()}))
        .send()
        .await;
    assert_eq!(r.status, 401);
}
db_test!(a_refused_row_names_its_problems_and_writes_nothing);

async fn each_tenant_syncs_its_own_customers(tdb: TestDb) {
    let (p, a) = setup(&tdb, "email").await;
    let b = tenant(&tdb.db, "beta", "Beta").await;
    let ta = portal_core::tenant::repo::create_api_token(&p.state().db, a, "bo", "*")
        .await
        .unwrap();
    let tb = portal_core::tenant::repo::create_api_token(&p.state().db, b, "bo", "*")
        .await
        .unwrap();
    sync(&p, "acme.localhost", &ta, batch()).await;
    // The same external ids and numbers at another tenant are its own customers.
    let (_, r) = sync(&p, "beta.localhost", &tb, batch()).await;
    assert_eq!(r["counts"]["created"], 3, "{r}");
    // acme's token does not work on beta's host.
    let (status, _) = sync(&p, "beta.localhost", &ta, batch()).await;
    assert_eq!(status, 401);
    assert_eq!(locations(&p, a).await.len(), 3);
    assert_eq!(locations(&p, b).await.len(), 3);
}
db_test!(each_tenant_syncs_its_own_customers);

async fn the_organisation_page_shows_the_synced_details_to_its_own_users(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    let token = portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "*")
        .await
        .unwrap();
    account(
        &p,
        s,
        Acc {
            customer: "201",
            email: "beheer@kind-a.nl",
            ..Acc::default()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "201",
            email: "medewerker@kind-a.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "202",
            email: "beheer@kind-b.nl",
            ..Acc::default()
        },
    )
    .await;
    // Accounts first: the sync adopts their customers by number.
    sync(&p, "acme.localhost", &token, batch()).await;
    let login = |number: &'static str, email: &'static str| {
        let p = &p;
        async move {
            let mut v = crate::auth::Visitor::new(p);
            v.post(
                "/login",
                &[
                    ("customer_number", number),
                    ("login", email),
                    ("password", crate::auth::PW),
                ],
            )
            .await;
            v
        }
    };
    let mut admin = login("201", "beheer@kind-a.nl").await;
    let page = admin.get("/organisation").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"org-name\">Kind A<"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Keuken") && page.body.contains("Magazijn"),
        "its locations"
    );
    assert!(
        page.body.contains("id=\"contact-list\""),
        "an admin sees the contact persons"
    );
    assert!(page.body.contains("medewerker@kind-a.nl"));
    // The admin sees its organisation's activity (the logins just now).
    assert!(page.body.contains("id=\"activity-list\""), "{}", page.body);
    assert!(page.body.contains("Ingelogd"));
    assert!(
        !page.body.contains("Kind B") && !page.body.contains("beheer@kind-b.nl"),
        "nothing of another customer"
    );
    let mut employee = login("201", "medewerker@kind-a.nl").await;
    let page = employee.get("/organisation").await;
    assert!(page.body.contains("Kind A"));
    assert!(
        !page.body.contains("id=\"activity-list\""),
        "nor the activity"
    );
    assert!(
        !page.body.contains("id=\"contact-list\""),
        "an employee does not"
    );
    // Anonymous: to the login page.
    let r = crate::auth::Visitor::new(&p).get("/organisation").await;
    assert_eq!(r.status, 303);
}
db_test!(the_organisation_page_shows_the_synced_details_to_its_own_users);

async fn a_customer_is_deleted_by_external_id_at_its_own_tenant_only(tdb: TestDb) {
    let (p, a) = setup(&tdb, "email").await;
    let b = tenant(&tdb.db, "beta", "Beta").await;
    let ta = portal_core::tenant::repo::create_api_token(&p.state().db, a, "bo", "*")
        .await
        .unwrap();
    let tb = portal_core::tenant::repo::create_api_token(&p.state().db, b, "bo", "*")
        .await
        .unwrap();
    sync(&p, "acme.localhost", &ta, batch()).await;
    sync(&p, "beta.localhost", &tb, batch()).await;
    account(
        &p,
        a,
        Acc {
            customer: "100",
            email: "hoofd@contractant.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut v = crate::auth::Visitor::new(&p);
    crate::auth::login_email(&mut v, "hoofd@contractant.nl", crate::auth::PW).await;
    assert!(v.logged_in().await);
    let delete = |host: &'static str, token: String, ext: &'static str| {
        let p = &p;
        async move {
            p.req(
                Method::DELETE,
                host,
                &format!("/api/admin/v1/sync/customers/{ext}"),
            )
            .bearer(&token)
            .send()
            .await
            .status
            .as_u16()
        }
    };
    assert_eq!(delete("beta.localhost", tb.clone(), "K1").await, 204);
    assert_eq!(
        delete("beta.localhost", tb.clone(), "K1").await,
        404,
        "gone"
    );
    assert!(
        v.logged_in().await,
        "acme's K1 and its account are untouched"
    );
    assert_eq!(locations(&p, a).await.len(), 3);
    assert_eq!(
        locations(&p, b).await.len(),
        2,
        "beta's K1 location went with it"
    );
    assert_eq!(delete("acme.localhost", ta.clone(), "K1").await, 204);
    assert!(
        !v.logged_in().await,
        "its accounts and their sessions went with it"
    );
    assert!(
        accounts::customer_by_number(&p.state().db, a, "100")
            .await
            .unwrap()
            .is_none()
    );
    // The children stay, without a parent.
    assert!(
        accounts::customer_by_number(&p.state().db, a, "201")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(delete("acme.localhost", ta, "ONBEKEND").await, 404);
}
db_test!(a_customer_is_deleted_by_external_id_at_its_own_tenant_only);

async fn sync_accounts(
    p: &TestPortal,
    host: &str,
    token: &str,
    welcome: &str,
    accounts: Value,
) -> (u16, Value) {
    let r = p
        .req(Method::POST, host, "/api/admin/v1/sync/accounts")
        .bearer(token)
        .json(&json!({ "welcome": welcome, "accounts": accounts }))
        .send()
        .await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn status_of<'a>(report: &'a Value, id: &str) -> (&'a str, Vec<String>) {
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["external_id"] == id)
        .unwrap_or_else(|| panic!("no row {id} in {report}"));
    (
        row["status"].as_str().unwrap(),
        row["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect(),
    )
}

async fn accounts_sync_by_external_id(tdb: TestDb) {
    use crate::auth::{PW, Visitor, login_email, mails};
    let (p, s) = setup(&tdb, "email").await;
    let other = tenant(&tdb.db, "beta", "Beta").await;
    let token =
        portal_core::tenant::repo::create_api_token(&p.state().db, s, "bo", "accounts,sync")
            .await
            .unwrap();
    let beta_token = portal_core::tenant::repo::create_api_token(&p.state().db, other, "bo", "*")
        .await
        .unwrap();
    let host = crate::auth::HOST;
    assert_eq!(sync(&p, host, &token, batch()).await.0, 200);
    let rows = json!([
        {"external_id": "CP1", "customer_external_id": "K1", "email": "hoofd@contractant.nl",
         "first_name": "Hanna", "last_name": "Hoofd", "gender": "female", "roles": ["admin"], "main": true},
        {"external_id": "CP2", "customer_external_id": "K1", "email": "petra@contractant.nl",
         "first_name": "Petra", "last_name": "de Vries", "roles": ["employee", "employee_plus"]},
        {"external_id": "CP3", "customer_external_id": "K404", "email": "x@contractant.nl"},
        {"external_id": "CP4", "customer_external_id": "K1", "email": "geen-adres", "roles": ["employee_plus"]},
        {"external_id": "CP2", "customer_external_id": "K1", "email": "dubbel@contractant.nl"}
    ]);
    let (status, report) = sync_accounts(&p, host, &token, "invite", rows.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["counts"]["created"], 2, "{report}");
    assert_eq!(report["counts"]["invalid"], 3);
    let (st, errors) = status_of(&report, "CP3");
    assert_eq!(st, "invalid");
    assert!(errors[0].contains("K404"));
    let (_, errors) = status_of(&report, "CP4");
    assert!(
        errors.iter().any(|e| e.starts_with("email"))
            && errors.iter().any(|e| e.contains("employee_plus"))
    );
    let all = accounts::list(&p.state().db, s, None).await.unwrap();
    assert_eq!(all.len(), 2, "refused rows wrote nothing");
    let petra = all
        .iter()
        .find(|a| a.email == "petra@contractant.nl")
        .unwrap();
    assert_eq!((petra.first_name.as_str(), petra.is_main), ("Petra", false));
    let roles = portal_core::access::load::roles_of(&p.state().db, s, petra.id)
        .await
        .unwrap();
    assert!(roles.has(portal_core::access::Role::EmployeePlus));
    assert_eq!(
        mails(&p, s, "auth.invite").await.len(),
        2,
        "each new account invited"
    );

    // The same batch again: nothing changes.
    let valid = json!([rows[0].clone(), rows[1].clone()]);
    let (_, report) = sync_accounts(&p, host, &token, "invite", valid).await;
    assert_eq!(report["counts"]["unchanged"], 2, "{report}");
    assert_eq!(mails(&p, s, "auth.invite").await.len(), 2, "no new mail");

    // Petra logs in; then the back-office changes her e-mail and switches
    // the main account off: her session ends with it (seed 002).
    let hash = p.state().hasher.hash(PW).await.unwrap();
    let mut tx = p.state().db.begin().await.unwrap();
    for a in &all {
        accounts::update(
            &mut tx,
            s,
            a.id,
            vec![("password_hash", hash.clone().into())],
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut v = Visitor::new(&p);
    login_email(&mut v, "petra@contractant.nl", PW).await;
    assert!(v.logged_in().await);
    let changed = json!([
        {"external_id": "CP1", "customer_external_id": "K1", "email": "hoofd@contractant.nl",
         "first_name": "Hanna", "last_name": "Hoofd", "gender": "female", "roles": ["admin"], "main": true, "active": false},
        {"external_id": "CP2", "customer_external_id": "K1", "email": "p.devries@contractant.nl",
         "first_name": "Petra", "last_name": "de Vries", "roles": ["employee", "employee_plus"]}
    ]);
    let (_, report) = sync_accounts(&p, host, &token, "none", changed).await;
    assert_eq!(report["counts"]["updated"], 2, "{report}");
    let sent: Vec<String> = mails(&p, s, "auth.email_changed")
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert!(
        sent.contains(&"petra@contractant.nl".into())
            && sent.contains(&"p.devries@contractant.nl".into())
    );
    assert!(
        !v.logged_in().await,
        "the main account's deactivation ends the extra account's session"
    );

    // Moved to another customer, an account keeps no rights at the old one.
    let l1: Vec<(i64,)> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_locations")
                .column("id")
                .and_where(sea_query::Expr::col("external_id").eq("L1"))
                .to_owned(),
        )
        .await
        .unwrap();
    let mut tx = p.state().db.begin().await.unwrap();
    tx.execute(
        &sea_query::Query::insert()
            .into_table("core_location_grants")
            .columns(["tenant_id", "user_id", "location_id", "can_write"])
            .values_panic([
                s.tenant_id().into(),
                petra.id.into(),
                l1[0].0.into(),
                true.into(),
            ])
            .to_owned(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let moved = json!([{"external_id": "CP2", "customer_external_id": "K2", "email": "p.devries@contractant.nl",
        "first_name": "Petra", "last_name": "de Vries", "roles": ["employee", "employee_plus"]}]);
    let (_, report) = sync_accounts(&p, host, &token, "none", moved).await;
    assert_eq!(report["counts"]["updated"], 1, "{report}");
    let grants: Vec<(i64,)> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_location_grants")
                .column("location_id")
                .and_where(sea_query::Expr::col("user_id").eq(petra.id))
                .to_owned(),
        )
        .await
        .unwrap();
    assert!(grants.is_empty(), "rights at the old customer are gone");
    // Deleting by external id: only the tenant's own.
    let del = |t: String, h: &'static str| {
        let p = &p;
        async move {
            p.req(Method::DELETE, h, "/api/admin/v1/sync/accounts/CP2")
                .bearer(&t)
                .send()
                .await
                .status
                .as_u16()
        }
    };
    assert_eq!(
        del(beta_token.clone(), "beta.localhost").await,
        404,
        "another tenant's key"
    );
    assert_eq!(del(token.clone(), host).await, 204);
    assert_eq!(del(token.clone(), host).await, 404);
    assert_eq!(
        accounts::list(&p.state().db, s, None).await.unwrap().len(),
        1
    );
    // The key's activity is recorded as the back-office's.
    let cp1 = accounts::list(&p.state().db, s, None).await.unwrap()[0].id;
    let log = portal_core::auth::activity::for_user(&p.state().db, s, cp1, 20)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "account.deactivated" && e.actor == "api_key")
    );
}
db_test!(accounts_sync_by_external_id);
