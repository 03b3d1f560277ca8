//! A dossier's action items through HTTP on both databases: the sync opens
//! them (one mail, nothing again on a second sync); progress starts at 0 %
//! and rises as the client uploads (two files: one PDF that a PDF reader
//! reads), fills in the form (checked per field) and signs (who, when,
//! from where, the hash); an upload may be deleted only while "received";
//! an adviser's rejection shows its remark, opens the item again and the
//! percentage drops; another client's dossier is a 404; every step is an
//! event.

use poem::http::Method;
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::staff::StaffRole;
use serde_json::json;

use crate::support::{Setup, Visitor, d1, d2, events, multipart, office, pdftotext, setup};

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x21, 0x27, 0x07,
    0x47, 0x0c, 0xc4, 0x71, 0x00, 0xb1, 0x63, 0x10, 0x41, 0x3b, 0x4b, 0x63, 0x82, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn a_pdf(text: &str) -> Vec<u8> {
    portal_core::pdf::document(
        text,
        &[vec![portal_core::pdf::TextLine {
            x: 50.0,
            y: 700.0,
            size: 12.0,
            bold: false,
            text: text.into(),
        }]],
        None,
    )
}

/// The ids of D1 and its actions by title.
async fn ids(s: &Setup) -> (i64, Vec<(i64, String)>) {
    let state = s.portal.state();
    let scope = s.scope().await;
    let d: Vec<(i64,)> = state
        .db
        .fetch_all(
            &scope
                .select("dossiers_dossiers")
                .column("id")
                .and_where(Expr::col("external_id").eq("D1"))
                .to_owned(),
        )
        .await
        .unwrap();
    let a: Vec<(i64, String)> = state
        .db
        .fetch_all(
            &scope
                .select("dossiers_actions")
                .columns(["id", "title"])
                .and_where(Expr::col("dossier_id").eq(d[0].0))
                .to_owned(),
        )
        .await
        .unwrap();
    (d[0].0, a)
}

fn id_of(actions: &[(i64, String)], title: &str) -> i64 {
    actions.iter().rev().find(|a| a.1 == title).unwrap().0
}

async fn percent(v: &mut Visitor<'_>, d: i64) -> String {
    let page = v.get(&format!("/dossiers/{d}")).await.text();
    let at = page.find("id=\"dossier-progress\">").unwrap() + 22;
    page[at..at + page[at..].find('<').unwrap()].to_string()
}

async fn dossier_actions(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    office(&s).await;
    let (st, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [d1(), d2(), {"external_id": "D3", "customer_external_id": "K404",
                "title": "X", "clients": [{"position": 1, "first_name": "X"}]}]})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["rows"][0]["opened"], 4, "{r}");
    assert_eq!(r["rows"][2]["status"], "refused", "{r}");
    // One mail for the four items together, to the first client.
    let mails = s.mails("dossiers.actions_opened").await;
    let to_jan: Vec<_> = mails
        .iter()
        .filter(|m| m.to_address == "jan@devries.nl")
        .collect();
    assert_eq!(to_jan.len(), 1);
    assert!(
        to_jan[0].body_text.contains("- Werkgeversverklaring")
            && to_jan[0].body_text.contains("- Kennis en ervaring")
            && to_jan[0]
                .body_text
                .contains("Beste Jan de Vries en Els de Vries"),
        "{}",
        to_jan[0].body_text
    );
    // The same batch again: nothing opened, nothing mailed.
    let (_, r) = s
        .api(
            Method::POST,
            "/api/admin/v1/dossiers/sync",
            Some(json!({"dossiers": [d1()]})),
        )
        .await;
    assert_eq!(r["rows"][0]["opened"], 0, "{r}");
    assert_eq!(
        s.mails("dossiers.actions_opened").await.len(),
        2,
        "D1 and D2 once each"
    );
    let (d, actions) = ids(&s).await;
    let slip = id_of(&actions, "Recente salarisstrook");
    let employer = id_of(&actions, "Werkgeversverklaring");
    let form = id_of(&actions, "Kennis en ervaring");
    let sign = id_of(&actions, "Dienstverleningsovereenkomst");

    // The client's pages: 0 %, four open, the visible product and the appointment.
    let mut jan = Visitor::login(&s, "jan.devries").await;
    let r = jan.get("/dossiers").await;
    assert_eq!(r.status, 303, "one dossier: straight to it");
    let page = jan.get(&format!("/dossiers/{d}")).await.text();
    assert!(
        page.contains("Piet Adviseur") && page.contains("Sanne Binnendienst"),
        "{page}"
    );
    assert!(
        page.contains("id=\"tab-count\">4<") && page.contains("open actiepunten"),
        "{page}"
    );
    assert_eq!(percent(&mut jan, d).await, "0%");
    assert!(page.contains("Hypotheek") && !page.contains("Overlijdensrisicoverzekering"));
    assert!(
        jan.get(&format!("/dossiers/{d}/appointment"))
            .await
            .text()
            .contains("Laatste jaaropgave")
    );
    // Another client's dossier and its items are not found.
    let mut piet = Visitor::login(&s, "piet.jansen").await;
    assert_eq!(piet.get(&format!("/dossiers/{d}")).await.status, 404);
    assert_eq!(
        piet.get(&format!("/dossiers/{d}/actions/{slip}"))
            .await
            .status,
        404
    );
    let body = multipart(&[], &[("files", "loon.pdf", &a_pdf("loonstrook"))]);
    assert_eq!(
        piet.post_multipart(
            &format!("/dossiers/{d}/actions/{slip}/upload"),
            poem::Body::from(body)
        )
        .await
        .status,
        404
    );

    // Two files for one item: a photo and a PDF become one PDF of two pages.
    let body = multipart(
        &[],
        &[
            ("files", "strook-foto.png", PNG),
            ("files", "strook.pdf", &a_pdf("Salarisstrook november")),
        ],
    );
    let r = jan
        .post_multipart(
            &format!("/dossiers/{d}/actions/{slip}/upload"),
            poem::Body::from(body),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    // (Fluent marks its arguments with isolation characters.)
    let page = jan
        .get(&format!("/dossiers/{d}/actions/{slip}"))
        .await
        .text()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        page.contains("2 pagina&#x27;s") && page.contains("strook-foto.png"),
        "{page}"
    );
    let merged = jan.get(&format!("/dossiers/{d}/actions/{slip}/file")).await;
    assert_eq!(merged.status, 200);
    assert!(merged.body.starts_with(b"%PDF"));
    if let Some(text) = pdftotext(&merged.body) {
        assert!(
            text.contains("strook-foto.png") && text.contains("Salarisstrook november"),
            "{text}"
        );
    }
    assert_eq!(percent(&mut jan, d).await, "25%");
    // A file that is no PDF or photo is refused with a message, nothing stored.
    let body = multipart(&[], &[("files", "brief.txt", b"gewoon tekst")]);
    let r = jan
        .post_multipart(
            &format!("/dossiers/{d}/actions/{employer}/upload"),
            poem::Body::from(body),
        )
        .await;
    assert!(r.text().contains("id=\"error-files\""), "{}", r.text());
    // Deleting while received: allowed, back to 0 %; then again.
    let r = jan
        .post(&format!("/dossiers/{d}/actions/{slip}/delete"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(percent(&mut jan, d).await, "0%");
    let body = multipart(
        &[],
        &[("files", "strook.pdf", &a_pdf("Salarisstrook november"))],
    );
    jan.post_multipart(
        &format!("/dossiers/{d}/actions/{slip}/upload"),
        poem::Body::from(body),
    )
    .await;

    // The form: each field checked, what was typed kept; then received.
    let r = jan
        .post(
            &format!("/dossiers/{d}/actions/{form}/form"),
            &[
                ("f_ervaring", "yes"),
                ("f_inkomen", "veel"),
                ("f_start", "2020-02-30"),
                ("f_risico", "Extreem"),
            ],
        )
        .await;
    let page = r.text();
    assert!(
        page.contains("id=\"error-f_inkomen\"")
            && page.contains("id=\"error-f_start\"")
            && page.contains("id=\"error-f_risico\""),
        "{page}"
    );
    assert!(page.contains("value=\"veel\""), "typed kept");
    let r = jan
        .post(
            &format!("/dossiers/{d}/actions/{form}/form"),
            &[
                ("f_ervaring", "no"),
                ("f_inkomen", "54000"),
                ("f_start", "2019-04-01"),
                ("f_risico", "Gemiddeld"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(percent(&mut jan, d).await, "50%");

    // Signing: every part accepted, or refused at the part.
    let r = jan
        .post(
            &format!("/dossiers/{d}/actions/{sign}/sign"),
            &[("part_0", "on")],
        )
        .await;
    assert!(r.text().contains("id=\"error-part_1\""), "{}", r.text());
    let r = jan
        .post(
            &format!("/dossiers/{d}/actions/{sign}/sign"),
            &[("part_0", "on"), ("part_1", "on")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(percent(&mut jan, d).await, "75%");
    let state = s.portal.state();
    let scope = s.scope().await;
    let signed: Vec<(String, String, Option<i64>)> = state
        .db
        .fetch_all(
            &scope
                .select("dossiers_signatures")
                .columns(["signer_name", "hash", "user_id"])
                .to_owned(),
        )
        .await
        .unwrap();
    let parts = vec![
        portal_dossiers::store::Part {
            title: "Dienstverlening".into(),
            text: "Wij adviseren u over uw hypotheek.".into(),
        },
        portal_dossiers::store::Part {
            title: "SEPA-machtiging".into(),
            text: "U machtigt ons de vergoeding af te schrijven.".into(),
        },
    ];
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].1, portal_dossiers::write::agreement_hash(&parts));
    assert!(signed[0].2.is_some());
    let copy = jan
        .get(&format!("/dossiers/{d}/actions/{sign}/signed"))
        .await;
    assert_eq!(copy.status, 200);
    if let Some(text) = pdftotext(&copy.body) {
        assert!(
            text.contains("SEPA-machtiging") && text.contains(&signed[0].1),
            "{text}"
        );
    }
    // Signed once only.
    let r = jan
        .post(
            &format!("/dossiers/{d}/actions/{sign}/sign"),
            &[("part_0", "on"), ("part_1", "on")],
        )
        .await;
    assert_eq!(r.status, 404);

    // The adviser rejects the salary slip with a remark: a new item, the
    // percentage drops, the client sees the remark and gets one mail.
    let (mut adviser, _) = Visitor::staff(&s, "adviseur@acme.nl", StaffRole::Support).await;
    let list = adviser.get("/staff/requests").await.text();
    assert!(
        list.contains(&format!("/staff/dossiers/actions/{slip}")),
        "{list}"
    );
    let r = adviser
        .post(
            &format!("/staff/dossiers/actions/{slip}"),
            &[("status", "rejected"), ("remark", "")],
        )
        .await;
    assert!(
        r.text().contains("id=\"error-review\""),
        "a rejection needs a remark"
    );
    let r = adviser
        .post(
            &format!("/staff/dossiers/actions/{slip}"),
            &[
                ("status", "rejected"),
                ("remark", "De strook is ouder dan drie maanden."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(percent(&mut jan, d).await, "50%");
    let page = jan.get(&format!("/dossiers/{d}")).await.text();
    assert!(
        page.contains("De strook is ouder dan drie maanden."),
        "{page}"
    );
    assert_eq!(s.mails("dossiers.actions_opened").await.len(), 3);
    // The adviser sees the dossier as the client does (core's view-as).
    let jan_id = portal_core::auth::accounts::list(&state.db, scope, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username.as_deref() == Some("jan.devries"))
        .unwrap()
        .id;
    let r = adviser
        .post(&format!("/staff/accounts/{jan_id}/view-as"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let seen = adviser.get(&format!("/dossiers/{d}")).await.text();
    assert!(
        seen.contains("De strook is ouder dan drie maanden.") && seen.contains("50%"),
        "{seen}"
    );
    adviser.post("/staff/view-as/end", &[]).await;
    // Deleting after the review is refused; the rejected item takes no upload.
    let r = jan
        .post(&format!("/dossiers/{d}/actions/{slip}/delete"), &[])
        .await;
    assert!(r.text().contains("id=\"error-files\""), "{}", r.text());

    // The employer's statement: uploaded, approved, then not deletable.
    let body = multipart(&[], &[("files", "wgv.pdf", &a_pdf("Werkgeversverklaring"))]);
    jan.post_multipart(
        &format!("/dossiers/{d}/actions/{employer}/upload"),
        poem::Body::from(body),
    )
    .await;
    let r = adviser
        .post(
            &format!("/staff/dossiers/actions/{employer}"),
            &[("status", "approved"), ("remark", "")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = jan
        .post(&format!("/dossiers/{d}/actions/{employer}/delete"), &[])
        .await;
    assert!(r.text().contains("id=\"error-files\""));

    // Each step an event.
    assert_eq!(events(&s, "dossiers.upload").await.len(), 3);
    assert_eq!(events(&s, "dossiers.upload_deleted").await.len(), 1);
    assert_eq!(events(&s, "dossiers.form_completed").await.len(), 1);
    assert_eq!(events(&s, "dossiers.signed").await.len(), 1);
    assert_eq!(events(&s, "dossiers.reviewed").await.len(), 2);
}

#[tokio::test]
async fn dossier_actions_sqlite() {
    dossier_actions(false).await;
}

#[tokio::test]
async fn dossier_actions_postgres() {
    dossier_actions(true).await;
}
