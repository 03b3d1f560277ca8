//! WebDriver helpers for the real-browser tests: Debian's chromium over
//! chromedriver, headless, with a profile and a download folder of its
//! own.
//!
//! Without chromedriver on the machine [`start_driver`] says the test was
//! skipped; with `PORTAL_TEST_REQUIRE_BROWSER=1` (CI) it fails instead.
//!
//! Every page a test looks at through these helpers is checked with
//! axe-core inside the browser ([`audit`]): a WCAG 2.2 A or AA violation
//! fails the test. axe-core comes from the npm registry (`npm install
//! --prefix target/axe axe-core@4`, as `.ci/run` does); without it the
//! check is skipped and says so, with `PORTAL_TEST_REQUIRE_A11Y=1` (CI) the
//! test fails instead.
//!
//! The same pages are looked at as a phone shows them: each is shown 390
//! pixels wide (a common phone) and at desktop width, saved as screenshots
//! under `target/screenshots/` (not committed), and a page wider than the
//! phone's screen (one that scrolls sideways) fails the test.
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
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
/// submit may still be loading on a busy machine). The page it is on gets
/// the accessibility check.
pub async fn wait_for(
    c: &Client,
    css: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    let found = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await;
    if found.is_ok() {
        audit(c).await;
    }
    found
}

/// axe-core's browser script, read once: `PORTAL_TEST_AXE`, or where
/// `npm install --prefix target/axe axe-core@4` puts it.
fn axe_script() -> Option<&'static str> {
    static SCRIPT: OnceLock<Option<String>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let candidates = std::env::var("PORTAL_TEST_AXE").into_iter().chain(
                ["target", "../target"]
                    .map(|t| format!("{t}/axe/node_modules/axe-core/axe.min.js")),
            );
            let found = candidates
                .into_iter()
                .find_map(|p| std::fs::read_to_string(p).ok());
            if found.is_none() {
                assert!(
                    std::env::var("PORTAL_TEST_REQUIRE_A11Y").is_err(),
                    "PORTAL_TEST_REQUIRE_A11Y is set but axe-core is not installed \
                     (npm install --prefix target/axe axe-core@4)"
                );
                eprintln!(
                    "SKIPPED: the accessibility check (npm install --prefix target/axe axe-core@4)"
                );
            }
            found
        })
        .as_deref()
}

/// Runs axe-core on the page and hands back its WCAG 2.0-2.2 A and AA violations.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
  resultTypes: ['violations']
}).then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)
})))).catch(e => done([{ id: 'axe-failed', impact: 'error', help: String(e), nodes: [] }]));
"#;

/// The accessibility check (axe-core, WCAG 2.2 A and AA) of the page the
/// browser shows, once per page state (its address and its size): any
/// violation fails the test, listed with the elements it concerns.
/// `PORTAL_TEST_A11Y_REPORT=1` lists them without failing (to survey).
pub async fn audit(c: &Client) {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    // The page as loaded (a submit's answer may still be arriving); not a
    // PDF or another file the browser shows by itself.
    let mut key = serde_json::Value::Null;
    for _ in 0..50 {
        key = c
            .execute(
                "return document.readyState !== 'complete' ? 'loading' \
                 : document.contentType !== 'text/html' ? null \
                 : location.href + '|' + document.documentElement.outerHTML.length",
                vec![],
            )
            .await
            .unwrap();
        if key != "loading" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let Some(key) = key.as_str().filter(|k| *k != "loading") else {
        return;
    };
    if !SEEN
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(key.to_string())
    {
        return;
    }
    let url = key.rsplit_once('|').map_or(key, |(u, _)| u);
    phone_and_desktop(c, url).await;
    let Some(axe) = axe_script() else { return };
    c.execute(axe, vec![]).await.unwrap();
    let found = c.execute_async(AXE_RUN, vec![]).await.unwrap();
    let violations = found.as_array().cloned().unwrap_or_default();
    if std::env::var("PORTAL_TEST_A11Y_REPORT").is_ok() {
        eprintln!("a11y: checked {url}: {} violations", violations.len());
    }
    if violations.is_empty() {
        return;
    }
    let list: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "  {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or(""),
                v["impact"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| format!("    - {}", n.as_str().unwrap_or("").replace('\n', " ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
        .collect();
    let report = format!("accessibility violations on {url}:\n{}", list.join("\n"));
    if std::env::var("PORTAL_TEST_A11Y_REPORT").is_ok() {
        eprintln!("{report}");
    } else {
        panic!("{report}");
    }
}

/// The phone's width in CSS pixels.
pub const PHONE_WIDTH: u32 = 390;

/// Screenshots of the page at phone and desktop width under
/// `target/screenshots/`; fails when the page is wider than the phone.
async fn phone_and_desktop(c: &Client, url: &str) {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let lang = c
        .execute("return document.documentElement.lang || ''", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    // The host without its (random) port, the path and query, the language.
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.split(':').next().unwrap_or(host);
    let name: String = format!("{host}/{path}-{lang}")
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .take(150)
        .collect();
    let (w, h) = c.get_window_size().await.unwrap_or((1024, 768));
    c.set_window_size(PHONE_WIDTH, 844).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let measured = c
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth,              Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 \
             || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')).slice(0, 5).map(e => e.outerHTML.slice(0, 160))]",
            vec![],
        )
        .await
        .unwrap();
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}-phone.png")), png);
    }
    c.set_window_size(1280, 900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}-desktop.png")), png);
    }
    c.set_window_size(w as u32, h as u32).await.unwrap();
    let inner = measured[0].as_u64().unwrap_or(0);
    let scroll = measured[1].as_u64().unwrap_or(0);
    // A window the browser would not make this narrow proves nothing.
    if inner <= u64::from(PHONE_WIDTH) {
        assert!(
            scroll <= inner,
            "{url} is {scroll} pixels wide on a {inner}-pixel phone screen; too wide: {}",
            measured[2]
        );
    } else {
        // Where a browser is required (CI), a check that cannot run fails.
        assert!(
            std::env::var("PORTAL_TEST_REQUIRE_BROWSER").is_err(),
            "the browser window could not be made {PHONE_WIDTH} pixels wide ({inner})"
        );
        eprintln!("the browser window could not be made {PHONE_WIDTH} pixels wide ({inner})");
    }
}

pub async fn text(c: &Client, css: &str) -> String {
    wait_for(c, css).await.unwrap().text().await.unwrap()
}

/// The text of `css` once it contains `needle` (a few seconds at most),
/// read again when the page changed under it: for a page that replaces one
/// with the same element (a form posted back to itself).
///
/// # Panics
/// When the text never contains `needle`; the last text read is shown.
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..50 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t.contains(needle) {
                audit(c).await;
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{css} never contained {needle:?}; last: {last}");
}

pub async fn present(c: &Client, css: &str) -> bool {
    wait_for(c, css).await.is_ok()
}

/// Whether `css` is on the page now (no waiting: for what must be absent
/// from a page that has loaded).
pub async fn present_now(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css)).await.is_ok()
}

/// Waits (a few seconds at most) until the browser is at `expected`; the
/// path it ended at, with the page's main text when it is elsewhere.
pub async fn at(c: &Client, expected: &str) -> String {
    let mut now = String::new();
    for _ in 0..50 {
        now = c.current_url().await.unwrap().path().to_string();
        if now == expected {
            audit(c).await;
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
    // Wait until the browser has left the login page (the answer, with
    // its session cookie, has arrived), so the caller's next `goto` does
    // not race it on a busy machine. A refused login stays there: after
    // the wait the caller sees the page as it is.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let left = c
            .current_url()
            .await
            .is_ok_and(|u| !u.path().ends_with("/login"));
        let failed = c.find(Locator::Css("#login-failed")).await.is_ok();
        if left || failed {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

/// Logs a staff member in at `/staff/login`: password, then the code of
/// their authenticator. At a first login the setup page shows the secret,
/// which this reads as a person would type it into an app; later logins
/// pass the `secret` returned the first time. Returns the secret.
pub async fn staff_log_in(
    c: &Client,
    base: &str,
    email: &str,
    password: &str,
    secret: Option<&str>,
) -> String {
    c.goto(&format!("{base}/staff/login")).await.unwrap();
    fill(c, "#field-email", email).await;
    fill(c, "#field-password", password).await;
    submit(c, "#staff-login-form").await;
    wait_for(c, "#staff-code-form").await.unwrap();
    let secret = match secret {
        Some(s) => {
            // A code is accepted once: a later login waits for the next one.
            let now = portal_core::auth::totp::now_secs();
            tokio::time::sleep(Duration::from_secs(31 - now % 30)).await;
            s.to_string()
        }
        None => text(c, "#totp-secret").await.trim().to_string(),
    };
    let code =
        portal_core::auth::totp::code_at(&secret, portal_core::auth::totp::now_secs()).unwrap();
    fill(c, "#field-code", &code).await;
    submit(c, "#staff-code-form").await;
    wait_for(c, "#staff-logout").await.unwrap();
    secret
}
