//! Ticket numbers per tenant and the back-office's new ticket for a
//! customer, on SQLite and PostgreSQL: each tenant counts its own tickets
//! from 1 whichever way they are opened (the portal, the staff pages, the
//! API), the number (not the row id) is what the pages and mails show, and
//! concurrent tickets never share a number. The API opens a ticket for a
//! customer of its own tenant only, refuses bad input by field and keeps
//! nothing of it (no number used up), and the contact person is mailed
//! and finds the ticket in their list.

use poem::Body;
use poem::http::Method;
use portal_core::auth::activity;
use portal_core::staff::StaffRole;
use serde_json::{Value, json};

use crate::support::{Setup, Visitor, fill_people, id_after, multipart, setup};

/// A back-office call on another tenant's host with its token.
async fn api_at(
    s: &Setup,
    host: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = s
        .client
        .request(method, path)
        .header("host", host)
        .header("authorization", format!("Bearer {token}"));
    if let Some(b) = body {
        r = r.content_type("application/json").body(b.to_string());
    }
    let resp = r.send().await.0;
    let status = resp.status().as_u16();
    let text = resp.into_body().into_string().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A second tenant `beta` with tickets on, customer B1 (number 1001, like
/// acme's K1) with contact person B1-A; returns its API token.
async fn beta(s: &Setup) -> String {
    let token = crate::support::tenant_with_tickets(s, "beta").await;
    let (st, r) = api_at(
        s,
        "beta.localhost",
        &token,
        Method::POST,
        "/api/admin/v1/sync/customers",
        Some(json!({"customers": [
            {"external_id": "B1", "number": "3001", "name": "Beta Bouw"}
        ]})),
    )
    .await;
    assert_eq!(st, 200, "{r}");
    let (st, r) = api_at(
        s,
        "beta.localhost",
        &token,
        Method::POST,
        "/api/admin/v1/sync/accounts",
        Some(json!({"accounts": [
            {"external_id": "B1-A", "customer_external_id": "B1", "email": "bea@bouw.nl", "roles": ["admin"], "main": true}
        ]})),
    )
    .await;
    assert_eq!(st, 200, "{r}");
    token
}

/// A new ticket for B1 through beta's back-office; its (id, number).
async fn beta_ticket(s: &Setup, token: &str, subject: &str) -> (i64, i64) {
    let (st, r) = api_at(
        s,
        "beta.localhost",
        token,
        Method::POST,
        "/api/admin/v1/tickets",
        Some(
            json!({"customer_external_id": "B1", "contact_external_id": "B1-A",
            "kind": "question", "category": "Techniek", "subject": subject,
            "author": "Beta Support", "body": "Zoals besproken."}),
        ),
    )
    .await;
    assert_eq!(st, 201, "{r}");
    (r["id"].as_i64().unwrap(), r["number"].as_i64().unwrap())
}

fn customer_form(subject: &str) -> Body {
    Body::from(multipart(
        &[
            ("kind", "bug"),
            ("category", "Techniek"),
            ("subject", subject),
            ("description", "Het scherm blijft wit."),
        ],
        &[],
    ))
}

/// A page's text without Fluent's isolation marks around placeholders.
fn plain(page: &str) -> String {
    page.replace(['\u{2068}', '\u{2069}'], "")
}

async fn numbers_per_tenant(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let beta_token = beta(&s).await;
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;

    // Beta's first ticket comes first, so acme's ids and numbers differ.
    let (beta_1, n) = beta_ticket(&s, &beta_token, "Eerste van Beta").await;
    assert_eq!(n, 1, "beta's first ticket");
    let first = id_after(
        &jan.post_multipart("/tickets/new", customer_form("Eerste van Acme"))
            .await,
        "/tickets/",
    );
    assert_ne!(first, 1, "a row id, not the number");
    let second = id_after(
        &jan.post_multipart("/tickets/new", customer_form("Tweede van Acme"))
            .await,
        "/tickets/",
    );
    let (beta_2, n) = beta_ticket(&s, &beta_token, "Tweede van Beta").await;
    assert_eq!(n, 2, "beta's second ticket");
    assert!(beta_1 < first && second < beta_2, "ids interleave");

    // The customer sees the numbers 1 and 2: the notice, the details, the list.
    let page = plain(&jan.get(&format!("/tickets/{first}?created=1")).await.text());
    assert!(
        page.contains("Uw ticket is ingestuurd met nummer 1."),
        "{page}"
    );
    assert!(page.contains("id=\"ticket-number\">1<"), "{page}");
    let page = plain(
        &jan.get(&format!("/tickets/{second}?created=1"))
            .await
            .text(),
    );
    assert!(
        page.contains("Uw ticket is ingestuurd met nummer 2."),
        "{page}"
    );
    assert!(page.contains("id=\"ticket-number\">2<"), "{page}");
    let list = jan.get("/tickets").await.text();
    for (id, number) in [(first, 1), (second, 2)] {
        assert!(
            list.contains(&format!("href=\"/tickets/{id}\">{number}</a>")),
            "{list}"
        );
    }
    // The notice after "sent" only for a ticket the user may see, by its number.
    assert!(
        plain(&jan.get(&format!("/tickets?done={second}")).await.text())
            .contains("Ticket 2 is ingestuurd.")
    );
    assert!(
        !jan.get(&format!("/tickets?done={beta_1}"))
            .await
            .text()
            .contains("id=\"tickets-done\""),
        "another tenant's ticket confirms nothing"
    );

    // The mails carry the number: the confirmation, support's reply.
    let received = s.mails("tickets.received").await;
    let subjects: Vec<&str> = received.iter().map(|m| m.subject.as_str()).collect();
    assert!(
        subjects.contains(&"Uw ticket 1 is ontvangen: Eerste van Acme")
            && subjects.contains(&"Uw ticket 2 is ontvangen: Tweede van Acme"),
        "{subjects:?}"
    );
    assert!(
        received
            .iter()
            .any(|m| m.body_text.contains("onder nummer 1.")),
        "{:?}",
        received.iter().map(|m| &m.body_text).collect::<Vec<_>>()
    );
    let (st, r) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{first}/replies"),
            Some(json!({"author": "Acme Support", "body": "Welke versie?", "status": "waiting"})),
        )
        .await;
    assert_eq!(st, 201, "{r}");
    let waiting = s.mails("tickets.waiting").await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].subject, "Wij wachten op uw reactie: ticket 1");
    assert!(
        waiting[0].body_text.contains("(nummer 1)"),
        "{}",
        waiting[0].body_text
    );

    // The API shows both: the id for its paths, the number for people.
    let (st, detail) = s
        .api(Method::GET, &format!("/api/admin/v1/tickets/{first}"), None)
        .await;
    assert_eq!(st, 200);
    assert_eq!(detail["ticket"]["id"], first);
    assert_eq!(detail["ticket"]["number"], 1);
    let (_, list) = s.api(Method::GET, "/api/admin/v1/tickets", None).await;
    let numbers: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2], "acme's own, not beta's");

    // Support's pages show the number; the inbox finds a ticket by it.
    let (mut sup, _) = Visitor::staff(&s, "sanne@acme.nl", StaffRole::Support).await;
    let page = sup.get(&format!("/staff/tickets/{second}")).await.text();
    assert!(page.contains("id=\"ticket-number\">2<"), "{page}");
    let inbox = sup.get("/staff/tickets?q=%232").await.text();
    assert!(
        inbox.contains("Tweede van Acme") && !inbox.contains("Eerste van Acme"),
        "{inbox}"
    );
    // A ticket support opens on the staff pages takes the next number.
    let k1 = portal_core::auth::accounts::customer_by_number(
        &s.portal.state().db,
        s.scope().await,
        "1001",
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let token = sup.csrf_token().await;
    let fields = [
        ("customer", k1.to_string()),
        ("account", String::new()),
        ("kind", "question".to_string()),
        ("category", "Financieel".to_string()),
        ("subject", "Telefoontje".to_string()),
        ("description", "Zoals besproken.".to_string()),
        ("status", "in_progress".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = sup
        .post_multipart(
            &format!("/staff/tickets/new?_csrf={token}"),
            Body::from(multipart(&fields, &[])),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let at = r.headers["location"].to_str().unwrap();
    let opened: i64 = at
        .strip_prefix("/staff/tickets/")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, detail) = s
        .api(
            Method::GET,
            &format!("/api/admin/v1/tickets/{opened}"),
            None,
        )
        .await;
    assert_eq!(detail["ticket"]["number"], 3, "{detail}");
    // Beta goes on from its own counter.
    let (_, n) = beta_ticket(&s, &beta_token, "Derde van Beta").await;
    assert_eq!(n, 3);

    // Tickets opened at the same time get distinct numbers, one after another.
    let state = s.portal.state();
    let tenant = s.tenant().await;
    let deps = state.deps();
    let opening = portal_tickets::write::Opening {
        customer_id: k1,
        account_id: None,
        by: portal_tickets::write::Author::Support("Acme Support"),
        status: "in_progress",
    };
    let t = portal_tickets::write::NewTicket {
        kind: "question",
        category: "Techniek",
        subject: "Tegelijk",
        description: "Tegelijk geopend.",
    };
    let all = futures_util::future::join_all(
        (0..12).map(|_| portal_tickets::write::open_for(&deps, &tenant, &opening, &t, Vec::new())),
    )
    .await;
    let mut numbers: Vec<i64> = all.into_iter().map(|r| r.unwrap().number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (4..16).collect::<Vec<i64>>());
}

async fn api_opens_for_a_customer(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let beta_token = beta(&s).await;
    let state = s.portal.state();
    let scope = s.scope().await;
    let open = |body: Value| {
        let s = &s;
        async move {
            s.api(Method::POST, "/api/admin/v1/tickets", Some(body))
                .await
        }
    };

    // For K1's employee Piet, by external ids; the default status waits for him.
    let (st, r) = open(
        json!({"customer_external_id": "K1", "contact_external_id": "A2",
        "kind": "question", "category": "Financieel", "subject": "Uw vraag over de factuur",
        "author": "Acme Support", "body": "Zoals besproken: de creditnota volgt."}),
    )
    .await;
    assert_eq!(st, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["number"], 1, "{r}");
    let (st, detail) = s
        .api(Method::GET, &format!("/api/admin/v1/tickets/{id}"), None)
        .await;
    assert_eq!(st, 200);
    assert_eq!(detail["ticket"]["number"], 1);
    assert_eq!(detail["ticket"]["status"], "waiting");
    assert_eq!(detail["messages"][0]["from_support"], true);
    assert_eq!(detail["messages"][0]["support_name"], "Acme Support");
    // Piet is mailed as for a support reply, and finds it in his own list.
    let waiting = s.mails("tickets.waiting").await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].to_address, "piet@bakkerij.nl");
    assert_eq!(waiting[0].subject, "Wij wachten op uw reactie: ticket 1");
    let mut piet = Visitor::login(&s, "piet@bakkerij.nl").await;
    let list = piet.get("/tickets").await.text();
    assert!(
        list.contains("Uw vraag over de factuur")
            && list.contains(&format!("href=\"/tickets/{id}\">1</a>")),
        "{list}"
    );
    let page = piet.get(&format!("/tickets/{id}")).await.text();
    assert!(
        page.contains("de creditnota volgt") && page.contains("Wacht op uw reactie"),
        "{page}"
    );
    assert!(
        piet.get("/tickets?list=waiting")
            .await
            .text()
            .contains("Uw vraag over de factuur")
    );

    // By customer number and e-mail (any case), with a status and a file.
    let (st, r) = open(
        json!({"customer_number": "1001", "contact_email": "JAN@bakkerij.nl",
        "kind": "bug", "category": "Techniek", "subject": "Storing van vanochtend",
        "author": "Acme Support", "body": "De storing is verholpen.", "status": "in_progress",
        "attachments": [{"name": "log.txt", "content": "cmVnZWwgMQo="}]}),
    )
    .await;
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["number"], 2);
    let jan_id = r["id"].as_i64().unwrap();
    let replied = s.mails("tickets.replied").await;
    assert!(
        replied
            .iter()
            .any(|m| m.to_address == "jan@bakkerij.nl" && m.subject.contains("ticket 2")),
        "{:?}",
        replied.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    let page = jan.get(&format!("/tickets/{jan_id}")).await.text();
    assert!(
        page.contains("log.txt") && page.contains("In behandeling"),
        "{page}"
    );
    // For the organisation only (no contact person): nobody is mailed, the admin sees it.
    let mails_before =
        s.mails("tickets.replied").await.len() + s.mails("tickets.waiting").await.len();
    let (st, r) = open(json!({"customer_external_id": "K1", "kind": "improvement",
        "category": "Techniek", "subject": "Voorstel uit het gesprek",
        "author": "Acme Support", "body": "Wij nemen het mee."}))
    .await;
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["number"], 3);
    assert_eq!(
        s.mails("tickets.replied").await.len() + s.mails("tickets.waiting").await.len(),
        mails_before
    );
    assert!(
        jan.get("/tickets?list=all")
            .await
            .text()
            .contains("Voorstel uit het gesprek")
    );
    // The back-office hears of it like of any new ticket; the log has it.
    let (_, events) = s.api(Method::GET, "/api/admin/v1/events", None).await;
    assert!(
        events.as_array().unwrap().iter().any(|e| {
            let p: Value = serde_json::from_str(e["payload"].as_str().unwrap()).unwrap();
            e["kind"] == "tickets.created"
                && p["ticket_number"] == 3
                && p["by_support"] == true
                && p["created_by"] == "Acme Support"
        }),
        "{events}"
    );
    let k1 = portal_core::auth::accounts::customer_by_number(&state.db, scope, "1001")
        .await
        .unwrap()
        .unwrap()
        .id;
    let log = activity::for_customer(&state.db, scope, k1, 50)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "tickets.opened" && e.actor == "api_key"),
        "{log:?}"
    );

    // Another tenant's customer is not found, either way round.
    let good = json!({"kind": "question", "category": "Techniek", "subject": "Elders",
        "author": "Acme Support", "body": "x"});
    let with = |extra: Value| {
        let mut b = good.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (st, r) = open(with(json!({"customer_external_id": "B1"}))).await;
    assert_eq!(st, 404, "{r}");
    let (st, r) = open(with(json!({"customer_number": "3001"}))).await;
    assert_eq!(st, 404, "{r}");
    let (st, r) = api_at(
        &s,
        "beta.localhost",
        &beta_token,
        Method::POST,
        "/api/admin/v1/tickets",
        Some(with(json!({"customer_external_id": "K1"}))),
    )
    .await;
    assert_eq!(st, 404, "{r}");

    // Bad input: 400 or 422 naming the field, nothing stored, no number used up.
    for (extra, field) in [
        (json!({}), "customer_external_id"),
        (
            json!({"customer_external_id": "K1", "customer_number": "1001"}),
            "customer_external_id",
        ),
        (
            json!({"customer_external_id": "K1", "kind": "klacht"}),
            "kind",
        ),
        (
            json!({"customer_external_id": "K1", "category": "Onbekend"}),
            "category",
        ),
        (
            json!({"customer_external_id": "K1", "subject": "  "}),
            "subject",
        ),
        (json!({"customer_external_id": "K1", "body": ""}), "body"),
        (
            json!({"customer_external_id": "K1", "author": ""}),
            "author",
        ),
        (
            json!({"customer_external_id": "K1", "status": "closed"}),
            "status",
        ),
        (
            json!({"customer_external_id": "K1", "contact_email": "sanne@slagerij.nl"}),
            "contact_email",
        ),
        (
            json!({"customer_external_id": "K1", "contact_external_id": "B1-A"}),
            "contact_external_id",
        ),
        (
            json!({"customer_external_id": "K1",
                "attachments": [{"name": "rapport.pdf", "content": "PGh0bWw+PC9odG1sPg=="}]}),
            "attachments",
        ),
    ] {
        let (st, r) = open(with(extra.clone())).await;
        // A value the document's schema forbids (a kind or status not in
        // its pattern, an empty author) is refused before the handler
        // (400, the field named in the message); a rule beyond the
        // schema by the handler (422, the field named in `field`).
        let schema_rule = ["kind", "author", "status"].contains(&field);
        if schema_rule {
            assert_eq!(st, 400, "{extra}: {r}");
            assert!(
                r["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("`{field}`")),
                "{extra}: {r}"
            );
            continue;
        }
        assert_eq!(st, 422, "{extra}: {r}");
        let fields: Vec<&str> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(fields, [field], "{extra}: {r}");
    }
    let (st, r) = open(with(json!({"customer_external_id": "K3"}))).await;
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["number"], 4, "refused input used no number");
    let (_, list) = s.api(Method::GET, "/api/admin/v1/tickets", None).await;
    assert_eq!(list.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn numbers_per_tenant_sqlite() {
    numbers_per_tenant(false).await;
}

#[tokio::test]
async fn numbers_per_tenant_postgres() {
    numbers_per_tenant(true).await;
}

#[tokio::test]
async fn api_opens_for_a_customer_sqlite() {
    api_opens_for_a_customer(false).await;
}

#[tokio::test]
async fn api_opens_for_a_customer_postgres() {
    api_opens_for_a_customer(true).await;
}
