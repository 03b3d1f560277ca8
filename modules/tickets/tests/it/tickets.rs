//! The tickets module through HTTP, on SQLite and PostgreSQL: the role
//! matrix of seed 001 (employee: own tickets, no invoices or subscription;
//! employee+: all tickets of the organisation, no invoices; admin:
//! everything), 404 for whatever a principal may not see, a new ticket with
//! attachments, the conversation with support through the back-office API
//! (mail, status, events), and every case of SECURITY.md F through the
//! upload form and the API.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use poem::Body;
use poem::http::Method;
use portal_core::files::sweep;
use portal_core::tenant::repo;
use serde_json::json;

use crate::support::{
    PNG, Page, Setup, Visitor, fill_people, id_after, multipart, set_passwords, setup,
};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

fn new_ticket(subject: &str, files: &[(&str, &str, &[u8])]) -> Body {
    Body::from(multipart(
        &[
            ("kind", "bug"),
            ("category", "Techniek"),
            ("subject", subject),
            ("description", "Het scherm blijft wit na het inloggen."),
        ],
        files,
    ))
}

/// The ticket id from the redirect after a new ticket.
async fn blob_count(s: &Setup) -> usize {
    s.portal.state().blobs.list().await.unwrap().len()
}

async fn ticket_count(s: &Setup) -> usize {
    let state = s.portal.state();
    let scope = s.scope().await;
    let rows: Vec<(i64,)> = state
        .db
        .fetch_all(&scope.select("tickets_tickets").column("id").to_owned())
        .await
        .unwrap();
    rows.len()
}

async fn tickets_end_to_end(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    // An employee+ (seed 001: set together with employee).
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/sync/accounts",
            Some(json!({"accounts": [
                {"external_id": "A4", "customer_external_id": "K1", "email": "eva@bakkerij.nl",
                 "roles": ["employee", "employee_plus"]}
            ]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    set_passwords(&s).await;

    let mut admin = Visitor::login(&s, "jan@bakkerij.nl").await;
    let mut employee = Visitor::login(&s, "piet@bakkerij.nl").await;
    let mut plus = Visitor::login(&s, "eva@bakkerij.nl").await;
    let mut other = Visitor::login(&s, "sanne@slagerij.nl").await;

    // The support page: three kinds with their explanation, the lists.
    let page = employee.get("/tickets").await.text();
    for k in ["new-question", "new-improvement", "new-bug"] {
        assert!(page.contains(k), "{k}: {page}");
    }
    assert!(page.contains("Krijgt u een storing"), "{page}");
    assert!(
        !page.contains("id=\"list-all\""),
        "no 'All tickets' for an employee"
    );
    let form = employee.get("/tickets/new?kind=bug").await.text();
    assert!(form.contains("Financieel") && form.contains("Externe koppeling"));
    assert!(form.contains("id=\"privacy-notice\"") && form.contains("id=\"help-category\""));

    // Refused input comes back with what was typed.
    let r = employee
        .post_multipart(
            "/tickets/new",
            Body::from(multipart(
                &[
                    ("kind", "bug"),
                    ("category", ""),
                    ("subject", "Wit scherm"),
                    ("description", "Na inloggen"),
                ],
                &[],
            )),
        )
        .await;
    assert_eq!(r.status, 200);
    let body = r.text();
    assert!(
        body.contains("id=\"error-category\"") && body.contains("Wit scherm"),
        "{body}"
    );

    // A bug report with a screenshot, by the employee.
    let r = employee
        .post_multipart(
            "/tickets/new",
            new_ticket(
                "Wit scherm",
                &[
                    ("files", "scherm.png", PNG),
                    ("files", "log.txt", b"regel 1\n"),
                ],
            ),
        )
        .await;
    let t1 = id_after(&r, "/tickets/");
    let show = employee
        .get(&format!("/tickets/{t1}?created=1"))
        .await
        .text();
    assert!(
        show.contains("id=\"ticket-created\"") && show.contains("Ingediend"),
        "{show}"
    );
    assert!(show.contains("scherm.png") && show.contains("log.txt"));
    let file = file_link(&show, t1, 0);
    let d = employee.get(&file).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body, PNG, "the bytes as sent");
    assert_eq!(d.headers["content-type"], "image/png");
    let cd = d.headers["content-disposition"].to_str().unwrap();
    assert!(
        cd.starts_with("attachment;") && cd.contains("scherm.png"),
        "{cd}"
    );
    assert_eq!(d.headers["x-content-type-options"], "nosniff");
    assert_eq!(d.headers["cache-control"], "no-store");

    // A question by the employee+, and one by the admin.
    let t2 = id_after(
        &plus
            .post_multipart("/tickets/new", new_ticket("Vraag van Eva", &[]))
            .await,
        "/tickets/",
    );
    let t3 = id_after(
        &admin
            .post_multipart("/tickets/new", new_ticket("Vraag van Jan", &[]))
            .await,
        "/tickets/",
    );

    // Employee: own tickets only; everything else 404, also no invoices or subscription.
    let mine = employee.get("/tickets").await.text();
    assert!(
        mine.contains("Wit scherm") && !mine.contains("Vraag van Eva"),
        "{mine}"
    );
    assert_eq!(employee.get(&format!("/tickets/{t2}")).await.status, 404);
    assert_eq!(employee.get("/tickets?list=all").await.status, 404);
    assert_eq!(employee.get("/invoices").await.status, 404);
    assert_eq!(employee.get("/subscriptions").await.status, 404);
    // Employee+: all tickets of the organisation, still no invoices.
    let all = plus.get("/tickets?list=all").await.text();
    assert!(
        all.contains("Wit scherm") && all.contains("Vraag van Jan"),
        "{all}"
    );
    let mine = plus.get("/tickets").await.text();
    assert!(
        mine.contains("Vraag van Eva") && !mine.contains("Wit scherm"),
        "My tickets: {mine}"
    );
    assert_eq!(plus.get(&format!("/tickets/{t1}")).await.status, 200);
    assert_eq!(plus.get(&file).await.status, 200);
    // Admin: everything. (Invoices and subscriptions by role: the facade's
    // module_kit test, where those modules are compiled in too.)
    assert!(
        admin
            .get("/tickets?list=all")
            .await
            .text()
            .contains("Vraag van Eva")
    );
    // Another organisation: the ticket and its attachment do not exist.
    assert_eq!(other.get(&format!("/tickets/{t1}")).await.status, 404);
    assert_eq!(other.get(&file).await.status, 404);
    assert!(
        !other
            .get("/tickets?list=all")
            .await
            .text()
            .contains("Wit scherm")
    );
    let r = other
        .post_multipart(
            &format!("/tickets/{t1}"),
            Body::from(multipart(&[("body", "hoi")], &[])),
        )
        .await;
    assert_eq!(r.status, 404);
    // An attachment id of another ticket does not open through this one
    // (the admin sees both tickets, so only the attachment check answers).
    assert_eq!(admin.get(&format!("/tickets/{t3}")).await.status, 200);
    assert_eq!(admin.get(&file).await.status, 200);
    assert_eq!(
        admin
            .get(&file.replace(&format!("/tickets/{t1}/"), &format!("/tickets/{t3}/")))
            .await
            .status,
        404
    );

    // The back-office: new tickets since a cursor, then one with its files.
    let (st, list) = s.api(Method::GET, "/api/admin/v1/tickets", None).await;
    assert_eq!(st, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 3);
    let (_, since) = s
        .api(
            Method::GET,
            &format!("/api/admin/v1/tickets?after_id={t1}"),
            None,
        )
        .await;
    let ids: Vec<i64> = since
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [t2, t3]);
    let (st, detail) = s
        .api(Method::GET, &format!("/api/admin/v1/tickets/{t1}"), None)
        .await;
    assert_eq!(st, 200);
    let att = &detail["messages"][0]["attachments"];
    assert_eq!(att[0]["name"], "scherm.png");
    assert_eq!(att[0]["mime"], "image/png");
    let (st, _) = s
        .api(Method::GET, "/api/admin/v1/tickets/999999", None)
        .await;
    assert_eq!(st, 404);

    // Support replies with a file and waits for the customer: a mail, the home card.
    let reply = json!({"author": "HCI Customer Support", "body": "Kunt u de versie sturen?",
        "status": "waiting",
        "attachments": [{"name": "uitleg.pdf", "content": b64(PDF)}]});
    let (st, r) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{t1}/replies"),
            Some(reply),
        )
        .await;
    assert_eq!(st, 201, "{r}");
    let show = employee.get(&format!("/tickets/{t1}")).await.text();
    assert!(show.contains("HCI Customer Support") && show.contains("Kunt u de versie sturen?"));
    assert!(
        show.contains("uitleg.pdf") && show.contains("Wacht op uw reactie"),
        "{show}"
    );
    let home = employee.get("/").await.text();
    assert!(
        home.contains("Historie"),
        "seed 001: everything the user sent: {home}"
    );
    assert!(
        home.contains("/tickets?list=waiting") && home.contains("Wit scherm"),
        "{home}"
    );
    let waiting = employee.get("/tickets?list=waiting").await.text();
    assert!(waiting.contains("Wit scherm"));
    let state = s.portal.state();
    let scope = s.scope().await;
    let mails = portal_core::mail::outbox::list(&state.db, scope, None, 50)
        .await
        .unwrap();
    assert!(
        mails
            .iter()
            .any(|m| m.mail_key == "tickets.waiting" && m.to_address == "piet@bakkerij.nl"),
        "{:?}",
        mails
            .iter()
            .map(|m| (&m.mail_key, &m.to_address))
            .collect::<Vec<_>>()
    );
    // The customer answers: back to "in progress".
    let r = employee
        .post_multipart(
            &format!("/tickets/{t1}"),
            Body::from(multipart(&[("body", "Versie 4.2")], &[])),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let (_, detail) = s
        .api(Method::GET, &format!("/api/admin/v1/tickets/{t1}"), None)
        .await;
    assert_eq!(detail["ticket"]["status"], "in_progress", "{detail}");
    assert_eq!(detail["messages"].as_array().unwrap().len(), 3);
    // Closed: no reply form, a reply is refused.
    let (st, _) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{t1}/close"),
            None,
        )
        .await;
    assert_eq!(st, 204);
    let show = employee.get(&format!("/tickets/{t1}")).await.text();
    assert!(show.contains("id=\"ticket-closed\"") && !show.contains("id=\"reply-form\""));
    // Seed 001: a closed ticket stays in "Mijn tickets" and "Alle
    // tickets", and leaves "Openstaande tickets".
    assert!(employee.get("/tickets").await.text().contains("Wit scherm"));
    let open = employee.get("/tickets?list=open").await.text();
    assert!(!open.contains("Wit scherm"), "{open}");
    assert!(
        plus.get("/tickets?list=all")
            .await
            .text()
            .contains("Wit scherm")
    );
    let r = employee
        .post_multipart(
            &format!("/tickets/{t1}"),
            Body::from(multipart(&[("body", "Nog iets")], &[])),
        )
        .await;
    assert_eq!(r.status, 404);
    let (st, _) = s
        .api(
            Method::PUT,
            &format!("/api/admin/v1/tickets/{t1}/status"),
            Some(json!({"status": "weg"})),
        )
        .await;
    assert_eq!(st, 400, "an unknown status is refused");
    // A staff-set label replaces the built-in one.
    repo::set_setting(
        &state.db,
        scope,
        &state.registry,
        "tickets",
        "label_closed",
        Some("Afgehandeld"),
    )
    .await
    .unwrap();
    assert!(
        employee
            .get(&format!("/tickets/{t1}"))
            .await
            .text()
            .contains("Afgehandeld")
    );

    // The events for a webhook: created, replied by support, replied by the customer.
    let (_, events) = s.api(Method::GET, "/api/admin/v1/events", None).await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("tickets."))
        .collect();
    for k in [
        "tickets.created",
        "tickets.support_replied",
        "tickets.replied",
    ] {
        assert!(kinds.contains(&k), "{k}: {events}");
    }

    // SECURITY.md F 32: another tenant's back-office reaches neither the
    // ticket nor its file, and the stored files are under no served path.
    let state = s.portal.state();
    let beta_token = crate::support::tenant_with_tickets(&s, "beta").await;
    let file_id = file.rsplit('/').next().unwrap();
    let beta_list = s
        .client
        .get("/api/admin/v1/tickets")
        .header("host", "beta.localhost")
        .header("authorization", format!("Bearer {beta_token}"))
        .send()
        .await
        .0;
    assert_eq!(
        beta_list.status().as_u16(),
        200,
        "the other tenant is served"
    );
    assert_eq!(beta_list.into_body().into_string().await.unwrap(), "[]");
    for path in [
        format!("/api/admin/v1/tickets/{t1}"),
        format!("/api/admin/v1/tickets/{t1}/files/{file_id}"),
    ] {
        let resp = s
            .client
            .get(&path)
            .header("host", "beta.localhost")
            .header("authorization", format!("Bearer {beta_token}"))
            .send()
            .await
            .0;
        assert_eq!(resp.status().as_u16(), 404, "{path} from another tenant");
    }
    let (st, _) = s
        .api(
            Method::GET,
            &format!("/api/admin/v1/tickets/{t1}/files/{file_id}"),
            None,
        )
        .await;
    assert_eq!(st, 200, "its own tenant's back-office gets the file");
    let (key, _) = state
        .blobs
        .list()
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    for path in [
        format!("/{key}"),
        format!("/files/{key}"),
        format!("/static/{key}"),
        format!("/static/../files/{key}"),
    ] {
        assert_eq!(employee.get(&path).await.status, 404, "{path}");
    }

    uploads_are_safe(&s, &mut employee, t3).await;
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `n`-th attachment link of ticket `id` on its page.
fn file_link(page: &str, id: i64, n: usize) -> String {
    let prefix = format!("href=\"/tickets/{id}/files/");
    let at = page.match_indices(&prefix).nth(n).unwrap().0 + 6;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// SECURITY.md F 30-32 through the upload form and the API.
async fn uploads_are_safe(s: &Setup, v: &mut Visitor<'_>, _t3: i64) {
    let before = (ticket_count(s).await, blob_count(s).await);
    let refused = |r: &Page, what: &str| {
        assert_eq!(r.status, 200, "{what}");
        let body = r.text();
        assert!(body.contains("id=\"error-files\""), "{what}: {body}");
        assert!(
            body.contains("Het scherm blijft wit"),
            "{what}: the typed text is kept"
        );
    };
    // An oversize file in a body without Content-Length (10 MB default per file).
    let head = multipart(
        &[
            ("kind", "bug"),
            ("category", "Techniek"),
            ("subject", "Groot"),
            ("description", "Het scherm blijft wit"),
        ],
        &[],
    );
    let head = head[..head.len() - format!("--{}--\r\n", crate::support::BOUNDARY).len()].to_vec();
    let file_head = format!(
        "--{}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"groot.png\"\r\n\r\n",
        crate::support::BOUNDARY
    );
    let endless = stream::iter([
        Ok::<_, std::io::Error>(bytes::Bytes::from(head)),
        Ok(bytes::Bytes::from(file_head)),
    ])
    .chain(stream::unfold((), |()| async {
        tokio::task::yield_now().await;
        Some((Ok(bytes::Bytes::from(vec![0_u8; 64 * 1024])), ()))
    }));
    let r = v
        .post_multipart("/tickets/new", Body::from_bytes_stream(endless))
        .await;
    refused(&r, "endless body");
    assert!(r.text().contains("groot.png"), "the message names the file");

    for (name, bytes, what) in [
        ("factuur.pdf.exe", PDF, "double extension"),
        ("scherm.png\0.html", PNG, "NUL in a name"),
        (
            "rapport.pdf",
            b"<html><script>alert(1)</script></html>".as_slice(),
            "HTML named .pdf",
        ),
        (
            "logo.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".as_slice(),
            "SVG with script",
        ),
        (
            "logo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".as_slice(),
            "SVG named .png",
        ),
    ] {
        let r = v
            .post_multipart(
                "/tickets/new",
                new_ticket("Geweigerd", &[("files", name, bytes)]),
            )
            .await;
        refused(&r, what);
    }
    // A client that dies mid-upload: nothing is stored.
    let head = new_ticket("Afgebroken", &[("files", "scherm.png", PNG)]);
    let mut whole = head.into_vec().await.unwrap();
    whole.truncate(whole.len() - 30);
    let dying = stream::iter([
        Ok(bytes::Bytes::from(whole)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "client gone",
        )),
    ]);
    let r = v
        .post_multipart("/tickets/new", Body::from_bytes_stream(dying))
        .await;
    assert_ne!(r.status, 303, "a broken upload is not a ticket");
    assert_eq!(
        (ticket_count(s).await, blob_count(s).await),
        before,
        "nothing kept of refused uploads"
    );

    // A path in the name keeps only its last part; the name is metadata.
    let t = id_after(
        &v.post_multipart(
            "/tickets/new",
            new_ticket("Pad", &[("files", "../../../etc/passwd.txt", b"x\n")]),
        )
        .await,
        "/tickets/",
    );
    let show = v.get(&format!("/tickets/{t}")).await.text();
    assert!(
        show.contains(">passwd.txt<") && !show.contains("../"),
        "{show}"
    );
    // CRLF and quotes in a name (the API takes any string): a safe header.
    let reply = json!({"author": "Support", "body": "Zie bijlage",
        "attachments": [{"name": "a\r\nSet-Cookie: x=1\"; b.txt", "content": b64(b"tekst\n")}]});
    let (st, r) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{t}/replies"),
            Some(reply),
        )
        .await;
    assert_eq!(st, 201, "{r}");
    let show = v.get(&format!("/tickets/{t}")).await.text();
    let link = file_link(&show, t, 1);
    let d = v.get(&link).await;
    assert_eq!(d.status, 200);
    assert!(
        d.headers
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("x=1"))
    );
    let cd = d.headers["content-disposition"].to_str().unwrap();
    assert!(!cd.contains('\r') && !cd.contains('\n'), "{cd}");
    assert_eq!(
        cd.matches('"').count(),
        2,
        "only the quotes around the name: {cd}"
    );
    // The API refuses what the form refuses.
    let bad = json!({"author": "Support", "body": "x",
        "attachments": [{"name": "rapport.pdf", "content": b64(b"<html></html>")}]});
    let (st, r) = s
        .api(
            Method::POST,
            &format!("/api/admin/v1/tickets/{t}/replies"),
            Some(bad),
        )
        .await;
    assert_eq!(st, 422, "{r}");

    // A ticket whose rows cannot commit leaves no file; an orphan of a
    // killed process goes with the sweeper, referenced files stay.
    let state = s.portal.state();
    let tenant = s.tenant().await;
    let blobs_now = blob_count(s).await;
    let file = portal_core::files::upload::UploadedFile {
        field: "files".into(),
        name: "scherm.png".into(),
        ty: portal_core::files::sniff::decide("scherm.png", PNG).unwrap(),
        bytes: PNG.to_vec(),
    };
    // A kind the form never sends: the table's CHECK refuses the row.
    let t = portal_tickets::write::NewTicket {
        kind: "not-a-kind",
        category: "Techniek",
        subject: "Geen soort",
        description: "x",
    };
    let accounts = portal_core::auth::accounts::list(&state.db, tenant.scope(), None)
        .await
        .unwrap();
    let cx = portal_core::module::DemoCx::new(state.deps(), &state.registry, &tenant, &[]);
    let reach = cx.reach_of(&accounts[0]).await.unwrap();
    let failed = portal_tickets::write::create(
        &state.deps(),
        &tenant,
        &reach,
        ("0", "x@y.nl"),
        &t,
        vec![file],
    )
    .await;
    assert!(failed.is_err(), "the row is refused");
    assert_eq!(
        blob_count(s).await,
        blobs_now,
        "the file went with the failed rows"
    );
    let orphan = portal_core::files::BlobStore::new_key(tenant.id(), "ticket", "png");
    state.blobs.put(&orphan, PNG).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let swept = sweep(
        &state.db,
        &state.blobs,
        &state.registry,
        Duration::from_millis(10),
    )
    .await
    .unwrap();
    assert_eq!(swept, 1);
    assert!(state.blobs.get(&orphan).await.unwrap().is_none());
    assert_eq!(blob_count(s).await, blobs_now, "attachments with rows stay");
    assert_eq!(v.get(&link).await.status, 200);
}

#[tokio::test]
async fn tickets_end_to_end_sqlite() {
    tickets_end_to_end(false).await;
}

#[tokio::test]
async fn tickets_end_to_end_postgres() {
    tickets_end_to_end(true).await;
}
