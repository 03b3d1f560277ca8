//! The public move-in wizard (seed 004) through HTTP on both databases:
//! every step refuses bad input with the message next to the field and
//! keeps the rest; back keeps what was typed; a resume link continues the
//! draft once; a completed request is one event and one mail; only staff
//! of the tenant (and its back-office) read it by id; staff set Waiting
//! and the resident is mailed; the back-office links the customer; bots
//! meet a honeypot and a look-up limit; expired drafts are deleted.

use poem::http::Method;
use portal_core::staff::StaffRole;
use portal_testkit::multipart;
use serde_json::json;

use crate::support::{Setup, Visitor, setup};

async fn events(s: &Setup, kind: &str) -> Vec<serde_json::Value> {
    let (_, r) = s
        .api(Method::GET, "/api/admin/v1/events?after=0&limit=1000", None)
        .await;
    r.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .cloned()
        .collect()
}

/// The known addresses; one row refused.
async fn addresses(s: &Setup) {
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/moves/addresses/sync",
            Some(json!({"addresses": [
                {"external_id": "A1", "postcode": "1234 ab", "house_number": 12, "addition": "a",
                 "street": "Kastanjelaan", "city": "Warmstad", "products": ["Warmte", "Warm tapwater"],
                 "advance_cents": 8500,
                 "meters": [{"number": "WM-1", "registers": [
                    {"code": "heat", "label": "Warmte", "unit": "GJ", "last_reading": 120.5, "last_read_on": "2026-11-01"}]},
                    {"number": "TW-2", "registers": [{"code": "water", "label": "Warm tapwater", "unit": "m³", "last_reading": 40.0}]}]},
                {"external_id": "A2", "postcode": "99", "house_number": 1, "street": "X", "city": "Y"}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["rows"][0]["status"], "saved", "{r}");
    assert_eq!(r["rows"][1]["status"], "refused", "{r}");
    assert!(
        r["rows"][1]["errors"][0]
            .as_str()
            .unwrap()
            .contains("postcode")
    );
}

/// Posts step `n` as the wizard's multipart form.
async fn step(v: &mut Visitor<'_>, n: i64, fields: &[(&str, &str)]) -> portal_testkit::Page {
    step_with(v, n, fields, &[]).await
}

async fn step_with(
    v: &mut Visitor<'_>,
    n: i64,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> portal_testkit::Page {
    let body = multipart(fields, files);
    v.post_multipart(&format!("/moves/in/{n}"), poem::Body::from(body))
        .await
}

fn location(p: &portal_testkit::Page) -> String {
    p.headers
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn refused(p: &portal_testkit::Page, field: &str, kept: &str) {
    let page = p.text();
    assert_eq!(p.status, 422, "{field}: {page}");
    assert!(
        page.contains(&format!("id=\"error-{field}\"")),
        "{field}: {page}"
    );
    assert!(page.contains(kept), "{field}: {kept} kept: {page}");
}

async fn move_in(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    addresses(&s).await;
    let mut v = Visitor::new(&s);
    // The start page: "Hoe kunnen wij helpen?" with the move-in and move-out.
    let start = v.get("/login").await.text();
    assert!(start.contains("Hoe kunnen wij helpen?"), "{start}");
    assert!(start.contains("/moves/in\"") && start.contains("/moves/out\""));
    // In English too.
    let mut en = Visitor::new(&s);
    en.post("/lang", &[("lang", "en"), ("next", "/login")])
        .await;
    assert!(en.get("/login").await.text().contains("How can we help?"));
    let page = en.get("/moves/in").await.text();
    assert!(
        page.contains("Report a move-in")
            && page.contains("Postcode")
            && page.contains("House number"),
        "{page}"
    );
    // Step 1: a bad postcode, an unknown address (with the contact), the honeypot.
    let r = step(&mut v, 1, &[("postcode", "12345"), ("house_number", "12")]).await;
    refused(&r, "postcode", "12345");
    let r = step(
        &mut v,
        1,
        &[("postcode", "1234 AB"), ("house_number", "14")],
    )
    .await;
    refused(&r, "postcode", "value=\"14\"");
    assert!(r.text().contains("id=\"unknown-address\""));
    let r = step(
        &mut v,
        1,
        &[
            ("postcode", "1234 AB"),
            ("house_number", "12"),
            ("addition", "A"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    refused(&r, "postcode", "1234 AB");
    assert!(v.cookie("portal_move_in").is_none(), "no draft for a bot");
    let r = step(
        &mut v,
        1,
        &[
            ("postcode", "1234ab"),
            ("house_number", "12"),
            ("addition", "-a"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(location(&r).ends_with("/moves/in/2"));
    assert!(v.cookie("portal_move_in").is_some());
    // A later step than reached goes back to the furthest one.
    let r = v.get("/moves/in/5").await;
    assert!(location(&r).ends_with("/moves/in/2"), "{}", location(&r));
    // Step 2: outside the window.
    let today = portal_core::web::format::local(chrono::Utc::now()).date();
    let far = (today + chrono::Days::new(400)).to_string();
    let r = step(&mut v, 2, &[("moving_on", &far)]).await;
    refused(&r, "moving_on", &far);
    let date = (today + chrono::Days::new(14)).to_string();
    let r = step(&mut v, 2, &[("moving_on", &date)]).await;
    assert_eq!(r.status, 303);
    // Step 3: a reading lower than the last known; a fake photo.
    let page = v.get("/moves/in/3").await.text();
    assert!(
        page.contains("WM-1") && page.contains("Warm tapwater"),
        "{page}"
    );
    let r = step(&mut v, 3, &[("reading_0", "119,9"), ("reading_1", "41")]).await;
    refused(&r, "reading_0", "119,9");
    assert!(
        r.text().contains("120,500"),
        "the last known reading is named"
    );
    let r = step_with(
        &mut v,
        3,
        &[("reading_0", "121,25"), ("reading_1", "41")],
        &[(
            "document",
            "meter.jpg",
            b"<html><script>alert(1)</script></html>",
        )],
    )
    .await;
    refused(&r, "document", "121,25");
    let png: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ];
    let r = step_with(
        &mut v,
        3,
        &[("reading_0", "121,25"), ("reading_1", "41")],
        &[("document", "meter.png", png)],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // Step 4: a bad e-mail address keeps the name.
    let r = step(
        &mut v,
        4,
        &[
            ("customer_kind", "person"),
            ("name", "Eva de Vries"),
            ("email", "eva@"),
            ("phone", "06 1234 5678"),
        ],
    )
    .await;
    refused(&r, "email", "Eva de Vries");
    let r = step(
        &mut v,
        4,
        &[
            ("customer_kind", "person"),
            ("name", "Eva de Vries"),
            ("email", "eva@example.nl"),
            ("phone", "06 1234 5678"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    // Step 5: back keeps what was typed (unchecked), forward again.
    let r = step(
        &mut v,
        5,
        &[
            ("correspondence", "other"),
            ("corr_street", "Oude Gracht 3"),
            ("go", "back"),
        ],
    )
    .await;
    assert!(location(&r).ends_with("/moves/in/4"));
    assert!(v.get("/moves/in/4").await.text().contains("Eva de Vries"));
    assert!(v.get("/moves/in/5").await.text().contains("Oude Gracht 3"));
    let r = step(
        &mut v,
        5,
        &[
            ("correspondence", "other"),
            ("corr_street", "Oude Gracht 3"),
        ],
    )
    .await;
    refused(&r, "corr_city", "Oude Gracht 3");
    let r = step(&mut v, 5, &[("correspondence", "same")]).await;
    assert_eq!(r.status, 303);
    // Step 6: an invalid IBAN; direct debit without the mandate.
    let r = step(
        &mut v,
        6,
        &[
            ("payment", "direct_debit"),
            ("iban", "NL91 ABNA 0417 1643 01"),
            ("account_holder", "E. de Vries"),
            ("mandate", "on"),
        ],
    )
    .await;
    refused(&r, "iban", "E. de Vries");
    let r = step(
        &mut v,
        6,
        &[
            ("payment", "direct_debit"),
            ("iban", "NL91 ABNA 0417 1643 00"),
            ("account_holder", "E. de Vries"),
        ],
    )
    .await;
    refused(&r, "mandate", "NL91 ABNA 0417 1643 00");
    // Later: a resume link, mailed; this browser goes away.
    let r = step(
        &mut v,
        6,
        &[
            ("payment", "direct_debit"),
            ("iban", "NL91 ABNA 0417 1643 00"),
            ("account_holder", "E. de Vries"),
            ("mandate", "on"),
            ("go", "resume"),
            ("resume_email", "eva@example.nl"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("id=\"resume-sent\""));
    let mails = s.mails("moves.move_in_resume").await;
    assert_eq!(mails.len(), 1);
    let text = &mails[0].body_text;
    let at = text.find("/moves/in/resume/").unwrap();
    let link = text[at..at + 17 + 64].to_string();
    let mut phone = Visitor::new(&s);
    let page = phone.get(&link).await.text();
    assert!(page.contains("id=\"resume-form\""), "{page}");
    let r = phone.post(&link, &[]).await;
    assert!(location(&r).ends_with("/moves/in/6"), "{}", location(&r));
    let page = phone.get("/moves/in/6").await.text();
    assert!(
        page.contains("NL91 ABNA 0417 1643 00"),
        "the typed IBAN kept: {page}"
    );
    // Used once: refused, also for a second browser; the old browser's key is spent.
    let mut third = Visitor::new(&s);
    assert!(
        third
            .get(&link)
            .await
            .text()
            .contains("id=\"resume-invalid\"")
    );
    assert!(
        third
            .post(&link, &[])
            .await
            .text()
            .contains("id=\"resume-invalid\"")
    );
    assert!(location(&v.get("/moves/in/3").await).ends_with("/moves/in"));
    assert!(
        v.get("/moves/in")
            .await
            .text()
            .contains("id=\"field-postcode\"")
    );
    // Step 6 passes, step 7 shows the products and the proposed advance.
    let r = step(
        &mut phone,
        6,
        &[
            ("payment", "direct_debit"),
            ("iban", "NL91ABNA0417164300"),
            ("account_holder", "E. de Vries"),
            ("mandate", "on"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let page = phone.get("/moves/in/7").await.text();
    assert!(
        page.contains("Warmte, Warm tapwater") && page.contains("85,00"),
        "{page}"
    );
    let r = step(&mut phone, 7, &[]).await;
    refused(&r, "terms", "Kastanjelaan 12 A");
    assert!(events(&s, "moves.move_in").await.is_empty());
    let r = step(&mut phone, 7, &[("terms", "on")]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(location(&r).ends_with("/moves/in/done"));
    assert!(
        phone
            .get("/moves/in/done")
            .await
            .text()
            .contains("id=\"move-in-done\"")
    );
    // Exactly one event and one mail; the draft is gone.
    let ev = events(&s, "moves.move_in").await;
    assert_eq!(ev.len(), 1);
    let payload: serde_json::Value = match &ev[0]["payload"] {
        serde_json::Value::String(t) => serde_json::from_str(t).unwrap(),
        other => other.clone(),
    };
    assert_eq!(payload["address_external_id"], "A1", "{payload}");
    assert_eq!(payload["start_readings"]["WM-1|heat"], "121,25");
    assert_eq!(payload["iban"], "NL91ABNA0417164300");
    assert_eq!(s.mails("moves.move_in_received").await.len(), 1);
    let r = step(&mut phone, 7, &[("terms", "on")]).await;
    assert!(
        location(&r).ends_with("/moves/in"),
        "a second send makes nothing"
    );
    assert_eq!(events(&s, "moves.move_in").await.len(), 1);
    let id = payload["request_id"].as_i64().unwrap();
    // Read by id: not by the resident, not anonymously; staff and the back-office do.
    let path = format!("/staff/moves/move-ins/{id}");
    assert_eq!(phone.get(&path).await.status, 303);
    let (st, m) = s
        .api(
            Method::GET,
            &format!("/api/admin/v1/moves/move-ins/{id}"),
            None,
        )
        .await;
    assert_eq!(st, 200, "{m}");
    assert_eq!(m["status"], "new");
    assert_eq!(m["email"], "eva@example.nl");
    let (mut staff, _) = Visitor::staff(&s, "desk@acme.nl", StaffRole::Support).await;
    let list = staff.get("/staff/requests").await.text();
    assert!(list.contains(&path), "{list}");
    let page = staff.get(&path).await.text();
    assert!(
        page.contains("Eva de Vries") && page.contains("121,25") && page.contains("meter.png"),
        "{page}"
    );
    let doc = staff.get(&format!("{path}/document")).await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.body, png);
    // Waiting with a message: the resident is mailed.
    let r = staff
        .post(
            &path,
            &[
                ("status", "waiting"),
                ("message", "Wilt u een foto van de watermeter sturen?"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let mails = s.mails("moves.request_status").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_address, "eva@example.nl");
    assert!(mails[0].body_text.contains("watermeter"));
    // The back-office makes the customer and links it: processed.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/customers",
            Some(json!({"customers": [{"external_id": "K9", "number": "9001", "name": "Eva de Vries"}]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let (st, _) = s
        .api(
            Method::PUT,
            &format!("/api/admin/v1/moves/move-ins/{id}/customer"),
            Some(json!({"customer_external_id": "K9"})),
        )
        .await;
    assert_eq!(st, 204);
    let page = staff.get(&path).await.text();
    assert!(page.contains("9001") && page.contains("Verwerkt"), "{page}");
    // Another tenant's move-in is out of reach by id.
    let state = s.portal.state();
    let other = s.other_tenant().await;
    let now = chrono::Utc::now();
    let mut tx = state.db.begin().await.unwrap();
    let foreign = tx
        .insert_returning_id(
            &other
                .insert("moves_move_ins")
                .set("address_label", "Elders 1")
                .set("moving_on", today)
                .set("name", "Iemand")
                .set("email", "iemand@example.nl")
                .set("lang", "nl")
                .set("address_form", "formal")
                .set("data_json", "{}")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        staff
            .get(&format!("/staff/moves/move-ins/{foreign}"))
            .await
            .status,
        404
    );
    let (st, _) = s
        .api(
            Method::GET,
            &format!("/api/admin/v1/moves/move-ins/{foreign}"),
            None,
        )
        .await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn move_in_sqlite() {
    move_in(false).await;
}

#[tokio::test]
async fn move_in_postgres() {
    move_in(true).await;
}

/// The look-up limit refuses the 21st look-up from one client address
/// within the hour (a person needs a few); an expired resume link and an expired
/// draft are refused, and housekeeping deletes expired drafts.
async fn limits_and_expiry(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    addresses(&s).await;
    let state = s.portal.state();
    let scope = s.scope().await;
    // A person: found at once.
    let mut v = Visitor::new(&s);
    let r = step(
        &mut v,
        1,
        &[
            ("postcode", "1234 AB"),
            ("house_number", "12"),
            ("addition", "A"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    // An expired resume link.
    let r = step(
        &mut v,
        2,
        &[("go", "resume"), ("resume_email", "eva@example.nl")],
    )
    .await;
    assert!(r.text().contains("id=\"resume-sent\""), "{}", r.text());
    let text = s.mails("moves.move_in_resume").await[0].body_text.clone();
    let at = text.find("/moves/in/resume/").unwrap();
    let link = text[at..at + 17 + 64].to_string();
    state
        .db
        .execute(
            &scope
                .update("moves_drafts")
                .value(
                    "resume_expires_at",
                    chrono::Utc::now() - chrono::Duration::minutes(1),
                )
                .to_owned(),
        )
        .await
        .unwrap();
    let mut other = Visitor::new(&s);
    assert!(
        other
            .post(&link, &[])
            .await
            .text()
            .contains("id=\"resume-invalid\"")
    );
    // An expired draft: the wizard starts over, housekeeping deletes it.
    state
        .db
        .execute(
            &scope
                .update("moves_drafts")
                .value(
                    "expires_at",
                    chrono::Utc::now() - chrono::Duration::minutes(1),
                )
                .to_owned(),
        )
        .await
        .unwrap();
    let page = v.get("/moves/in").await.text();
    assert!(page.contains("id=\"field-postcode\""), "{page}");
    assert_eq!(
        portal_moves::draft::delete_expired(&state.db)
            .await
            .unwrap(),
        1
    );
    // A bot trying addresses: 20 look-ups, then refused (also a known one).
    let mut bot = Visitor::new(&s);
    for n in 100..119 {
        // With the person's look-up: 20.
        let r = step(
            &mut bot,
            1,
            &[("postcode", "1234 AB"), ("house_number", &n.to_string())],
        )
        .await;
        assert!(r.text().contains("id=\"unknown-address\""), "look-up {n}");
    }
    let r = step(
        &mut bot,
        1,
        &[
            ("postcode", "1234 AB"),
            ("house_number", "12"),
            ("addition", "A"),
        ],
    )
    .await;
    refused(&r, "postcode", "1234 AB");
    assert!(r.text().contains("te veel aanvragen"), "{}", r.text());
}

#[tokio::test]
async fn limits_and_expiry_sqlite() {
    limits_and_expiry(false).await;
}

#[tokio::test]
async fn limits_and_expiry_postgres() {
    limits_and_expiry(true).await;
}
