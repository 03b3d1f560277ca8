//! The consumption module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// The module registers itself through `inventory`: referenced here so the
// linker keeps it in this test binary.
use portal_consumption as _;

mod support {
    use poem::http::Method;
    use portal_core::sea_query::{Expr, ExprTrait, Query};
    pub use portal_testkit::*;
    use serde_json::{Value, json};

    /// A back-office sync call that must be applied without refused rows.
    pub async fn sync_ok(s: &Setup, path: &str, body: Value) -> Value {
        let (st, r) = s.api(Method::POST, path, Some(body)).await;
        assert_eq!(st, 200, "{path}: {r}");
        assert_eq!(r["counts"]["invalid"], 0, "{path}: {r}");
        r
    }

    /// The energy test data:
    /// - household H (8001), location H1, its admin `h@thuis.nl`; heating in
    ///   GJ measured first by meter M1 (heat and tap-water channels), replaced
    ///   on 2 January 2026 by meter M2;
    /// - corporation W (9001) with locations W1, W2, W3 (electricity in kWh),
    ///   its main account `w@woon.nl` and an employee `wijk@woon.nl` who may
    ///   read W1 only;
    /// - another household X (8002) with location X1.
    pub async fn energy(s: &Setup) {
        sync_ok(
            s,
            "/api/admin/v1/sync/customers",
            json!({"customers": [
                {"external_id": "H", "number": "8001", "name": "Familie Jansen",
                 "locations": [{"external_id": "H1", "name": "Kerkstraat 1"}]},
                {"external_id": "W", "number": "9001", "name": "Woonstichting Oost", "locations": [
                    {"external_id": "W1", "name": "Flat Noord"},
                    {"external_id": "W2", "name": "Flat Zuid"},
                    {"external_id": "W3", "name": "Flat West"}]},
                {"external_id": "X", "number": "8002", "name": "Familie Smit",
                 "locations": [{"external_id": "X1", "name": "Dorpsweg 9"}]}
            ]}),
        )
        .await;
        sync_ok(
            s,
            "/api/admin/v1/sync/accounts",
            json!({"accounts": [
                {"external_id": "AH", "customer_external_id": "H", "email": "h@thuis.nl", "main": true, "roles": ["admin"]},
                {"external_id": "AW", "customer_external_id": "W", "email": "w@woon.nl", "main": true, "roles": ["admin"]},
                {"external_id": "AWE", "customer_external_id": "W", "email": "wijk@woon.nl", "roles": ["employee"]},
                {"external_id": "AX", "customer_external_id": "X", "email": "x@smit.nl", "main": true, "roles": ["admin"]}
            ]}),
        )
        .await;
        set_passwords(s).await;
        grant(s, "wijk@woon.nl", "W1").await;
        sync_ok(
            s,
            "/api/admin/v1/consumption/services/sync",
            json!({"services": [
                {"external_id": "H1-heat", "location_external_id": "H1", "kind": "heating", "unit": "GJ", "estimated_annual": 30.0},
                {"external_id": "H1-water", "location_external_id": "H1", "kind": "tap_water", "unit": "m3"},
                {"external_id": "W1-el", "location_external_id": "W1", "kind": "electricity", "unit": "kWh"},
                {"external_id": "W2-el", "location_external_id": "W2", "kind": "electricity", "unit": "kWh"},
                {"external_id": "X1-heat", "location_external_id": "X1", "kind": "heating", "unit": "GJ"}
            ]}),
        )
        .await;
        sync_ok(
            s,
            "/api/admin/v1/consumption/meters/sync",
            json!({"meters": [
                {"external_id": "M1", "location_external_id": "H1", "number": "HM-001", "active": false, "channels": [
                    {"code": "heat", "kind": "heating", "unit": "GJ"},
                    {"code": "water", "kind": "tap_water", "unit": "m3"}]},
                {"external_id": "M2", "location_external_id": "H1", "number": "HM-002",
                 "channels": [{"code": "heat", "kind": "heating", "unit": "GJ"}]},
                {"external_id": "E1", "location_external_id": "W1", "number": "E-1",
                 "channels": [{"code": "1.8.0", "kind": "electricity", "unit": "kWh"}]},
                {"external_id": "E2", "location_external_id": "W2", "number": "E-2",
                 "channels": [{"code": "1.8.0", "kind": "electricity", "unit": "kWh"}]},
                {"external_id": "X1M", "location_external_id": "X1", "number": "XM-1",
                 "channels": [{"code": "heat", "kind": "heating", "unit": "GJ"}]}
            ]}),
        )
        .await;
        // Local midnights in winter (+01:00): across a year end and a meter change.
        let r = |meter: &str, channel: &str, at: &str, value: f64| json!({"meter_external_id": meter, "channel": channel, "read_at": at, "value": value});
        sync_ok(
            s,
            "/api/admin/v1/consumption/readings/sync",
            json!({"readings": [
                r("M1", "heat", "2025-12-30T00:00:00+01:00", 100.0),
                r("M1", "heat", "2025-12-31T00:00:00+01:00", 103.5),
                r("M1", "heat", "2026-01-01T00:00:00+01:00", 110.0),
                r("M1", "heat", "2026-01-02T00:00:00+01:00", 111.0),
                r("M1", "water", "2025-12-30T00:00:00+01:00", 10.0),
                r("M1", "water", "2025-12-31T00:00:00+01:00", 10.25),
                r("M2", "heat", "2026-01-02T00:00:00+01:00", 5.0),
                r("M2", "heat", "2026-01-03T00:00:00+01:00", 7.0),
                r("M2", "heat", "2026-01-04T00:00:00+01:00", 9.5),
                r("E1", "1.8.0", "2026-01-01T00:00:00+01:00", 1000.0),
                r("E1", "1.8.0", "2026-01-02T00:00:00+01:00", 13345.0),
                r("E2", "1.8.0", "2026-01-01T00:00:00+01:00", 0.0),
                r("E2", "1.8.0", "2026-01-02T00:00:00+01:00", 500.0),
                r("X1M", "heat", "2026-01-01T00:00:00+01:00", 0.0),
                r("X1M", "heat", "2026-01-02T00:00:00+01:00", 77.0)
            ]}),
        )
        .await;
    }

    /// Grants account `email` reading location `loc`.
    pub async fn grant(s: &Setup, email: &str, loc: &str) {
        let state = s.portal.state();
        let scope = s.scope().await;
        let one = |table: &'static str, col: &'static str, v: String| {
            scope
                .select(table)
                .column("id")
                .and_where(Expr::col(col).eq(v))
                .to_owned()
        };
        let (user,): (i64,) = state
            .db
            .fetch_optional(&one("core_users", "email", email.into()))
            .await
            .unwrap()
            .unwrap();
        let (l,): (i64,) = state
            .db
            .fetch_optional(&one("core_locations", "external_id", loc.into()))
            .await
            .unwrap()
            .unwrap();
        let mut tx = state.db.begin().await.unwrap();
        tx.execute(
            &Query::insert()
                .into_table("core_location_grants")
                .columns(["tenant_id", "user_id", "location_id", "can_write"])
                .values_panic([
                    scope.tenant_id().into(),
                    user.into(),
                    l.into(),
                    false.into(),
                ])
                .to_owned(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }

    /// The row id of location `external_id`.
    pub async fn location(s: &Setup, external_id: &str) -> i64 {
        let (id,): (i64,) = s
            .portal
            .state()
            .db
            .fetch_optional(
                &s.scope()
                    .await
                    .select("core_locations")
                    .column("id")
                    .and_where(Expr::col("external_id").eq(external_id))
                    .to_owned(),
            )
            .await
            .unwrap()
            .unwrap();
        id
    }

    /// The (label, cells) rows of the table with `id` on a page.
    pub fn table_rows(page: &str, id: &str) -> Vec<(String, Vec<String>)> {
        let at = page
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no table {id}: {page}"));
        let body_at = at + page[at..].find("<tbody>").unwrap();
        let end = body_at + page[body_at..].find("</tbody>").unwrap();
        let strip = |s: &str| {
            let mut out = String::new();
            let mut tag = false;
            for c in s.chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    _ if !tag => out.push(c),
                    _ => {}
                }
            }
            out.trim().to_string()
        };
        page[body_at..end]
            .split("<tr>")
            .skip(1)
            .map(|row| {
                let label = strip(&row[..row.find("</th>").unwrap()]);
                let cells = row
                    .split("<td")
                    .skip(1)
                    .map(|c| strip(&c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()]))
                    .collect();
                (label, cells)
            })
            .collect()
    }
}
mod consumption;
