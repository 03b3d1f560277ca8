//! `GET /metrics` (issue 22, operations): Prometheus text behind the
//! operator's token, scraped after real requests.

use poem::http::Method;

use crate::support::{TestDb, db_test, portal_with, tenant};

const TOKEN: &str = "scrape-0123456789abcdef";

async fn metrics_are_scraped_with_the_token_only(tdb: TestDb) {
    let mut config = tdb.config();
    config.metrics_token = serde_json::from_value(serde_json::json!(TOKEN)).unwrap();
    let p = portal_with(&tdb, config).await;
    tenant(&p.state().db, "acme", "Acme").await;
    // Some traffic: a page, and a page with an id in its path.
    assert_eq!(p.get("acme.localhost", "/login").await.status, 200);
    p.get("acme.localhost", "/password/reset/0123456789abcdef0123")
        .await;
    let scrape = |auth: Option<&str>| {
        let mut r = p.req(Method::GET, "acme.localhost", "/metrics");
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        r.send()
    };
    assert_eq!(scrape(None).await.status, 401);
    assert_eq!(scrape(Some("Bearer wrong-token-0000000")).await.status, 401);
    let r = scrape(Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let body = r.body;
    for expect in [
        "portal_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}",
        "route=\"/password/reset/{id}\"",
        "portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",le=\"+Inf\"}",
        "portal_mail_outbox{status=\"queued\"}",
        "portal_mail_outbox{status=\"failed\"}",
        "portal_event_outbox{state=\"waiting\"}",
        "portal_login_failures_total",
        "portal_throttle_hits_total",
        "portal_mail_delivery_failures_total",
        "portal_event_delivery_failures_total",
    ] {
        assert!(body.contains(expect), "{expect} in:\n{body}");
    }
    // The token never shows, and the scrape itself is not counted.
    assert!(!body.contains(TOKEN) && !body.contains("route=\"/metrics\""));
    // Statements sent to the database (the page benchmark's queries per
    // request): a page that reads the database moves the counter.
    let statements = |body: &str| -> u64 {
        body.lines()
            .find_map(|l| l.strip_prefix("portal_db_statements_total "))
            .unwrap_or_else(|| panic!("no statement counter in:\n{body}"))
            .parse()
            .unwrap()
    };
    let before = statements(&body);
    assert!(before > 0);
    tenant(&p.state().db, "other", "Other").await;
    let after = statements(&scrape(Some(&format!("Bearer {TOKEN}"))).await.body);
    assert!(after > before, "{before} -> {after}");

    // Without a configured token there is no endpoint.
    let plain = portal_with(&tdb, tdb.config()).await;
    let r = plain
        .req(Method::GET, "acme.localhost", "/metrics")
        .bearer(TOKEN)
        .send()
        .await;
    assert_eq!(r.status, 404);
}
db_test!(metrics_are_scraped_with_the_token_only);
