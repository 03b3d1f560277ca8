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

/// Customer 100's main and extra account (returned), and customer 201 with an account.
async fn contractor_with_a_child(
    p: &TestPortal,
    s: portal_core::tenant::TenantScope,
) -> (i64, i64) {
    let main = account(
        p,
        s,
        Acc {
            customer: "100",
            email: "hoofd@contractant.nl",
            ..Acc::default()
        },
    )
    .await;
    let extra = account(
        p,
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
        p,
        s,
        Acc {
            customer: "201",
            email: "a@kind.nl",
            ..Acc::default()
        },
    )
    .await;
    (main, extra)
}

async fn parent_accounts_see_their_children(tdb: TestDb) {
    let (p, s) = setup(&tdb, "email").await;
    let (main, extra) = contractor_with_a_child(&p, s).await;
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

/// Pages keep an account's roles, children and location rights per process
/// (`access::parts_cache`), valid while the tenant's access version holds;
/// database triggers change it on every write to the tables they come from.
/// After each kind of change, the session read through a cache must give
/// what a fresh read gives; between changes it must come from the cache.
async fn cached_access_follows_every_change(tdb: TestDb) {
    use portal_core::access::parts_cache::PartsCache;
    use portal_core::auth::session;
    use portal_core::auth::session_keep::KeptSessions;
    use std::sync::Arc;

    let (p, s) = setup(&tdb, "email").await;
    let (main, extra) = contractor_with_a_child(&p, s).await;
    let (parent, child) = (
        customer_id(&p, s, "100").await,
        customer_id(&p, s, "201").await,
    );
    // Another tenant's change must not be needed for, nor disturb, this one's.
    let other = crate::support::tenant(&tdb.db, "other", "Other").await;
    let db = &p.state().db;
    let mut cookies = Vec::new();
    for user in [main, extra] {
        let mut tx = db.begin().await.unwrap();
        cookies.push(
            session::create(
                &mut tx,
                s,
                user,
                session::Stage::Full,
                chrono::Duration::hours(1),
                None,
                None,
            )
            .await
            .unwrap(),
        );
        tx.commit().await.unwrap();
    }
    // Two caches each: two processes on one database.
    let caches = [
        (PartsCache::default(), KeptSessions::default()),
        (PartsCache::default(), KeptSessions::default()),
    ];
    let tenant = snapshot(&p, "acme").await;
    let registry = &p.state().registry;
    let idle = chrono::Duration::hours(1);
    let check = async |what: &str| {
        for (user, cookie) in [main, extra].into_iter().zip(&cookies) {
            let fresh = principal_of(&p, s, user).await.access.unwrap();
            for cache in &caches {
                let first = session::lookup(db, &cache.0, &cache.1, s, cookie, idle)
                    .await
                    .unwrap()
                    .expect("a live session");
                let cached =
                    load::principal_from(registry, &tenant, &first.account, &first.principal)
                        .unwrap()
                        .access
                        .unwrap();
                assert_eq!(
                    format!("{cached:?}"),
                    format!("{fresh:?}"),
                    "{what}: account {user} as a fresh read has it"
                );
                let again = session::lookup(db, &cache.0, &cache.1, s, cookie, idle)
                    .await
                    .unwrap()
                    .unwrap();
                assert!(
                    Arc::ptr_eq(&first.principal, &again.principal),
                    "{what}: unchanged, the next page takes the kept parts"
                );
            }
        }
    };
    check("at the start").await;
    let main_role = |role: &str| {
        Query::insert()
            .into_table("core_user_roles")
            .columns(["tenant_id", "user_id", "role"])
            .values_panic([s.tenant_id().into(), main.into(), role.into()])
            .to_owned()
    };
    // A statement of its own transaction, then the check.
    macro_rules! change {
        ($what:expr, $q:expr $(,)?) => {{
            let mut tx = db.begin().await.unwrap();
            tx.execute(&$q).await.unwrap();
            tx.commit().await.unwrap();
            check($what).await;
        }};
    }
    // Roles.
    change!(
        "role removed",
        s.delete("core_user_roles")
            .and_where(Expr::col("user_id").eq(main))
            .to_owned(),
    );
    change!("role added", main_role("admin"),);
    change!(
        "role changed",
        s.update("core_user_roles")
            .value("role", "employee")
            .and_where(Expr::col("user_id").eq(main))
            .to_owned(),
    );
    // Children: made one, renamed, deactivated, granted, ungranted.
    change!(
        "child attached",
        s.update("core_customers")
            .value("parent_id", parent)
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    );
    change!(
        "child renamed",
        s.update("core_customers")
            .value("name", "Kind B.V.")
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    );
    change!(
        "child granted",
        Query::insert()
            .into_table("core_child_grants")
            .columns(["tenant_id", "user_id", "customer_id"])
            .values_panic([s.tenant_id().into(), extra.into(), child.into()])
            .to_owned(),
    );
    change!(
        "child deactivated",
        s.update("core_customers")
            .value("active", false)
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    );
    change!(
        "child active again",
        s.update("core_customers")
            .value("active", true)
            .and_where(Expr::col("id").eq(child))
            .to_owned(),
    );
    change!(
        "child ungranted",
        s.delete("core_child_grants")
            .and_where(Expr::col("user_id").eq(extra))
            .to_owned(),
    );
    let grandchild = insert(
        &p,
        Query::insert()
            .into_table("core_customers")
            .columns([
                "tenant_id",
                "number",
                "name",
                "parent_id",
                "created_at",
                "updated_at",
            ])
            .values_panic([
                s.tenant_id().into(),
                "202".into(),
                "Nieuw kind".into(),
                parent.into(),
                chrono::Utc::now().into(),
                chrono::Utc::now().into(),
            ])
            .to_owned(),
    )
    .await;
    check("child customer inserted").await;
    // Locations: granted, made writable, moved to another customer, removed.
    let place = location(&p, s, parent, "Werkplaats").await;
    check("location inserted").await;
    grant(&p, s, extra, place, false).await;
    check("location granted").await;
    change!(
        "location made writable",
        s.update("core_location_grants")
            .value("can_write", true)
            .and_where(Expr::col("user_id").eq(extra))
            .to_owned(),
    );
    change!(
        "location moved to a stranger",
        s.update("core_locations")
            .value("customer_id", grandchild)
            .and_where(Expr::col("id").eq(place))
            .to_owned(),
    );
    let shed = location(&p, s, parent, "Loods").await;
    grant(&p, s, extra, shed, true).await;
    check("second location granted").await;
    change!(
        "location removed (its grant goes with it)",
        s.delete("core_locations")
            .and_where(Expr::col("id").eq(shed))
            .to_owned(),
    );
    change!(
        "child granted again",
        Query::insert()
            .into_table("core_child_grants")
            .columns(["tenant_id", "user_id", "customer_id"])
            .values_panic([s.tenant_id().into(), extra.into(), grandchild.into()])
            .to_owned(),
    );
    change!(
        "child customer deleted (its grant goes with it)",
        s.delete("core_customers")
            .and_where(Expr::col("id").eq(grandchild))
            .to_owned(),
    );
    // The account's own customer and kind are part of the key (no trigger).
    change!(
        "account made a main account",
        s.update("core_users")
            .value("is_main", true)
            .and_where(Expr::col("id").eq(extra))
            .to_owned(),
    );
    change!(
        "account moved to another customer",
        s.update("core_users")
            .value("customer_id", child)
            .and_where(Expr::col("id").eq(extra))
            .to_owned(),
    );
    {
        // A change undone to a savepoint, then a real one in the same
        // transaction: the real one changes the version. (PostgreSQL marks
        // a tenant's version as changed for the rest of the transaction;
        // the mark must go with the savepoint. Its triggers fire inside
        // the savepoint only when made immediate.)
        let pg = db.backend() == portal_core::db::Backend::Postgres;
        let mut tx = db.begin().await.unwrap();
        tx.execute_raw("SAVEPOINT undone").await.unwrap();
        if pg {
            tx.execute_raw("SET CONSTRAINTS ALL IMMEDIATE")
                .await
                .unwrap();
        }
        tx.execute(
            &s.update("core_customers")
                .value("name", "Tijdelijk B.V.")
                .and_where(Expr::col("id").eq(child))
                .to_owned(),
        )
        .await
        .unwrap();
        tx.execute_raw("ROLLBACK TO SAVEPOINT undone")
            .await
            .unwrap();
        if pg {
            tx.execute_raw("SET CONSTRAINTS ALL DEFERRED")
                .await
                .unwrap();
        }
        tx.execute(&main_role("admin")).await.unwrap();
        tx.commit().await.unwrap();
        check("role added after a change undone to a savepoint").await;
    }
    if db.backend() == portal_core::db::Backend::Postgres {
        // TRUNCATE fires no row trigger; a statement trigger of its own.
        let mut tx = db.begin().await.unwrap();
        tx.execute_raw("TRUNCATE core_user_roles").await.unwrap();
        tx.commit().await.unwrap();
        check("roles truncated").await;
    }
    // A change in another tenant leaves this tenant's kept parts alone.
    let before = session::lookup(db, &caches[0].0, &caches[0].1, s, &cookies[0], idle)
        .await
        .unwrap()
        .unwrap();
    let stranger = account(
        &p,
        other,
        Acc {
            customer: "900",
            email: "x@elders.nl",
            ..Acc::default()
        },
    )
    .await;
    assert!(stranger > 0);
    let after = session::lookup(db, &caches[0].0, &caches[0].1, s, &cookies[0], idle)
        .await
        .unwrap()
        .unwrap();
    assert!(Arc::ptr_eq(&before.principal, &after.principal));
    // One transaction changing the other tenant first, then this one: each
    // tenant's version changes (PostgreSQL's once-per-transaction mark is
    // per tenant).
    let mut tx = db.begin().await.unwrap();
    tx.execute(
        &other
            .update("core_customers")
            .value("name", "Elders B.V.")
            .to_owned(),
    )
    .await
    .unwrap();
    tx.execute(
        &s.delete("core_user_roles")
            .and_where(Expr::col("user_id").eq(main))
            .to_owned(),
    )
    .await
    .unwrap();
    tx.execute(&main_role("employee")).await.unwrap();
    tx.commit().await.unwrap();
    check("roles set anew after another tenant's change in one transaction").await;
}
db_test!(cached_access_follows_every_change);
