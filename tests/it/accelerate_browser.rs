//! The Accelerate-style example's demo (seed 003) in a real browser, every
//! page under the accessibility check: the back-office invites Karin for
//! her newest dossier; she activates it from the mailbox link (seed 003's
//! activation mail), logs in with her user name, sees 0 %, uploads two
//! files for one action item (one PDF of two pages), fills in the
//! questionnaire, signs the agreement part by part and sees the progress
//! rise to 100 %; the adviser rejects the valuation report with a remark
//! on the staff pages; Karin sees the remark, the new action item and the
//! lower percentage.

use std::time::Duration;

use fantoccini::{Client, Locator};
use poem::test::TestClient;

use crate::accelerate_demo;
use crate::webdriver::{
    browser_in, fill, follow_mail_link, log_in, staff_log_in, start_driver, submit, text, wait_for,
};

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x21, 0x27, 0x07,
    0x47, 0x0c, 0xc4, 0x71, 0x00, 0xb1, 0x63, 0x10, 0x41, 0x3b, 0x4b, 0x63, 0x82, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.unwrap().click().await.unwrap();
}

async fn percent(c: &Client) -> String {
    text(c, "#dossier-progress").await.trim().to_string()
}

/// Opens the action item titled `title` from the overview.
async fn open_action(c: &Client, title: &str) {
    wait_for(c, "#dossier-actions").await.unwrap();
    for a in c
        .find_all(Locator::Css("#dossier-actions a"))
        .await
        .unwrap()
    {
        if a.text().await.unwrap().trim() == title {
            a.click().await.unwrap();
            wait_for(c, "#action-title").await.unwrap();
            return;
        }
    }
    panic!("no open action item {title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accelerate_dossier_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(&dir).await;
    let info = accelerate_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    let base = format!("http://{}.localhost:{port}", accelerate_demo::CODE);
    let token = info["api_token"].as_str().unwrap().to_string();
    // The files Karin uploads.
    let files = tempfile::TempDir::new().unwrap();
    let photo = files.path().join("taxatie-voorkant.png");
    std::fs::write(&photo, PNG).unwrap();
    let report = files.path().join("taxatierapport.pdf");
    std::fs::write(
        &report,
        portal::pdf::document(
            "Taxatierapport",
            &[vec![portal::pdf::TextLine {
                x: 50.0,
                y: 700.0,
                size: 12.0,
                bold: false,
                text: "Taxatierapport Lindelaan 3".into(),
            }]],
            None,
        ),
    )
    .unwrap();
    // The back-office invites Karin's newest account.
    let state = portal.state();
    let scope = portal::tenant::repo::scope_for_code(&state.db, accelerate_demo::CODE)
        .await
        .unwrap()
        .unwrap();
    let karin = portal::auth::accounts::list(&state.db, scope, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username.as_deref() == Some("karin.smit"))
        .unwrap();
    let api = TestClient::new(portal.endpoint().unwrap());
    let r = api
        .post(format!("/api/admin/v1/accounts/{}/invite", karin.id))
        .header("host", format!("{}.localhost", accelerate_demo::CODE))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .0;
    assert!(r.status().is_success(), "{}", r.status());
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // Activate from the mailbox: seed 003's text, the user name and link.
        follow_mail_link(&c, &base, "/password/set/").await;
        c.back().await.unwrap();
        let mail = text(&c, "pre.mail-text").await;
        assert!(
            mail.contains("Beste Karin,")
                && mail.contains("karin.smit")
                && mail.contains("De activatielink is 48 uur geldig"),
            "{mail}"
        );
        c.forward().await.unwrap();
        wait_for(&c, "#password-form").await.unwrap();
        if c.find(Locator::Css("#field-login")).await.is_ok() {
            fill(&c, "#field-login", "karin.smit").await;
        }
        let pw = "Lindelaan-oversluiten-3";
        fill(&c, "#field-password", pw).await;
        fill(&c, "#field-repeat", pw).await;
        submit(&c, "#password-form").await;
        if wait_for(&c, "#password-set").await.is_err() {
            panic!("no password set: {}", text(&c, "main").await);
        }
        log_in(&c, &base, "karin.smit", pw).await;
        click(&c, ".site-nav a[href='/dossiers']").await;
        wait_for(&c, "#dossier-progress").await.unwrap();
        assert!(text(&c, "h1").await.contains("Oversluiten"));
        assert_eq!(percent(&c).await, "0%");
        // Two files for the valuation report: one PDF of two pages.
        open_action(&c, "Taxatierapport").await;
        let input = wait_for(&c, "#field-files").await.unwrap();
        input
            .send_keys(&format!("{}\n{}", photo.display(), report.display()))
            .await
            .unwrap();
        submit(&c, "#upload-form").await;
        wait_for(&c, "#action-file").await.unwrap();
        let file = text(&c, "#action-file").await;
        assert!(
            file.contains("taxatie-voorkant.png") && file.contains('2'),
            "{file}"
        );
        click(&c, ".tabs__tab").await;
        assert_eq!(percent(&c).await, "33%");
        // The questionnaire: a wrong number first, kept; then sent.
        open_action(&c, "Kennis en ervaring").await;
        c.find(Locator::Css("#field-f_eerder"))
            .await
            .unwrap()
            .select_by_value("no")
            .await
            .unwrap();
        fill(&c, "#field-f_inkomen", "veel").await;
        c.find(Locator::Css("#field-f_risico"))
            .await
            .unwrap()
            .select_by_value("Weinig")
            .await
            .unwrap();
        submit(&c, "#answer-form").await;
        wait_for(&c, "#error-f_inkomen").await.unwrap();
        fill(&c, "#field-f_inkomen", "61000").await;
        submit(&c, "#answer-form").await;
        wait_for(&c, "#answers").await.unwrap();
        // The agreement, each part accepted.
        click(&c, ".tabs__tab").await;
        open_action(&c, "Dienstverleningsovereenkomst").await;
        for i in 0..3 {
            click(&c, &format!("label[for='field-part_{i}']")).await;
        }
        submit(&c, "#sign-form").await;
        wait_for(&c, "#signature").await.unwrap();
        click(&c, ".tabs__tab").await;
        assert_eq!(percent(&c).await, "100%");

        // The adviser rejects the valuation report with a remark.
        c.delete_all_cookies().await.unwrap();
        staff_log_in(
            &c,
            &base,
            info["staff"][1]["email"].as_str().unwrap(),
            accelerate_demo::PASSWORD,
            None,
        )
        .await;
        c.goto(&format!("{base}/staff/requests")).await.unwrap();
        let mut href = String::new();
        for a in c
            .find_all(Locator::Css("a[href*='/staff/dossiers/actions/']"))
            .await
            .unwrap()
        {
            if a.text().await.unwrap().contains("Taxatierapport") {
                href = a.attr("href").await.unwrap().unwrap();
            }
        }
        assert!(!href.is_empty(), "the valuation report waits for review");
        c.goto(&format!("{base}{href}")).await.unwrap();
        c.find(Locator::Css("#field-status"))
            .await
            .unwrap()
            .select_by_value("rejected")
            .await
            .unwrap();
        fill(&c, "#field-remark", "De taxatie is ouder dan zes maanden.").await;
        submit(&c, "#review-form").await;
        wait_for(&c, "h1").await.unwrap();

        // Karin sees the remark, the new item and the lower percentage.
        c.delete_all_cookies().await.unwrap();
        log_in(&c, &base, "karin.smit", pw).await;
        c.goto(&format!("{base}/dossiers")).await.unwrap();
        wait_for(&c, "#dossier-progress").await.unwrap();
        assert_eq!(percent(&c).await, "66%");
        let actions = text(&c, "#dossier-actions").await;
        assert!(
            actions.contains("De taxatie is ouder dan zes maanden."),
            "{actions}"
        );
        assert!(
            actions.contains("Opgevraagd") && actions.contains("Afgekeurd"),
            "{actions}"
        );
    };
    let outcome = tokio::time::timeout(Duration::from_secs(240), result).await;
    let _ = c.close().await;
    outcome.expect("the dossier flow took too long");
}
