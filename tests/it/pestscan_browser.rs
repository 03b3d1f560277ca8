//! The PestScan example's demo (seed 002) in a real browser, with the
//! accessibility check on every page: the customer opens the company's
//! printed link (`/login?plaagvrij` on the shared host), logs in with a
//! user name, picks a location on the home page, opens the latest visit
//! report and downloads its PDF (read back by its bytes, and by
//! `pdftotext` where installed), sets a recommendation to in progress with
//! a response, and sends a message, which shows as Open; the company's
//! staff answer it on the staff pages; the customer sees it Handled with
//! the answer.

use std::time::Duration;

use fantoccini::{Client, Locator};
use portal::Portal;

use crate::pestscan_demo;
use crate::webdriver::{
    at, browser_in, fill, present_now, staff_log_in, start_driver, submit, text, wait_for,
    wait_text,
};

/// The demo portal on a free port; its demo output and port.
async fn serve_demo(dir: &tempfile::TempDir) -> (Portal, serde_json::Value, u16) {
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(dir).await;
    let info = pestscan_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    (portal, info, port)
}

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.unwrap().click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pestscan_demo_logbook_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (_portal, info, port) = serve_demo(&dir).await;
    let main = &info["logins"][0];
    assert_eq!(main["username"], "demolen");
    let downloads = driver.downloads();
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // The company's printed link: `/login?CODE` on the shared host.
        let link = info["company_link"].as_str().unwrap();
        assert_eq!(link, format!("http://localhost:{port}/login?plaagvrij"));
        c.goto(link).await.unwrap();
        wait_for(&c, "#login-form").await.unwrap();
        let url = c.current_url().await.unwrap();
        assert_eq!(url.path(), "/plaagvrij/login", "{url}");
        let base = format!("http://localhost:{port}/plaagvrij");
        // Seed 002's word for the user name, the company's setting.
        assert!(
            text(&c, "label[for='field-login']")
                .await
                .contains("Aanmeldnaam")
        );
        // A wrong password first: seed 002's "Reset uw wachtwoord" appears.
        fill(&c, "#field-login", "demolen").await;
        fill(&c, "#field-password", "verkeerd-wachtwoord").await;
        submit(&c, "#login-form").await;
        wait_text(&c, ".auth-box", "wachtwoord").await;
        // Then the user name chosen by the company and the right password.
        fill(&c, "#field-login", "demolen").await;
        fill(&c, "#field-password", main["password"].as_str().unwrap()).await;
        submit(&c, "#login-form").await;
        wait_for(&c, ".site-nav").await.unwrap();

        // The home page: the locations to pick from (seed 002).
        c.goto(&format!("{base}/")).await.unwrap();
        let home = wait_text(&c, "main", "Magazijn").await;
        assert!(
            home.contains("Productiehal") && home.contains("Expeditie"),
            "{home}"
        );
        let magazijn = c
            .find(Locator::LinkText("Magazijn"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        c.goto(&format!("http://localhost:{port}{magazijn}"))
            .await
            .unwrap();
        // The dashboard: statuses, visits, the chart with its table, the next visit.
        wait_for(&c, "#logbook-open").await.unwrap();
        assert!(present_now(&c, "#logbook-activity svg[role='img']").await);
        assert!(present_now(&c, "#activity-table").await);
        assert!(present_now(&c, "#next-visit").await);
        let loc = magazijn
            .trim_start_matches("/plaagvrij/logbook/")
            .to_string();

        // The latest visit report and its PDF.
        click(&c, "#latest-visit").await;
        wait_for(&c, "#observation-list").await.unwrap();
        let observations = text(&c, "#observation-list").await;
        assert!(observations.contains("HM1"), "{observations}");
        assert!(text(&c, "#material-list").await.contains("Ctgb"));
        click(&c, "#visit-pdf-download").await;
        let (name, pdf) = crate::demo_server::downloaded_pdf(&downloads).await;
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        if let Some(t) = portal_testkit::pdftotext(&pdf) {
            assert!(t.contains("HM1") && t.contains("Magazijn"), "{t}");
        }

        // A new recommendation: in progress, with a response.
        c.goto(&format!("{base}/logbook/{loc}/recommendations?status=new"))
            .await
            .unwrap();
        wait_for(&c, "#recommendation-list").await.unwrap();
        click(&c, "#recommendation-list tbody tr:first-child a").await;
        wait_for(&c, "#respond-form").await.unwrap();
        let select = c.find(Locator::Css("#field-status")).await.unwrap();
        select.select_by_value("in_progress").await.unwrap();
        fill(&c, "#field-response", "De kier wordt vrijdag gedicht.").await;
        submit(&c, "#respond-form").await;
        wait_for(&c, "#recommendation-saved").await.unwrap();
        assert!(
            text(&c, "#recommendation-status")
                .await
                .contains("In behandeling")
        );
        assert!(
            text(&c, "#recommendation-history")
                .await
                .contains("De kier wordt vrijdag gedicht.")
        );

        // A message to the company: refused with markup (text kept), then sent: Open.
        c.goto(&format!("{base}/logbook/{loc}/messages"))
            .await
            .unwrap();
        click(&c, "#message-new summary").await;
        fill(&c, "#field-subject", "Muis bij de laadkuil").await;
        fill(&c, "#field-body", "Gezien <vanochtend> bij deur 3.").await;
        submit(&c, "#message-form").await;
        wait_for(&c, "#error-body").await.unwrap();
        let kept = c
            .find(Locator::Css("#field-body"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        assert_eq!(kept, "Gezien <vanochtend> bij deur 3.");
        fill(&c, "#field-body", "Gezien vanochtend bij deur 3.").await;
        submit(&c, "#message-form").await;
        wait_for(&c, "#message-sent").await.unwrap();
        let list = text(&c, "#message-list li:first-child").await;
        assert!(
            list.contains("Muis bij de laadkuil") && list.contains("Open"),
            "{list}"
        );

        // The company's staff answer it.
        let staff = &info["staff"][1];
        let staff_base = format!("http://plaagvrij.localhost:{port}");
        staff_log_in(
            &c,
            &staff_base,
            staff["email"].as_str().unwrap(),
            staff["password"].as_str().unwrap(),
            None,
        )
        .await;
        c.goto(&format!("{staff_base}/staff/logbook"))
            .await
            .unwrap();
        wait_for(&c, "#staff-messages").await.unwrap();
        c.find(Locator::LinkText("Muis bij de laadkuil"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "#staff-reply-form").await.unwrap();
        fill(&c, "#field-body", "Onze technicus komt morgen kijken.").await;
        submit(&c, "#staff-reply-form").await;
        wait_for(&c, "#staff-messages, #staff-messages-none")
            .await
            .unwrap();

        // The customer sees it handled, with the answer.
        c.goto(&format!("{base}/logbook/{loc}/messages"))
            .await
            .unwrap();
        let list = wait_text(&c, "#message-list li:first-child", "Afgehandeld").await;
        assert!(
            list.contains("Onze technicus komt morgen kijken."),
            "{list}"
        );
        // In English too.
        c.goto(&format!("{base}/logbook/{loc}")).await.unwrap();
        click(&c, ".lang-switch__button[value='en']").await;
        wait_text(&c, "#logbook-open", "Recommendations").await;
        assert!(
            at(&c, &format!("/plaagvrij/logbook/{loc}"))
                .await
                .ends_with(&loc)
        );
    };
    let outcome = tokio::time::timeout(Duration::from_secs(180), result).await;
    let _ = c.close().await;
    outcome.expect("the PestScan browser flow took too long");
}
