//! Organisations and access (issue 6, first part): roles and the
//! permissions they hold, customers a principal sees (parent accounts), and
//! location rights through the query helper.

use portal_core::access::{Denied, Need, Reach};
use portal_core::access::{Role, Roles, load};
use portal_core::auth::accounts;
use sea_query::{Expr, ExprTrait, Query};

use crate::auth::{Acc, PW, Visitor, account, login_email, setup, snapshot};
use crate::support::{TestDb, TestPortal, db_test};

async fn principal_of(
    p: &TestPortal,
    s: portal_core::tenant::TenantScope,
    id: i64,
) -> portal_core::access::Principal {
    let tenant = snapshot(p, "acme").await;
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    load::principal(&p.state().db, &p.state().registry, &tenant, &a)
        .await
        .unwrap()
}

/// What account `id` reaches (its own customer selected), as a page would get it.
async fn reach_of(p: &TestPortal, s: portal_core::tenant::TenantScope, id: i64) -> Reach {
    let tenant = snapshot(p, "acme").await;
    let a = accounts::by_id(&p.state().db, s, id)
        .await
        .unwrap()
        .unwrap();
    let cx = portal_core::module::DemoCx::new(p.state().deps(), &p.state().registry, &tenant, &[]);
    cx.reach_of(&a).await.unwrap()
}

async fn insert(p: &TestPortal, q: sea_query::InsertStatement) -> i64 {
    let mut tx = p.state().db.begin().await.unwrap();
    let id = tx.insert_returning_id(&q).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn location(
    p: &TestPortal,
    s: portal_core::tenant::TenantScope,
    customer_id: i64,
    name: &str,
) -> i64 {
    insert(
        p,
        Query::insert()
            .into_table("core_locations")
            .columns(["tenant_id", "customer_id", "name"])
            .values_panic([s.tenant_id().into(), customer_id.into(), name.into()])
            .to_owned(),
    )
    .await
}

async fn grant(
    p: &TestPortal,
    s: portal_core::tenant::TenantScope,
    user: i64,
    location: i64,
    write: bool,
) {
    let mut tx = p.state().db.begin().await.unwrap();
    tx.execute(
        &Query::insert()
            .into_table("core_location_grants")
            .columns(["tenant_id", "user_id", "location_id", "can_write"])
            .values_panic([
                s.tenant_id().into(),
                user.into(),
                location.into(),
                write.into(),
            ])
            .to_owned(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn customer_id(p: &TestPortal, s: portal_core::tenant::TenantScope, number: &str) -> i64 {
    accounts::customer_by_number(&p.state().db, s, number)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn roles_decide_permissions_and_navigation(tdb: TestDb) {
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
    // The first account of an organisation is its admin; the next an employee.
    let admin = account(&p, s, Acc::default()).await;
    let employee = account(
        &p,
        s,
        Acc {
            email: "collega@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    let a = principal_of(&p, s, admin).await;
    let e = principal_of(&p, s, employee).await;
    assert!(a.access.as_ref().unwrap().roles.has(Role::Admin));
    assert!(!e.access.as_ref().unwrap().roles.has(Role::Admin));
    assert!(e.access.as_ref().unwrap().roles.has(Role::Employee));
    // testmod.secret is an admin permission by default.
    assert!(a.holds::<crate::testmod::Secret>());
    assert!(!e.holds::<crate::testmod::Secret>());
    let mut va = Visitor::new(&p);
    login_email(&mut va, "jan@example.nl", PW).await;
    assert!(
        va.get("/settings")
            .await
            .body
            .contains("href=\"/testmod/secret\"")
    );
    let mut ve = Visitor::new(&p);
    login_email(&mut ve, "collega@example.nl", PW).await;
    let page = ve.get("/settings").await.body;
    assert!(
        page.contains("href=\"/testmod\""),
        "the entry without a permission"
    );
    assert!(
        !page.contains("href=\"/testmod/secret\""),
        "not for an employee"
    );
    // employee_plus only together with employee.
    let plus = Roles::new([Role::EmployeePlus]);
    assert!(plus.has(Role::Employee) && plus.has(Role::EmployeePlus));
    let mut tx = p.state().db.begin().await.unwrap();
    load::set_roles(&mut tx, s, employee, &Roles::new([Role::EmployeePlus]))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let roles = load::roles_of(&p.state().db, s, employee).await.unwrap();
    assert_eq!(roles, Roles::new([Role::Employee, Role::EmployeePlus]));
}
db_test!(roles_decide_permissions_and_navigation);

async fn parent_accounts_see_their_children(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let main = account(
        &p,
        s,
        Acc {
            customer: "100",
            email: "hoofd@contractant.nl",
            ..Acc::default()
        },
    )
    .await;
    let extra = account(
        &p,
        s,
        Acc {
            customer: "100",
            email: "extra@contractant.nl",
            is_main: false,
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
            customer: "202",
            email: "b@kind.nl",
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
    let (parent, c1, c2, stranger) = (
        customer_id(&p, s, "100").await,
        customer_id(&p, s, "201").await,
        customer_id(&p, s, "202").await,
        customer_id(&p, s, "300").await,
    );
    let mut tx = p.state().db.begin().await.unwrap();
    for c in [c1, c2] {
        tx.execute(
            &s.update("core_customers")
                .value("parent_id", parent)
                .and_where(Expr::col("id").eq(c))
                .to_owned(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let m = principal_of(&p, s, main).await.access.unwrap();
    assert_eq!(
        m.customers,
        [parent, c1, c2].into(),
        "the main account sees all children"
    );
    let e = principal_of(&p, s, extra).await.access.unwrap();
    assert_eq!(
        e.customers,
        [parent].into(),
        "an extra account sees no child until granted"
    );
    // Granting a child, and (wrongly) a customer that is no child: only the child counts.
    let mut tx = p.state().db.begin().await.unwrap();
    for c in [c2, stranger] {
        tx.execute(
            &Query::insert()
                .into_table("core_child_grants")
                .columns(["tenant_id", "user_id", "customer_id"])
                .values_panic([s.tenant_id().into(), extra.into(), c.into()])
                .to_owned(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let e = principal_of(&p, s, extra).await.access.unwrap();
    assert_eq!(e.customers, [parent, c2].into());
    assert!(!e.sees_customer(stranger));
}
db_test!(parent_accounts_see_their_children);

async fn location_rights_filter_queries_write_implies_read(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let main = account(&p, s, Acc::default()).await;
    let extra = account(
        &p,
        s,
        Acc {
            email: "extra@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
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
    let own = customer_id(&p, s, "1001").await;
    let other = customer_id(&p, s, "2002").await;
    let keuken = location(&p, s, own, "Keuken").await;
    let magazijn = location(&p, s, own, "Magazijn").await;
    let kantoor = location(&p, s, own, "Kantoor").await;
    let elders = location(&p, s, other, "Elders").await;
    grant(&p, s, extra, keuken, false).await;
    grant(&p, s, extra, magazijn, true).await;
    let visible = |reach: Reach, need: Need| {
        let p = &p;
        async move {
            let q = reach
                .select_at_locations("core_locations", "id", need)
                .column("id")
                .to_owned();
            let mut ids: Vec<i64> = p
                .state()
                .db
                .fetch_all::<(i64,)>(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.0)
                .collect();
            ids.sort_unstable();
            ids
        }
    };
    let m = reach_of(&p, s, main).await;
    let e = reach_of(&p, s, extra).await;
    assert_eq!(
        visible(m.clone(), Need::Read).await,
        vec![keuken, magazijn, kantoor],
        "main: every own location"
    );
    assert_eq!(
        visible(m.clone(), Need::Write).await,
        vec![keuken, magazijn, kantoor]
    );
    assert_eq!(
        visible(e.clone(), Need::Read).await,
        vec![keuken, magazijn],
        "write implies read"
    );
    assert_eq!(
        visible(e.clone(), Need::Write).await,
        vec![magazijn],
        "read-only is not write"
    );
    assert!(e.location(keuken, Need::Read).await.is_ok());
    assert!(matches!(
        e.location(keuken, Need::Write).await,
        Err(Denied::ReadOnly)
    ));
    assert!(e.location(magazijn, Need::Write).await.is_ok());
    assert!(matches!(
        e.location(kantoor, Need::Read).await,
        Err(Denied::NotFound)
    ));
    assert!(m.location(kantoor, Need::Write).await.is_ok());
    assert!(
        matches!(m.location(elders, Need::Read).await, Err(Denied::NotFound)),
        "another customer's location"
    );
    let _ = other;
    // No grants at all: nothing.
    let none = account(
        &p,
        s,
        Acc {
            email: "niets@example.nl",
            is_main: false,
            ..Acc::default()
        },
    )
    .await;
    let n = reach_of(&p, s, none).await;
    assert!(visible(n, Need::Read).await.is_empty());
}
db_test!(location_rights_filter_queries_write_implies_read);
