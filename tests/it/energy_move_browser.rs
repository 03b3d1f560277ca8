//! Seed 004 from move-in to move-out in a real browser, every page under
//! the test kit's accessibility check: a new resident, on a phone-sized
//! window and with the keyboard alone (Tab, typing, Space, Enter; no
//! clicks), finds the move-in on the start page and completes the seven
//! steps (an unknown house number first); staff process the request; the
//! back-office's sync makes the customer, its contract and its account
//! (an invitation) and links the request; the resident sets a password
//! from the invitation, logs in, sees consumption and invoices, changes
//! the advance within the range, and later moves out.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use poem::test::TestClient;
use serde_json::json;

use crate::energy_demo;
use crate::webdriver::{browser_in, fill, follow_mail_link, staff_log_in, submit, text, wait_for};

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';
const SPACE: char = '\u{E00D}';
const BACKSPACE: char = '\u{E003}';

/// Presses keys as a keyboard does: into whatever has the focus.
async fn keys(c: &Client, typed: &str) {
    let mut a = KeyActions::new("keyboard".into());
    for ch in typed.chars() {
        a = a
            .then(KeyAction::Down { value: ch })
            .then(KeyAction::Up { value: ch });
    }
    c.perform_actions(a).await.unwrap();
}

/// What has the focus: its id, or its tag and address.
async fn focused(c: &Client) -> String {
    c.execute(
        "const e = document.activeElement; return e ? (e.id || (e.tagName + ' ' + (e.getAttribute('href') || ''))) : '';",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Tabs forward until `want` (an id, or "A <href>") has the focus; a page
/// whose field cannot be reached by Tab fails here.
async fn tab_to(c: &Client, want: &str) {
    for _ in 0..80 {
        if focused(c).await == want {
            return;
        }
        keys(c, &TAB.to_string()).await;
    }
    panic!("{want} is not reached with Tab (at {})", focused(c).await);
}

/// Tabs to a field and types into it.
async fn type_into(c: &Client, id: &str, typed: &str) {
    tab_to(c, id).await;
    keys(c, typed).await;
}

/// Tabs to the wizard's Next button and presses Enter; waits for `next`.
async fn next(c: &Client, then: &str) {
    tab_to(c, "wizard-next").await;
    keys(c, &ENTER.to_string()).await;
    wait_for(c, then).await.unwrap();
}

/// The demo's API with its token, in process (the back-office's calls).
async fn api(
    api: &TestClient<poem::endpoint::BoxEndpoint<'static>>,
    token: &str,
    method: poem::http::Method,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = api
        .request(method, path)
        .header("host", format!("{}.localhost", energy_demo::CODE))
        .header("authorization", format!("Bearer {token}"))
        .body_json(&body)
        .send()
        .await
        .0;
    let status = r.status().as_u16();
    let bytes = r.into_body().into_vec().await.unwrap_or_default();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn energy_move_in_to_move_out_in_a_real_browser() {
    let Some(driver) = crate::webdriver::start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(&dir).await;
    let info = energy_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    let base = format!("http://{}.localhost:{port}", energy_demo::CODE);
    let token = info["api_token"].as_str().unwrap().to_string();
    let backoffice = TestClient::new(portal.endpoint().unwrap());
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // A phone: the start page, by keyboard to the move-in.
        c.set_window_size(crate::webdriver::PHONE_WIDTH, 844)
            .await
            .unwrap();
        c.goto(&format!("{base}/login")).await.unwrap();
        wait_for(&c, "#start-actions").await.unwrap();
        assert!(text(&c, "h1").await.contains("Hoe kunnen wij helpen?"));
        assert!(
            c.find(Locator::Css("#header-help[href^='mailto:']"))
                .await
                .is_ok()
        );
        tab_to(&c, "A /moves/in").await;
        keys(&c, &ENTER.to_string()).await;
        // 1. The address: 15 is not known (the contact is named), 14 is.
        wait_for(&c, "#field-postcode").await.unwrap();
        type_into(&c, "field-postcode", energy_demo::VACANT.0).await;
        type_into(&c, "field-house_number", "15").await;
        next(&c, "#unknown-address").await;
        assert!(
            text(&c, "#unknown-address")
                .await
                .contains("klantenservice@")
        );
        tab_to(&c, "field-house_number").await;
        keys(&c, &format!("{BACKSPACE}{BACKSPACE}14")).await;
        next(&c, "#field-moving_on").await;
        // 2. The key date, typed into the date field's segments in the
        // order the browser's language shows them (dd-mm-jjjj in Dutch).
        let date = portal::web::format::local(chrono::Utc::now()).date() + chrono::Days::new(12);
        let order = c
            .execute(
                "return new Intl.DateTimeFormat().formatToParts(new Date(2026, 11, 18))\
                 .filter(p => p.type !== 'literal').map(p => p.type)",
                vec![],
            )
            .await
            .unwrap();
        let typed: String = order
            .as_array()
            .unwrap()
            .iter()
            .map(|p| match p.as_str().unwrap() {
                "day" => date.format("%d").to_string(),
                "month" => date.format("%m").to_string(),
                _ => date.format("%Y").to_string(),
            })
            .collect();
        type_into(&c, "field-moving_on", &typed).await;
        let value = c
            .execute(
                "return document.getElementById('field-moving_on').value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            value,
            json!(date.to_string()),
            "the date as typed in {order}"
        );
        next(&c, "#field-reading_0").await;
        // 3. Start readings per register (the last known ones are named).
        assert!(text(&c, "#move-in-form").await.contains("WM-20014"));
        type_into(&c, "field-reading_0", "125,5").await;
        type_into(&c, "field-reading_1", "50").await;
        next(&c, "#field-customer_kind").await;
        // 4. Personal data: the kind chosen by typing its first letter.
        tab_to(&c, "field-customer_kind").await;
        keys(&c, "P").await;
        type_into(&c, "field-name", "Eva de Vries").await;
        type_into(&c, "field-email", "eva.devries@example.nl").await;
        next(&c, "#field-correspondence").await;
        // 5. Post to the new address (the default).
        next(&c, "#field-payment").await;
        // 6. Direct debit with the mandate.
        type_into(&c, "field-iban", "NL91 ABNA 0417 1643 00").await;
        type_into(&c, "field-account_holder", "E. de Vries").await;
        tab_to(&c, "field-mandate").await;
        keys(&c, &SPACE.to_string()).await;
        next(&c, "#move-in-summary").await;
        // 7. The summary: products and the proposed advance; the terms.
        let summary = text(&c, "#move-in-summary").await;
        assert!(
            summary.contains("Warmte, Warm tapwater") && summary.contains("95,00"),
            "{summary}"
        );
        assert!(c.find(Locator::Css("#terms-link a")).await.is_ok());
        tab_to(&c, "field-terms").await;
        keys(&c, &SPACE.to_string()).await;
        next(&c, "#move-in-done").await;
        c.set_window_size(1024, 768).await.unwrap();

        // Staff process it.
        c.delete_all_cookies().await.unwrap();
        staff_log_in(
            &c,
            &base,
            info["staff"][0]["email"].as_str().unwrap(),
            energy_demo::PASSWORD,
            None,
        )
        .await;
        c.goto(&format!("{base}/staff/requests")).await.unwrap();
        wait_for(&c, "a[href*='/staff/moves/move-ins/']")
            .await
            .unwrap();
        let links = c
            .find_all(Locator::Css("a[href*='/staff/moves/move-ins/']"))
            .await
            .unwrap();
        let mut href = String::new();
        for l in links {
            if l.text().await.unwrap().contains("Kastanjelaan 14") {
                href = l.attr("href").await.unwrap().unwrap();
            }
        }
        assert!(!href.is_empty(), "Eva's move-in is in the list");
        let id: i64 = href.rsplit('/').next().unwrap().parse().unwrap();
        c.goto(&format!("{base}{href}")).await.unwrap();
        assert!(text(&c, "#move-name").await.contains("Eva de Vries"));
        assert!(text(&c, "#move-readings").await.contains("125,5"));
        c.find(Locator::Css("#field-status"))
            .await
            .unwrap()
            .select_by_value("processed")
            .await
            .unwrap();
        fill(
            &c,
            "#field-message",
            "Welkom! Uw contract volgt per e-mail.",
        )
        .await;
        submit(&c, "#move-status-form").await;
        wait_for(&c, "#move-done").await.unwrap();

        // The back-office: the customer with its location, the contract's
        // advance, the account with an invitation, the link to the request.
        let post = poem::http::Method::POST;
        let (st, r) = api(&backoffice, &token, post.clone(), "/api/admin/v1/sync/customers", json!({"customers": [
            {"external_id": "wo-devries", "number": "50003", "name": "Eva de Vries", "email": "eva.devries@example.nl",
             "locations": [{"external_id": "wo-devries-1", "name": "Kastanjelaan 14", "address": "Kastanjelaan 14\n7511 AB Enschede"}]}
        ]})).await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = api(&backoffice, &token, post.clone(), "/api/admin/v1/advances/contracts/sync", json!({"contracts": [
            {"external_id": "WN-2026-0999", "customer_external_id": "wo-devries", "contract_number": "WN-2026-0999",
             "description": "Warmte en warm tapwater, Kastanjelaan 14", "amount_cents": 9500}
        ]})).await;
        assert_eq!(st, 200, "{r}");
        // Consumption and invoices for the new customer as the modules'
        // demo writes them (through the same sync functions); before the
        // account, so that the invitation is the newest mail.
        let state = portal.state();
        let scope = portal::tenant::repo::scope_for_code(&state.db, energy_demo::CODE)
            .await
            .unwrap()
            .unwrap();
        portal::cli::demo::module_data(state, scope, &["wo-devries".to_string()])
            .await
            .unwrap();
        let (st, r) = api(&backoffice, &token, post.clone(), "/api/admin/v1/sync/accounts", json!({"welcome": "invite", "accounts": [
            {"external_id": "wo-devries-login", "customer_external_id": "wo-devries", "email": "eva.devries@example.nl",
             "first_name": "Eva", "last_name": "de Vries", "main": true, "active": true}
        ]})).await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = api(
            &backoffice,
            &token,
            poem::http::Method::PUT,
            &format!("/api/admin/v1/moves/move-ins/{id}/customer"),
            json!({"customer_external_id": "wo-devries"}),
        )
        .await;
        assert_eq!(st, 204, "{r}");
        c.goto(&format!("{base}{href}")).await.unwrap();
        assert!(text(&c, "#move-customer").await.contains("50003"));

        // The resident accepts the invitation and logs in.
        c.delete_all_cookies().await.unwrap();
        follow_mail_link(&c, &base, "/password/set/").await;
        let pw = "Warme-kastanje-14-bloeit";
        // The link asks who it is for: customer number and e-mail.
        fill(&c, "#field-customer_number", "50003").await;
        fill(&c, "#field-login", "eva.devries@example.nl").await;
        fill(&c, "#field-password", pw).await;
        fill(&c, "#field-repeat", pw).await;
        submit(&c, "#password-form").await;
        if wait_for(&c, "#password-set").await.is_err() {
            panic!("no password set: {}", text(&c, "main").await);
        }
        fill(&c, "#field-customer_number", "50003").await;
        fill(&c, "#field-login", "eva.devries@example.nl").await;
        fill(&c, "#field-password", pw).await;
        submit(&c, "#login-form").await;
        wait_for(&c, ".site-nav").await.unwrap();
        // Consumption and invoices.
        c.goto(&format!("{base}/consumption")).await.unwrap();
        wait_for(&c, "#service-heating").await.unwrap();
        c.goto(&format!("{base}/invoices")).await.unwrap();
        wait_for(&c, "table tbody tr").await.unwrap();
        // The advance, within 80 % to 150 % of 95,00.
        c.goto(&format!("{base}/advances")).await.unwrap();
        let form = wait_for(&c, "form[id^='advance-form-']").await.unwrap();
        let contract = form
            .attr("id")
            .await
            .unwrap()
            .unwrap()
            .replace("advance-form-", "");
        fill(&c, &format!("#field-amount-{contract}"), "110").await;
        submit(&c, &format!("#advance-form-{contract}")).await;
        wait_for(&c, "#advance-saved").await.unwrap();
        assert!(
            text(&c, &format!("#amount-{contract}"))
                .await
                .contains("110,00")
        );
        // Later: the move-out.
        c.goto(&format!("{base}/moves/out")).await.unwrap();
        wait_for(&c, "#move-out-form").await.unwrap();
        let out = (portal::web::format::local(chrono::Utc::now()).date() + chrono::Days::new(60))
            .to_string();
        c.execute(
            "document.getElementById('field-moving_on').value = arguments[0];",
            vec![json!(out)],
        )
        .await
        .unwrap();
        fill(&c, "#field-meter_0", "WM-20014").await;
        fill(&c, "#field-reading_0", "131,0").await;
        fill(&c, "#field-new_address", "Dorpsstraat 1, 1234 AB Ergens").await;
        fill(&c, "#field-iban", "NL91 ABNA 0417 1643 00").await;
        fill(&c, "#field-account_holder", "E. de Vries").await;
        submit(&c, "#move-out-form").await;
        wait_for(&c, "#move-sent").await.unwrap();
        assert!(text(&c, "#move-requests").await.contains("Kastanjelaan 14"));
    };
    let outcome = tokio::time::timeout(Duration::from_secs(300), result).await;
    let _ = c.close().await;
    outcome.expect("the move-in to move-out flow took too long");
}
