//! WebDriver helpers for the real-browser tests: Debian's chromium over
//! chromedriver, headless, with a profile and a download folder of its
//! own. Shared by portal-core's and the facade's test binaries (the facade
//! includes this file by path), so it uses no portal type.
//!
//! Without chromedriver on the machine [`start_driver`] says the test was
//! skipped; with `PORTAL_TEST_REQUIRE_BROWSER=1` (CI) it fails instead.
#![allow(dead_code)] // each binary uses a part

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// chromedriver on a free port, stopped (with its browser) when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Driver {
    /// Where the browser saves downloads.
    pub fn downloads(&self) -> std::path::PathBuf {
        self.profile.path().join("downloads")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ends the browser sessions, then the driver itself.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port)).and_then(|mut s| {
            use std::io::Write;
            s.write_all(b"GET /shutdown HTTP/1.0\r\n\r\n")
        });
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn start_driver() -> Option<Driver> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(path) = path else {
        assert!(
            std::env::var("PORTAL_TEST_REQUIRE_BROWSER").is_err(),
            "PORTAL_TEST_REQUIRE_BROWSER is set but chromedriver is not installed"
        );
        eprintln!("SKIPPED: no chromedriver (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver {
        child,
        port,
        profile: tempfile::TempDir::new().unwrap(),
    })
}

pub async fn browser(d: &Driver) -> Client {
    browser_in(d, "en-US,en").await
}

/// A browser that asks for pages in `accept_language` (e.g. `nl-NL,nl`).
pub async fn browser_in(d: &Driver, accept_language: &str) -> Client {
    let downloads = d.downloads();
    std::fs::create_dir_all(&downloads).unwrap();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "plugins.always_open_pdf_externally": true,
                "intl.accept_languages": accept_language
            },
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1024,768",
                     format!("--lang={}", accept_language.split(',').next().unwrap_or("en")),
                     format!("--user-data-dir={}", d.profile.path().display())]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .unwrap()
}

pub async fn fill(c: &Client, css: &str, text: &str) {
    let e = wait_for(c, css).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

pub async fn submit(c: &Client, form: &str) {
    wait_for(c, &format!("{form} button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The element, once it is there (a few seconds at most: the page after a
/// submit may still be loading on a busy machine).
pub async fn wait_for(
    c: &Client,
    css: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
}

pub async fn text(c: &Client, css: &str) -> String {
    wait_for(c, css).await.unwrap().text().await.unwrap()
}

pub async fn present(c: &Client, css: &str) -> bool {
    wait_for(c, css).await.is_ok()
}

/// Waits (a few seconds at most) until the browser is at `expected`; the
/// path it ended at, with the page's main text when it is elsewhere.
pub async fn at(c: &Client, expected: &str) -> String {
    let mut now = String::new();
    for _ in 0..50 {
        now = c.current_url().await.unwrap().path().to_string();
        if now == expected {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let main = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    format!("{now}\n{main}")
}

/// Opens the newest mail in the mailbox and follows its link containing `part`.
pub async fn follow_mail_link(c: &Client, base: &str, part: &str) {
    // The outbox worker puts the mail in the mailbox within moments.
    for _ in 0..50 {
        c.goto(&format!("{base}/mailbox")).await.unwrap();
        if c.find(Locator::Css("td a[href*='/mailbox/']"))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_for(c, "td a[href*='/mailbox/']")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, &format!("pre.mail-text a[href*='{part}']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

pub async fn log_in(c: &Client, base: &str, email: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#field-login", email).await;
    fill(c, "#field-password", password).await;
    submit(c, "#login-form").await;
}

pub async fn log_out(c: &Client) {
    // The user menu is a <details>: open it, then the form's button.
    wait_for(c, "summary.user-menu__toggle")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "form.user-menu__logout button")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Wait for the logged-out page, so the next `goto` does not race the
    // logout's navigation on a busy machine.
    wait_for(c, "#login-bye").await.unwrap();
}
