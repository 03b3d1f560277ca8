//! The module kit's promises through HTTP, on SQLite and PostgreSQL: a
//! page without its permission answers 404 in every module; a parent's
//! main account's customer switcher narrows what every module shows; and
//! the tickets review fixes (a reply cannot reopen a ticket closed
//! meanwhile, the waiting card counts what its link opens, bidi characters
//! leave file names, a form with too many fields is refused, the API's
//! `updated_since` cursor, no "more" link after a full last page, a
//! support reply's length limit).

use poem::Body;
use poem::http::Method;
use serde_json::{Value, json};

use crate::support::{Page, Setup, Visitor, fill_people, multipart, setup};

/// A new ticket's form, with files as (field, name, bytes).
fn new_ticket(subject: &str, files: &[(&str, &str, &[u8])]) -> Body {
    Body::from(multipart(
        &[
            ("kind", "bug"),
            ("category", "Techniek"),
            ("subject", subject),
            ("description", "Het scherm blijft wit."),
        ],
        files,
    ))
}

/// The ticket id from the redirect after a new ticket.
fn created_id(r: &Page) -> i64 {
    assert_eq!(r.status, 303, "{}", r.text());
    let at = r.headers["location"].to_str().unwrap();
    let rest = at.strip_prefix("/tickets/").unwrap();
    rest.split('?').next().unwrap().parse().unwrap()
}

async fn customer_id(s: &Setup, external: &str) -> i64 {
    let state = s.portal.state();
    let scope = s.scope().await;
    portal::access::sync_rows::customers_by_external_id(&state.db, scope, &[external.into()])
        .await
        .unwrap()[external]
}

async fn sync(s: &Setup, path: &str, body: Value) {
    let (st, r) = s.api(Method::POST, path, Some(body)).await;
    assert_eq!(st, 200, "{path}: {r}");
}

async fn switch_to(v: &mut Visitor<'_>, customer: i64) {
    let r = v
        .post(
            "/customer",
            &[("customer", &customer.to_string()), ("next", "/")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
}

/// What each module's page shows of the two customers' rows.
async fn shown(v: &mut Visitor<'_>) -> [(bool, bool); 3] {
    let inv = v.get("/invoices").await.text();
    let subs = v.get("/subscriptions").await.text();
    let tickets = v.get("/tickets?list=all").await.text();
    [
        (inv.contains("2026-K1-1"), inv.contains("2026-K2-1")),
        (
            subs.contains("Hosting hoofdzaak"),
            subs.contains("Hosting filiaal"),
        ),
        (
            tickets.contains("Melding hoofdzaak"),
            tickets.contains("Melding filiaal"),
        ),
    ]
}

async fn switcher_and_permissions(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    sync(
        &s,
        "/api/admin/v1/invoices/sync",
        json!({"invoices": [
            {"external_id": "I1", "customer_external_id": "K1", "number": "2026-K1-1",
             "issued_on": "2026-02-01", "total_cents": 1000, "status": "open"},
            {"external_id": "I2", "customer_external_id": "K2", "number": "2026-K2-1",
             "issued_on": "2026-02-02", "total_cents": 2000, "status": "open"}
        ]}),
    )
    .await;
    sync(
        &s,
        "/api/admin/v1/subscriptions/sync",
        json!({"subscriptions": [
            {"external_id": "S1", "customer_external_id": "K1", "name": "Hosting hoofdzaak", "period": "monthly"},
            {"external_id": "S2", "customer_external_id": "K2", "name": "Hosting filiaal", "period": "monthly"}
        ]}),
    )
    .await;
    let (k1, k2) = (customer_id(&s, "K1").await, customer_id(&s, "K2").await);

    // The parent's main account writes a ticket for each customer: a new
    // row belongs to the customer the switcher chose.
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    created_id(
        &jan.post_multipart("/tickets/new", new_ticket("Melding hoofdzaak", &[]))
            .await,
    );
    switch_to(&mut jan, k2).await;
    created_id(
        &jan.post_multipart("/tickets/new", new_ticket("Melding filiaal", &[]))
            .await,
    );

    assert_eq!(
        shown(&mut jan).await,
        [(false, true); 3],
        "the child chosen: only its rows, in every module"
    );
    switch_to(&mut jan, 0).await;
    assert_eq!(
        shown(&mut jan).await,
        [(true, true); 3],
        "all customers: both"
    );
    switch_to(&mut jan, k1).await;
    assert_eq!(
        shown(&mut jan).await,
        [(true, false); 3],
        "the own customer: only its rows"
    );
    // A customer the account does not see is ignored: the own one stays.
    switch_to(&mut jan, customer_id(&s, "K3").await).await;
    assert_eq!(shown(&mut jan).await, [(true, false); 3]);

    // An employee holds none of these permissions: 404 as for a page that
    // does not exist, in every module.
    let mut piet = Visitor::login(&s, "piet@bakkerij.nl").await;
    for path in [
        "/invoices",
        "/invoices/1",
        "/subscriptions",
        "/subscriptions/change",
        "/tickets?list=all",
    ] {
        assert_eq!(piet.get(path).await.status, 404, "{path}");
    }
    assert_eq!(piet.get("/tickets").await.status, 200, "own tickets");
    // Seed 001's employee+ sees all tickets, but no invoices or subscription.
    sync(
        &s,
        "/api/admin/v1/sync/accounts",
        json!({"accounts": [{"external_id": "A4", "customer_external_id": "K1",
            "email": "eva@bakkerij.nl", "roles": ["employee", "employee_plus"]}]}),
    )
    .await;
    crate::support::set_passwords(&s).await;
    let mut eva = Visitor::login(&s, "eva@bakkerij.nl").await;
    assert_eq!(eva.get("/tickets?list=all").await.status, 200);
    assert_eq!(eva.get("/invoices").await.status, 404);
    assert_eq!(eva.get("/subscriptions").await.status, 404);

    // No "more" link after a full last page: 20 invoices fill the first page.
    let twenty: Vec<Value> = (1..=20)
        .map(|n| {
            json!({"external_id": format!("S-{n}"), "customer_external_id": "K3",
            "number": format!("2026-S-{n:03}"), "issued_on": format!("2026-01-{n:02}"),
            "total_cents": 100, "status": "paid"})
        })
        .collect();
    sync(
        &s,
        "/api/admin/v1/invoices/sync",
        json!({ "invoices": twenty }),
    )
    .await;
    let mut sanne = Visitor::login(&s, "sanne@slagerij.nl").await;
    let page = sanne.get("/invoices").await.text();
    assert!(page.contains("2026-S-001") && page.contains("2026-S-020"));
    assert!(!page.contains("id=\"invoices-more\""), "a full last page");
    sync(
        &s,
        "/api/admin/v1/invoices/sync",
        json!({"invoices": [{"external_id": "S-21", "customer_external_id": "K3",
            "number": "2026-S-021", "issued_on": "2026-01-21", "total_cents": 100, "status": "paid"}]}),
    )
    .await;
    let page = sanne.get("/invoices").await.text();
    assert!(page.contains("id=\"invoices-more\""), "one more invoice");
}

#[tokio::test]
async fn switcher_and_permissions_sqlite() {
    switcher_and_permissions(false).await;
}

#[tokio::test]
async fn switcher_and_permissions_postgres() {
    switcher_and_permissions(true).await;
}

/// The count on the home page's card that links to `href`.
fn card_count(home: &str, href: &str) -> i64 {
    let at = home
        .find(&format!("href=\"{href}\""))
        .unwrap_or_else(|| panic!("no card for {href}: {home}"));
    let rest = &home[at..];
    let c = rest.find("card__count\">").unwrap() + 13;
    rest[c..c + rest[c..].find('<').unwrap()].parse().unwrap()
}

/// Tickets on a list page (each row links its ticket twice).
fn ticket_rows(page: &str) -> usize {
    page.match_indices("href=\"/tickets/")
        .filter_map(|(at, m)| {
            let rest = &page[at + m.len()..];
            let end = rest.find(|c: char| !c.is_ascii_digit())?;
            (end > 0 && rest[end..].starts_with('"')).then(|| rest[..end].to_string())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

async fn api_ticket(s: &Setup, id: i64) -> Value {
    let (st, r) = s
        .api(Method::GET, &format!("/api/admin/v1/tickets/{id}"), None)
        .await;
    assert_eq!(st, 200, "{r}");
    r
}

async fn set_status(s: &Setup, id: i64, status: &str) {
    let (st, r) = s
        .api(
            Method::PUT,
            &format!("/api/admin/v1/tickets/{id}/status"),
            Some(json!({ "status": status })),
        )
        .await;
    assert_eq!(st, 204, "{r}");
}

async fn tickets_review_fixes(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    let mut piet = Visitor::login(&s, "piet@bakkerij.nl").await;

    // A reply cannot reopen a ticket that support closed meanwhile.
    let t = created_id(
        &piet
            .post_multipart("/tickets/new", new_ticket("Later gesloten", &[]))
            .await,
    );
    assert!(
        piet.get(&format!("/tickets/{t}"))
            .await
            .text()
            .contains("name=\"body\"")
    );
    let (st, _) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{t}/close"),
            None,
        )
        .await;
    assert_eq!(st, 204);
    let r = piet
        .post_multipart(
            &format!("/tickets/{t}"),
            Body::from(multipart(&[("body", "Nog een vraag")], &[])),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text());
    let after = api_ticket(&s, t).await;
    assert_eq!(after["ticket"]["status"], "closed");
    assert_eq!(
        after["messages"].as_array().unwrap().len(),
        1,
        "the reply was not kept"
    );
    // The race itself: the reply read the ticket while it was still open
    // (a stale row), support's close committed first. The conditional
    // update in the reply's transaction refuses it and keeps nothing.
    let state = s.portal.state();
    let tenant = s.tenant().await;
    let mut stale = portal_tickets::store::by_id(&state.db, tenant.scope(), t)
        .await
        .unwrap()
        .unwrap();
    stale.status = "waiting".into();
    let author = stale.user_id.unwrap();
    let r = portal_tickets::write::reply(
        &state.deps(),
        &tenant,
        &stale,
        portal_tickets::write::Author::Customer(author, "piet@bakkerij.nl"),
        "Te laat",
        None,
        Vec::new(),
    )
    .await;
    assert!(
        matches!(r, Err(portal_tickets::write::WriteError::Closed)),
        "{r:?}"
    );
    let after = api_ticket(&s, t).await;
    assert_eq!(after["ticket"]["status"], "closed");
    assert_eq!(after["messages"].as_array().unwrap().len(), 1);

    // The waiting card counts what its link opens: the admin has its own
    // waiting ticket and sees a colleague's.
    let own = created_id(
        &jan.post_multipart("/tickets/new", new_ticket("Wacht op Jan", &[]))
            .await,
    );
    let colleague = created_id(
        &piet
            .post_multipart("/tickets/new", new_ticket("Wacht op Piet", &[]))
            .await,
    );
    set_status(&s, own, "waiting").await;
    set_status(&s, colleague, "waiting").await;
    let home = jan.get("/").await.text();
    let count = card_count(&home, "/tickets?list=waiting");
    let list = jan.get("/tickets?list=waiting").await.text();
    assert_eq!(
        usize::try_from(count).unwrap(),
        ticket_rows(&list),
        "{list}"
    );
    assert!(count >= 1);

    // Unicode bidi and format characters leave file names.
    let t2 = created_id(
        &piet
            .post_multipart(
                "/tickets/new",
                new_ticket(
                    "Bestand",
                    &[("files", "log\u{202E}txt.exe\u{200B}.txt", b"regel\n")],
                ),
            )
            .await,
    );
    let names: Vec<String> = api_ticket(&s, t2).await["messages"][0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["logtxt.exe.txt"]);

    // A form with more text fields than any page sends is refused with a
    // message, and keeps nothing.
    let before = ticket_rows(&piet.get("/tickets").await.text());
    let mut fields: Vec<(String, String)> = [
        ("kind", "bug"),
        ("category", "Techniek"),
        ("subject", "Velden"),
        ("description", "Te veel"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    fields.extend((0..40).map(|n| (format!("x{n}"), "y".to_string())));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = piet
        .post_multipart("/tickets/new", Body::from(multipart(&refs, &[])))
        .await;
    assert_eq!(r.status, 200);
    let body = r.text();
    assert!(
        body.contains("32\u{2069} velden; verstuur het vanaf de pagina zelf")
            && body.contains("value=\"Velden\""),
        "{body}"
    );
    assert_eq!(ticket_rows(&piet.get("/tickets").await.text()), before);

    // The API's cursor over changes: nothing changed after the last row;
    // a customer's reply brings its ticket back once.
    let (st, all) = s
        .api(
            Method::GET,
            "/api/admin/v1/tickets?updated_since=2000-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(st, 200, "{all}");
    let last = all.as_array().unwrap().last().unwrap().clone();
    let cursor = format!(
        "/api/admin/v1/tickets?updated_since={}&after_id={}",
        last["updated_at"].as_str().unwrap().replace('+', "%2B"),
        last["id"]
    );
    let (_, none) = s.api(Method::GET, &cursor, None).await;
    assert_eq!(none, json!([]), "nothing changed since the last row");
    let r = piet
        .post_multipart(
            &format!("/tickets/{colleague}"),
            Body::from(multipart(&[("body", "Hier is het antwoord")], &[])),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let (_, changed) = s.api(Method::GET, &cursor, None).await;
    let ids: Vec<i64> = changed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [colleague]);
    assert_eq!(
        changed[0]["status"], "in_progress",
        "waiting -> in progress"
    );

    // A support reply has a length limit, as the customer's has.
    let (st, r) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{colleague}/replies"),
            Some(json!({"author": "Support", "body": "x".repeat(20_001)})),
        )
        .await;
    assert_eq!(st, 400, "{r}");

    // No "more" link after a full last page (25 tickets), one after 26.
    let mine = ticket_rows(&piet.get("/tickets").await.text());
    for n in mine..25 {
        created_id(
            &piet
                .post_multipart("/tickets/new", new_ticket(&format!("Vulling {n}"), &[]))
                .await,
        );
    }
    let page = piet.get("/tickets").await.text();
    assert_eq!(ticket_rows(&page), 25);
    assert!(!page.contains("id=\"tickets-more\""), "a full last page");
    created_id(
        &piet
            .post_multipart("/tickets/new", new_ticket("Nummer 26", &[]))
            .await,
    );
    let page = piet.get("/tickets").await.text();
    assert!(page.contains("id=\"tickets-more\""));
}

#[tokio::test]
async fn tickets_review_fixes_sqlite() {
    tickets_review_fixes(false).await;
}

#[tokio::test]
async fn tickets_review_fixes_postgres() {
    tickets_review_fixes(true).await;
}
