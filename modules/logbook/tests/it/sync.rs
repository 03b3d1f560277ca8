//! The back-office sync of the logbook: idempotent by external id (a
//! repeated call changes nothing and says so), errors per row (a refused
//! row writes nothing, the others are applied), observations replaced
//! only when they changed, locations named by their external id.

use poem::http::Method;
use portal_core::sea_query::{Expr, ExprTrait};
use serde_json::{Value, json};

use crate::support::{Setup, logbook, setup, visit};

fn statuses(r: &Value) -> Vec<String> {
    r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap().to_string())
        .collect()
}

fn errors_of(r: &Value, i: usize) -> String {
    r["rows"][i]["errors"].to_string()
}

async fn observation_count(s: &Setup, visit_id: i64) -> i64 {
    let (n,): (i64,) = s
        .portal
        .state()
        .db
        .fetch_optional(
            &s.scope()
                .await
                .select("logbook_observations")
                .expr(Expr::col("id").count())
                .and_where(Expr::col("visit_id").eq(visit_id))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    n
}

async fn sync_rows(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    let checkpoints = json!({"checkpoints": [
        {"external_id": "F1-HM1", "location_external_id": "F1", "code": "HM", "number": 1, "kind": "Muizenbox", "room": "Hal"},
        {"external_id": "F1-HM3", "location_external_id": "F1", "code": "HM", "number": 3, "kind": "Muizenbox", "room": "Hal"},
        {"external_id": "BAD-1", "location_external_id": "NOWHERE", "code": "HM", "number": 9, "kind": "Muizenbox", "room": "Hal"},
        {"external_id": "BAD-2", "location_external_id": "F1", "code": "HM", "number": 9, "kind": "Muizenbox", "room": " ", "measure": "kilo"},
        {"external_id": "F1-HM3", "location_external_id": "F1", "code": "HM", "number": 3, "kind": "Muizenbox", "room": "Hal"}
    ]});
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/checkpoints/sync",
            Some(checkpoints.clone()),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(
        statuses(&r),
        ["unchanged", "created", "invalid", "invalid", "invalid"]
    );
    assert!(errors_of(&r, 2).contains("no location"), "{r}");
    // Checkpoints have no customer field: its customer comes from the
    // location, so no second error about one.
    assert!(!errors_of(&r, 2).contains("customer_external_id"), "{r}");
    assert!(
        errors_of(&r, 3).contains("room") && errors_of(&r, 3).contains("measure"),
        "{r}"
    );
    assert!(errors_of(&r, 4).contains("sent twice"), "{r}");
    // Idempotent: the same call again changes nothing.
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/checkpoints/sync",
            Some(checkpoints),
        )
        .await;
    assert_eq!(r["counts"]["unchanged"], 2, "{r}");
    assert_eq!(r["counts"]["created"], 0, "{r}");

    // Visits: the same visit again is unchanged; new observations replace the old ones.
    let v2 = visit(&s, "F1-V2").await;
    assert_eq!(observation_count(&s, v2).await, 2);
    let today = chrono::Utc::now().date_naive();
    let same = json!({"visits": [
        {"external_id": "F1-V2", "location_external_id": "F1", "visited_on": today,
         "technician": "Ilse de Graaf", "kind": "extra", "findings": "Muis in de hal.",
         "materials": [{"name": "Lokaas pasta", "amount": 150.0, "unit": "g", "registration_number": "12906 N"}],
         "observations": [
            {"checkpoint_external_id": "F1-HM1", "value": 50, "note": "Aangevuld"},
            {"checkpoint_external_id": "F1-IM1", "value": 3}]}
    ]});
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/visits/sync",
            Some(same),
        )
        .await;
    assert_eq!(statuses(&r), ["unchanged"], "{r}");
    let changed = json!({"visits": [
        {"external_id": "F1-V2", "location_external_id": "F1", "visited_on": today,
         "technician": "Ilse de Graaf", "kind": "extra", "findings": "Muis in de hal.",
         "materials": [{"name": "Lokaas pasta", "amount": 150.0, "unit": "g", "registration_number": "12906 N"}],
         "observations": [
            {"checkpoint_external_id": "F1-HM1", "value": 50, "note": "Aangevuld"},
            {"checkpoint_external_id": "F1-HM2", "value": 25},
            {"checkpoint_external_id": "F1-IM1", "value": 3}]},
        {"external_id": "F1-V9", "location_external_id": "F1", "visited_on": today,
         "technician": "Ilse de Graaf", "observations": [{"checkpoint_external_id": "F2-HM1", "value": 10}]},
        {"external_id": "F1-V10", "location_external_id": "F1", "visited_on": today,
         "technician": "Ilse de Graaf", "observations": [{"checkpoint_external_id": "F1-HM1", "value": 120}]},
        {"external_id": "F1-V11", "location_external_id": "F1", "visited_on": today,
         "technician": "", "kind": "weekly", "observations": [{"checkpoint_external_id": "NOPE", "value": 1}]}
    ]});
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/visits/sync",
            Some(changed),
        )
        .await;
    assert_eq!(
        statuses(&r),
        ["updated", "invalid", "invalid", "invalid"],
        "{r}"
    );
    assert!(errors_of(&r, 1).contains("another location"), "{r}");
    assert!(errors_of(&r, 2).contains("0 to 100"), "{r}");
    let e = errors_of(&r, 3);
    assert!(
        e.contains("technician") && e.contains("kind") && e.contains("no checkpoint"),
        "{r}"
    );
    assert_eq!(observation_count(&s, v2).await, 3, "replaced, not added");
    let (n,): (i64,) = s
        .portal
        .state()
        .db
        .fetch_optional(
            &s.scope()
                .await
                .select("logbook_visits")
                .expr(Expr::col("id").count())
                .and_where(Expr::col("external_id").is_in(["F1-V9", "F1-V10", "F1-V11"]))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n, 0, "refused rows write nothing");

    // A whole batch too large or empty is refused as a whole.
    let (st, _) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/visits/sync",
            Some(json!({"visits": []})),
        )
        .await;
    assert_eq!(st, 400);
    // Planned visits, idempotent.
    let planned = json!({"planned_visits": [
        {"external_id": "F1-P1", "location_external_id": "F1", "planned_on": today + chrono::Days::new(20)}
    ]});
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/planned-visits/sync",
            Some(planned.clone()),
        )
        .await;
    assert_eq!(statuses(&r), ["created"], "{r}");
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/planned-visits/sync",
            Some(planned),
        )
        .await;
    assert_eq!(statuses(&r), ["unchanged"], "{r}");
    // Another tenant's token does not reach these rows: the API is per tenant.
    let (st, _) = s
        .api(
            Method::GET,
            "/api/admin/v1/logbook/recommendations/NOPE/history",
            None,
        )
        .await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn sync_idempotent_with_row_errors_sqlite() {
    sync_rows(false).await;
}

#[tokio::test]
async fn sync_idempotent_with_row_errors_postgres() {
    sync_rows(true).await;
}
