//! The HCI demo (seed 001) in a real browser: the practice's admin invites
//! a contact person under "Mijn organisatie"; the invitee sets a password
//! from the invitation in the development mailbox, sends a bug report with
//! a screenshot and finds it under "Mijn tickets"; the employee+ finds it
//! under "Alle tickets"; support replies through the back-office API and
//! the reply shows on the ticket, with its mail in the mailbox.

use std::time::Duration;

use fantoccini::{Client, Locator};
use poem::http::Method;
use poem::test::TestClient;
use portal::Portal;

use crate::hci_demo;
use crate::webdriver::{
    at, browser_in, fill, follow_mail_link, log_in, log_out, present, staff_log_in, start_driver,
    submit, text, wait_for, wait_text,
};

/// The HCI demo portal on a free port; its demo output and base URL.
async fn serve_demo(dir: &tempfile::TempDir) -> (Portal, serde_json::Value, String) {
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(dir).await;
    let info = hci_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    (portal, info, format!("http://hci.localhost:{port}"))
}

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.unwrap().click().await.unwrap();
}

/// The labels of the main navigation, in order.
async fn nav_labels(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for a in c.find_all(Locator::Css(".site-nav__link")).await.unwrap() {
        out.push(a.text().await.unwrap());
    }
    out
}

async fn list_text(c: &Client, base: &str, path: &str) -> String {
    c.goto(&format!("{base}{path}")).await.unwrap();
    text(c, "main").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hci_demo_invite_ticket_with_screenshot_and_reply_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (portal, info, base) = serve_demo(&dir).await;
    let login = |n: usize| info["logins"][n]["email"].as_str().unwrap().to_string();
    let screenshot = dir.path().join("schermafdruk.png");
    std::fs::write(&screenshot, portal_testkit::PNG).unwrap();
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // The admin invites a contact person (employee) under "Mijn organisatie".
        log_in(&c, &base, &login(0), hci_demo::PASSWORD).await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(
            present(&c, "a[href='/invoices']").await,
            "the admin sees invoices"
        );
        // Seed 001's navigation, in the practice's informal tone.
        assert_eq!(
            nav_labels(&c).await,
            [
                "Klantportaal",
                "Mijn organisatie",
                "Facturen/Abonnement",
                "Support"
            ]
        );
        assert!(text(&c, "main").await.contains("Hier regel je je zaken"));
        // Invoices and subscription: one tab, the two pages below it.
        click(&c, ".site-nav a[href='/invoices']").await;
        assert_eq!(at(&c, "/invoices").await, "/invoices");
        click(&c, "#sub-nav a[href='/subscriptions']").await;
        assert_eq!(at(&c, "/subscriptions").await, "/subscriptions");
        // Personal data and a contact person open read-only, with "Aanpassen".
        click(&c, ".site-nav a[href='/organisation']").await;
        assert_eq!(at(&c, "/organisation").await, "/organisation");
        click(&c, "a.tabs__tab[href='/organisation/personal']").await;
        assert_eq!(
            at(&c, "/organisation/personal").await,
            "/organisation/personal"
        );
        assert!(text(&c, "#personal-details").await.contains(&login(0)));
        click(&c, "#personal-edit").await;
        assert_eq!(
            at(&c, "/organisation/personal/edit").await,
            "/organisation/personal/edit"
        );
        assert!(present(&c, "#field-first_name").await);
        click(&c, "#personal-form a.button").await;
        assert_eq!(
            at(&c, "/organisation/personal").await,
            "/organisation/personal"
        );
        c.goto(&format!("{base}/organisation/contacts"))
            .await
            .unwrap();
        click(&c, "#contact-list a[href^='/organisation/contacts/']").await;
        assert!(present(&c, "#contact-details").await);
        click(&c, "#contact-edit").await;
        assert!(present(&c, "#contact-form").await);
        c.goto(&format!("{base}/organisation/contacts"))
            .await
            .unwrap();
        click(&c, "#contact-add").await;
        fill(&c, "#field-first_name", "Dirk").await;
        fill(&c, "#field-last_name", "Visser").await;
        fill(&c, "#field-email", "dirk@praktijk-delinde.example").await;
        wait_for(&c, "#field-gender")
            .await
            .unwrap()
            .select_by_value("male")
            .await
            .unwrap();
        // A new contact person is an employee unless the admin says otherwise.
        assert!(
            wait_for(&c, "#field-employee")
                .await
                .unwrap()
                .is_selected()
                .await
                .unwrap()
        );
        fill(&c, "#field-current", hci_demo::PASSWORD).await;
        submit(&c, "#contact-form").await;
        assert!(
            present(&c, "#contacts-done").await,
            "{}",
            text(&c, "main").await
        );
        log_out(&c).await;

        // The invitee sets a password from the mail in the mailbox; the
        // invitation (informal) says where to turn with questions.
        follow_mail_link(&c, &base, "/password/set/").await;
        c.back().await.unwrap();
        let invitation = text(&c, "pre.mail-text").await;
        assert!(
            invitation.contains("Hoi Dirk")
                && invitation
                    .contains("contactpersoon van je organisatie of met HCI Customer Support"),
            "{invitation}"
        );
        c.forward().await.unwrap();
        let pw = "Groene-linde-bloeit-9";
        fill(&c, "#field-password", pw).await;
        fill(&c, "#field-repeat", pw).await;
        submit(&c, "#password-form").await;
        assert_eq!(at(&c, "/login").await, "/login");
        log_in(&c, &base, "dirk@praktijk-delinde.example", pw).await;
        assert_eq!(at(&c, "/").await, "/");
        assert!(
            c.find(Locator::Css("a[href='/invoices']")).await.is_err(),
            "an employee sees no invoices"
        );

        // A bug report with a screenshot.
        click(&c, "a[href='/tickets']").await;
        click(&c, "#new-bug").await;
        // Sent empty: each field says what is missing, and the address
        // shows no CSRF token (it travels as the form's first field).
        submit(&c, "#ticket-form").await;
        assert!(
            present(&c, ".error-summary").await,
            "{}",
            text(&c, "main").await
        );
        let url = c.current_url().await.unwrap();
        assert!(
            !url.as_str().contains("_csrf"),
            "the token stays out of the address: {url}"
        );
        wait_for(&c, "#field-category")
            .await
            .unwrap()
            .select_by_value("Techniek")
            .await
            .unwrap();
        fill(&c, "#field-subject", "Agenda laadt niet").await;
        fill(
            &c,
            "#field-description",
            "Na het openen van de agenda blijft het scherm wit.",
        )
        .await;
        wait_for(&c, "#field-files")
            .await
            .unwrap()
            .send_keys(screenshot.to_str().unwrap())
            .await
            .unwrap();
        submit(&c, "#ticket-form").await;
        assert!(
            present(&c, "#ticket-created").await,
            "{}",
            text(&c, "main").await
        );
        let ticket_path = c.current_url().await.unwrap().path().to_string();
        let id: i64 = ticket_path.rsplit('/').next().unwrap().parse().unwrap();
        assert!(text(&c, "#conversation").await.contains("schermafdruk.png"));
        let mine = list_text(&c, &base, "/tickets").await;
        assert!(mine.contains("Agenda laadt niet"), "Mijn tickets: {mine}");
        assert!(
            !mine.contains("Vraag over de verzamelfactuur"),
            "not a colleague's: {mine}"
        );
        log_out(&c).await;

        // The employee+ sees it under "Alle tickets".
        log_in(&c, &base, &login(2), hci_demo::PASSWORD).await;
        assert_eq!(at(&c, "/").await, "/");
        let all = list_text(&c, &base, "/tickets?list=all").await;
        assert!(all.contains("Agenda laadt niet"), "Alle tickets: {all}");
        log_out(&c).await;

        // Support replies through the back-office API.
        let api = TestClient::new(portal.endpoint().unwrap());
        let resp = api
            .request(Method::POST, format!("/api/admin/v1/tickets/{id}/replies"))
            .header("host", "hci.localhost")
            .header(
                "authorization",
                format!("Bearer {}", info["api_token"].as_str().unwrap()),
            )
            .content_type("application/json")
            .body(
                serde_json::json!({"author": "HCI Customer Support",
                    "body": "Wilt u de browser herstarten?", "status": "waiting"})
                .to_string(),
            )
            .send()
            .await
            .0;
        assert_eq!(resp.status().as_u16(), 201);
        log_in(&c, &base, "dirk@praktijk-delinde.example", pw).await;
        assert_eq!(at(&c, "/").await, "/");
        // The home lists what waits for Dirk: date, subject, form, status;
        // its link opens the same list.
        let waiting = text(&c, ".home-list").await;
        assert!(
            waiting.contains("Agenda laadt niet") && waiting.contains("Foutmelding"),
            "{waiting}"
        );
        // "Historie": everything Dirk sent (one ticket), linking to his tickets.
        let history = text(&c, ".card-grid").await;
        assert!(
            history.contains("Historie") && history.contains('1'),
            "{history}"
        );
        assert!(present(&c, ".card-grid a.card__link[href='/tickets']").await);
        click(&c, ".home-list a[href='/tickets?list=waiting']").await;
        assert!(text(&c, "main").await.contains("Agenda laadt niet"));
        // Seed 001's breadcrumb: "Klantportaal » Support".
        let crumbs = text(&c, ".breadcrumb").await;
        assert!(
            crumbs.contains("Klantportaal") && crumbs.contains("Support"),
            "{crumbs}"
        );
        c.goto(&format!("{base}{ticket_path}")).await.unwrap();
        assert!(
            text(&c, "#conversation")
                .await
                .contains("Wilt u de browser herstarten?")
        );
        let mut mailbox = String::new();
        for _ in 0..50 {
            mailbox = list_text(&c, &base, "/mailbox").await;
            if mailbox.contains(&format!("We wachten op je reactie: ticket {id}")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            mailbox.contains("dirk@praktijk-delinde.example")
                && mailbox.contains(&format!("We wachten op je reactie: ticket {id}")),
            "{mailbox}"
        );
    };
    let outcome = tokio::time::timeout(Duration::from_secs(150), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two and a half minutes");
}

/// Seed 001's support desk in a real browser: a contact person sends a
/// ticket with a screenshot and the support address gets the notice; the
/// support member logs in (2FA set up on the way), finds the ticket in the
/// inbox, adds an internal note, replies with a file and sets "waiting";
/// the contact person sees the reply and not the note, and replies;
/// support closes the ticket. Every page passes the accessibility check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hci_support_desk_answers_a_ticket_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (_portal, info, base) = serve_demo(&dir).await;
    let customer = info["logins"][0]["email"].as_str().unwrap().to_string();
    let support = hci_demo::STAFF[1].1;
    let screenshot = dir.path().join("foutmelding.png");
    std::fs::write(&screenshot, portal_testkit::PNG).unwrap();
    let manual = dir.path().join("stappenplan.pdf");
    std::fs::write(
        &manual,
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
    )
    .unwrap();
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // The customer sends a ticket with a screenshot.
        log_in(&c, &base, &customer, hci_demo::PASSWORD).await;
        assert_eq!(at(&c, "/").await, "/");
        c.goto(&format!("{base}/tickets/new?kind=bug"))
            .await
            .unwrap();
        wait_for(&c, "#field-category")
            .await
            .unwrap()
            .select_by_value("Techniek")
            .await
            .unwrap();
        fill(&c, "#field-subject", "Kassa print geen bon").await;
        fill(
            &c,
            "#field-description",
            "Sinds vanochtend komt er geen bon uit de kassa.",
        )
        .await;
        wait_for(&c, "#field-files")
            .await
            .unwrap()
            .send_keys(screenshot.to_str().unwrap())
            .await
            .unwrap();
        submit(&c, "#ticket-form").await;
        assert!(
            present(&c, "#ticket-created").await,
            "{}",
            text(&c, "main").await
        );
        let ticket_path = c.current_url().await.unwrap().path().to_string();
        let id: i64 = ticket_path.rsplit('/').next().unwrap().parse().unwrap();
        // The support address has the notice.
        let mut mailbox = String::new();
        for _ in 0..50 {
            mailbox = list_text(&c, &base, "/mailbox").await;
            if mailbox.contains(&format!("Nieuw ticket: ticket {id}")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            mailbox.contains("support@hci-demo.example")
                && mailbox.contains(&format!("Nieuw ticket: ticket {id}")),
            "{mailbox}"
        );
        log_out(&c).await;

        // Support logs in, finds it in the inbox and opens it.
        staff_log_in(&c, &base, support, hci_demo::PASSWORD, None).await;
        c.goto(&format!("{base}/staff/tickets?q=bon"))
            .await
            .unwrap();
        wait_for(&c, "#inbox").await.unwrap();
        assert!(text(&c, "#inbox").await.contains("Kassa print geen bon"));
        click(&c, &format!("#inbox a[href='/staff/tickets/{id}']")).await;
        wait_for(&c, "#answer-form").await.unwrap();
        // An internal note.
        fill(
            &c,
            "#field-body",
            "Intern: printerdriver bij deze praktijk is oud.",
        )
        .await;
        click(&c, "#kind-note").await;
        submit(&c, "#answer-form").await;
        assert!(
            present(&c, "#desk-done").await,
            "{}",
            text(&c, "main").await
        );
        // A reply with a file, waiting for the customer.
        fill(
            &c,
            "#field-body",
            "Wilt u het stappenplan in de bijlage volgen?",
        )
        .await;
        wait_for(&c, "#field-files")
            .await
            .unwrap()
            .send_keys(manual.to_str().unwrap())
            .await
            .unwrap();
        wait_for(&c, "#field-status")
            .await
            .unwrap()
            .select_by_value("waiting")
            .await
            .unwrap();
        submit(&c, "#answer-form").await;
        // The page after the note has a notice too: wait for the reply's.
        wait_text(&c, "#desk-done", "verstuurd").await;
        let conversation = wait_text(&c, "#conversation", "stappenplan.pdf").await;
        assert!(
            conversation.contains("printerdriver") && conversation.contains("stappenplan.pdf"),
            "{conversation}"
        );
        c.goto(&format!("{base}/staff/tickets")).await.unwrap();
        wait_for(&c, "#status-tabs").await.unwrap();
        click(&c, "#staff-logout").await;
        wait_for(&c, "#staff-login-form").await.unwrap();

        // The customer sees the reply and its file, not the note, and replies.
        log_in(&c, &base, &customer, hci_demo::PASSWORD).await;
        assert_eq!(at(&c, "/").await, "/");
        c.goto(&format!("{base}{ticket_path}")).await.unwrap();
        let seen = text(&c, "#conversation").await;
        assert!(
            seen.contains("stappenplan in de bijlage") && seen.contains("stappenplan.pdf"),
            "{seen}"
        );
        assert!(
            !seen.contains("printerdriver"),
            "the customer never sees the note: {seen}"
        );
        fill(&c, "#field-body", "Gelukt, de bon komt er weer uit.").await;
        submit(&c, "#reply-form").await;
        wait_text(&c, "#conversation", "Gelukt").await;
        log_out(&c).await;

        // The practice's staff admin closes it.
        staff_log_in(&c, &base, hci_demo::STAFF[0].1, hci_demo::PASSWORD, None).await;
        c.goto(&format!("{base}/staff/tickets/{id}")).await.unwrap();
        wait_for(&c, "#status-form").await.unwrap();
        assert!(text(&c, "#conversation").await.contains("Gelukt"));
        wait_for(&c, "#field-set-status")
            .await
            .unwrap()
            .select_by_value("closed")
            .await
            .unwrap();
        submit(&c, "#status-form").await;
        wait_text(&c, "#ticket-status", "Gesloten").await;
        assert!(present(&c, "#desk-done").await);
    };
    let outcome = tokio::time::timeout(Duration::from_secs(150), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two and a half minutes");
}

/// Seed 004's settings as an editor uses them, in a real browser: a logo
/// upload, a colour pair the contrast guard refuses (with the reason) and
/// one it takes, a page message for the invoices page written with the
/// rich-text editor (bold and a link) that the customer then sees there,
/// the invitation mail's preview and a test mail to the editor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hci_editor_sets_branding_message_and_checks_a_template_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (_portal, info, base) = serve_demo(&dir).await;
    let customer = info["logins"][0]["email"].as_str().unwrap().to_string();
    let editor = hci_demo::STAFF[2].1;
    let logo = dir.path().join("logo.png");
    std::fs::write(&logo, portal_testkit::PNG).unwrap();
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        staff_log_in(&c, &base, editor, hci_demo::PASSWORD, None).await;
        // An editor starts where the role may work: no customer pages.
        assert!(!present_now(&c, "a[href='/staff/tickets']").await);
        // Logo.
        c.goto(&format!("{base}/staff/branding")).await.unwrap();
        wait_for(&c, "#field-logo")
            .await
            .unwrap()
            .send_keys(logo.to_str().unwrap())
            .await
            .unwrap();
        submit(&c, "#logo-form").await;
        assert!(
            present(&c, "#branding-done").await,
            "{}",
            text(&c, "main").await
        );
        assert!(present(&c, "#logo-preview").await);
        // A pair that fails the contrast guard, then one that passes.
        fill(&c, "#field-primary", "#777777").await;
        fill(&c, "#field-primary_text", "#888888").await;
        click(&c, "#colours-save").await;
        let refused = text(&c, "#error-primary").await;
        assert!(refused.contains("4,5:1"), "{refused}");
        fill(&c, "#field-primary", "#0b4f6c").await;
        fill(&c, "#field-primary_text", "#ffffff").await;
        click(&c, "#colours-check").await;
        wait_text(&c, "#contrast-verdict", "voldoet").await;
        click(&c, "#colours-save").await;
        assert!(
            present(&c, "#branding-done").await,
            "{}",
            text(&c, "main").await
        );

        // A page message for the invoices page: bold text and a link.
        c.goto(&format!("{base}/staff/messages")).await.unwrap();
        wait_for(&c, "#field-page")
            .await
            .unwrap()
            .select_by_value("/invoices")
            .await
            .unwrap();
        wait_for(&c, "#field-kind")
            .await
            .unwrap()
            .select_by_value("important")
            .await
            .unwrap();
        let editor_box = wait_for(&c, "#message-form .richtext__editor")
            .await
            .unwrap();
        editor_box.click().await.unwrap();
        click(&c, "#message-form .richtext__button[title='Vet']").await;
        editor_box
            .send_keys("Nieuwe factuuradressen")
            .await
            .unwrap();
        click(&c, "#message-form .richtext__button[title='Vet']").await;
        editor_box.send_keys(" per 1 januari, lees ").await.unwrap();
        click(&c, "#message-form .richtext__button[title='Link']").await;
        c.send_alert_text("https://www.hci.example/facturen")
            .await
            .unwrap();
        c.accept_alert().await.unwrap();
        editor_box.send_keys("meer").await.unwrap();
        submit(&c, "#message-form").await;
        assert!(
            present(&c, "#messages-done").await,
            "{}",
            text(&c, "main").await
        );

        // The invitation mail: a preview, then a test mail to the editor.
        c.goto(&format!(
            "{base}/staff/templates/auth.invite?lang=nl&form=formal"
        ))
        .await
        .unwrap();
        click(&c, "#template-preview-button").await;
        assert!(
            present(&c, "#template-preview").await,
            "{}",
            text(&c, "main").await
        );
        submit(&c, "#template-test").await;
        assert!(text(&c, "#template-done").await.contains(editor));
        click(&c, "#staff-logout").await;
        wait_for(&c, "#staff-login-form").await.unwrap();

        // The customer sees the message on the invoices page, with its link.
        log_in(&c, &base, &customer, hci_demo::PASSWORD).await;
        assert_eq!(at(&c, "/").await, "/");
        c.goto(&format!("{base}/invoices")).await.unwrap();
        let shown = wait_for(&c, ".page-message__body b, .page-message__body strong")
            .await
            .unwrap();
        assert!(
            shown
                .text()
                .await
                .unwrap()
                .contains("Nieuwe factuuradressen")
        );
        assert!(present(&c, "a[href='https://www.hci.example/facturen']").await);
        let mut mailbox = String::new();
        for _ in 0..50 {
            mailbox = list_text(&c, &base, "/mailbox").await;
            if mailbox.contains(editor) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            mailbox.contains(editor),
            "the test mail is in the mailbox: {mailbox}"
        );
    };
    let outcome = tokio::time::timeout(Duration::from_secs(150), result).await;
    let _ = c.close().await;
    outcome.expect("the flow finished within two and a half minutes");
}

/// True when the element is on the page now (no waiting).
async fn present_now(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css)).await.is_ok()
}
