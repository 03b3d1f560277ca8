//! SECURITY.md E 26-29 across the resources that exist so far: a location
//! (through the test module's location-bound page, as logbook and
//! consumption will use it), a contact person (user), the rights of an
//! extra account, and the organisation. Actors: another tenant, another
//! customer, an employee without the location right, a plain employee on a
//! colleague, an unlinked parent account, a parent's extra account without
//! the child, anonymous, and staff viewing as a customer. Every forbidden
//! read answers 404 exactly like a missing id; every forbidden write is
//! refused and changes nothing; a read-only right refuses a write with 403.

use poem::http::StatusCode;
use portal_core::auth::accounts;
use portal_core::staff::{StaffRole, members};
use portal_core::tenant::TenantScope;
use sea_query::{Expr, ExprTrait, Query};

use crate::auth::{Acc, PW, Visitor, account, login_email, setup};
use crate::support::{TestDb, TestPortal, db_test, tenant};

const MISSING: i64 = 987_654;

async fn insert(p: &TestPortal, q: sea_query::InsertStatement) -> i64 {
    let mut tx = p.state().db.begin().await.unwrap();
    let id = tx.insert_returning_id(&q).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn location(p: &TestPortal, s: TenantScope, customer: i64, name: &str) -> i64 {
    insert(
        p,
        Query::insert()
            .into_table("core_locations")
            .columns(["tenant_id", "customer_id", "name"])
            .values_panic([s.tenant_id().into(), customer.into(), name.into()])
            .to_owned(),
    )
    .await
}

async fn exec(p: &TestPortal, q: sea_query::InsertStatement) {
    let mut tx = p.state().db.begin().await.unwrap();
    tx.execute(&q).await.unwrap();
    tx.commit().await.unwrap();
}

async fn grant(p: &TestPortal, s: TenantScope, user: i64, loc: i64, write: bool) {
    exec(
        p,
        Query::insert()
            .into_table("core_location_grants")
            .columns(["tenant_id", "user_id", "location_id", "can_write"])
            .values_panic([s.tenant_id().into(), user.into(), loc.into(), write.into()])
            .to_owned(),
    )
    .await;
}

async fn cust(p: &TestPortal, s: TenantScope, number: &str) -> i64 {
    accounts::customer_by_number(&p.state().db, s, number)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn set_parent(p: &TestPortal, s: TenantScope, child: i64, parent: i64) {
    let mut tx = p.state().db.begin().await.unwrap();
    tx.execute(
        &s.update("core_customers")
            .value("parent_id", parent)
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn acc<'a>(customer: &'a str, email: &'a str, main: bool) -> Acc<'a> {
    Acc {
        customer,
        email,
        is_main: main,
        ..Acc::default()
    }
}

fn same_page(a: &crate::support::Resp, b: &crate::support::Resp) -> bool {
    a.status == b.status
        && a.body.replace(char::is_numeric, "") == b.body.replace(char::is_numeric, "")
}

/// Asserts that `v` reading `path_of(id)` answers exactly like a missing id.
async fn not_found_like_missing(
    v: &mut Visitor<'_>,
    path_of: &dyn Fn(i64) -> String,
    id: i64,
    who: &str,
) {
    let forbidden = v.get(&path_of(id)).await;
    let missing = v.get(&path_of(MISSING)).await;
    assert_eq!(
        forbidden.status,
        StatusCode::NOT_FOUND,
        "{who}: {}",
        path_of(id)
    );
    assert!(
        same_page(&forbidden, &missing),
        "{who}: {} differs from a missing id",
        path_of(id)
    );
}

async fn location_name(p: &TestPortal, s: TenantScope, id: i64) -> String {
    let (n,): (String,) = p
        .state()
        .db
        .fetch_optional(
            &s.select("core_locations")
                .column("name")
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    n
}

async fn access_control_matrix(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    portal_core::tenant::repo::set_module_enabled(
        &p.state().db,
        s,
        &p.state().registry,
        "testmod",
        true,
    )
    .await
    .unwrap();
    // Parent P with children C1 and C2; X unrelated; Q a parent of C3 only.
    let pm = account(&p, s, acc("500", "hoofd@p.nl", true)).await;
    let pe = account(&p, s, acc("500", "extra@p.nl", false)).await;
    account(&p, s, acc("501", "beheer@c1.nl", true)).await;
    let c1e = account(&p, s, acc("501", "mdw@c1.nl", false)).await;
    let c1w = account(&p, s, acc("501", "schrijver@c1.nl", false)).await;
    account(&p, s, acc("502", "beheer@c2.nl", true)).await;
    account(&p, s, acc("600", "beheer@x.nl", true)).await;
    account(&p, s, acc("700", "hoofd@q.nl", true)).await;
    account(&p, s, acc("701", "beheer@c3.nl", true)).await;
    let (cp, c1, c2, cx, cq, c3) = (
        cust(&p, s, "500").await,
        cust(&p, s, "501").await,
        cust(&p, s, "502").await,
        cust(&p, s, "600").await,
        cust(&p, s, "700").await,
        cust(&p, s, "701").await,
    );
    set_parent(&p, s, c1, cp).await;
    set_parent(&p, s, c2, cp).await;
    set_parent(&p, s, c3, cq).await;
    let loc1a = location(&p, s, c1, "Keuken C1").await;
    let loc1b = location(&p, s, c1, "Magazijn C1").await;
    let loc2 = location(&p, s, c2, "Kantoor C2").await;
    let locx = location(&p, s, cx, "Hal X").await;
    grant(&p, s, c1e, loc1a, false).await;
    grant(&p, s, c1w, loc1a, true).await;
    grant(&p, s, pe, loc1a, false).await;
    exec(
        &p,
        Query::insert()
            .into_table("core_child_grants")
            .columns(["tenant_id", "user_id", "customer_id"])
            .values_panic([s.tenant_id().into(), pe.into(), c1.into()])
            .to_owned(),
    )
    .await;
    // Another tenant with the same customer number and its own location.
    let b = tenant(&tdb.db, "beta", "Beta").await;
    portal_core::tenant::repo::set_module_enabled(
        &p.state().db,
        b,
        &p.state().registry,
        "testmod",
        true,
    )
    .await
    .unwrap();
    account(&p, b, acc("501", "beheer@beta.nl", true)).await;
    let locb = location(&p, b, cust(&p, b, "501").await, "Beta-hal").await;

    let loc_path = |id: i64| format!("/testmod/locations/{id}");
    let login = |email: &'static str| {
        let p = &p;
        async move {
            let mut v = Visitor::new(p);
            login_email(&mut v, email, PW).await;
            assert!(v.logged_in().await, "{email}");
            v
        }
    };

    // Reads that are allowed.
    for (email, locs) in [
        ("beheer@c1.nl", vec![loc1a, loc1b]),
        ("mdw@c1.nl", vec![loc1a]),
        ("schrijver@c1.nl", vec![loc1a]),
        ("hoofd@p.nl", vec![loc1a, loc1b, loc2]),
        ("extra@p.nl", vec![loc1a]),
        ("beheer@x.nl", vec![locx]),
    ] {
        let mut v = login(email).await;
        if email.ends_with("@p.nl") {
            // A parent's pages are for its own customer until the header's
            // switcher chooses a child or all: the children's locations too.
            for l in &locs {
                assert_eq!(
                    v.get(&loc_path(*l)).await.status,
                    StatusCode::NOT_FOUND,
                    "{email}: location {l} of a child, own customer selected"
                );
            }
            let r = v
                .post("/customer", &[("customer", "0"), ("next", "/")])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        for l in locs {
            let r = v.get(&loc_path(l)).await;
            assert_eq!(r.status, 200, "{email} reads location {l}");
        }
    }
    // Reads that are not: 404, the same page as a missing id.
    for (email, locs, why) in [
        (
            "mdw@c1.nl",
            vec![loc1b],
            "employee without the location right",
        ),
        ("beheer@x.nl", vec![loc1a, loc2], "another customer"),
        (
            "hoofd@q.nl",
            vec![loc1a, loc1b],
            "an unlinked parent account",
        ),
        (
            "extra@p.nl",
            vec![loc1b, loc2],
            "a parent's extra account without that right or child",
        ),
        (
            "beheer@c1.nl",
            vec![loc2, locb],
            "a sibling customer; another tenant's location",
        ),
    ] {
        let mut v = login(email).await;
        for l in locs {
            not_found_like_missing(&mut v, &loc_path, l, why).await;
        }
    }
    // Another tenant, on its own host, with ids of this one.
    let mut vb = Visitor::on(&p, "beta.localhost");
    login_email(&mut vb, "beheer@beta.nl", PW).await;
    assert!(vb.logged_in().await);
    assert_eq!(vb.get(&loc_path(locb)).await.status, 200);
    not_found_like_missing(&mut vb, &loc_path, loc1a, "another tenant").await;
    // Anonymous: sent to the login page, whether the location exists or not.
    let mut anon = Visitor::new(&p);
    let a1 = anon.get(&loc_path(loc1a)).await;
    let a2 = anon.get(&loc_path(MISSING)).await;
    assert_eq!(a1.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a1.header("location").replace(char::is_numeric, ""),
        a2.header("location").replace(char::is_numeric, "")
    );
    assert!(!a1.body.contains("Keuken"));

    // Writes: a read-only right answers 403 (E 27) and changes nothing;
    // no right at all answers 404; the write right works.
    let mut emp = login("mdw@c1.nl").await;
    let r = emp.post(&loc_path(loc1a), &[("name", "Gekaapt")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "read-only right + write");
    let r = emp.post(&loc_path(loc1b), &[("name", "Gekaapt")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "no right + write");
    let mut x = login("beheer@x.nl").await;
    let r = x.post(&loc_path(loc1a), &[("name", "Gekaapt")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another customer's write");
    let r = vb.post(&loc_path(loc1a), &[("name", "Gekaapt")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another tenant's write");
    let r = anon.post(&loc_path(loc1a), &[("name", "Gekaapt")]).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "anonymous write goes to login"
    );
    assert_eq!(
        location_name(&p, s, loc1a).await,
        "Keuken C1",
        "nothing changed"
    );
    let mut w = login("schrijver@c1.nl").await;
    let r = w.post(&loc_path(loc1a), &[("name", "Keuken")]).await;
    assert_eq!(r.status, 200, "the write right works");
    assert_eq!(location_name(&p, s, loc1a).await, "Keuken");

    // A module page behind a permission: 404 for a role without it.
    let mut admin_c1 = login("beheer@c1.nl").await;
    assert_eq!(admin_c1.get("/testmod/secret").await.status, 200);
    let mut emp_c1 = login("mdw@c1.nl").await;
    let denied = emp_c1.get("/testmod/secret").await;
    let missing = emp_c1.get("/testmod/elsewhere").await;
    assert_eq!(denied.status, StatusCode::NOT_FOUND);
    assert_eq!(
        denied.body.replace("/testmod/secret", "/p"),
        missing.body.replace("/testmod/elsewhere", "/p"),
        "a permission page looks missing to an employee"
    );

    // Contact persons (users): only an admin of the same organisation.
    let person = |id: i64| format!("/organisation/contacts/{id}");
    let mut admin = login("beheer@c1.nl").await;
    assert_eq!(admin.get(&person(c1e)).await.status, 200);
    for (email, why) in [
        ("mdw@c1.nl", "a plain employee on a colleague"),
        ("beheer@x.nl", "another customer's admin"),
        (
            "hoofd@p.nl",
            "the parent's main account on a child's person",
        ),
        ("hoofd@q.nl", "an unlinked parent account"),
    ] {
        let mut v = login(email).await;
        not_found_like_missing(&mut v, &person, c1w, why).await;
        let r = v
            .post(
                &person(c1w),
                &[
                    ("first_name", "X"),
                    ("last_name", "Y"),
                    ("gender", "other"),
                    ("email", "gekaapt@x.nl"),
                    ("admin", "on"),
                    ("active", "on"),
                    ("current", PW),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{why}: write");
    }
    not_found_like_missing(&mut vb, &person, c1w, "another tenant").await;
    let target = accounts::by_id(&p.state().db, s, c1w)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(target.email, "schrijver@c1.nl", "no write went through");
    // Rights of an extra account: only its own main account.
    let rights = |id: i64| format!("/organisation/contacts/{id}/rights");
    let mut pmv = login("hoofd@p.nl").await;
    assert_eq!(pmv.get(&rights(pe)).await.status, 200);
    not_found_like_missing(
        &mut admin,
        &rights,
        pe,
        "another organisation's extra account",
    )
    .await;
    assert!(pm > 0);

    // Mass assignment (E 29): fields that are not the form's are ignored.
    let r = emp
        .post(
            "/organisation/personal",
            &[
                ("first_name", "Mdw"),
                ("last_name", "Een"),
                ("email", "mdw@c1.nl"),
                ("current", PW),
                ("customer_id", &cx.to_string()),
                ("tenant_id", &b.tenant_id().to_string()),
                ("role", "admin"),
                ("admin", "on"),
                ("is_main", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let e = accounts::by_id(&p.state().db, s, c1e)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.customer_id, c1);
    assert!(!e.is_main);
    let roles = portal_core::access::load::roles_of(&p.state().db, s, c1e)
        .await
        .unwrap();
    assert!(!roles.has(portal_core::access::Role::Admin));

    // Staff viewing as the employee see what it sees, and write nothing.
    let hash = p.state().hasher.hash(PW).await.unwrap();
    members::create(
        &p.state().db,
        s,
        "staf@acme.nl",
        "Staf",
        StaffRole::Support,
        &hash,
    )
    .await
    .unwrap();
    let mut staff = Visitor::new(&p);
    let r = staff
        .post(
            "/staff/login",
            &[("email", "staf@acme.nl"), ("password", PW)],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = staff.get("/staff/login/setup").await.body;
    let at = page.find("id=\"totp-secret\">").unwrap() + 17;
    let secret = &page[at..at + page[at..].find('<').unwrap()];
    let code =
        portal_core::auth::totp::code_at(secret, portal_core::auth::totp::now_secs()).unwrap();
    staff
        .post("/staff/login/code", &[("code", code.as_str())])
        .await;
    let r = staff
        .post(&format!("/staff/accounts/{c1w}/view-as"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(staff.get(&loc_path(loc1a)).await.status, 200);
    not_found_like_missing(&mut staff, &loc_path, loc1b, "view-as").await;
    let r = staff.post(&loc_path(loc1a), &[("name", "Door staf")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "view-as is read-only");
    assert_eq!(location_name(&p, s, loc1a).await, "Keuken");
}
db_test!(access_control_matrix);

/// A GET page of a kept session carries its session's probe in its first
/// read on PostgreSQL (`db::confirm`): one round trip where that read
/// finds a row. A session ended meanwhile gets no page (a redirect to the
/// same address, where the full look-up sends it to the log-in page) and
/// writes nothing, on either database.
async fn a_page_shows_and_writes_nothing_before_its_session_is_confirmed(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let db = &p.state().db;
    portal_core::tenant::repo::set_module_enabled(db, s, &p.state().registry, "testmod", true)
        .await
        .unwrap();
    account(&p, s, acc("501", "beheer@c1.nl", true)).await;
    account(&p, s, acc("501", "mdw@c1.nl", false)).await;
    let loc = location(&p, s, cust(&p, s, "501").await, "Keuken C1").await;
    let pg = db.backend() == portal_core::db::Backend::Postgres;
    let mut v = Visitor::new(&p);
    login_email(&mut v, "beheer@c1.nl", PW).await;
    assert!(v.logged_in().await);
    let page = format!("/testmod/locations/{loc}");
    // The counter counts the whole process (a worker may add to one try):
    // the fewest of a few tries is the page's own.
    let fewest = async |v: &mut Visitor<'_>, path: &str, status: u16| {
        let mut trips = Vec::new();
        for _ in 0..4 {
            let before = db.round_trips();
            let r = v.get(path).await;
            assert_eq!(r.status, status, "{path}: {}", r.body);
            trips.push(db.round_trips() - before);
        }
        trips.into_iter().min().unwrap()
    };
    assert_eq!(
        fewest(&mut v, &page, 200).await,
        if pg { 1 } else { 2 },
        "the kept session's probe and the page's read"
    );
    assert!(v.get(&page).await.body.contains("Keuken C1"));
    // Many rows in their order: names inserted out of order, read Z to A.
    let c1 = cust(&p, s, "501").await;
    for i in (0..40).map(|i| (i * 17) % 40) {
        location(&p, s, c1, &format!("Ruimte {i:02}")).await;
    }
    v.get("/testmod/locations").await;
    assert_eq!(
        fewest(&mut v, "/testmod/locations", 200).await,
        if pg { 1 } else { 2 },
        "the list and the probe"
    );
    let list = v.get("/testmod/locations").await.body;
    let names: Vec<&str> = list
        .split("<li>")
        .skip(1)
        .filter_map(|item| item.split("</li>").next())
        .collect();
    let mut expected: Vec<String> = (0..40).map(|i| format!("Ruimte {i:02}")).collect();
    expected.push("Keuken C1".into());
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, expected, "{list}");
    // A read that finds no row cannot tell the probe's answer: the probe
    // runs on its own.
    assert_eq!(fewest(&mut v, "/testmod/locations/999999", 404).await, 2);

    // Another account's change moves the tenant's accounts version: the
    // probe refuses, the full look-up finds this session unchanged, and
    // the page stands (no 307). A change of this account is a change of
    // the page: asked again (PostgreSQL), then shown with it.
    let rename = |email: &'static str, name: &'static str| {
        let p = &p;
        async move {
            crate::auth::exec(
                p,
                &Query::update()
                    .table("core_users")
                    .value("display_name", name)
                    .and_where(Expr::col("tenant_id").eq(s.tenant_id()))
                    .and_where(Expr::col("email").eq(email))
                    .to_owned(),
            )
            .await
        }
    };
    assert_eq!(rename("mdw@c1.nl", "Collega").await, 1);
    let r = v.get_once(&page).await;
    assert_eq!(r.status, 200, "another account's change");
    assert!(r.body.contains("Keuken C1"));
    assert_eq!(rename("beheer@c1.nl", "Beheerder").await, 1);
    let r = v.get_once(&page).await;
    if pg {
        assert_eq!(r.status, 307, "this account's change");
        assert!(!r.body.contains("Keuken C1"), "{}", r.body);
    } else {
        assert_eq!(r.status, 200, "read in full before the page");
    }
    assert_eq!(v.get_once(&page).await.status, 200);

    // The session ends elsewhere (another process, staff) between pages.
    let rename = format!("{page}/rename-on-get?name=Veranderd");
    assert_eq!(v.get(&rename).await.status, 200, "a GET that writes");
    assert_eq!(location_name(&p, s, loc).await, "Veranderd");
    let ended = async || {
        let mut tx = db.begin().await.unwrap();
        tx.execute(&s.delete("core_sessions").to_owned())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    };
    ended().await;
    let r = v.get_once(&page).await;
    assert!(!r.body.contains("Keuken C1"), "{}", r.body);
    if pg {
        assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(r.header("location"), page);
        assert_eq!(r.header("cache-control"), "no-store");
    }
    let r = v.get(&page).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "to the log-in page");
    assert!(r.header("location").contains("login"), "{:?}", r.headers);
    // Logged in again, kept, then ended: the GET's write never happens.
    login_email(&mut v, "beheer@c1.nl", PW).await;
    assert!(v.logged_in().await);
    assert_eq!(v.get(&page).await.status, 200);
    ended().await;
    let r = v.get(&format!("{page}/rename-on-get?name=Na-afloop")).await;
    assert_ne!(r.status, 200);
    assert_eq!(
        location_name(&p, s, loc).await,
        "Veranderd",
        "nothing written"
    );
    // A request for `//elsewhere` is redirected on this host only.
    login_email(&mut v, "beheer@c1.nl", PW).await;
    assert!(v.logged_in().await);
    ended().await;
    let r = v.get_once("//evil.example/x").await;
    if pg {
        assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(r.header("location"), "/evil.example/x");
    }
}
db_test!(a_page_shows_and_writes_nothing_before_its_session_is_confirmed);
