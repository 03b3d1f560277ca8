//! What customers may edit (issue 17): the tenant's policy per field group
//! (nobody, the account itself, admins, both) decides which forms exist;
//! every change made in the portal is one event for the back-office, shows
//! as waiting for processing until confirmed, and a sync with other values
//! for its fields is reported and not applied.

use poem::http::Method;
use portal_core::access::sync::{CustomerRow, upsert_customers};
use portal_core::access::sync_accounts::{AccountRow, upsert_accounts};
use portal_core::auth::accounts;
use portal_core::auth::activity::By;
use portal_core::auth::flows::staff::Welcome;
use portal_core::events;
use portal_core::tenant::TenantScope;

use crate::auth::{Acc, HOST, PW, Visitor, account, login_email, setup, snapshot};
use crate::support::{TestDb, TestPortal, db_test};

async fn policy(p: &TestPortal, s: TenantScope, key: &str, value: &str) {
    portal_core::tenant::repo::set_setting(
        &p.state().db,
        s,
        &p.state().registry,
        "portal",
        key,
        Some(value),
    )
    .await
    .unwrap();
}

/// The main account (admin) jan@ and an employee collega@ of customer 1001.
async fn two_people(p: &TestPortal, s: TenantScope) -> (i64, i64) {
    let admin = account(p, s, Acc::default()).await;
    let employee = account(
        p,
        s,
        Acc {
            email: "collega@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    (admin, employee)
}

fn personal(first: &'static str, email: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("first_name", first),
        ("last_name", "Jansen"),
        ("phone", "06 1234 5678"),
        ("email", email),
        ("current", PW),
    ]
}

fn organisation(name: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", name),
        ("email", "info@klant.nl"),
        ("phone", "010 555"),
        ("correspondence_address", "Postbus 9"),
        ("current", PW),
    ]
}

async fn events_of(p: &TestPortal, s: TenantScope, kind: &str) -> Vec<serde_json::Value> {
    events::list(&p.state().db, s, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect()
}

async fn customer_name(p: &TestPortal, s: TenantScope, id: i64) -> String {
    accounts::customer_details(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap()
        .name
}

/// Seed 000: nobody changes anything in the portal; no form, and the POSTs
/// answer 404 and change nothing.
async fn policy_nobody_shows_no_form_and_refuses_the_post(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let (admin, _) = two_people(&p, s).await;
    for key in [
        "edit_login_email",
        "edit_personal",
        "edit_organisation",
        "edit_correspondence",
    ] {
        policy(&p, s, key, "nobody").await;
    }
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let view = v.get("/organisation/personal").await;
    assert_eq!(view.status, 200);
    assert!(view.body.contains("id=\"personal-details\""));
    assert!(!view.body.contains("id=\"personal-edit\""), "no Aanpassen");
    assert!(view.body.contains("id=\"change-by-support\""));
    assert_eq!(v.get("/organisation/personal/edit").await.status, 404);
    let r = v
        .post(
            "/organisation/personal",
            &personal("Piet", "piet@example.nl"),
        )
        .await;
    assert_eq!(r.status, 404);
    let org = v.get("/organisation").await.body;
    assert!(!org.contains("id=\"org-edit\"") && org.contains("id=\"change-by-support\""));
    assert_eq!(v.get("/organisation/edit").await.status, 404);
    assert_eq!(
        v.post("/organisation/edit", &organisation("Overgenomen BV"))
            .await
            .status,
        404
    );
    let a = accounts::by_id(&p.state().db, s, admin)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.email, "jan@example.nl");
    assert_ne!(a.first_name, "Piet");
    assert_eq!(customer_name(&p, s, a.customer_id).await, "Klant");
    assert!(events_of(&p, s, "account.changed").await.is_empty());
}
db_test!(policy_nobody_shows_no_form_and_refuses_the_post);

/// "own": each account changes its own data, an admin not another's; the
/// organisation's data every user. "admins": only admins.
async fn policy_own_and_admins_decide_who_changes_what(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let (_, employee) = two_people(&p, s).await;
    policy(&p, s, "edit_personal", "own").await;
    policy(&p, s, "edit_login_email", "admins").await;
    policy(&p, s, "edit_organisation", "own").await;
    policy(&p, s, "edit_correspondence", "admins").await;

    let mut emp = Visitor::new(&p);
    login_email(&mut emp, "collega@example.nl", PW).await;
    let form = emp.get("/organisation/personal/edit").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"first_name\""));
    assert!(
        !form.body.contains("name=\"email\""),
        "login e-mail: admins only"
    );
    // A forged e-mail field is ignored: the policy keeps the stored address.
    let r = emp
        .post(
            "/organisation/personal",
            &personal("Kees", "gekaapt@evil.example"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let a = accounts::by_id(&p.state().db, s, employee)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.first_name.as_str(), a.email.as_str()),
        ("Kees", "collega@example.nl")
    );
    // The organisation's data: every user ("own"), but the correspondence
    // address only admins.
    let form = emp.get("/organisation/edit").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"name\""));
    assert!(!form.body.contains("name=\"correspondence_address\""));
    let r = emp
        .post("/organisation/edit", &organisation("Kees en Co"))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = accounts::customer_details(&p.state().db, s, a.customer_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.name, "Kees en Co");
    assert_eq!(d.correspondence_address, "", "kept: admins only");

    // The admin: another account's name not ("own"), its e-mail yes ("admins").
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let path = format!("/organisation/contacts/{employee}");
    let view = admin.get(&path).await;
    assert!(
        view.body.contains("id=\"contact-details\"") && view.body.contains("id=\"contact-edit\"")
    );
    let form = admin.get(&format!("{path}/edit")).await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains("name=\"first_name\"") && form.body.contains("name=\"email\""));
    let r = admin
        .post(
            &path,
            &[
                ("first_name", "Gewijzigd"),
                ("last_name", "Door beheerder"),
                ("gender", "male"),
                ("email", "kees@klant.nl"),
                ("employee", "on"),
                ("active", "on"),
                ("current", PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let a = accounts::by_id(&p.state().db, s, employee)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.first_name.as_str(), a.email.as_str()),
        ("Kees", "kees@klant.nl")
    );

    // "admins" for personal data: the employee has no form any more.
    policy(&p, s, "edit_personal", "admins").await;
    policy(&p, s, "edit_login_email", "admins").await;
    let mut emp = Visitor::new(&p);
    login_email(&mut emp, "kees@klant.nl", PW).await;
    assert_eq!(emp.get("/organisation/personal/edit").await.status, 404);
    assert!(
        !emp.get("/organisation/personal")
            .await
            .body
            .contains("id=\"personal-edit\"")
    );
    assert_eq!(admin.get("/organisation/personal/edit").await.status, 200);
}
db_test!(policy_own_and_admins_decide_who_changes_what);

/// A portal change is one event, waits for processing, is not overwritten
/// by a sync with other values (the row reports it), and is confirmed by a
/// sync with the same values or through the API.
async fn a_portal_change_waits_for_the_back_office_and_a_sync_reports_the_conflict(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let (_, employee) = two_people(&p, s).await;
    let db = &p.state().db;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let r = admin
        .post("/organisation/edit", &organisation("Nieuwe Naam BV"))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let changed = events_of(&p, s, "customer.changed").await;
    assert_eq!(
        changed.len(),
        2,
        "organisation and correspondence: {changed:?}"
    );
    let org = changed
        .iter()
        .find(|e| e["group"] == "organisation")
        .unwrap();
    assert_eq!(org["customer_number"], "1001");
    assert_eq!(org["fields"]["name"]["old"], "Klant");
    assert_eq!(org["fields"]["name"]["new"], "Nieuwe Naam BV");
    let page = admin.get("/organisation").await.body;
    assert!(
        page.contains("id=\"change-pending\""),
        "waiting for processing"
    );

    // The daily sync still has the old name: reported, not applied; its
    // other fields (payment method) are.
    let row = |name: &str, address: &str| CustomerRow {
        external_id: "C1001".into(),
        number: "1001".into(),
        name: name.into(),
        email: "info@klant.nl".into(),
        phone: "010 555".into(),
        payment_method: "Automatische incasso".into(),
        correspondence_address: address.into(),
        active: true,
        ..CustomerRow::default()
    };
    let report = upsert_customers(db, s, &[row("Klant", "Postbus 9")])
        .await
        .unwrap();
    assert_eq!(report.counts.conflicts, 1);
    let conflicts = &report.rows[0].conflicts;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(conflicts[0].starts_with("name:") && conflicts[0].contains("Nieuwe Naam BV"));
    let customer_id = accounts::by_id(db, s, employee)
        .await
        .unwrap()
        .unwrap()
        .customer_id;
    let d = accounts::customer_details(db, s, customer_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.name, "Nieuwe Naam BV");
    assert_eq!(d.payment_method, "Automatische incasso");
    // The correspondence change was synced back as sent: confirmed.
    let page = admin.get("/organisation").await.body;
    assert!(
        page.contains("id=\"change-pending\""),
        "the name still waits: {page}"
    );
    assert!(!page.contains("correspondentieadres."), "{page}");

    // Taken over by the back-office: the next sync confirms it.
    let report = upsert_customers(db, s, &[row("Nieuwe Naam BV", "Postbus 9")])
        .await
        .unwrap();
    assert_eq!(report.counts.conflicts, 0);
    assert!(
        !admin
            .get("/organisation")
            .await
            .body
            .contains("id=\"change-pending\"")
    );
    // Confirmed: later syncs win again.
    upsert_customers(db, s, &[row("Naam Uit Administratie", "Postbus 9")])
        .await
        .unwrap();
    assert_eq!(
        customer_name(&p, s, customer_id).await,
        "Naam Uit Administratie"
    );

    // An account's change: one event, waiting, a conflicting account sync
    // reported; the API confirms it.
    let mut tx = db.begin().await.unwrap();
    accounts::update(&mut tx, s, employee, vec![("external_id", "P-2".into())])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut emp = Visitor::new(&p);
    login_email(&mut emp, "collega@example.nl", PW).await;
    let r = emp
        .post(
            "/organisation/personal",
            &personal("Kees", "collega@example.nl"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let changed = events_of(&p, s, "account.changed").await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["account_external_id"], "P-2");
    assert_eq!(changed[0]["fields"]["first_name"]["new"], "Kees");
    assert!(
        changed[0]["fields"].get("email").is_none(),
        "only what changed"
    );
    assert!(
        emp.get("/organisation/personal")
            .await
            .body
            .contains("id=\"change-pending\"")
    );
    let tenant = snapshot(&p, "acme").await;
    let account_row = |first: &str| AccountRow {
        external_id: "P-2".into(),
        customer_external_id: "C1001".into(),
        email: "collega@example.nl".into(),
        first_name: first.into(),
        last_name: "Jansen".into(),
        phone: "06 1234 5678".into(),
        active: true,
        ..AccountRow::default()
    };
    let report = upsert_accounts(
        &p.state().deps(),
        &tenant,
        &By::api_key(0),
        Welcome::None,
        &[account_row("Cornelis")],
    )
    .await
    .unwrap();
    assert_eq!(report.counts.conflicts, 1, "{:?}", report.rows);
    assert!(report.rows[0].conflicts[0].starts_with("first_name:"));
    let a = accounts::by_id(db, s, employee).await.unwrap().unwrap();
    assert_eq!(a.first_name, "Kees");
    let open = portal_core::access::portal_changes::list(db, s, 0, true, 100)
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    let token = portal_core::tenant::repo::create_api_token(db, s, "t", "*")
        .await
        .unwrap();
    let confirm = format!("/api/admin/v1/portal-changes/{}/confirm", open[0].id);
    let listed = p
        .req(Method::GET, HOST, "/api/admin/v1/portal-changes")
        .bearer(&token)
        .send()
        .await;
    assert!(
        listed.body.contains("\"field_group\":\"personal\""),
        "{}",
        listed.body
    );
    let r = p
        .req(Method::POST, HOST, &confirm)
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = p
        .req(Method::POST, HOST, &confirm)
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 404, "confirmed already");
    assert!(
        !emp.get("/organisation/personal")
            .await
            .body
            .contains("id=\"change-pending\"")
    );
    upsert_accounts(
        &p.state().deps(),
        &tenant,
        &By::api_key(0),
        Welcome::None,
        &[account_row("Cornelis")],
    )
    .await
    .unwrap();
    let a = accounts::by_id(db, s, employee).await.unwrap().unwrap();
    assert_eq!(
        a.first_name, "Cornelis",
        "after confirmation the back-office wins"
    );
}
db_test!(a_portal_change_waits_for_the_back_office_and_a_sync_reports_the_conflict);

/// Every value of every field group's policy: who gets the field, on their
/// own account, on a colleague's (as admin), and on the organisation.
async fn every_policy_value_of_every_field_group(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let (_, employee) = two_people(&p, s).await;
    let mut emp = Visitor::new(&p);
    login_email(&mut emp, "collega@example.nl", PW).await;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let groups = [
        ("edit_login_email", "email", false),
        ("edit_personal", "first_name", false),
        ("edit_organisation", "name", true),
        ("edit_correspondence", "correspondence_address", true),
    ];
    let has = |body: &str, field: &str| body.contains(&format!("name=\"{field}\""));
    for (key, field, of_organisation) in groups {
        for value in ["nobody", "own", "admins", "own_and_admins"] {
            for (other, _, _) in groups {
                policy(&p, s, other, if other == key { value } else { "nobody" }).await;
            }
            let own = matches!(value, "own" | "own_and_admins");
            let admins = matches!(value, "admins" | "own_and_admins");
            let case = format!("{key}={value}");
            if of_organisation {
                let e = emp.get("/organisation/edit").await;
                assert_eq!(
                    e.status == 200 && has(&e.body, field),
                    own,
                    "employee, {case}"
                );
                if !own {
                    assert_eq!(e.status, 404, "employee, {case}: no form at all");
                }
                let a = admin.get("/organisation/edit").await;
                assert_eq!(
                    a.status == 200 && has(&a.body, field),
                    own || admins,
                    "admin, {case}"
                );
            } else {
                let e = emp.get("/organisation/personal/edit").await;
                assert_eq!(
                    e.status == 200 && has(&e.body, field),
                    own,
                    "employee's own, {case}"
                );
                if !own {
                    assert_eq!(e.status, 404, "employee's own, {case}: no form at all");
                }
                let a = admin.get("/organisation/personal/edit").await;
                assert_eq!(
                    a.status == 200 && has(&a.body, field),
                    own || admins,
                    "admin's own, {case}"
                );
                let c = admin
                    .get(&format!("/organisation/contacts/{employee}/edit"))
                    .await;
                assert_eq!(c.status, 200, "{case}");
                assert_eq!(has(&c.body, field), admins, "admin on a colleague, {case}");
            }
        }
    }
}
db_test!(every_policy_value_of_every_field_group);

/// Seed 000: where the tenant says so, the main account's login e-mail is
/// the customer's e-mail in the administration: a sync that changes the
/// customer's e-mail changes the login (both addresses told), and staff
/// changing the login change the customer's e-mail.
async fn the_login_email_follows_the_customer_email_where_the_tenant_says_so(tdb: TestDb) {
    let (p, s) = setup(&tdb, "customer_number_email").await;
    let (main, employee) = two_people(&p, s).await;
    let db = &p.state().db;
    let token = portal_core::tenant::repo::create_api_token(db, s, "t", "*")
        .await
        .unwrap();
    let sync = |email: &'static str| {
        let p = &p;
        let token = token.clone();
        async move {
            p.req(Method::POST, HOST, "/api/admin/v1/sync/customers")
                .bearer(&token)
                .json(&serde_json::json!({"customers": [{
                    "external_id": "C1001", "number": "1001", "name": "Klant", "email": email,
                }]}))
                .send()
                .await
        }
    };
    // Off (the default): the two addresses are separate.
    let r = sync("administratie@klant.nl").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = accounts::by_id(db, s, main).await.unwrap().unwrap();
    assert_eq!(a.email, "jan@example.nl");

    policy(&p, s, "login_email_follows_customer", "true").await;
    // The organisation's e-mail is then the login: not a field of the
    // organisation form (a colleague could otherwise take the login).
    policy(&p, s, "edit_organisation", "own").await;
    let mut emp = Visitor::new(&p);
    emp.post(
        "/login",
        &[
            ("customer_number", "1001"),
            ("login", "collega@example.nl"),
            ("password", PW),
            ("next", "/"),
        ],
    )
    .await;
    let form = emp.get("/organisation/edit").await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains("name=\"email\""), "{}", form.body);
    let r = sync("facturen@klant.nl").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = accounts::by_id(db, s, main).await.unwrap().unwrap();
    assert_eq!(
        a.email, "facturen@klant.nl",
        "the main account's login follows"
    );
    let e = accounts::by_id(db, s, employee).await.unwrap().unwrap();
    assert_eq!(
        e.email, "collega@example.nl",
        "an extra account keeps its own"
    );
    let told: Vec<String> = crate::auth::mails(&p, s, "auth.email_changed")
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert!(
        told.contains(&"jan@example.nl".to_string())
            && told.contains(&"facturen@klant.nl".to_string()),
        "{told:?}"
    );
    // The same sync again changes nothing.
    sync("facturen@klant.nl").await;
    assert_eq!(
        crate::auth::mails(&p, s, "auth.email_changed").await.len(),
        told.len()
    );
    // Staff change the login (through the API): the customer's e-mail follows.
    let r = p
        .req(
            Method::PATCH,
            HOST,
            &format!("/api/admin/v1/accounts/{main}"),
        )
        .bearer(&token)
        .json(&serde_json::json!({"email": "nieuw@klant.nl"}))
        .send()
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(
        accounts::customer_details(db, s, a.customer_id)
            .await
            .unwrap()
            .unwrap()
            .email,
        "nieuw@klant.nl"
    );
}
db_test!(the_login_email_follows_the_customer_email_where_the_tenant_says_so);
