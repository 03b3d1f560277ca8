//! Retention on both databases: a dossier closed longer ago than the
//! tenant's period is deleted with its action items, files and documents;
//! one closed within the period and an open one stay.

use poem::http::Method;
use portal_core::sea_query::{Expr, ExprTrait};
use serde_json::json;

use crate::support::{d1, d2, office, setup};

async fn retention(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    office(&s).await;
    let today = portal_core::web::format::local(chrono::Utc::now()).date();
    let long_ago = today - chrono::Days::new(6 * 366);
    let recently = today - chrono::Days::new(300);
    let mut old = d1();
    old["status"] = json!("closed");
    old["closed_on"] = json!(long_ago.to_string());
    let mut recent = d2();
    recent["status"] = json!("closed");
    recent["closed_on"] = json!(recently.to_string());
    let open = json!({
        "external_id": "D5", "customer_external_id": "K2", "title": "Open dossier",
        "clients": [{"position": 1, "account_external_id": "C3", "first_name": "Piet"}],
        "actions": [{"external_id": "Z1", "kind": "upload", "title": "Paspoort"}]
    });
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [old, recent, open]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    // A closed dossier needs its closing date.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [{"external_id": "D6", "customer_external_id": "K2", "title": "Gesloten zonder datum",
                "status": "closed", "clients": [{"position": 1, "first_name": "Piet"}]}]})),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(r["rows"][0]["status"], "refused", "{r}");
    let state = s.portal.state();
    let scope = s.scope().await;
    let count = |table: &'static str| {
        let state = state.clone();
        async move {
            let rows: Vec<(i64,)> = state
                .db
                .fetch_all(&scope.select(table).column("tenant_id").to_owned())
                .await
                .unwrap();
            rows.len()
        }
    };
    let actions_before = count("dossiers_actions").await;
    let n = portal_dossiers::retention::run(&state.db).await.unwrap();
    assert_eq!(n, 1, "only the dossier closed six years ago");
    let left: Vec<(String,)> = state
        .db
        .fetch_all(
            &scope
                .select("dossiers_dossiers")
                .column("external_id")
                .and_where(Expr::col("external_id").is_in(["D1", "D2", "D5"]))
                .to_owned(),
        )
        .await
        .unwrap();
    let mut left: Vec<String> = left.into_iter().map(|r| r.0).collect();
    left.sort();
    assert_eq!(left, ["D2", "D5"]);
    assert_eq!(
        count("dossiers_actions").await,
        actions_before - 4,
        "D1's four items went with it"
    );
    assert_eq!(portal_dossiers::retention::run(&state.db).await.unwrap(), 0);
}

#[tokio::test]
async fn retention_sqlite() {
    retention(false).await;
}

#[tokio::test]
async fn retention_postgres() {
    retention(true).await;
}
