//! Change requests on the staff pages, on both databases: they are in
//! core's one list of requests; support opens one, sets a status with a
//! message; the requester is mailed it and sees the status; an editor gets
//! 404; another tenant's request is out of reach; the change is in the
//! activity log.

use portal_core::staff::StaffRole;
use portal_core::tenant::repo;

use crate::support::{Visitor, fill_people, setup};

async fn support_settles_a_change_request(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    fill_people(&s).await;
    let state = s.portal.state();
    let scope = s.scope().await;
    repo::set_setting(
        &state.db,
        scope,
        &state.registry,
        "subscriptions",
        "change_requests",
        Some("true"),
    )
    .await
    .unwrap();
    let mut jan = Visitor::login(&s, "jan@bakkerij.nl").await;
    let r = jan
        .post(
            "/subscriptions/change",
            &[
                ("subject", "Extra mailboxen"),
                ("description", "Graag 5"),
                ("agree", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());

    let (mut sup, sup_id) = Visitor::staff(&s, "sanne@acme.nl", StaffRole::Support).await;
    let list = sup.get("/staff/requests").await.text();
    assert!(
        list.contains("Extra mailboxen")
            && list.contains("Bakkerij Jansen")
            && list.contains("Ingediend"),
        "{list}"
    );
    let at = list.find("/staff/subscriptions/requests/").unwrap();
    let path: String = list[at..].chars().take_while(|c| *c != '"').collect();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let page = sup.get(&path).await.text();
    assert!(
        page.contains("Graag 5") && page.contains("jan@bakkerij.nl"),
        "{page}"
    );
    // Bad input keeps the message.
    let r = sup
        .post(&path, &[("status", "weg"), ("message", "Bijna klaar")])
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("id=\"error-status\"") && r.text().contains("Bijna klaar"));
    let r = sup
        .post(
            &path,
            &[
                ("status", "done"),
                ("message", "De 5 mailboxen staan klaar."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // The requester is mailed and sees it; the open list no longer has it.
    let mails = s.mails("subscriptions.request_status").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_address, "jan@bakkerij.nl");
    assert!(
        mails[0].subject.contains("Afgehandeld"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body_text.contains("De 5 mailboxen staan klaar."));
    assert!(
        jan.get("/subscriptions")
            .await
            .text()
            .contains("Afgehandeld")
    );
    assert!(
        !sup.get("/staff/requests")
            .await
            .text()
            .contains("Extra mailboxen")
    );
    assert!(
        sup.get("/staff/requests?status=all")
            .await
            .text()
            .contains("Extra mailboxen")
    );
    let log = portal_core::auth::activity::for_customer(&state.db, scope, customer(&s).await, 50)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "subscriptions.request_status" && e.actor_id == Some(sup_id))
    );
    // An editor has no requests; another tenant's request is not found.
    let (mut editor, _) = Visitor::staff(&s, "redactie@acme.nl", StaffRole::Editor).await;
    assert_eq!(editor.get("/staff/requests").await.status, 404);
    assert_eq!(editor.get(&path).await.status, 404);
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
    let c = tx
        .insert_returning_id(
            &other
                .insert("core_customers")
                .set("number", "9")
                .set("name", "Elders")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .unwrap();
    let theirs = tx
        .insert_returning_id(
            &other
                .insert("subscriptions_change_requests")
                .set("customer_id", c)
                .set("subject", "Geheim")
                .set("agreed_extra_costs", true)
                .set("status", "new")
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_ne!(theirs, id);
    let theirs_path = format!("/staff/subscriptions/requests/{theirs}");
    assert_eq!(sup.get(&theirs_path).await.status, 404);
    assert_eq!(
        sup.post(&theirs_path, &[("status", "done")]).await.status,
        404
    );
    assert!(
        !sup.get("/staff/requests?status=all")
            .await
            .text()
            .contains("Geheim")
    );
}

async fn customer(s: &crate::support::Setup) -> i64 {
    portal_core::auth::accounts::customer_by_number(&s.portal.state().db, s.scope().await, "1001")
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn support_settles_a_change_request_sqlite() {
    support_settles_a_change_request(false).await;
}

#[tokio::test]
async fn support_settles_a_change_request_postgres() {
    support_settles_a_change_request(true).await;
}
