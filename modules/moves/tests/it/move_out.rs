//! A move-out (seed 004) through HTTP: every field refuses bad input next
//! to the field and keeps what was typed; a valid one makes exactly one
//! event and one mail and shows as New; staff set Waiting with a message,
//! which the customer sees and is mailed; another customer sees nothing of
//! it, an employee may not send one, and only staff open it by id.

use poem::http::Method;
use portal_core::staff::StaffRole;
use serde_json::json;

use crate::support::{Setup, Visitor, fill_people, setup};

async fn events(s: &Setup, kind: &str) -> usize {
    let (_, r) = s
        .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
        .await;
    r.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .count()
}

async fn move_out(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/customers",
            Some(json!({"customers": [
                {"external_id": "K1", "number": "1001", "name": "Bakkerij Jansen",
                 "locations": [{"external_id": "L1", "name": "Kastanjelaan 12"}]}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    let page = jan.get("/moves/out").await.text();
    let select = page.find("id=\"field-location\"").unwrap();
    let at = select + page[select..].find("<option value=\"").unwrap() + 15;
    let location = page[at..at + page[at..].find('"').unwrap()].to_string();
    let today = portal_core::web::format::local(chrono::Utc::now()).date();
    let date = (today + chrono::Days::new(10)).to_string();
    let good = |over: &[(&'static str, String)]| {
        let mut f: Vec<(&'static str, String)> = vec![
            ("location", location.clone()),
            ("moving_on", date.clone()),
            ("meter_0", "WM-00123".into()),
            ("reading_0", "1234,567".into()),
            ("new_address", "Dorpsstraat 1\n1234 AB Ergens".into()),
            ("iban", "NL91 ABNA 0417 1643 00".into()),
            ("account_holder", "J. Jansen".into()),
        ];
        for (k, v) in over {
            f.retain(|(n, _)| n != k);
            f.push((k, v.clone()));
        }
        f
    };
    let far = (today + chrono::Days::new(400)).to_string();
    for (field, over) in [
        ("location", vec![("location", "987654".to_string())]),
        ("moving_on", vec![("moving_on", far)]),
        ("readings", vec![("reading_0", "veel".to_string())]),
        ("new_address", vec![("new_address", " ".to_string())]),
        ("iban", vec![("iban", "NL91 ABNA 0417 1643 01".to_string())]),
        ("account_holder", vec![("account_holder", String::new())]),
    ] {
        let fields = good(&over);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = jan.post("/moves/out", &pairs).await;
        assert_eq!(r.status, 200, "{field}");
        let page = r.text();
        assert!(
            page.contains(&format!("id=\"error-{field}\"")),
            "{field}: {page}"
        );
        assert!(
            page.contains("J. Jansen") || field == "account_holder",
            "{field}: typed kept"
        );
        assert!(page.contains("WM-00123"), "{field}: typed kept");
    }
    assert_eq!(events(&s, "moves.move_out").await, 0);
    assert!(s.mails("moves.move_out_received").await.is_empty());
    let fields = good(&[]);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = jan.post("/moves/out", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(events(&s, "moves.move_out").await, 1);
    assert_eq!(s.mails("moves.move_out_received").await.len(), 1);
    let page = jan.get("/moves").await.text();
    assert!(
        page.contains("Kastanjelaan 12") && page.contains("Nieuw"),
        "{page}"
    );
    let at = page.find("id=\"move-status-").unwrap() + 16;
    let id: i64 = page[at..at + page[at..].find('"').unwrap()]
        .parse()
        .unwrap();
    // Another customer sees nothing; an employee may not send one.
    let mut sanne = Visitor::login(&s, "sanne@slagerij.nl").await;
    assert!(!sanne.get("/moves").await.text().contains("Kastanjelaan 12"));
    let mut piet = Visitor::login(&s, "piet@bakkerij.nl").await;
    assert_eq!(piet.get("/moves/out").await.status, 404);
    // Only staff open a request by id.
    assert_eq!(
        jan.get(&format!("/staff/moves/requests/{id}")).await.status,
        303
    );
    let (mut staff, _) = Visitor::staff(&s, "desk@acme.nl", StaffRole::Support).await;
    let page = staff
        .get(&format!("/staff/moves/requests/{id}"))
        .await
        .text();
    assert!(
        page.contains("NL91 ABNA 0417 1643 00") && page.contains("1234,567"),
        "{page}"
    );
    let list = staff.get("/staff/requests").await.text();
    assert!(
        list.contains(&format!("/staff/moves/requests/{id}")),
        "{list}"
    );
    let r = staff
        .post(
            &format!("/staff/moves/requests/{id}"),
            &[
                ("status", "waiting"),
                ("message", "Wilt u ook de watermeter doorgeven?"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = jan.get("/moves").await.text();
    assert!(
        page.contains("In afwachting") && page.contains("watermeter"),
        "{page}"
    );
    assert_eq!(s.mails("moves.request_status").await.len(), 1);
}

#[tokio::test]
async fn move_out_sqlite() {
    move_out(false).await;
}

#[tokio::test]
async fn move_out_postgres() {
    move_out(true).await;
}
