//! The logbook module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// The module registers itself through `inventory`: referenced here so the
// linker keeps it in this test binary.
use portal_logbook as _;

mod support {
    use poem::http::Method;
    use portal_core::sea_query::{Expr, ExprTrait, Query};
    pub use portal_testkit::*;
    use serde_json::{Value, json};

    /// The logbook of the tests:
    /// - food factory F (customer 3001) with locations F1, F2, F3; its main
    ///   account `kwaliteit@fabriek.nl`, an extra account `lezer@fabriek.nl`
    ///   reading F1, an extra account `schrijver@fabriek.nl` writing F2 and
    ///   reading F1;
    /// - bakery chain P (4000, parent) with branches B1 (4001) and B2
    ///   (4002), one location each; P's main account `hoofd@keten.nl`, its
    ///   extra account `regio@keten.nl` granted branch B1 only (and its
    ///   location, read);
    /// - another customer X (5001) with location X1; `x@ander.nl`.
    ///
    /// Every location has checkpoints HM1, HM2 (percent) and IM1 (count),
    /// two visits and recommendations R1 (hygiene, new), R2 (construction,
    /// in progress) and R3 (hygiene, done, at HM1).
    pub async fn logbook(s: &Setup) {
        let (st, r) = s
            .api(
                Method::POST,
                "/api/admin/v1/sync/customers",
                Some(json!({"customers": [
                    {"external_id": "F", "number": "3001", "name": "Voedselfabriek Noord", "locations": [
                        {"external_id": "F1", "name": "Productiehal"},
                        {"external_id": "F2", "name": "Magazijn"},
                        {"external_id": "F3", "name": "Kantoor"}]},
                    {"external_id": "P", "number": "4000", "name": "Bakkerijketen Hoofdaccount", "locations": []},
                    {"external_id": "B1", "number": "4001", "name": "Bakkerij Centrum", "parent_external_id": "P",
                     "locations": [{"external_id": "B1L", "name": "Winkel Centrum"}]},
                    {"external_id": "B2", "number": "4002", "name": "Bakkerij Zuid", "parent_external_id": "P",
                     "locations": [{"external_id": "B2L", "name": "Winkel Zuid"}]},
                    {"external_id": "X", "number": "5001", "name": "Slagerij Smit", "locations": [
                        {"external_id": "X1", "name": "Slagerij"}]}
                ]})),
            )
            .await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = s
            .api(
                Method::POST,
                "/api/admin/v1/sync/accounts",
                Some(json!({"accounts": [
                    {"external_id": "AF", "customer_external_id": "F", "email": "kwaliteit@fabriek.nl", "main": true, "roles": ["admin"]},
                    {"external_id": "AFR", "customer_external_id": "F", "email": "lezer@fabriek.nl", "roles": ["employee"]},
                    {"external_id": "AFW", "customer_external_id": "F", "email": "schrijver@fabriek.nl", "roles": ["employee"]},
                    {"external_id": "AP", "customer_external_id": "P", "email": "hoofd@keten.nl", "main": true, "roles": ["admin"]},
                    {"external_id": "APE", "customer_external_id": "P", "email": "regio@keten.nl", "roles": ["employee"]},
                    {"external_id": "AX", "customer_external_id": "X", "email": "x@ander.nl", "main": true, "roles": ["admin"]}
                ]})),
            )
            .await;
        assert_eq!(st, 200, "{r}");
        set_passwords(s).await;
        grant(s, "lezer@fabriek.nl", "F1", false).await;
        grant(s, "schrijver@fabriek.nl", "F1", false).await;
        grant(s, "schrijver@fabriek.nl", "F2", true).await;
        grant(s, "regio@keten.nl", "B1L", false).await;
        child_grant(s, "regio@keten.nl", "B1").await;
        for loc in ["F1", "F2", "F3", "B1L", "B2L", "X1"] {
            fill_location(s, loc).await;
        }
    }

    /// Checkpoints, two visits and three recommendations at `loc`.
    pub async fn fill_location(s: &Setup, loc: &str) {
        let (st, r) = api_ok(
            s,
            "/api/admin/v1/logbook/checkpoints/sync",
            json!({"checkpoints": [
                {"external_id": format!("{loc}-HM1"), "location_external_id": loc, "code": "HM", "number": 1, "kind": "Muizenbox", "room": "Hal"},
                {"external_id": format!("{loc}-HM2"), "location_external_id": loc, "code": "HM", "number": 2, "kind": "Muizenbox", "room": "Hal"},
                {"external_id": format!("{loc}-IM1"), "location_external_id": loc, "code": "IM", "number": 1, "kind": "Insectenmonitor", "room": "Opslag", "measure": "count"}
            ]}),
        )
        .await;
        assert_eq!(st, 200, "{r}");
        let today = chrono::Utc::now().date_naive();
        let earlier = today - chrono::Days::new(40);
        let (st, r) = api_ok(
            s,
            "/api/admin/v1/logbook/visits/sync",
            json!({"visits": [
                {"external_id": format!("{loc}-V1"), "location_external_id": loc, "visited_on": earlier,
                 "technician": "Martijn Bos", "kind": "routine", "findings": "Rustig.",
                 "observations": [{"checkpoint_external_id": format!("{loc}-HM1"), "value": 0}]},
                {"external_id": format!("{loc}-V2"), "location_external_id": loc, "visited_on": today,
                 "technician": "Ilse de Graaf", "kind": "extra", "findings": "Muis in de hal.",
                 "materials": [{"name": "Lokaas pasta", "amount": 150.0, "unit": "g", "registration_number": "12906 N"}],
                 "observations": [
                    {"checkpoint_external_id": format!("{loc}-HM1"), "value": 50, "note": "Aangevuld"},
                    {"checkpoint_external_id": format!("{loc}-IM1"), "value": 3}]}
            ]}),
        )
        .await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = api_ok(
            s,
            "/api/admin/v1/logbook/recommendations/sync",
            json!({"recommendations": [
                {"external_id": format!("{loc}-R1"), "location_external_id": loc, "category": "hygiene", "text": format!("Meelresten opruimen ({loc})"), "technician": "Martijn Bos"},
                {"external_id": format!("{loc}-R2"), "location_external_id": loc, "category": "construction", "text": "Kier onder de deur dichten", "status": "in_progress"},
                {"external_id": format!("{loc}-R3"), "location_external_id": loc, "checkpoint_external_id": format!("{loc}-HM1"), "category": "hygiene", "text": "Afvoer reinigen", "status": "done"}
            ]}),
        )
        .await;
        assert_eq!(st, 200, "{r}");
    }

    /// A back-office call that must not be refused as a whole.
    pub async fn api_ok(s: &Setup, path: &str, body: Value) -> (u16, Value) {
        let (st, r) = s.api(Method::POST, path, Some(body)).await;
        if st == 200 {
            let invalid: Vec<&Value> = r["rows"]
                .as_array()
                .map(|rows| rows.iter().filter(|x| x["status"] == "invalid").collect())
                .unwrap_or_default();
            assert!(invalid.is_empty(), "{path}: {invalid:?}");
        }
        (st, r)
    }

    async fn id_of(s: &Setup, table: &'static str, col: &'static str, value: &str) -> i64 {
        let (id,): (i64,) = s
            .portal
            .state()
            .db
            .fetch_optional(
                &s.scope()
                    .await
                    .select(table)
                    .column("id")
                    .and_where(Expr::col(col).eq(value))
                    .to_owned(),
            )
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{table} {value}"));
        id
    }

    /// The row id of location `external_id`.
    pub async fn location(s: &Setup, external_id: &str) -> i64 {
        id_of(s, "core_locations", "external_id", external_id).await
    }

    /// The row id of recommendation `external_id`.
    pub async fn recommendation(s: &Setup, external_id: &str) -> i64 {
        id_of(s, "logbook_recommendations", "external_id", external_id).await
    }

    /// The row id of visit `external_id`.
    pub async fn visit(s: &Setup, external_id: &str) -> i64 {
        id_of(s, "logbook_visits", "external_id", external_id).await
    }

    async fn insert(s: &Setup, q: portal_core::sea_query::InsertStatement) {
        let mut tx = s.portal.state().db.begin().await.unwrap();
        tx.execute(&q).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// Grants account `email` location `loc` (read, or also write).
    pub async fn grant(s: &Setup, email: &str, loc: &str, write: bool) {
        let scope = s.scope().await;
        let user = id_of(s, "core_users", "email", email).await;
        let l = location(s, loc).await;
        insert(
            s,
            Query::insert()
                .into_table("core_location_grants")
                .columns(["tenant_id", "user_id", "location_id", "can_write"])
                .values_panic([
                    scope.tenant_id().into(),
                    user.into(),
                    l.into(),
                    write.into(),
                ])
                .to_owned(),
        )
        .await;
    }

    /// Grants a parent's extra account `email` child customer `customer`.
    pub async fn child_grant(s: &Setup, email: &str, customer: &str) {
        let scope = s.scope().await;
        let user = id_of(s, "core_users", "email", email).await;
        let c = id_of(s, "core_customers", "external_id", customer).await;
        insert(
            s,
            Query::insert()
                .into_table("core_child_grants")
                .columns(["tenant_id", "user_id", "customer_id"])
                .values_panic([scope.tenant_id().into(), user.into(), c.into()])
                .to_owned(),
        )
        .await;
    }

    /// The tenant's events of `kind`, oldest first, as JSON payloads.
    pub async fn events(s: &Setup, kind: &str) -> Vec<Value> {
        let (st, r) = s
            .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
            .await;
        assert_eq!(st, 200, "{r}");
        r.as_array()
            .or_else(|| r["events"].as_array())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| serde_json::from_str(e["payload"].as_str().unwrap_or("null")).unwrap())
            .collect()
    }
}
mod documents;
mod messages;
mod recommendations;
mod rights;
mod seed002;
mod sync;
