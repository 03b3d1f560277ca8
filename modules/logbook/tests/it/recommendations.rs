//! Recommendations: every change is in the history with who and when
//! (the technician's through the sync, the customer's status and
//! response, support's on the staff pages), the customer's changes reach
//! the back-office as events, the customer may not set the technician's
//! "verified", and the CSV export holds exactly the rows the filtered list
//! shows, safe to open in a spreadsheet.

use poem::http::Method;
use portal_core::staff::StaffRole;
use serde_json::json;

use crate::support::{Visitor, api_ok, events, location, logbook, recommendation, setup};

async fn history(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    let l = location(&s, "F2").await;
    let r = recommendation(&s, "F2-R1").await;
    let path = format!("/logbook/{l}/recommendations/{r}");
    let mut writer = Visitor::login(&s, "schrijver@fabriek.nl").await;

    // Status and response together; then a response alone.
    let res = writer
        .post(
            &path,
            &[
                ("status", "in_progress"),
                ("response", "Schoonmaakploeg ingepland."),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let res = writer
        .post(
            &path,
            &[("status", "in_progress"), ("response", "Vrijdag klaar.")],
        )
        .await;
    assert_eq!(res.status, 303);
    // Nothing changed, or the technician's status: refused with the input kept.
    let res = writer
        .post(&path, &[("status", "in_progress"), ("response", "")])
        .await;
    assert_eq!(res.status, 200);
    assert!(
        res.text().contains("id=\"error-response\""),
        "{}",
        res.text()
    );
    let res = writer
        .post(
            &path,
            &[("status", "verified"), ("response", "Zelf gecontroleerd")],
        )
        .await;
    assert_eq!(res.status, 200);
    let page = res.text();
    assert!(page.contains("id=\"error-status\""), "{page}");
    assert!(
        page.contains("Zelf gecontroleerd"),
        "typed text kept: {page}"
    );

    // The technician verifies it and rewords it through the sync.
    let (st, rep) = api_ok(
        &s,
        "/api/admin/v1/logbook/recommendations/sync",
        json!({"recommendations": [
            {"external_id": "F2-R1", "location_external_id": "F2", "category": "hygiene",
             "text": "Meelresten onder de menglijn opruimen", "status": "verified", "technician": "Martijn Bos"}
        ]}),
    )
    .await;
    assert_eq!(st, 200, "{rep}");
    assert_eq!(rep["rows"][0]["status"], "updated");

    let (st, h) = s
        .api(
            Method::GET,
            "/api/admin/v1/logbook/recommendations/F2-R1/history",
            None,
        )
        .await;
    assert_eq!(st, 200, "{h}");
    let changes: Vec<(String, String, String, String)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["change"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
                e["response"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |c: &str, s: &str, a: &str, r: &str| {
        (c.to_string(), s.to_string(), a.to_string(), r.to_string())
    };
    assert_eq!(
        changes,
        vec![
            expect("created", "new", "back_office", ""),
            expect(
                "status",
                "in_progress",
                "customer",
                "Schoonmaakploeg ingepland."
            ),
            expect("response", "in_progress", "customer", "Vrijdag klaar."),
            expect("text", "verified", "back_office", ""),
            expect("status", "verified", "back_office", ""),
        ]
    );
    for e in h.as_array().unwrap() {
        assert!(e["at"].as_str().is_some_and(|t| t.len() > 10), "{e}");
    }
    // The customer's entries carry the account's name; the sync's the technician's.
    assert_eq!(h[0]["actor_name"], "Martijn Bos");
    assert!(!h[1]["actor_name"].as_str().unwrap().is_empty(), "{h}");

    // Events for the back-office: one status change, two responses.
    let st_events = events(&s, "logbook.recommendation_status").await;
    assert_eq!(st_events.len(), 1, "{st_events:?}");
    assert_eq!(st_events[0]["external_id"], "F2-R1");
    assert_eq!(st_events[0]["status"], "in_progress");
    assert_eq!(st_events[0]["previous_status"], "new");
    assert_eq!(events(&s, "logbook.recommendation_response").await.len(), 2);

    // The page shows the history; a verified one has no form any more.
    let page = writer.get(&path).await.text();
    assert!(page.contains("id=\"recommendation-verified\""), "{page}");
    // Verified: a crafted form changes nothing any more.
    let res = writer
        .post(&path, &[("status", "new"), ("response", "Toch niet")])
        .await;
    assert_eq!(res.status, 200);
    assert!(res.text().contains("id=\"error-status\""));
    assert!(!page.contains("id=\"respond-form\""), "{page}");
    assert!(page.contains("Vrijdag klaar."), "{page}");

    // Support sees the customer's response on the staff pages and marks it seen.
    let (mut staff, _) = Visitor::staff(&s, "desk@acme.nl", StaffRole::Support).await;
    let other = recommendation(&s, "F2-R2").await;
    let res = writer
        .post(
            &format!("/logbook/{l}/recommendations/{other}"),
            &[("status", "done"), ("response", "Kier is gedicht.")],
        )
        .await;
    assert_eq!(res.status, 303);
    let inbox = staff.get("/staff/logbook").await.text();
    assert!(inbox.contains("Kier onder de deur dichten"), "{inbox}");
    let res = staff
        .post(
            &format!("/staff/logbook/recommendations/{other}"),
            &[("status", "verified")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let inbox = staff.get("/staff/logbook").await.text();
    assert!(!inbox.contains("Kier onder de deur dichten"), "{inbox}");
    let (_, h) = s
        .api(
            Method::GET,
            "/api/admin/v1/logbook/recommendations/F2-R2/history",
            None,
        )
        .await;
    let last = h.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor"], "staff");
    assert_eq!(last["status"], "verified");
    assert_eq!(last["actor_name"], "desk");
}

#[tokio::test]
async fn recommendation_history_sqlite() {
    history(false).await;
}

#[tokio::test]
async fn recommendation_history_postgres() {
    history(true).await;
}

/// The data rows of a CSV export (after the header), by their first column.
fn csv_ids(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    r.records().map(|rec| rec.unwrap()[0].to_string()).collect()
}

async fn export(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    // A recommendation whose text would be a formula in a spreadsheet.
    api_ok(
        &s,
        "/api/admin/v1/logbook/recommendations/sync",
        json!({"recommendations": [
            {"external_id": "F1-R4", "location_external_id": "F1", "category": "hygiene",
             "text": "=HYPERLINK(\"http://evil.example\")"}
        ]}),
    )
    .await;
    let l = location(&s, "F1").await;
    let mut reader = Visitor::login(&s, "lezer@fabriek.nl").await;
    for (query, expect) in [
        ("", vec!["F1-R4", "F1-R3", "F1-R2", "F1-R1"]),
        ("status=new", vec!["F1-R4", "F1-R1"]),
        ("category=hygiene", vec!["F1-R4", "F1-R3", "F1-R1"]),
        ("status=new&category=construction", vec![]),
        ("status=in_progress&category=construction", vec!["F1-R2"]),
    ] {
        let list = reader
            .get(&format!("/logbook/{l}/recommendations?{query}"))
            .await
            .text();
        let csv = reader
            .get(&format!("/logbook/{l}/recommendations/export?{query}"))
            .await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let mut got = csv_ids(&csv.body);
        got.sort();
        let mut want: Vec<String> = expect.iter().map(|s| (*s).to_string()).collect();
        want.sort();
        assert_eq!(got, want, "export with {query:?}");
        // The list shows exactly as many rows.
        let rows = list.matches("/recommendations/").count()
            - list.matches("/recommendations/export").count();
        assert_eq!(rows, want.len(), "list with {query:?}: {list}");
    }
    let csv = reader
        .get(&format!("/logbook/{l}/recommendations/export"))
        .await;
    let text = String::from_utf8_lossy(&csv.body);
    assert!(
        text.contains("'=HYPERLINK"),
        "a formula is neutralised: {text}"
    );
    // Another customer's location exports nothing: 404.
    let x1 = location(&s, "X1").await;
    assert_eq!(
        reader
            .get(&format!("/logbook/{x1}/recommendations/export"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn csv_export_holds_the_filtered_rows_sqlite() {
    export(false).await;
}

#[tokio::test]
async fn csv_export_holds_the_filtered_rows_postgres() {
    export(true).await;
}
