//! Documents and visit reports as files: the back-office uploads a
//! document for a location or for the whole customer (typed by its
//! content: markup and mismatched names refused), customers download it
//! as an attachment with the same safety headers as ticket attachments;
//! a visit's report is rendered as PDF (read back with a PDF reader) until
//! the back-office uploads its own, which is then served.

use poem::http::Method;

use crate::support::{Setup, Visitor, location, logbook, pdftotext, setup, visit};

const HTML: &[u8] = b"<html><script>alert(1)</script></html>";

/// A PUT of raw bytes to the back-office API; the status and the answer.
async fn put(s: &Setup, path: &str, mime: &str, body: &[u8]) -> (u16, String) {
    let resp = s
        .client
        .request(Method::PUT, path)
        .header("host", crate::support::HOST)
        .header("authorization", format!("Bearer {}", s.token))
        .content_type(mime)
        .body(body.to_vec())
        .send()
        .await
        .0;
    let status = resp.status().as_u16();
    (
        status,
        resp.into_body().into_string().await.unwrap_or_default(),
    )
}

fn pdf(text: &str) -> Vec<u8> {
    portal_core::pdf::document(
        text,
        &[vec![portal_core::pdf::TextLine {
            x: 56.0,
            y: 780.0,
            size: 12.0,
            bold: false,
            text: text.into(),
        }]],
        None,
    )
}

async fn documents(pg: bool) {
    let Some(s) = setup(pg).await else { return };
    logbook(&s).await;
    let doc = "/api/admin/v1/logbook/documents";
    let (st, r) = put(
        &s,
        &format!("{doc}/VIB-1?customer_external_id=F&category=safety_sheet&title=Veiligheidsblad%20lokaas&name=vib.pdf"),
        "application/pdf",
        &pdf("Veiligheidsinformatieblad"),
    )
    .await;
    assert_eq!(st, 204, "{r}");
    let (st, r) = put(
        &s,
        &format!("{doc}/CERT-F2?customer_external_id=F&location_external_id=F2&category=certificate&title=Certificaat&name=cert.pdf&valid_until=2020-01-31"),
        "application/pdf",
        &pdf("Certificaat"),
    )
    .await;
    assert_eq!(st, 204, "{r}");
    // Refused: markup, a name that does not fit the content, another customer's location.
    let (st, r) = put(
        &s,
        &format!("{doc}/BAD-1?customer_external_id=F&category=other&title=x&name=x.html"),
        "text/html",
        HTML,
    )
    .await;
    assert_eq!(st, 422, "{r}");
    let (st, r) = put(
        &s,
        &format!("{doc}/BAD-2?customer_external_id=F&category=other&title=x&name=x.png"),
        "application/pdf",
        &pdf("x"),
    )
    .await;
    assert_eq!(st, 422, "{r}");
    let (st, r) = put(
        &s,
        &format!("{doc}/BAD-3?customer_external_id=F&location_external_id=X1&category=other&title=x&name=x.pdf"),
        "application/pdf",
        &pdf("x"),
    )
    .await;
    assert_eq!(st, 422, "{r}");
    assert!(r.contains("location_external_id"), "{r}");

    // The reader of F1 sees the customer's document, not F2's certificate.
    let f1 = location(&s, "F1").await;
    let f2 = location(&s, "F2").await;
    let mut reader = Visitor::login(&s, "lezer@fabriek.nl").await;
    let page = reader.get(&format!("/logbook/{f1}/documents")).await.text();
    assert!(page.contains("Veiligheidsblad lokaas"), "{page}");
    assert!(!page.contains("Certificaat"), "{page}");
    let ids: Vec<(i64, String)> = s
        .portal
        .state()
        .db
        .fetch_all(
            &s.scope()
                .await
                .select("logbook_documents")
                .columns(["id", "external_id"])
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2, "refused uploads stored nothing");
    let id_of = |e: &str| ids.iter().find(|(_, x)| x == e).unwrap().0;
    let r = reader
        .get(&format!("/logbook/documents/{}", id_of("VIB-1")))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"%PDF-"));
    let cd = r.headers["content-disposition"].to_str().unwrap();
    assert!(
        cd.starts_with("attachment") && cd.contains("vib.pdf"),
        "{cd}"
    );
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(
        reader
            .get(&format!("/logbook/documents/{}", id_of("CERT-F2")))
            .await
            .status,
        404,
        "a location the reader may not read"
    );
    // The main account sees the expired certificate marked as such.
    let mut main = Visitor::login(&s, "kwaliteit@fabriek.nl").await;
    let page = main.get(&format!("/logbook/{f2}/documents")).await.text();
    assert!(
        page.contains("Certificaat") && page.contains("status--overdue"),
        "{page}"
    );
    let mut other = Visitor::login(&s, "x@ander.nl").await;
    assert_eq!(
        other
            .get(&format!("/logbook/documents/{}", id_of("VIB-1")))
            .await
            .status,
        404
    );

    // A visit report rendered as PDF, readable by a PDF reader.
    let v = visit(&s, "F1-V2").await;
    let r = reader
        .get(&format!("/logbook/{f1}/visits/{v}/pdf?download=1"))
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    if let Some(text) = pdftotext(&r.body) {
        for want in [
            "HM1",
            "Ilse de Graaf",
            "Lokaas pasta",
            "12906 N",
            "Productiehal",
        ] {
            assert!(text.contains(want), "{want}: {text}");
        }
    }
    let page = reader
        .get(&format!("/logbook/{f1}/visits/{v}"))
        .await
        .text();
    assert!(page.contains("HM1") && page.contains("50 %"), "{page}");
    // The back-office's own PDF replaces it.
    let (st, _) = put(
        &s,
        "/api/admin/v1/logbook/visits/F1-V2/pdf",
        "application/pdf",
        &pdf("Eigen rapport van de backoffice"),
    )
    .await;
    assert_eq!(st, 204);
    let (st, _) = put(
        &s,
        "/api/admin/v1/logbook/visits/F1-V2/pdf",
        "application/pdf",
        HTML,
    )
    .await;
    assert_eq!(st, 422, "not a PDF");
    let (st, _) = put(
        &s,
        "/api/admin/v1/logbook/visits/NOPE/pdf",
        "application/pdf",
        &pdf("x"),
    )
    .await;
    assert_eq!(st, 404);
    let r = reader.get(&format!("/logbook/{f1}/visits/{v}/pdf")).await;
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    if let Some(text) = pdftotext(&r.body) {
        assert!(text.contains("Eigen rapport"), "{text}");
    }
    // Deleting a document.
    let (st, _) = s.api(Method::DELETE, &format!("{doc}/VIB-1"), None).await;
    assert_eq!(st, 204);
    assert_eq!(
        reader
            .get(&format!("/logbook/documents/{}", id_of("VIB-1")))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn documents_and_reports_sqlite() {
    documents(false).await;
}

#[tokio::test]
async fn documents_and_reports_postgres() {
    documents(true).await;
}
