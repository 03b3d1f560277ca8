//! Advance amounts (seed 004): the range around the remembered original
//! (three changes in a row cannot walk the amount out of it), a refused
//! amount naming the range with the typed amount kept, the history, the
//! event, the supplier's off switch, who may change, another customer's
//! contract not found, and a new original from the back-office.

use poem::http::Method;
use portal_core::tenant::repo;
use serde_json::json;

use crate::support::{Setup, Visitor, fill_people, setup};

async fn contract_id(s: &Setup, external: &str) -> i64 {
    let (id,): (i64,) = s
        .portal
        .state()
        .db
        .fetch_optional(
            &s.scope()
                .await
                .select("advances_contracts")
                .column("id")
                .and_where(portal_core::sea_query::ExprTrait::eq(
                    portal_core::sea_query::Expr::col("external_id"),
                    external,
                ))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    id
}

/// The current amount the page shows for contract `id`.
fn amount_shown(page: &str, id: i64) -> String {
    let at = page
        .find(&format!("id=\"amount-{id}\">"))
        .unwrap_or_else(|| panic!("no amount of {id}: {page}"));
    let rest = &page[at..];
    rest[..rest.find("<small>").unwrap()].to_string()
}

async fn set(s: &Setup, key: &str, value: &str) {
    let state = s.portal.state();
    repo::set_setting(
        &state.db,
        s.scope().await,
        &state.registry,
        "advances",
        key,
        Some(value),
    )
    .await
    .unwrap();
}

async fn advances(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/advances/contracts/sync",
            Some(json!({"contracts": [
                {"external_id": "C1", "customer_external_id": "K1", "contract_number": "WN-1", "description": "Warmte", "amount_cents": 12_345},
                {"external_id": "C3", "customer_external_id": "K3", "contract_number": "WN-3", "amount_cents": 8_000},
                {"external_id": "BAD", "customer_external_id": "K1", "contract_number": "", "frequency": "weekly", "amount_cents": -1}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["counts"]["created"], 2, "{r}");
    assert_eq!(r["counts"]["invalid"], 1, "{r}");
    let c1 = contract_id(&s, "C1").await;
    let c3 = contract_id(&s, "C3").await;
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    // Off by default: seen, not changed.
    let page = jan.get("/advances").await.text();
    assert!(
        page.contains("€ 123,45") || page.contains("123,45"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("id=\"advance-form-{c1}\"")),
        "{page}"
    );
    let path = format!("/advances/{c1}");
    assert_eq!(jan.post(&path, &[("amount", "150")]).await.status, 404);
    set(&s, "enabled", "true").await;
    // 80 % to 150 % of the original € 123,45: € 99 to € 185.
    let page = jan.get("/advances").await.text();
    assert!(
        page.contains(&format!("id=\"advance-form-{c1}\"")),
        "{page}"
    );
    for (typed, why) in [
        ("200", "above"),
        ("98,99", "below"),
        ("tien", "not an amount"),
    ] {
        let r = jan.post(&path, &[("amount", typed)]).await;
        assert_eq!(r.status, 200, "{why}");
        let page = r.text();
        assert!(
            page.contains(&format!("id=\"error-amount-{c1}\"")),
            "{why}: {page}"
        );
        assert!(
            page.contains(&format!("value=\"{typed}\"")),
            "{why}: kept: {page}"
        );
        if why != "not an amount" {
            assert!(
                page.contains("99,00") && page.contains("185,00"),
                "{why}: the range: {page}"
            );
        }
    }
    // Three changes in a row stay within the range of the original.
    for (typed, ok) in [
        ("150", true),
        ("185", true),
        ("185,01", false),
        ("99", true),
        ("98", false),
    ] {
        let r = jan.post(&path, &[("amount", typed)]).await;
        assert_eq!(r.status == 303, ok, "{typed}: {}", r.text());
    }
    let page = jan.get("/advances").await.text();
    assert!(
        page.contains(&format!("id=\"amount-{c1}\">€ 99,00")) || page.contains("99,00"),
        "{page}"
    );
    let (_, events) = s
        .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
        .await;
    let changed: Vec<&serde_json::Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "advances.changed")
        .collect();
    assert_eq!(changed.len(), 3, "one event per change");
    // The history lists every change.
    assert_eq!(page.matches("<tr><td data-label").count(), 3, "{page}");
    assert!(
        s.mails("advances.changed").await.is_empty(),
        "no mail unless the tenant wants one"
    );
    // With the confirmation mail on: one mail per change, with both amounts.
    set(&s, "confirmation_mail", "true").await;
    assert_eq!(jan.post(&path, &[("amount", "101")]).await.status, 303);
    let mails = s.mails("advances.changed").await;
    assert_eq!(mails.len(), 1);
    let body = format!("{:?}", mails[0]);
    assert!(
        body.contains("99,00") && body.contains("101,00") && body.contains("WN-1"),
        "{body}"
    );
    // Another customer's contract is not found; an employee has no advances page.
    assert_eq!(
        jan.post(&format!("/advances/{c3}"), &[("amount", "80")])
            .await
            .status,
        404
    );
    let mut piet = Visitor::login(&s, "piet@bakkerij.nl").await;
    assert_eq!(piet.get("/advances").await.status, 404);
    assert_eq!(piet.post(&path, &[("amount", "150")]).await.status, 404);
    // Fixed amounts.
    set(&s, "mode", "fixed").await;
    set(&s, "max_euros", "120").await;
    let r = jan.post(&path, &[("amount", "121")]).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("120,00"));
    assert_eq!(jan.post(&path, &[("amount", "120")]).await.status, 303);
    // A new original from the back-office: the customer pays it again, recorded.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/advances/contracts/sync",
            Some(json!({"contracts": [
                {"external_id": "C1", "customer_external_id": "K1", "contract_number": "WN-1", "description": "Warmte", "amount_cents": 13_000}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let page = jan.get("/advances").await.text();
    assert!(amount_shown(&page, c1).contains("130,00"), "{page}");
    // Resent unchanged: the customer's amount stays.
    assert_eq!(jan.post(&path, &[("amount", "110")]).await.status, 303);
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/advances/contracts/sync",
            Some(json!({"contracts": [
                {"external_id": "C1", "customer_external_id": "K1", "contract_number": "WN-1", "description": "Warmte", "amount_cents": 13_000}
            ]})),
        )
        .await;
    assert_eq!(r["counts"]["unchanged"], 1, "{r}");
    assert!(amount_shown(&jan.get("/advances").await.text(), c1).contains("110,00"));
    // A blank customer beside another error: both are named.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/advances/contracts/sync",
            Some(json!({"contracts": [
                {"external_id": "C9", "customer_external_id": " ", "contract_number": "WN-9", "amount_cents": 100, "frequency": "weekly"}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let errors = r["rows"][0]["errors"].to_string();
    assert!(
        errors.contains("frequency") && errors.contains("customer_external_id"),
        "{r}"
    );
}

#[tokio::test]
async fn advances_within_range_sqlite() {
    advances(false).await;
}

#[tokio::test]
async fn advances_within_range_postgres() {
    advances(true).await;
}
