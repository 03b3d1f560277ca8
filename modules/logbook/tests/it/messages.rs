//! Messages (berichten): the customer writes about a location; a message
//! with markup characters is refused with a clear message and the typed
//! text kept (nothing stored, nothing stripped); a sent message is Open,
//! reaches the back-office as an event and in the API's list of open
//! messages, and the staff pages; support's reply marks it Handled, which
//! the customer sees with the reply. The supplier's notifications and
//! alarms are listed and marked read once the page was opened.

use poem::http::Method;
use portal_core::staff::StaffRole;
use serde_json::json;

use crate::support::{Visitor, events, location, logbook, setup};

async fn messages(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    let l = location(&s, "F2").await;
    let path = format!("/logbook/{l}/messages");
    let mut writer = Visitor::login(&s, "schrijver@fabriek.nl").await;

    // Markup refused, the typed text kept, nothing stored.
    let typed = "Muis gezien <b>naast</b> HM2";
    let r = writer
        .post(&path, &[("subject", "Muis"), ("body", typed)])
        .await;
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains("id=\"error-body\""), "{page}");
    assert!(page.contains("&lt;") || page.contains("&#60;"), "{page}");
    assert!(
        page.contains("Muis gezien &lt;b&gt;naast&lt;&#x2f;b&gt; HM2")
            || page.contains("Muis gezien &lt;b&gt;naast&lt;/b&gt; HM2"),
        "the typed text is kept as typed: {page}"
    );
    let (_, open) = s
        .api(Method::GET, "/api/admin/v1/logbook/messages", None)
        .await;
    assert_eq!(open.as_array().unwrap().len(), 0, "{open}");
    // An empty subject is refused too.
    let r = writer
        .post(&path, &[("subject", " "), ("body", "Tekst")])
        .await;
    assert!(r.text().contains("id=\"error-subject\""));

    // A real message: Open, an event, the API's open list.
    let r = writer
        .post(
            &path,
            &[
                ("subject", "Box HM2 beschadigd"),
                (
                    "body",
                    "De box is door een heftruck geraakt.\nGraag vervangen.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = writer.get(&format!("{path}?sent=1")).await.text();
    assert!(page.contains("id=\"message-sent\""), "{page}");
    assert!(page.contains("Box HM2 beschadigd"), "{page}");
    let (_, open) = s
        .api(Method::GET, "/api/admin/v1/logbook/messages", None)
        .await;
    let open = open.as_array().unwrap().clone();
    assert_eq!(open.len(), 1);
    let id = open[0]["id"].as_i64().unwrap();
    assert_eq!(open[0]["status"], "open");
    assert!(
        page.contains(&format!("id=\"message-status-{id}\"")),
        "{page}"
    );
    let sent = events(&s, "logbook.message").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["message_id"], id);
    assert_eq!(sent[0]["subject"], "Box HM2 beschadigd");

    // Support replies on the staff pages; the message is handled.
    let (mut staff, _) = Visitor::staff(&s, "desk@acme.nl", StaffRole::Support).await;
    let inbox = staff.get("/staff/logbook").await.text();
    assert!(inbox.contains("Box HM2 beschadigd"), "{inbox}");
    // Markup in a reply is refused for staff too.
    let r = staff
        .post(
            &format!("/staff/logbook/messages/{id}"),
            &[("body", "<script>x</script>")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"error-body\""));
    let r = staff
        .post(
            &format!("/staff/logbook/messages/{id}"),
            &[("body", "Wij vervangen de box morgen.")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let (_, open) = s
        .api(Method::GET, "/api/admin/v1/logbook/messages", None)
        .await;
    assert_eq!(open.as_array().unwrap().len(), 0, "{open}");
    let page = writer.get(&path).await.text();
    assert!(page.contains("Wij vervangen de box morgen."), "{page}");
    assert!(
        page.contains("Afgehandeld") || page.contains("Handled"),
        "{page}"
    );

    // An alarm from the back-office: new once, then read.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/messages",
            Some(json!({"location_external_id": "F2", "kind": "alarm",
                        "subject": "Verhoogde activiteit HM1", "body": "Helft van het lokaas opgenomen.",
                        "external_id": "ALARM-1"})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    // Sent again with the same external id: not twice.
    let (st, again) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/messages",
            Some(json!({"location_external_id": "F2", "kind": "alarm",
                        "subject": "Verhoogde activiteit HM1", "body": "Helft van het lokaas opgenomen.",
                        "external_id": "ALARM-1"})),
        )
        .await;
    assert_eq!((st, &again), (200, &r));
    let dash = writer.get(&format!("/logbook/{l}")).await.text();
    assert!(dash.contains("id=\"logbook-unread\""), "{dash}");
    // One new message: the singular form (template numbers stay numbers for Fluent).
    assert!(dash.contains("1 nieuw bericht"), "{dash}");
    let page = writer.get(&path).await.text();
    assert_eq!(
        page.matches("Verhoogde activiteit HM1").count(),
        1,
        "{page}"
    );
    let dash = writer.get(&format!("/logbook/{l}")).await.text();
    assert!(!dash.contains("id=\"logbook-unread\""), "read now: {dash}");
    // A reply to another location's message is refused.
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/messages",
            Some(
                json!({"location_external_id": "F1", "subject": "Re", "body": "x", "reply_to": id}),
            ),
        )
        .await;
    assert_eq!(st, 422, "{r}");
    // Markup from the back-office is refused as well.
    let (st, _) = s
        .api(
            Method::POST,
            "/api/admin/v1/logbook/messages",
            Some(json!({"location_external_id": "F2", "subject": "x", "body": "<img src=x>"})),
        )
        .await;
    assert_eq!(st, 422);
}

#[tokio::test]
async fn messages_both_ways_sqlite() {
    messages(false).await;
}

#[tokio::test]
async fn messages_both_ways_postgres() {
    messages(true).await;
}
