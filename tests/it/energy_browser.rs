//! The energy example's demo (seed 004) in a real browser, with the test
//! kit's accessibility check and its phone and desktop screenshots of
//! every page: the housing corporation logs in with customer number and
//! e-mail, opens heat consumption by month, compares this year with last,
//! narrows it to two of its locations, and downloads the CSV of what is
//! shown; the household sees its own heat in Dutch number format.

use std::time::Duration;

use fantoccini::{Client, Locator};
use portal::Portal;

use crate::energy_demo;
use crate::webdriver::{
    browser_in, fill, log_out, start_driver, submit, text, wait_for, wait_text,
};

async fn serve_demo(dir: &tempfile::TempDir) -> (Portal, serde_json::Value, String) {
    let (portal, acceptor, port) = crate::demo_server::portal_on_free_port(dir).await;
    let info = energy_demo::setup(&portal).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
    (
        portal,
        info,
        format!("http://{}.localhost:{port}", energy_demo::CODE),
    )
}

async fn click(c: &Client, css: &str) {
    wait_for(c, css).await.unwrap().click().await.unwrap();
}

async fn log_in(c: &Client, base: &str, login: &serde_json::Value) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(
        c,
        "#field-customer_number",
        login["customer_number"].as_str().unwrap(),
    )
    .await;
    fill(c, "#field-login", login["email"].as_str().unwrap()).await;
    fill(c, "#field-password", login["password"].as_str().unwrap()).await;
    submit(c, "#login-form").await;
    wait_for(c, ".site-nav").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn energy_demo_consumption_in_a_real_browser() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let (_portal, info, base) = serve_demo(&dir).await;
    let downloads = driver.downloads();
    let c = browser_in(&driver, "nl-NL,nl").await;
    let result = async {
        // The corporation: 40 locations.
        log_in(&c, &base, &info["logins"][1]).await;
        click(&c, ".site-nav a[href='/consumption']").await;
        wait_for(&c, "#service-heating").await.unwrap();
        assert!(text(&c, "#service-electricity").await.contains("kWh"));
        // Heat by month (this year), its chart and table.
        click(
            &c,
            "#service-heating a[href='/consumption/heating?group=month']",
        )
        .await;
        wait_for(&c, "#consumption-table").await.unwrap();
        assert!(
            c.find(Locator::Css(".consumption-chart svg[role='img']"))
                .await
                .is_ok()
        );
        let months = c
            .find_all(Locator::Css("#consumption-table tbody tr"))
            .await
            .unwrap()
            .len();
        assert!(months >= 1, "months of this year");
        // Compare this year with last.
        click(&c, "a.tabs__tab[href='/consumption/heating/compare']").await;
        wait_for(&c, "#compare-table").await.unwrap();
        let header = text(&c, "#compare-table thead").await;
        let year = chrono::Utc::now().format("%Y").to_string();
        assert!(header.contains(&year), "{header}");
        // Two of the corporation's locations: the totals shrink.
        let all_total = text(&c, "#compare-table tfoot").await;
        click(&c, "#location-filter summary").await;
        click(&c, "label[for^='location-']").await;
        let second = c
            .find_all(Locator::Css("#location-filter .checkbox__label"))
            .await
            .unwrap();
        second[1].click().await.unwrap();
        submit(&c, "#compare-filter").await;
        wait_text(&c, "#location-filter summary", "(2)").await;
        let two_total = text(&c, "#compare-table tfoot").await;
        assert_ne!(all_total, two_total, "two locations are not all forty");
        // The CSV of what is shown.
        click(&c, "#compare-export").await;
        let (name, csv) = crate::demo_server::downloaded(&downloads, ".csv").await;
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with('\u{feff}'), "{name}");
        assert_eq!(csv.lines().count(), 13, "a header and twelve months: {csv}");

        // The household changes its advance: outside the range refused with
        // the range named, within it saved.
        log_out(&c).await;
        log_in(&c, &base, &info["logins"][0]).await;
        c.goto(&format!("{base}/advances")).await.unwrap();
        let form = wait_for(&c, "form[id^='advance-form-']").await.unwrap();
        let id = form
            .attr("id")
            .await
            .unwrap()
            .unwrap()
            .replace("advance-form-", "");
        fill(&c, &format!("#field-amount-{id}"), "500").await;
        submit(&c, &format!("#advance-form-{id}")).await;
        let error = wait_text(&c, &format!("#error-amount-{id}"), "187,00").await;
        assert!(error.contains("100,00"), "{error}");
        fill(&c, &format!("#field-amount-{id}"), "140").await;
        submit(&c, &format!("#advance-form-{id}")).await;
        wait_for(&c, "#advance-saved").await.unwrap();
        assert!(text(&c, &format!("#amount-{id}")).await.contains("140,00"));

        // And later moves out: a mistyped IBAN is refused at the field
        // with the rest kept, then the request is sent and shows as New.
        c.goto(&format!("{base}/moves/out")).await.unwrap();
        wait_for(&c, "#move-out-form").await.unwrap();
        let date = (portal::web::format::local(chrono::Utc::now()).date() + chrono::Days::new(14))
            .to_string();
        // The browser's own date widget orders its segments by its UI
        // language; the value is set as the widget would set it.
        c.execute(
            "document.getElementById('field-moving_on').value = arguments[0];",
            vec![serde_json::json!(date)],
        )
        .await
        .unwrap();
        fill(&c, "#field-meter_0", "WM-10000").await;
        fill(&c, "#field-reading_0", "1234,5").await;
        fill(&c, "#field-new_address", "Dorpsstraat 1, 1234 AB Ergens").await;
        fill(&c, "#field-iban", "NL91 ABNA 0417 1643 01").await;
        fill(&c, "#field-account_holder", "Fam. de Boer").await;
        submit(&c, "#move-out-form").await;
        wait_for(&c, "#error-iban").await.unwrap();
        fill(&c, "#field-iban", "NL91 ABNA 0417 1643 00").await;
        submit(&c, "#move-out-form").await;
        wait_for(&c, "#move-sent").await.unwrap();
        assert!(text(&c, "#move-requests").await.contains("Nieuw"));
    };
    let outcome = tokio::time::timeout(Duration::from_secs(240), result).await;
    let _ = c.close().await;
    outcome.expect("the energy browser flow took too long");
}
