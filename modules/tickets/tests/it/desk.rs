//! The support desk on the staff pages, on both databases: a customer's
//! ticket reaches the support address; support finds it in the inbox
//! (filters, search, counts), adds an internal note with a file, replies
//! with a file and sets "waiting"; the customer sees the reply but never
//! the note (page, download, mail); the customer's reply mails support and
//! the assignee; support closes it, opens a ticket for a customer, and
//! every action is in the activity log. Roles without the desk get 404,
//! and staff of another tenant reach nothing.

use poem::Body;
use portal_core::auth::activity;
use portal_core::staff::StaffRole;
use portal_core::tenant::repo::{self, TenantPatch};

use crate::support::{PNG, Page, Setup, Visitor, fill_people, id_after, multipart, setup};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

async fn answer(
    v: &mut Visitor<'_>,
    id: i64,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Page {
    let token = v.csrf_token().await;
    v.post_multipart(
        &format!("/staff/tickets/{id}?_csrf={token}"),
        Body::from(multipart(fields, files)),
    )
    .await
}

async fn support_address(s: &Setup) {
    let patch = TenantPatch {
        support_email: Some("support@acme.nl".into()),
        ..TenantPatch::default()
    };
    let state = s.portal.state();
    let themes = state.renderer.themes().to_vec();
    repo::update(&state.db, s.scope().await, &patch, &themes)
        .await
        .unwrap();
}

async fn desk_end_to_end(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    support_address(&s).await;
    // The customer sends a ticket with a file: the support address is mailed.
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    let token = jan.csrf_token().await;
    let body = multipart(
        &[
            ("kind", "bug"),
            ("category", "Techniek"),
            ("subject", "Printer geeft foutmelding"),
            ("description", "Foutcode E-42 bij elke bon."),
        ],
        &[("files", "foto.png", PNG)],
    );
    let r = jan
        .post_multipart(&format!("/tickets/new?_csrf={token}"), Body::from(body))
        .await;
    let id = id_after(&r, "/tickets/");
    // The customer gets a confirmation with the ticket's number (the
    // tenant's first), which the staff link does not use (it has the id).
    let received = s.mails("tickets.received").await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to_address, "jan@bakkerij.nl");
    assert!(
        received[0].subject.starts_with("Uw ticket 1 "),
        "{}",
        received[0].subject
    );
    let notices = s.mails("tickets.support").await;
    assert_eq!(notices.len(), 1, "one notice");
    assert_eq!(notices[0].to_address, "support@acme.nl");
    assert!(
        notices[0].subject.contains("Bakkerij Jansen"),
        "{}",
        notices[0].subject
    );
    assert!(
        notices[0]
            .body_text
            .contains(&format!("/staff/tickets/{id}")),
        "{}",
        notices[0].body_text
    );

    // Support finds it: the navigation counts it, the inbox filters and searches.
    let (mut sup, sup_id) = Visitor::staff(&s, "sanne@acme.nl", StaffRole::Support).await;
    let home = sup.get("/staff").await.text();
    assert!(
        home.contains("href=\"/staff/tickets\"") && home.contains("staff-nav__count\">1<"),
        "{home}"
    );
    let inbox = sup.get("/staff/tickets").await.text();
    assert!(
        inbox.contains("Printer geeft foutmelding") && inbox.contains("Bakkerij Jansen"),
        "{inbox}"
    );
    for (query, found) in [
        ("q=E-42", true),
        ("q=e-42", true),
        ("q=onbekend", false),
        ("kind=question", false),
        ("kind=bug&category=Techniek", true),
        ("status=closed", false),
        ("status=submitted", true),
        ("assigned=nobody", true),
        ("assigned=me", false),
        ("order=oldest", true),
        ("q=Printer%25fout", false),
    ] {
        let page = sup.get(&format!("/staff/tickets?{query}")).await;
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(
            page.text().contains("Printer geeft foutmelding"),
            found,
            "{query}"
        );
    }

    // Assign to a colleague (mailed), then to oneself.
    let (mut colleague, colleague_id) =
        Visitor::staff(&s, "piet@acme.nl", StaffRole::Support).await;
    let r = sup
        .post(
            &format!("/staff/tickets/{id}/assign"),
            &[("staff", &colleague_id.to_string())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let assigned = s.mails("tickets.support").await;
    assert!(
        assigned.iter().any(|m| m.to_address == "piet@acme.nl"),
        "the assignee is mailed"
    );
    // An editor cannot be assigned (and an id of nobody is refused).
    let (mut editor, editor_id) = Visitor::staff(&s, "redactie@acme.nl", StaffRole::Editor).await;
    let r = sup
        .post(
            &format!("/staff/tickets/{id}/assign"),
            &[("staff", &editor_id.to_string())],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text());
    sup.post(
        &format!("/staff/tickets/{id}/assign"),
        &[("staff", &sup_id.to_string())],
    )
    .await;

    // An internal note with a file, then a reply with a file and "waiting".
    let r = answer(
        &mut sup,
        id,
        &[
            ("body", "Klant belt morgen terug; zie log."),
            ("kind", "note"),
        ],
        &[("files", "intern.pdf", PDF)],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // Bad input keeps the text: an empty reply, a fake file.
    let r = answer(
        &mut sup,
        id,
        &[("body", ""), ("kind", "reply"), ("status", "waiting")],
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"error-reply\""));
    let r = answer(
        &mut sup,
        id,
        &[
            ("body", "Zie bijlage"),
            ("kind", "reply"),
            ("status", "waiting"),
        ],
        &[("files", "handleiding.pdf", b"<html>nee</html>")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("id=\"error-reply\"") && r.text().contains("Zie bijlage"),
        "{}",
        r.text()
    );
    let r = answer(
        &mut sup,
        id,
        &[
            ("body", "Probeer de handleiding, stap 3."),
            ("kind", "reply"),
            ("status", "waiting"),
        ],
        &[("files", "handleiding.pdf", PDF)],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = sup.get(&format!("/staff/tickets/{id}")).await.text();
    assert!(
        page.contains("message--internal")
            && page.contains("intern.pdf")
            && page.contains("handleiding.pdf"),
        "{page}"
    );
    let waiting = s.mails("tickets.waiting").await;
    assert_eq!(waiting.len(), 1);
    assert!(
        !waiting[0].body_text.contains("Klant belt morgen"),
        "the note is not in the mail"
    );

    // The customer sees the reply and its file, never the note or its file.
    let page = jan.get(&format!("/tickets/{id}")).await.text();
    assert!(
        page.contains("Probeer de handleiding") && page.contains("handleiding.pdf"),
        "{page}"
    );
    assert!(
        !page.contains("Klant belt morgen") && !page.contains("intern.pdf"),
        "{page}"
    );
    let state = s.portal.state();
    let scope = s.scope().await;
    let files = portal_tickets::store::attachments(
        &state.db,
        scope,
        id,
        portal_tickets::store::Audience::Support,
    )
    .await
    .unwrap();
    let note_file = files.iter().find(|f| f.name == "intern.pdf").unwrap();
    assert!(note_file.internal);
    assert_eq!(
        jan.get(&format!("/tickets/{id}/files/{}", note_file.id))
            .await
            .status,
        404
    );
    let staff_dl = sup
        .get(&format!("/staff/tickets/{id}/files/{}", note_file.id))
        .await;
    assert_eq!(staff_dl.status, 200);
    assert_eq!(staff_dl.body, PDF);
    // The back-office API sees the note, marked internal.
    let (st, detail) = s
        .api(
            poem::http::Method::GET,
            &format!("/api/admin/v1/tickets/{id}"),
            None,
        )
        .await;
    assert_eq!(st, 200);
    assert!(
        detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["internal"] == true)
    );

    // The customer replies: support's address and the assignee are mailed.
    let before = s.mails("tickets.support").await.len();
    let token = jan.csrf_token().await;
    let r = jan
        .post_multipart(
            &format!("/tickets/{id}?_csrf={token}"),
            Body::from(multipart(&[("body", "Stap 3 helpt niet.")], &[])),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let after = s.mails("tickets.support").await;
    let new: Vec<_> = after.iter().take(after.len() - before).collect();
    let to: Vec<&str> = new.iter().map(|m| m.to_address.as_str()).collect();
    assert!(
        to.contains(&"support@acme.nl") && to.contains(&"sanne@acme.nl"),
        "{to:?}"
    );

    // Support closes it; the customer can no longer reply.
    let r = sup
        .post(
            &format!("/staff/tickets/{id}/status"),
            &[("status", "closed")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        jan.get(&format!("/tickets/{id}"))
            .await
            .text()
            .contains("id=\"ticket-closed\"")
    );
    let r = sup
        .post(&format!("/staff/tickets/{id}/status"), &[("status", "weg")])
        .await;
    assert_eq!(r.status, 200, "an unknown status is refused");

    // Support opens a ticket for a customer's contact person.
    let k1 = customer_id(&s, "1001").await;
    let form = sup
        .get(&format!("/staff/tickets/new?customer={k1}"))
        .await
        .text();
    assert!(form.contains("jan@bakkerij.nl"), "{form}");
    let jan_id = portal_core::auth::accounts::list(&state.db, scope, Some(k1))
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == "jan@bakkerij.nl")
        .unwrap()
        .id;
    let token = sup.csrf_token().await;
    let fields = [
        ("customer", k1.to_string()),
        ("account", jan_id.to_string()),
        ("kind", "question".into()),
        ("category", "Financieel".into()),
        ("subject", "Uw vraag van de telefoon".into()),
        ("description", "Zoals besproken: de factuur volgt.".into()),
        ("status", "waiting".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = sup
        .post_multipart(
            &format!("/staff/tickets/new?_csrf={token}"),
            Body::from(multipart(&fields, &[])),
        )
        .await;
    let opened = id_after(&r, "/staff/tickets/");
    assert!(
        jan.get("/tickets")
            .await
            .text()
            .contains("Uw vraag van de telefoon")
    );
    assert!(
        jan.get(&format!("/tickets/{opened}"))
            .await
            .text()
            .contains("de factuur volgt")
    );
    // A contact person of another customer is refused at the field.
    let k3_admin = portal_core::auth::accounts::list(&state.db, scope, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == "sanne@slagerij.nl")
        .unwrap()
        .id;
    let mut bad = fields.clone();
    let k3s = k3_admin.to_string();
    bad[1] = ("account", k3s.as_str());
    let r = sup
        .post_multipart(
            &format!("/staff/tickets/new?_csrf={token}"),
            Body::from(multipart(&bad, &[])),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("id=\"error-account\"") && r.text().contains("Uw vraag van de telefoon"),
        "{}",
        r.text()
    );

    // Every desk action is in the activity log with the staff member.
    let log = activity::for_customer(&state.db, scope, k1, 200)
        .await
        .unwrap();
    for action in [
        "tickets.assigned",
        "tickets.noted",
        "tickets.replied",
        "tickets.status",
        "tickets.opened",
    ] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.actor_id == Some(sup_id) && e.actor == "staff"),
            "{action}"
        );
    }

    // An editor has no desk: 404 and no navigation entry.
    assert_eq!(editor.get("/staff/tickets").await.status, 404);
    assert_eq!(
        editor.get(&format!("/staff/tickets/{id}")).await.status,
        404
    );
    assert!(
        !editor
            .get("/staff/messages")
            .await
            .text()
            .contains("/staff/tickets")
    );
    // The colleague (support) can read it.
    assert_eq!(
        colleague.get(&format!("/staff/tickets/{id}")).await.status,
        200
    );

    // Another tenant's ticket is out of every staff page's reach.
    let other = repo::create(
        &state.db,
        &repo::NewTenant {
            code: "other".into(),
            name: "Other".into(),
            default_language: portal_core::tenant::Lang::Nl,
            address_form: portal_core::tenant::AddressForm::Formal,
        },
    )
    .await
    .unwrap();
    let now = chrono::Utc::now();
    let mut tx = state.db.begin().await.unwrap();
    let their_customer = tx
        .insert_returning_id(
            &other
                .insert("core_customers")
                .set("number", "9")
                .set("name", "Elders BV")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .unwrap();
    let theirs = tx
        .insert_returning_id(
            &other
                .insert("tickets_tickets")
                .set("customer_id", their_customer)
                .set("kind", "bug")
                .set("category", "Techniek")
                .set("number", 1)
                .set("subject", "Geheim elders")
                .set("status", "submitted")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        sup.get(&format!("/staff/tickets/{theirs}")).await.status,
        404
    );
    assert_eq!(
        sup.post(
            &format!("/staff/tickets/{theirs}/status"),
            &[("status", "closed")]
        )
        .await
        .status,
        404
    );
    assert_eq!(
        sup.post(&format!("/staff/tickets/{theirs}/assign"), &[("staff", "")])
            .await
            .status,
        404
    );
    assert_eq!(
        sup.get(&format!("/staff/tickets/new?customer={their_customer}"))
            .await
            .status,
        404
    );
    assert!(
        !sup.get("/staff/tickets?status=all")
            .await
            .text()
            .contains("Geheim elders")
    );
}

async fn customer_id(s: &Setup, number: &str) -> i64 {
    let state = s.portal.state();
    portal_core::auth::accounts::customer_by_number(&state.db, s.scope().await, number)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn desk_end_to_end_sqlite() {
    desk_end_to_end(false).await;
}

#[tokio::test]
async fn desk_end_to_end_postgres() {
    desk_end_to_end(true).await;
}
