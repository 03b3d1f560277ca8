//! The subscriptions module through HTTP, on SQLite and PostgreSQL: the
//! running subscriptions with their cost specification (one-off services
//! never shown), the change request (seed 001: subject and "I agree to the
//! extra costs" required; stored, mailed, listed; the back-office lists
//! and settles it), the support address where requests are off (seed 000),
//! and 404 for an employee and for another customer's subscription.

use poem::http::Method;
use portal_core::tenant::repo;
use serde_json::json;

use crate::support::{Visitor, fill_people, setup};

async fn subscriptions_end_to_end(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/subscriptions/sync",
            Some(json!({"subscriptions": [
                {"external_id": "S1", "customer_external_id": "K1", "name": "Webhosting Pro", "period": "monthly",
                 "next_invoice_on": "2026-02-01", "products": [
                    {"name": "Hosting 10 GB", "quantity": 1, "unit_cents": 1500, "period": "monthly", "total_cents": 1500},
                    {"name": "Extra mailbox", "quantity": 3, "unit_cents": 250, "period": "monthly", "total_cents": 750}]},
                {"external_id": "S2", "customer_external_id": "K1", "name": "SSL-certificaat", "period": "once"},
                {"external_id": "S3", "customer_external_id": "K3", "name": "Domeinnaam slagerij.nl", "period": "yearly"},
                {"external_id": "S4", "customer_external_id": "K1", "name": "Fout", "period": "weekly"}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(
        (
            r["counts"]["created"].as_u64(),
            r["counts"]["invalid"].as_u64()
        ),
        (Some(3), Some(1)),
        "{r}"
    );

    let mut admin = Visitor::login(&s, "jan@bakkerij.nl").await;
    let list = admin.get("/subscriptions").await.text();
    assert!(
        list.contains("Webhosting Pro") && !list.contains("SSL-certificaat"),
        "no one-off services: {list}"
    );
    assert!(!list.contains("slagerij"), "another customer's");
    // Change requests are off by default: the support address instead (seed 000).
    assert!(list.contains("id=\"change-by-mail\""));
    assert_eq!(admin.get("/subscriptions/change").await.status, 404);
    let at = list.find("href=\"/subscriptions/").unwrap() + "href=\"/subscriptions/".len();
    let id: String = list[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let show = admin.get(&format!("/subscriptions/{id}")).await.text();
    assert!(
        show.contains("Extra mailbox") && show.contains("€ 22,50"),
        "the cost specification: {show}"
    );

    // Seed 001: change requests on.
    let state = s.portal.state();
    let scope = s.scope().await;
    repo::set_setting(
        &state.db,
        scope,
        &state.registry,
        "subscriptions",
        "change_requests",
        Some("true"),
    )
    .await
    .unwrap();
    let list = admin.get("/subscriptions").await.text();
    assert!(list.contains("id=\"change-request\""), "{list}");
    let r = admin
        .post(
            "/subscriptions/change",
            &[("subject", ""), ("description", "Graag 5 mailboxen")],
        )
        .await;
    assert_eq!(r.status, 200);
    let body = r.text();
    assert!(
        body.contains("id=\"error-subject\"") && body.contains("id=\"error-agree\""),
        "{body}"
    );
    assert!(body.contains("Graag 5 mailboxen"), "input kept");
    let r = admin
        .post(
            "/subscriptions/change",
            &[
                ("subject", "Extra mailboxen"),
                ("description", "Graag 5"),
                ("agree", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let list = admin.get("/subscriptions?done=1").await.text();
    assert!(
        list.contains("id=\"request-done\"")
            && list.contains("Extra mailboxen")
            && list.contains("Ingediend")
    );
    state.background.idle().await;
    let mails = portal_core::mail::outbox::list(&state.db, scope, None, 50)
        .await
        .unwrap();
    assert!(mails.iter().any(
        |m| m.mail_key == "subscriptions.change_requested" && m.to_address == "jan@bakkerij.nl"
    ));
    // The back-office's event outbox has it too (delivered to a webhook when one is set).
    let (st, events) = s.api(Method::GET, "/api/admin/v1/events", None).await;
    assert_eq!(st, 200);
    let ev = events.as_array().unwrap();
    assert!(
        ev.iter()
            .any(|e| e["kind"] == "subscriptions.change_requested"
                && e["payload"].as_str().unwrap().contains("Extra mailboxen")),
        "{events}"
    );
    // The back-office lists the new request and settles it.
    let (st, new) = s
        .api(
            Method::GET,
            "/api/admin/v1/subscriptions/change-requests",
            None,
        )
        .await;
    assert_eq!(st, 200);
    let list = new.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["subject"], "Extra mailboxen");
    assert_eq!(list[0]["agreed_extra_costs"], true);
    let rid = list[0]["id"].as_i64().unwrap();
    let (st, _) = s
        .api(
            Method::PUT,
            &format!("/api/admin/v1/subscriptions/change-requests/{rid}"),
            Some(json!({"status": "in_progress"})),
        )
        .await;
    assert_eq!(st, 204);
    let (st, _) = s
        .api(
            Method::PUT,
            &format!("/api/admin/v1/subscriptions/change-requests/{rid}"),
            Some(json!({"status": "verzonnen"})),
        )
        .await;
    assert_eq!(st, 400);
    let (_, none) = s
        .api(
            Method::GET,
            "/api/admin/v1/subscriptions/change-requests",
            None,
        )
        .await;
    assert!(none.as_array().unwrap().is_empty(), "no new ones left");
    assert!(
        admin
            .get("/subscriptions")
            .await
            .text()
            .contains("In behandeling")
    );

    // An ended subscription is not shown, not even by its id.
    let (st, _) = s
        .api(
            Method::POST,
            "/api/admin/v1/subscriptions/sync",
            Some(
                json!({"subscriptions": [{"external_id": "S1", "customer_external_id": "K1",
                "name": "Webhosting Pro", "period": "monthly", "status": "ended"}]}),
            ),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(admin.get(&format!("/subscriptions/{id}")).await.status, 404);
    // An employee: neither the page nor the form; another customer's subscription: 404.
    let mut emp = Visitor::login(&s, "piet@bakkerij.nl").await;
    assert_eq!(emp.get("/subscriptions").await.status, 404);
    assert_eq!(
        emp.post(
            "/subscriptions/change",
            &[("subject", "x"), ("agree", "on")]
        )
        .await
        .status,
        404
    );
    let mut other = Visitor::login(&s, "sanne@slagerij.nl").await;
    let forbidden = other.get(&format!("/subscriptions/{id}")).await;
    let missing = other.get("/subscriptions/987654").await;
    assert_eq!(forbidden.status, 404);
    assert_eq!(
        forbidden.text().replace(char::is_numeric, ""),
        missing.text().replace(char::is_numeric, "")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_end_to_end_sqlite() {
    subscriptions_end_to_end(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_end_to_end_postgres() {
    subscriptions_end_to_end(true).await;
}
