//! The {name} module through HTTP, on SQLite and (with
//! `PORTAL_TEST_POSTGRES_URL`) PostgreSQL: an admin sees its own
//! customer's rows and not another's; an employee without the permission
//! gets 404; the back-office API counts the tenant's rows.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// Links the module, so its registration is in the registry.
use portal_{name} as _;

use portal_core::access::sync_rows::customers_by_external_id;
use portal_core::poem::http::Method;
use portal_testkit::{Setup, Visitor, fill_people, setup};

async fn add_row(s: &Setup, customer: &str, title: &str) {
    let state = s.portal.state();
    let scope = s.scope().await;
    let ids = customers_by_external_id(&state.db, scope, &[customer.to_string()])
        .await
        .unwrap();
    let mut tx = state.db.begin().await.unwrap();
    tx.execute(
        &scope
            .insert("{name}_items")
            .set("customer_id", ids[customer])
            .set("title", title)
            .set("created_at", chrono::Utc::now())
            .statement(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn rows_of_the_customer_only(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    add_row(&s, "K1", "Rij van de bakkerij").await;
    add_row(&s, "K3", "Rij van de slagerij").await;

    let mut admin = Visitor::login(&s, "jan@bakkerij.nl").await;
    let page = admin.get("/{name}").await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Rij van de bakkerij"), "{text}");
    assert!(!text.contains("Rij van de slagerij"), "another customer's row");

    let mut employee = Visitor::login(&s, "piet@bakkerij.nl").await;
    assert_eq!(employee.get("/{name}").await.status, 404, "no permission");

    let (status, body) = s.api(Method::GET, "/api/admin/v1/{name}", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 2);
}

#[tokio::test]
async fn rows_of_the_customer_only_sqlite() {
    rows_of_the_customer_only(false).await;
}

#[tokio::test]
async fn rows_of_the_customer_only_postgres() {
    rows_of_the_customer_only(true).await;
}
