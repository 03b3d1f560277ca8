//! Consumption through HTTP on SQLite and PostgreSQL: the difference of
//! readings across a day, month and year boundary and across a meter
//! change; a corrected reading derived again; a location the account may
//! not read answering 404 and absent from every total; the CSV holding
//! exactly the table's rows; the SVG chart valid with its values as text;
//! units and number formats per language; a reading lower than the one
//! before refused with nothing stored; idempotent readings sync.

use poem::http::Method;
use portal_core::sea_query::ExprTrait as _;
use portal_core::tenant::repo;
use serde_json::json;

use crate::support::{Setup, Visitor, energy, location, setup, sync_ok, table_rows};

/// Every element of an SVG document, parsed: it must be well-formed XML.
fn svg_texts(page: &str) -> Vec<String> {
    let at = page.find("<svg").expect("an SVG chart");
    let end = at + page[at..].find("</svg>").unwrap() + 6;
    let mut reader = quick_xml::Reader::from_str(&page[at..end]);
    let mut texts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => {
                texts.push(String::from_utf8_lossy(t.as_ref()).to_string());
            }
            Ok(_) => {}
            Err(e) => panic!("the chart is not well-formed XML: {e}"),
        }
    }
    texts
}

async fn days_months_years(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    energy(&s).await;
    let mut h = Visitor::login(&s, "h@thuis.nl").await;
    // By day: the difference of readings, each day its own, across the
    // year end and the meter change on 2 January.
    let page = h
        .get("/consumption/heating?group=day&from=2025-12-30&to=2026-01-04")
        .await
        .text();
    let rows = table_rows(&page, "consumption-table");
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|(l, c)| (l.as_str(), c[0].as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("30-12-2025", "3,5"),
            ("31-12-2025", "6,5"),
            ("01-01-2026", "1,0"),
            ("02-01-2026", "2,0"),
            ("03-01-2026", "2,5"),
        ],
        "{page}"
    );
    assert!(page.contains("id=\"consumption-total\">15,5<"), "{page}");
    // The chart: well-formed SVG with a title, and the values as text.
    let texts = svg_texts(&page);
    assert!(texts.iter().any(|t| t.contains("6,5")), "{texts:?}");
    assert!(page.contains("role=\"img\""));
    // By month and by year: the same consumption, summed.
    let page = h
        .get("/consumption/heating?group=month&from=2025-12-01&to=2026-01-31")
        .await
        .text();
    let rows = table_rows(&page, "consumption-table");
    assert_eq!(
        rows.iter()
            .map(|(l, c)| (l.clone(), c[0].clone()))
            .collect::<Vec<_>>(),
        vec![
            ("dec 2025".to_string(), "10,0".to_string()),
            ("jan 2026".to_string(), "5,5".to_string())
        ],
        "{page}"
    );
    let page = h
        .get("/consumption/heating?group=year&from=2025-01-01&to=2026-12-31")
        .await
        .text();
    let rows = table_rows(&page, "consumption-table");
    assert_eq!(rows[0], ("2025".to_string(), vec!["10,0".to_string()]));
    assert_eq!(rows[1], ("2026".to_string(), vec!["5,5".to_string()]));

    // A correction of an older reading derives the days again; a resend of
    // the same readings changes nothing.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/consumption/readings/sync",
            Some(json!({"readings": [
                {"meter_external_id": "M1", "channel": "heat", "read_at": "2025-12-31T00:00:00+01:00", "value": 105.0},
                {"meter_external_id": "M2", "channel": "heat", "read_at": "2026-01-03T00:00:00+01:00", "value": 7.0},
                {"meter_external_id": "M2", "read_at": "2026-01-05T00:00:00+01:00", "value": 1.0, "source": "estimated"},
                {"meter_external_id": "M1", "read_at": "2026-01-05T00:00:00+01:00", "value": 1.0},
                {"meter_external_id": "NOPE", "read_at": "2026-01-05T00:00:00+01:00", "value": 1.0}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let statuses: Vec<&str> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["updated", "unchanged", "created", "invalid", "invalid"],
        "{r}"
    );
    assert!(
        r["rows"][3]["errors"]
            .to_string()
            .contains("several channels"),
        "{r}"
    );
    let page = h
        .get("/consumption/heating?group=day&from=2025-12-30&to=2026-01-04")
        .await
        .text();
    let rows = table_rows(&page, "consumption-table");
    assert_eq!(rows[0].1[0], "5,0", "{page}");
    assert_eq!(rows[1].1[0], "5,0", "{page}");
    // 9.5 then 1.0 (lower: an estimate gone wrong) gives nothing, never a negative.
    let page = h
        .get("/consumption/heating?group=day&from=2026-01-04&to=2026-01-04")
        .await
        .text();
    let rows = table_rows(&page, "consumption-table");
    assert_eq!(rows[0].1[0], "0,0", "{page}");

    // The CSV holds exactly the table's rows.
    let q = "group=day&from=2025-12-30&to=2026-01-04";
    let page = h.get(&format!("/consumption/heating?{q}")).await.text();
    let rows = table_rows(&page, "consumption-table");
    let csv = h.get(&format!("/consumption/heating/export?{q}")).await;
    assert_eq!(csv.status, 200);
    let text = String::from_utf8(csv.body.clone()).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let records: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    assert_eq!(
        records,
        rows.iter()
            .map(|(l, c)| (l.clone(), c[0].clone()))
            .collect::<Vec<_>>()
    );
    // The comparison of two years, and its CSV.
    let page = h
        .get("/consumption/heating/compare?period=year&a=2026&b=2025")
        .await
        .text();
    let rows = table_rows(&page, "compare-table");
    assert_eq!(rows.len(), 12);
    assert_eq!(
        rows[0].1,
        vec!["5,5".to_string(), "0,0".to_string()],
        "{page}"
    );
    assert_eq!(
        rows[11].1,
        vec!["0,0".to_string(), "10,0".to_string()],
        "{page}"
    );
    svg_texts(&page);
    let csv = h
        .get("/consumption/heating/export?view=compare&period=year&a=2026&b=2025")
        .await;
    let text = String::from_utf8(csv.body.clone()).unwrap();
    assert_eq!(text.lines().count(), 13, "{text}");

    // The overview: this year so far against the same days last year.
    let page = h.get("/consumption").await.text();
    assert!(page.contains("id=\"service-heating\""), "{page}");
    assert!(page.contains("id=\"service-tap_water\""), "{page}");
    assert!(
        page.contains("30,0 GJ"),
        "the estimated annual consumption: {page}"
    );
    // English: its own month names and number format.
    h.post("/lang", &[("lang", "en"), ("next", "/")]).await;
    let page = h
        .get("/consumption/electricity?group=day&from=2026-01-01&to=2026-01-01")
        .await;
    assert_eq!(page.status, 404, "the household has no electricity");
    let page = h
        .get("/consumption/heating?group=month&from=2025-12-01&to=2026-01-31")
        .await
        .text();
    assert!(
        page.contains(">Dec 2025<") && page.contains(">10.0<"),
        "{page}"
    );
}

#[tokio::test]
async fn consumption_from_readings_sqlite() {
    days_months_years(false).await;
}

#[tokio::test]
async fn consumption_from_readings_postgres() {
    days_months_years(true).await;
}

async fn rights_and_readings(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    energy(&s).await;
    let (w1, w2, x1) = (
        location(&s, "W1").await,
        location(&s, "W2").await,
        location(&s, "X1").await,
    );
    // The corporation's main account: both flats, or one, in Dutch format.
    let mut w = Visitor::login(&s, "w@woon.nl").await;
    let q = "group=day&from=2026-01-01&to=2026-01-01";
    let page = w.get(&format!("/consumption/electricity?{q}")).await.text();
    assert!(page.contains("id=\"consumption-total\">12.845<"), "{page}");
    let page = w
        .get(&format!("/consumption/electricity?{q}&location={w1}"))
        .await
        .text();
    assert!(page.contains("id=\"consumption-total\">12.345<"), "{page}");
    // Another customer's location: 404, like a missing one.
    let r = w
        .get(&format!("/consumption/electricity?{q}&location={x1}"))
        .await;
    assert_eq!(r.status, 404);
    // The employee reads W1 only: W2 is absent from the total and 404 when named.
    let mut wijk = Visitor::login(&s, "wijk@woon.nl").await;
    let page = wijk
        .get(&format!("/consumption/electricity?{q}"))
        .await
        .text();
    assert!(page.contains("id=\"consumption-total\">12.345<"), "{page}");
    assert_eq!(
        wijk.get(&format!("/consumption/electricity?{q}&location={w2}"))
            .await
            .status,
        404
    );
    let overview = wijk.get("/consumption").await.text();
    assert!(!overview.contains("Flat Zuid"), "{overview}");

    // A reading entered by the household: refused below the previous one,
    // nothing stored; then accepted, with an event.
    let state = s.portal.state();
    let scope = s.scope().await;
    repo::set_setting(
        &state.db,
        scope,
        &state.registry,
        "consumption",
        "customer_readings",
        Some("true"),
    )
    .await
    .unwrap();
    let before = count(&s).await;
    let mut h = Visitor::login(&s, "h@thuis.nl").await;
    let page = h.get("/consumption/readings").await.text();
    assert!(page.contains("id=\"reading-form\""), "{page}");
    let (channel,): (i64,) = state
        .db
        .fetch_optional(
            &scope
                .select("consumption_channels")
                .column(("consumption_channels", "id"))
                .inner_join(
                    "consumption_meters",
                    portal_core::sea_query::Expr::col(("consumption_meters", "id"))
                        .equals(("consumption_channels", "meter_id")),
                )
                .and_where(portal_core::sea_query::ExprTrait::eq(
                    portal_core::sea_query::Expr::col(("consumption_meters", "external_id")),
                    "M2",
                ))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    // The Dutch day, as the server reads dates people type.
    let today = portal_core::web::format::local(chrono::Utc::now())
        .date()
        .to_string();
    let ch = channel.to_string();
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", today.as_str()),
                ("value", "8,5"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains("id=\"error-value\""), "{page}");
    assert!(
        page.contains("9,5"),
        "the previous reading is named: {page}"
    );
    assert!(
        page.contains("value=\"8,5\""),
        "the typed value is kept: {page}"
    );
    assert_eq!(count(&s).await, before, "nothing stored");
    // In the future: refused too.
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", "2099-01-01"),
                ("value", "20"),
            ],
        )
        .await;
    assert!(r.text().contains("id=\"error-date\""));
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", today.as_str()),
                ("value", "12,25"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(count(&s).await, before + 1);
    // A day before the last reading: refused at the date, nothing stored.
    let yesterday = (portal_core::web::format::local(chrono::Utc::now()).date()
        - chrono::Days::new(1))
    .to_string();
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", yesterday.as_str()),
                ("value", "12,5"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("id=\"error-date\""), "{}", r.text());
    assert_eq!(count(&s).await, before + 1);
    // A jump far above the usual use asks for a confirmation first.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/consumption/readings/sync",
            Some(json!({"readings": [
                {"meter_external_id": "M2", "read_at": format!("{}T00:00:00+01:00",
                    chrono::Utc::now().date_naive() - chrono::Days::new(30)), "value": 13.0},
                {"meter_external_id": "M2", "read_at": format!("{}T00:00:00+01:00",
                    chrono::Utc::now().date_naive() - chrono::Days::new(2)), "value": 14.0}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let before = count(&s).await;
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", today.as_str()),
                ("value", "500"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"reading-warning\""), "{}", r.text());
    assert_eq!(
        count(&s).await,
        before,
        "not stored without the confirmation"
    );
    let r = h
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", today.as_str()),
                ("value", "500"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(count(&s).await, before + 1);
    let (_, events) = s
        .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
        .await;
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "consumption.reading_submitted"),
        "{events}"
    );
    // Someone else's channel is not offered and not accepted.
    let mut x = Visitor::login(&s, "x@smit.nl").await;
    let r = x
        .post(
            "/consumption/readings",
            &[
                ("channel", ch.as_str()),
                ("date", today.as_str()),
                ("value", "99"),
            ],
        )
        .await;
    assert!(r.text().contains("id=\"error-channel\""));
    assert_eq!(count(&s).await, before + 1);
    // A reading moved to another month (same external id): the month it
    // left keeps no stale total.
    sync_ok(
        &s,
        "/api/admin/v1/consumption/meters/sync",
        json!({"meters": [{"external_id": "X2M", "location_external_id": "X1", "number": "XG-1",
                           "channels": [{"code": "gas", "kind": "gas", "unit": "m3"}]}]}),
    )
    .await;
    let gas = |ext: &str, at: &str, v: f64| json!({"external_id": ext, "meter_external_id": "X2M", "read_at": at, "value": v});
    sync_ok(
        &s,
        "/api/admin/v1/consumption/readings/sync",
        json!({"readings": [
            gas("G1", "2025-01-10T00:00:00+01:00", 0.0),
            gas("G2", "2025-02-10T00:00:00+01:00", 31.0),
            gas("G3", "2025-03-10T00:00:00+01:00", 59.0)
        ]}),
    )
    .await;
    let q = "/consumption/gas?group=month&from=2025-01-01&to=2025-03-31";
    let labels = |page: &str| {
        table_rows(page, "consumption-table")
            .into_iter()
            .map(|(l, c)| (l, c[0].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(&x.get(q).await.text()),
        vec![
            ("jan 2025".to_string(), "22,0".to_string()),
            ("feb 2025".to_string(), "28,0".to_string()),
            ("mrt 2025".to_string(), "9,0".to_string()),
        ]
    );
    let moved = sync_ok(
        &s,
        "/api/admin/v1/consumption/readings/sync",
        json!({"readings": [gas("G1", "2025-02-01T00:00:00+01:00", 0.0)]}),
    )
    .await;
    assert_eq!(moved["counts"]["updated"], 1, "{moved}");
    assert_eq!(
        labels(&x.get(q).await.text()),
        vec![
            ("feb 2025".to_string(), "50,0".to_string()),
            ("mrt 2025".to_string(), "9,0".to_string()),
        ],
        "January lost its consumption with its reading"
    );
    // The readings sync is idempotent.
    let again = sync_ok(
        &s,
        "/api/admin/v1/consumption/readings/sync",
        json!({"readings": [
            {"meter_external_id": "E1", "read_at": "2026-01-02T00:00:00+01:00", "value": 13345.0}
        ]}),
    )
    .await;
    assert_eq!(again["counts"]["unchanged"], 1, "{again}");
}

/// Readings stored at the tenant.
async fn count(s: &Setup) -> usize {
    let rows: Vec<(i64,)> = s
        .portal
        .state()
        .db
        .fetch_all(
            &s.scope()
                .await
                .select("consumption_readings")
                .column("id")
                .to_owned(),
        )
        .await
        .unwrap();
    rows.len()
}

#[tokio::test]
async fn rights_and_customer_readings_sqlite() {
    rights_and_readings(false).await;
}

#[tokio::test]
async fn rights_and_customer_readings_postgres() {
    rights_and_readings(true).await;
}
