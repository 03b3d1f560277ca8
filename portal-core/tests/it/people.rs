//! "Mijn organisatie" (seed 001) and extra accounts (seed 002) through the
//! pages: contact persons with roles and an invitation, personal data,
//! organisation details, rights per location; every change confirmed with
//! the current password; other organisations' people answer 404.

use portal_core::access::{Role, load};
use portal_core::auth::accounts;
use sea_query::{Expr, ExprTrait, Query};

use crate::auth::{Acc, PW, Visitor, account, link_in, login_email, mails, path_of, setup};
use crate::support::{TestDb, db_test};

fn person<'a>(email: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("first_name", "Petra"),
        ("last_name", "de Vries"),
        ("gender", "female"),
        ("phone", "020 123 4567"),
        ("email", email),
        ("current", PW),
    ];
    f.extend_from_slice(extra);
    f
}

async fn admin_adds_a_contact_person_who_is_invited(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let page = admin.get("/organisation/contacts/new").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"employee_plus\""));

    // Employee+ without Employee is refused, and the input is kept.
    let r = admin
        .post(
            "/organisation/contacts/new",
            &person("petra@example.nl", &[("employee_plus", "on")]),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"error-employee_plus\""), "{}", r.body);
    assert!(r.body.contains("value=\"petra@example.nl\""));
    // A wrong confirmation password: refused, nothing made.
    let mut wrong = person("petra@example.nl", &[("employee", "on")]);
    wrong.retain(|(k, _)| *k != "current");
    wrong.push(("current", "niet-mijn-wachtwoord"));
    let r = admin.post("/organisation/contacts/new", &wrong).await;
    assert!(r.body.contains("id=\"error-current\""));
    // Missing names and gender: each field says so.
    let r = admin
        .post(
            "/organisation/contacts/new",
            &[
                ("email", "x@example.nl"),
                ("employee", "on"),
                ("current", PW),
            ],
        )
        .await;
    for f in ["first_name", "last_name", "gender"] {
        assert!(r.body.contains(&format!("id=\"error-{f}\"")), "{f}");
    }
    assert_eq!(
        accounts::list(&p.state().db, s, None).await.unwrap().len(),
        1,
        "nothing was created by refused forms"
    );

    let r = admin
        .post(
            "/organisation/contacts/new",
            &person(
                "petra@example.nl",
                &[("employee", "on"), ("employee_plus", "on")],
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let all = accounts::list(&p.state().db, s, None).await.unwrap();
    let petra = all.iter().find(|a| a.email == "petra@example.nl").unwrap();
    assert!(!petra.is_main);
    assert_eq!(petra.first_name, "Petra");
    assert_eq!(petra.gender, "female");
    let roles = load::roles_of(&p.state().db, s, petra.id).await.unwrap();
    assert!(roles.has(Role::Employee) && roles.has(Role::EmployeePlus) && !roles.has(Role::Admin));
    let list = admin.get("/organisation/contacts").await.body;
    assert!(list.contains("Petra de Vries"));

    // The invitation sets a password, after which Petra logs in and sees
    // only what her role allows.
    let invite = mails(&p, s, "auth.invite").await;
    assert_eq!(invite.len(), 1);
    assert_eq!(invite[0].to_address, "petra@example.nl");
    let link = path_of(&link_in(&invite[0], "/password/"));
    let mut petra_v = Visitor::new(&p);
    let form = petra_v.get(&link).await;
    let token = form.csrf_token();
    let r = petra_v
        .post_with_token(&link, &[("password", PW), ("repeat", PW)], &token)
        .await;
    assert!(r.status.is_redirection() || r.status == 200, "{}", r.status);
    login_email(&mut petra_v, "petra@example.nl", PW).await;
    assert!(petra_v.logged_in().await);
    assert_eq!(petra_v.get("/organisation/contacts").await.status, 404);
    assert_eq!(petra_v.get("/organisation/contacts/new").await.status, 404);
    assert_eq!(petra_v.get("/organisation/edit").await.status, 404);
    let org = petra_v.get("/organisation").await.body;
    assert!(!org.contains("/organisation/contacts\""), "no contacts tab");

    // A role change applies to her live session at once (SECURITY.md 24).
    let mut edit = person(
        "petra@example.nl",
        &[("admin", "on"), ("employee", "on"), ("active", "on")],
    );
    edit.retain(|_| true);
    let path = format!("/organisation/contacts/{}", petra.id);
    let r = admin.post(&path, &edit).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(petra_v.get("/organisation/contacts").await.status, 200);
    // The activity log names the change and who made it.
    let log = portal_core::auth::activity::for_user(&p.state().db, s, petra.id, 20)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "roles.changed" && e.actor == "user")
    );
    assert!(log.iter().any(|e| e.action == "contact.added"));
}
db_test!(admin_adds_a_contact_person_who_is_invited);

async fn people_of_another_organisation_are_not_found(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let colleague = account(
        &p,
        s,
        Acc {
            email: "collega@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    let stranger = account(
        &p,
        s,
        Acc {
            customer: "2002",
            email: "vreemd@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    assert_eq!(
        admin
            .get(&format!("/organisation/contacts/{colleague}"))
            .await
            .status,
        200
    );
    let other = admin
        .get(&format!("/organisation/contacts/{stranger}"))
        .await;
    let missing = admin.get("/organisation/contacts/999999").await;
    assert_eq!(other.status, 404);
    assert_eq!(missing.status, 404);
    assert_eq!(
        other.body.replace(char::is_numeric, ""),
        missing.body.replace(char::is_numeric, ""),
        "the same page whether the person exists or not"
    );
    // Nor can a write reach them.
    let r = admin
        .post(
            &format!("/organisation/contacts/{stranger}"),
            &person(
                "overgenomen@example.nl",
                &[("admin", "on"), ("active", "on")],
            ),
        )
        .await;
    assert_eq!(r.status, 404);
    let a = accounts::by_id(&p.state().db, s, stranger)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.email, "vreemd@example.nl");
    // An employee cannot read a colleague through the admin pages either.
    let mut emp = Visitor::new(&p);
    login_email(&mut emp, "collega@example.nl", PW).await;
    assert_eq!(
        emp.get(&format!("/organisation/contacts/{colleague}"))
            .await
            .status,
        404
    );
}
db_test!(people_of_another_organisation_are_not_found);

async fn personal_data_needs_the_password_and_confirms_a_new_email(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let emp = account(
        &p,
        s,
        Acc {
            email: "collega@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "collega@example.nl", PW).await;
    assert_eq!(v.get("/organisation/personal").await.status, 200);
    let fields = |pw: &'static str| {
        vec![
            ("first_name", "Kees"),
            ("last_name", "Jansen"),
            ("phone", "06 1234 5678"),
            ("email", "kees@nieuw.nl"),
            ("current", pw),
        ]
    };
    let r = v
        .post("/organisation/personal", &fields("fout-wachtwoord"))
        .await;
    assert!(r.body.contains("id=\"error-current\""));
    assert!(r.body.contains("value=\"kees@nieuw.nl\""), "input kept");
    let a = accounts::by_id(&p.state().db, s, emp)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.email, "collega@example.nl", "nothing changed");
    let r = v.post("/organisation/personal", &fields(PW)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let a = accounts::by_id(&p.state().db, s, emp)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.first_name.as_str(), a.email.as_str(), a.phone.as_str()),
        ("Kees", "kees@nieuw.nl", "06 1234 5678")
    );
    let sent: Vec<String> = mails(&p, s, "auth.email_changed")
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert!(
        sent.contains(&"collega@example.nl".to_string())
            && sent.contains(&"kees@nieuw.nl".to_string())
    );
    // A non-admin changes only their own data: the organisation form is not theirs.
    assert_eq!(v.get("/organisation/edit").await.status, 404);
}
db_test!(personal_data_needs_the_password_and_confirms_a_new_email);

async fn admin_changes_organisation_details(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "jan@example.nl", PW).await;
    let r = v
        .post(
            "/organisation/edit",
            &[
                ("name", "Praktijk Jansen"),
                ("email", "geen-adres"),
                ("current", PW),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"error-email\""));
    let r = v
        .post(
            "/organisation/edit",
            &[
                ("name", "Praktijk Jansen"),
                ("email", "info@jansen.nl"),
                ("phone", "010 555"),
                ("correspondence_address", "Postbus 1\n1000 AA Amsterdam"),
                ("current", PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = v.get("/organisation?done=saved").await.body;
    assert!(page.contains("Praktijk Jansen") && page.contains("info@jansen.nl"));
    assert!(page.contains("Postbus 1"));
}
db_test!(admin_changes_organisation_details);

async fn main_account_sets_location_rights_write_implies_read(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let extra = account(&p, s, Acc::extra()).await;
    account(
        &p,
        s,
        Acc {
            customer: "2002",
            email: "ander@example.nl",
            ..Acc::default()
        },
    )
    .await;
    let own = accounts::customer_by_number(&p.state().db, s, "1001")
        .await
        .unwrap()
        .unwrap()
        .id;
    let other = accounts::customer_by_number(&p.state().db, s, "2002")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for (c, name) in [(own, "Keuken"), (own, "Magazijn"), (other, "Elders")] {
        let mut tx = p.state().db.begin().await.unwrap();
        ids.push(
            tx.insert_returning_id(
                &Query::insert()
                    .into_table("core_locations")
                    .columns(["tenant_id", "customer_id", "name"])
                    .values_panic([s.tenant_id().into(), c.into(), name.into()])
                    .to_owned(),
            )
            .await
            .unwrap(),
        );
        tx.commit().await.unwrap();
    }
    let (keuken, magazijn, elders) = (ids[0], ids[1], ids[2]);
    let mut main = Visitor::new(&p);
    login_email(&mut main, "jan@example.nl", PW).await;
    let form = main
        .get(&format!("/organisation/contacts/{extra}/rights"))
        .await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Keuken") && !form.body.contains("Elders"));
    let (r_k, w_m, r_e) = (
        format!("read_{keuken}"),
        format!("write_{magazijn}"),
        format!("read_{elders}"),
    );
    let path = format!("/organisation/contacts/{extra}/rights");
    let r = main
        .post(
            &path,
            &[
                (r_k.as_str(), "on"),
                (w_m.as_str(), "on"),
                (r_e.as_str(), "on"),
                ("current", "fout"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("id=\"error-current\""),
        "rights need the password"
    );
    let r = main
        .post(
            &path,
            &[
                (r_k.as_str(), "on"),
                (w_m.as_str(), "on"),
                (r_e.as_str(), "on"),
                ("current", PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let rows: Vec<(i64, bool)> = p
        .state()
        .db
        .fetch_all(
            &s.select("core_location_grants")
                .columns(["location_id", "can_write"])
                .and_where(Expr::col("user_id").eq(extra))
                .order_by("location_id", sea_query::Order::Asc)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![(keuken, false), (magazijn, true)],
        "write stored with read; another customer's location ignored"
    );
    // The extra account itself may not set rights, nor may anyone for the main account.
    let mut ev = Visitor::new(&p);
    login_email(&mut ev, "extra@example.nl", PW).await;
    assert_eq!(
        ev.get(&format!("/organisation/contacts/{extra}/rights"))
            .await
            .status,
        404
    );
    let main_id = accounts::list(&p.state().db, s, Some(own)).await.unwrap()[0].id;
    assert_eq!(
        main.get(&format!("/organisation/contacts/{main_id}/rights"))
            .await
            .status,
        404
    );
}
db_test!(main_account_sets_location_rights_write_implies_read);

async fn parent_account_switches_between_customers(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
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
    account(
        &p,
        s,
        Acc {
            customer: "201",
            email: "a@kind.nl",
            ..Acc::default()
        },
    )
    .await;
    account(
        &p,
        s,
        Acc {
            customer: "300",
            email: "c@vreemd.nl",
            ..Acc::default()
        },
    )
    .await;
    let id = |n: &'static str| {
        let p = &p;
        async move {
            accounts::customer_by_number(&p.state().db, s, n)
                .await
                .unwrap()
                .unwrap()
                .id
        }
    };
    let (parent, child, stranger) = (id("100").await, id("201").await, id("300").await);
    let mut tx = p.state().db.begin().await.unwrap();
    for (c, name) in [
        (parent, "Supermarkt Hoofdaccount"),
        (child, "Supermarkt Vestiging"),
        (stranger, "Vreemde BV"),
    ] {
        tx.execute(
            &s.update("core_customers")
                .value("name", name)
                .and_where(Expr::col("id").eq(c))
                .to_owned(),
        )
        .await
        .unwrap();
    }
    tx.execute(
        &s.update("core_customers")
            .value("parent_id", parent)
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A customer that sees only itself has no switcher.
    let mut single = Visitor::new(&p);
    login_email(&mut single, "a@kind.nl", PW).await;
    assert!(
        !single
            .get("/organisation")
            .await
            .body
            .contains("id=\"customer-switch\"")
    );

    let mut v = Visitor::new(&p);
    login_email(&mut v, "hoofd@contractant.nl", PW).await;
    let page = v.get("/organisation").await.body;
    assert!(page.contains("id=\"customer-switch\""));
    assert!(page.contains("Supermarkt Vestiging") && !page.contains("Vreemde BV"));
    assert!(page.contains("id=\"org-name\">Supermarkt Hoofdaccount"));
    let r = v
        .post(
            "/customer",
            &[("customer", &child.to_string()), ("next", "/organisation")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").ends_with("/organisation"));
    let page = v.get("/organisation").await.body;
    assert!(
        page.contains("id=\"org-name\">Supermarkt Vestiging"),
        "the child's details"
    );
    assert!(
        !page.contains("id=\"org-edit\""),
        "a child's details are not the parent's to edit"
    );
    // A customer it does not see is ignored: its own again.
    v.post(
        "/customer",
        &[
            ("customer", &stranger.to_string()),
            ("next", "/organisation"),
        ],
    )
    .await;
    let page = v.get("/organisation").await.body;
    assert!(
        page.contains("id=\"org-name\">Supermarkt Vestiging"),
        "choice unchanged"
    );
    assert!(!page.contains("Vreemde BV"));
    // A foreign next is not followed.
    let r = v
        .post(
            "/customer",
            &[("customer", "0"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.header("location"), "/");
}
db_test!(parent_account_switches_between_customers);

async fn only_the_main_account_changes_the_main_account_any_admin_a_login(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let main = account(&p, s, Acc::default()).await;
    let second = account(
        &p,
        s,
        Acc {
            email: "tweede@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    let extra = account(&p, s, Acc::extra()).await;
    let mut tx = p.state().db.begin().await.unwrap();
    load::set_roles(
        &mut tx,
        s,
        second,
        &portal_core::access::Roles::new([Role::Admin]),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut admin2 = Visitor::new(&p);
    login_email(&mut admin2, "tweede@example.nl", PW).await;
    // A second admin cannot take over the main account through its e-mail or roles.
    let r = admin2
        .post(
            &format!("/organisation/contacts/{main}"),
            &person(
                "overname@evil.example",
                &[("employee", "on"), ("active", "on")],
            ),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("href=\"#field-roles\""), "{}", r.body);
    let m = accounts::by_id(&p.state().db, s, main)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.email, "jan@example.nl");
    // Any admin may change another (not main) account's login e-mail
    // (seed 001); the old and the new address are both told.
    let r = admin2
        .post(
            &format!("/organisation/contacts/{extra}"),
            &person(
                "nieuw-extra@example.nl",
                &[("employee", "on"), ("active", "on")],
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let e = accounts::by_id(&p.state().db, s, extra)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.email, "nieuw-extra@example.nl");
    // But not the login of another admin: only the main account changes
    // that (else an admin could reset it and gain its reach).
    let mut tx = p.state().db.begin().await.unwrap();
    load::set_roles(
        &mut tx,
        s,
        extra,
        &portal_core::access::Roles::new([Role::Admin]),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let r = admin2
        .post(
            &format!("/organisation/contacts/{extra}"),
            &person(
                "overname@evil.example",
                &[("admin", "on"), ("active", "on")],
            ),
        )
        .await;
    assert!(r.body.contains("id=\"error-email\""), "{}", r.body);
    let e = accounts::by_id(&p.state().db, s, extra)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.email, "nieuw-extra@example.nl");
    let told: Vec<String> = mails(&p, s, "auth.email_changed")
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert!(
        told.contains(&"extra@example.nl".to_string())
            && told.contains(&"nieuw-extra@example.nl".to_string()),
        "{told:?}"
    );
    // Whether an address is taken is told only after the right password.
    let r = admin2
        .post(
            "/organisation/personal",
            &[
                ("first_name", "T"),
                ("last_name", "W"),
                ("email", "jan@example.nl"),
                ("current", "fout"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"error-current\"") && !r.body.contains("id=\"error-email\""));
}
db_test!(only_the_main_account_changes_the_main_account_any_admin_a_login);

/// An e-mail address in use at another organisation (e-mail login: unique
/// in the tenant) is refused without naming or hinting at that
/// organisation.
async fn an_address_used_elsewhere_is_refused_without_naming_where(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    account(
        &p,
        s,
        Acc {
            customer: "2002",
            email: "x@elders.nl",
            ..Acc::default()
        },
    )
    .await;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let r = admin
        .post(
            "/organisation/contacts/new",
            &person("x@elders.nl", &[("employee", "on")]),
        )
        .await;
    assert_eq!(r.status, 200);
    let at = r
        .body
        .find("id=\"error-email\"")
        .expect("refused at the field");
    let message = &r.body[at..at + r.body[at..].find("</p>").unwrap()];
    assert!(
        message.contains("kan hier niet worden gebruikt"),
        "{message}"
    );
    assert!(
        !message.contains("organisatie") && !message.contains("2002"),
        "{message}"
    );
}
db_test!(an_address_used_elsewhere_is_refused_without_naming_where);

/// Seed 001: a contact person may be recorded without portal access: no
/// login e-mail, no invitation; access follows once an admin gives them a
/// login e-mail.
async fn a_contact_person_without_portal_access(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    account(&p, s, Acc::default()).await;
    let mut admin = Visitor::new(&p);
    login_email(&mut admin, "jan@example.nl", PW).await;
    let form = admin.get("/organisation/contacts/new").await.body;
    assert!(form.contains("name=\"no_portal_access\""));
    for first in ["Piet", "Klaas"] {
        let mut f = person("", &[("employee", "on"), ("no_portal_access", "on")]);
        f.retain(|(k, _)| *k != "first_name");
        f.push(("first_name", first));
        let r = admin.post("/organisation/contacts/new", &f).await;
        assert_eq!(r.status, 303, "{first}: {}", r.body);
    }
    assert!(
        mails(&p, s, "auth.invite").await.is_empty(),
        "no invitation without portal access"
    );
    let all = accounts::list(&p.state().db, s, None).await.unwrap();
    let piet = all.iter().find(|a| a.first_name == "Piet").unwrap();
    assert_eq!(piet.email, "");
    // A second person without access is changed like any other (two empty
    // addresses are not "the same address").
    let klaas = all.iter().find(|a| a.first_name == "Klaas").unwrap();
    let mut f = person("", &[("employee", "on"), ("active", "on")]);
    f.retain(|(k, _)| *k != "first_name" && *k != "phone");
    f.extend([("first_name", "Klaas"), ("phone", "06 999")]);
    let r = admin
        .post(&format!("/organisation/contacts/{}", klaas.id), &f)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let view = admin
        .get(&format!("/organisation/contacts/{}", piet.id))
        .await
        .body;
    assert!(view.contains("Geen toegang tot het klantportaal"), "{view}");
    // Without the choice, the login e-mail stays required.
    let r = admin
        .post(
            "/organisation/contacts/new",
            &person("", &[("employee", "on")]),
        )
        .await;
    assert!(r.body.contains("id=\"error-email\""));
    // Access later: a login e-mail; only the new address is told.
    let r = admin
        .post(
            &format!("/organisation/contacts/{}", piet.id),
            &person("piet@example.nl", &[("employee", "on"), ("active", "on")]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let told: Vec<String> = mails(&p, s, "auth.email_changed")
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert_eq!(told, vec!["piet@example.nl".to_string()]);
}
db_test!(a_contact_person_without_portal_access);
