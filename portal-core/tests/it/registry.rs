//! The module registry: checks at start, navigation by permission and by
//! tenant, and a module that is compiled in but not enabled answering 404.

use poem::http::Method;
use portal_core::access::Principal;
use portal_core::module::{Module, Registry, RegistryError, Template};
use portal_core::tenant::repo;
use portal_core::web::nav;

use crate::support::{TestDb, db_test, portal, tenant};

fn fake(name: &'static str, deps: &'static [&'static str]) -> &'static Module {
    Box::leak(Box::new(Module {
        name,
        depends_on: deps,
        ..Module::NONE
    }))
}

#[test]
fn registry_refuses_duplicates_missing_dependencies_and_clashes() {
    assert_eq!(
        Registry::new(vec![fake("invoices", &[]), fake("invoices", &[])]).unwrap_err(),
        RegistryError::Duplicate("invoices")
    );
    assert_eq!(
        Registry::new(vec![fake("subscriptions", &["invoices"])]).unwrap_err(),
        RegistryError::MissingDependency {
            module: "subscriptions",
            missing: "invoices"
        }
    );
    assert_eq!(
        Registry::new(vec![fake("api", &[])]).unwrap_err(),
        RegistryError::ReservedPrefix("api")
    );
    assert_eq!(
        Registry::new(vec![fake("static", &[])]).unwrap_err(),
        RegistryError::ReservedPrefix("static")
    );
    assert_eq!(
        Registry::new(vec![fake("Bad-Name", &[])]).unwrap_err(),
        RegistryError::BadName("Bad-Name")
    );
    assert!(matches!(
        Registry::new(vec![fake("a", &["b"]), fake("b", &["a"])]).unwrap_err(),
        RegistryError::Cycle(_)
    ));
    let stray: &'static Module = Box::leak(Box::new(Module {
        name: "tickets",
        templates: &[Template {
            name: "invoices/list.html",
            source: "",
        }],
        ..Module::NONE
    }));
    assert!(matches!(
        Registry::new(vec![stray]).unwrap_err(),
        RegistryError::Namespace {
            module: "tickets",
            ..
        }
    ));
    // The error text is what an operator reads at start-up.
    let msg = Registry::new(vec![fake("subscriptions", &["invoices"])])
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("subscriptions") && msg.contains("invoices") && msg.contains("feature"),
        "{msg}"
    );
}

#[test]
fn registry_order_follows_dependencies_not_link_order() {
    let a = Registry::new(vec![
        fake("zeta", &["alpha"]),
        fake("alpha", &[]),
        fake("mid", &["zeta"]),
    ])
    .unwrap();
    let b = Registry::new(vec![
        fake("mid", &["zeta"]),
        fake("alpha", &[]),
        fake("zeta", &["alpha"]),
    ])
    .unwrap();
    assert_eq!(a.names(), vec!["alpha", "zeta", "mid"]);
    assert_eq!(a.names(), b.names());
}

#[test]
fn inventory_holds_the_test_module() {
    assert_eq!(Registry::from_inventory().unwrap().names(), vec!["testmod"]);
}

async fn nav_is_filtered_by_permission_and_enabled_modules(tdb: TestDb) {
    let p = portal(&tdb).await;
    let scope = tenant(&tdb.db, "acme", "Acme").await;
    let registry = &p.state().registry;
    let snapshot = p.state().cache.get().await.unwrap();
    let t = snapshot.by_code("acme").unwrap();
    let paths = |principal: &Principal, t: &portal_core::tenant::Tenant| {
        nav::entries(registry, t, principal)
            .into_iter()
            .map(|e| e.path)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&Principal::anonymous(), t),
        vec!["/"],
        "module not enabled: no entries"
    );
    let snap_enabled = {
        repo::set_module_enabled(&tdb.db, scope, registry, "testmod", true)
            .await
            .unwrap();
        p.state().cache.get().await.unwrap()
    };
    let t = snap_enabled.by_code("acme").unwrap();
    assert_eq!(paths(&Principal::anonymous(), t), vec!["/", "/testmod"]);
    let mut allowed = Principal::anonymous();
    allowed.permissions.insert("testmod.secret".into());
    assert_eq!(paths(&allowed, t), vec!["/", "/testmod", "/testmod/secret"]);
}
db_test!(nav_is_filtered_by_permission_and_enabled_modules);

async fn disabled_module_answers_404_on_routes_and_api(tdb: TestDb) {
    let p = portal(&tdb).await;
    let on = tenant(&tdb.db, "on", "On BV").await;
    tenant(&tdb.db, "off", "Off BV").await;
    let registry = &p.state().registry;
    repo::set_module_enabled(&tdb.db, on, registry, "testmod", true)
        .await
        .unwrap();

    let r = p.get("on.localhost", "/testmod").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Hallo uit de module"), "{}", r.body);
    assert!(
        r.body.contains("href=\"/testmod\""),
        "nav shows the enabled module: {}",
        r.body
    );
    assert_eq!(
        p.get("on.localhost", "/api/v1/testmod/ping").await.body,
        "pong"
    );

    let r = p.get("off.localhost", "/testmod").await;
    assert_eq!(r.status, 404);
    assert_eq!(
        p.get("off.localhost", "/api/v1/testmod/ping").await.status,
        404
    );
    let home = p.get("off.localhost", "/login").await;
    assert!(
        !home.body.contains("testmod"),
        "no navigation to a disabled module: {}",
        home.body
    );

    // Disabling takes effect at once.
    repo::set_module_enabled(&tdb.db, on, registry, "testmod", false)
        .await
        .unwrap();
    assert_eq!(
        p.req(Method::GET, "on.localhost", "/testmod")
            .send()
            .await
            .status,
        404
    );
}
db_test!(disabled_module_answers_404_on_routes_and_api);

async fn enabling_an_unknown_module_is_refused(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let err = repo::set_module_enabled(&tdb.db, s, &p.state().registry, "nope", true)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("testmod"),
        "lists the available modules: {err}"
    );
}
db_test!(enabling_an_unknown_module_is_refused);
