//! Navigation, home page and tone per tenant (issue 17): two tenants on one
//! server, each with its own arrangement of the same module and its own
//! form of address; a layout naming a page that does not exist is refused.

use portal_core::tenant::repo::{self, TenantPatch};
use portal_core::tenant::{AddressForm, TenantScope};

use crate::auth::{Acc, PW, Visitor, account, login_email, set};
use crate::support::{TestDb, TestPortal, db_test, portal, tenant};

async fn portal_setting(
    p: &TestPortal,
    s: TenantScope,
    key: &str,
    value: &str,
) -> Result<(), String> {
    repo::set_setting(
        &p.state().db,
        s,
        &p.state().registry,
        "portal",
        key,
        Some(value),
    )
    .await
    .map_err(|e| e.to_string())
}

/// The labels of the main navigation, in order.
fn nav_labels(body: &str) -> Vec<String> {
    let nav = &body[body.find("class=\"site-nav\"").expect("a main navigation")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    nav.split("class=\"site-nav__link")
        .skip(1)
        .map(|a| {
            let text = &a[a.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].trim().to_string()
        })
        .collect()
}

async fn two_tenants_arrange_navigation_home_and_tone_differently(tdb: TestDb) {
    let p = portal(&tdb).await;
    let acme = tenant(&tdb.db, "acme", "Acme").await;
    let beta = tenant(&tdb.db, "beta", "Beta").await;
    for s in [acme, beta] {
        set(&p, s, "login_mode", "email").await;
        repo::set_module_enabled(&tdb.db, s, &p.state().registry, "testmod", true)
            .await
            .unwrap();
    }
    account(&p, acme, Acc::default()).await;
    account(&p, beta, Acc::default()).await;
    // Acme: details as home, "Mijn organisatie" in the main navigation,
    // the module's two pages as one tab with its own label; informal.
    portal_setting(
        &p,
        acme,
        "nav",
        "organisation; testmod = Mijn module | My module",
    )
    .await
    .unwrap();
    portal_setting(&p, acme, "home", "organisation")
        .await
        .unwrap();
    repo::update(
        &tdb.db,
        acme,
        &TenantPatch {
            address_form: Some(AddressForm::Informal),
            ..TenantPatch::default()
        },
        &[],
    )
    .await
    .unwrap();

    let mut a = Visitor::on(&p, "acme.localhost");
    login_email(&mut a, "jan@example.nl", PW).await;
    let home = a.get("/").await;
    assert_eq!(home.status, 303);
    assert!(
        home.header("location").ends_with("/organisation"),
        "{}",
        home.header("location")
    );
    let org = a.get("/organisation").await.body;
    assert_eq!(nav_labels(&org), vec!["Mijn organisatie", "Mijn module"]);
    assert!(
        !org.contains("class=\"user-menu__item\" href=\"/organisation\""),
        "the account menu leaves out what the navigation holds"
    );
    // The group shows its pages as a sub-navigation while one is open.
    let module = a.get("/testmod").await.body;
    assert!(module.contains("id=\"sub-nav\""), "{module}");
    assert!(module.contains("Testmodule") && module.contains("Geheim"));
    assert!(!org.contains("id=\"sub-nav\""));

    // Beta: the standard arrangement, an overview home, formal.
    let mut b = Visitor::on(&p, "beta.localhost");
    login_email(&mut b, "jan@example.nl", PW).await;
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(nav_labels(&home.body), vec!["Home", "Testmodule", "Geheim"]);
    assert!(
        home.body
            .contains("class=\"user-menu__item\" href=\"/organisation\"")
    );
    assert!(
        home.body.contains("href=\"/organisation\""),
        "the home always has the organisation's card"
    );

    // Tone: the same page in each tenant's form of address.
    let informal = Visitor::on(&p, "acme.localhost")
        .get("/password/forgot")
        .await
        .body;
    let formal = Visitor::on(&p, "beta.localhost")
        .get("/password/forgot")
        .await
        .body;
    assert!(informal.contains("Vul je gegevens in."), "{informal}");
    assert!(formal.contains("Vul uw gegevens in."), "{formal}");
    // English has one form.
    let english = Visitor::on(&p, "acme.localhost")
        .get("/password/forgot?lang=en")
        .await;
    assert_eq!(english.status, 200);
}
db_test!(two_tenants_arrange_navigation_home_and_tone_differently);

async fn a_layout_naming_an_unknown_page_is_refused(tdb: TestDb) {
    let p = portal(&tdb).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let e = portal_setting(&p, s, "nav", "organisation; dossiers")
        .await
        .unwrap_err();
    assert!(e.contains("dossiers"), "{e}");
    let e = portal_setting(&p, s, "home", "/nergens").await.unwrap_err();
    assert!(e.contains("/nergens"), "{e}");
    portal_setting(&p, s, "home", "/testmod").await.unwrap();
    portal_setting(&p, s, "nav", "home; testmod").await.unwrap();
}
db_test!(a_layout_naming_an_unknown_page_is_refused);
