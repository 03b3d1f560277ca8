//! The QDC example's demo (seed 000) in a real browser: the hosting
//! company's data `examples/qdc` creates, served on a free port; a customer
//! logs in with customer number + e-mail + password and lands on the
//! Details (the home page) in the navigation Details · Abonnementen ·
//! Facturen; sees that only the login e-mail can be changed (the rest goes
//! to support); opens the invoices, the credit awaiting its refund, views
//! its PDF in the browser and downloads it (checked by its bytes, and by
//! `pdftotext` where installed); sees the subscriptions with the support
//! address for changes; and switches to English.

use std::time::Duration;

use fantoccini::{Client, Locator};
use portal::Portal;

use crate::webdriver::{at, browser_in, fill, start_driver, submit, text, wait_for};

/// The QDC demo portal on a free port; its demo output and base URL.
async fn serve_demo(dir: &tempfile::TempDir) -> (Portal, serde_json::Value, String) {
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(dir).await;
    let info = crate::qdc_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    (
        portal,
        info,
        format!("http://{}.localhost:{port}", crate::qdc_demo::CODE),
    )
}

/// The page's language (`<html lang>`).
async fn page_lang(c: &Client) -> String {
    let html = c.find(Locator::Css("html")).await.unwrap();
    html.attr("lang").await.unwrap().unwrap_or_default()
}

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.unwrap().click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qdc_demo_login_invoice_pdf_and_english_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (_portal, info, base) = serve_demo(&dir).await;
    let login = &info["logins"][0];
    let downloads = driver.downloads();

    // A Dutch customer's browser.
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // Log in with customer number + e-mail + password; Dutch by default.
        c.goto(&format!("{base}/login")).await.unwrap();
        fill(
            &c,
            "#field-customer_number",
            login["customer_number"].as_str().unwrap(),
        )
        .await;
        fill(&c, "#field-login", login["email"].as_str().unwrap()).await;
        fill(&c, "#field-password", login["password"].as_str().unwrap()).await;
        submit(&c, "#login-form").await;
        // Seed 000: the Details are the main page; three categories.
        assert_eq!(at(&c, "/organisation").await, "/organisation");
        assert_eq!(page_lang(&c).await, "nl");
        let nav: Vec<String> = {
            let mut v = Vec::new();
            for a in c.find_all(Locator::Css(".site-nav__link")).await.unwrap() {
                v.push(a.text().await.unwrap());
            }
            v
        };
        assert_eq!(nav, vec!["Details", "Abonnementen", "Facturen"]);
        assert!(text(&c, "#org-number").await.contains("40021"));
        // The details as the administration keeps them: invoice address,
        // phone, e-mail, payment method.
        let details = text(&c, "#organisation-details").await;
        for part in [
            "Havenstraat 12",
            "+31 10 555 0199",
            "admin@webbureau-noord.example",
            "Automatische incasso",
        ] {
            assert!(details.contains(part), "{part}: {details}");
        }
        assert!(
            text(&c, "#change-by-support")
                .await
                .contains("support@qdc-hosting.example")
        );
        assert!(
            !crate::webdriver::present_now(&c, "#org-edit").await,
            "no Aanpassen"
        );
        // The account menu under the name and customer number: settings, log out.
        click(&c, ".user-menu__toggle").await;
        assert!(text(&c, ".user-menu__list").await.contains("Instellingen"));
        // Personal data: read-only too; changes go to support. The login
        // account itself (password, two-step verification) is the
        // customer's, under Instellingen.
        c.goto(&format!("{base}/organisation/personal"))
            .await
            .unwrap();
        assert_eq!(
            at(&c, "/organisation/personal").await,
            "/organisation/personal"
        );
        assert!(!crate::webdriver::present_now(&c, "#personal-edit").await);
        assert!(
            text(&c, "#change-by-support")
                .await
                .contains("support@qdc-hosting.example")
        );
        c.goto(&format!("{base}/settings")).await.unwrap();
        assert_eq!(at(&c, "/settings").await, "/settings");
        assert!(crate::webdriver::present_now(&c, "#password-change-form").await);
        assert!(crate::webdriver::present_now(&c, "#totp-status").await);

        // The invoices, from the navigation: newest first, so the credit
        // awaiting its refund leads the list.
        click(&c, ".site-nav a[href='/invoices']").await;
        assert_eq!(at(&c, "/invoices").await, "/invoices");
        let rows = c
            .find_all(Locator::Css("#invoice-list tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 13, "a year of invoices and the credit");
        assert!(
            !crate::webdriver::present_now(&c, ".breadcrumb").await,
            "no breadcrumb without a home tab (seed 000)"
        );
        // Each row: number, date, amount, status, and the PDF to view and
        // to download, each an icon with its own accessible name.
        let first = text(&c, "#invoice-list tbody tr:first-child").await;
        assert!(
            first.contains("CR-0001") && first.contains("42,35") && first.contains("-20"),
            "{first}"
        );
        let pdf_links = c
            .find_all(Locator::Css(
                "#invoice-list tbody tr:first-child .pdf-links a",
            ))
            .await
            .unwrap();
        assert_eq!(pdf_links.len(), 2);
        assert!(pdf_links[0].text().await.unwrap().contains("bekijken"));
        assert_eq!(
            pdf_links[1]
                .attr("aria-label")
                .await
                .unwrap()
                .as_deref()
                .map(|l| l.contains("downloaden")),
            Some(true)
        );
        click(&c, "#invoice-list tbody tr:first-child td:first-child a").await;
        let path = c.current_url().await.unwrap().path().to_string();
        assert!(path.starts_with("/invoices/"), "{path}");
        let title = text(&c, "h1.page-title").await;
        assert!(title.contains("-CR-0001"), "{title}");
        assert!(
            title.starts_with("Creditnota "),
            "a credit note says so: {title}"
        );
        let notice = text(&c, "#refund-notice").await;
        assert!(
            notice.starts_with("Wij zullen dit bedrag terugbetalen op uw bankrekening op "),
            "{notice}"
        );
        assert!(text(&c, "#invoice-total").await.contains("42,35"));

        // The PDF: viewed in the browser (inline, under a policy that lets
        // it load nothing), and a separate download.
        let view = c
            .find(Locator::Css("#invoice-pdf-view"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        assert!(view.ends_with("/pdf"), "{view}");
        click(&c, "#invoice-pdf").await;
        let (name, pdf) = crate::demo_server::downloaded_pdf(&downloads).await;
        assert!(
            name.starts_with("factuur-") && name.contains("CR-0001"),
            "{name}"
        );
        assert!(pdf.starts_with(b"%PDF-"), "the download is a PDF");
        let number = title.rsplit(' ').next().unwrap().to_string();
        if let Some(text) = portal_testkit::pdftotext(&pdf) {
            assert!(text.contains(&number), "{text}");
            assert!(text.contains("42,35"), "{text}");
        }
        // Still on the invoice page after the download.
        assert_eq!(at(&c, &path).await, path);

        // Subscriptions with their cost specification; changes by mail to support.
        click(&c, ".site-nav a[href='/subscriptions']").await;
        assert_eq!(at(&c, "/subscriptions").await, "/subscriptions");
        assert!(
            text(&c, "#change-by-mail")
                .await
                .contains("support@qdc-hosting.example"),
            "change requests are off: the support address"
        );
        click(&c, "#subscription-list tbody tr:first-child a").await;
        assert!(
            !c.find_all(Locator::Css("#product-list tbody tr"))
                .await
                .unwrap()
                .is_empty(),
            "the cost specification"
        );

        // Switch to English; the same invoice in English.
        click(&c, ".lang-switch__button[value='en']").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        c.goto(&format!("{base}{path}")).await.unwrap();
        assert_eq!(page_lang(&c).await, "en");
        let notice = text(&c, "#refund-notice").await;
        assert!(
            notice.starts_with("We will refund this amount to your bank account on "),
            "{notice}"
        );
        assert!(text(&c, "#invoice-total").await.contains("42.35"));
        assert!(text(&c, "nav").await.contains("Invoices"));
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two minutes");
}
