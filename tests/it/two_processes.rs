//! Two `portal serve` processes on one PostgreSQL (issue 22): a session made
//! on one is valid on the other and ends on both at logout; a role taken
//! away shows on both at once; a branding
//! change on one shows on the other within a second; each mail and each
//! event is delivered exactly once with workers in both; throttles count
//! across both. Real OS processes of the `portal` binary, a real SMTP
//! server (aiosmtpd) and a real webhook receiver. Runs on PostgreSQL only
//! (SQLite is one process's embedded database).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{EndpointExt, Route, handler, post};
use portal::access::{Role, Roles, load};
use portal::auth::accounts::{self, NewAccount};
use portal::tenant::repo::{self, NewTenant};
use portal::tenant::{AddressForm, Lang};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PW: &str = "Twee-processen-2026!";

/// A child process killed when the test ends, however it ends.
struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn cookies(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| {
                let (k, v) = v.split(';').next()?.split_once('=')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect()
    }
}

/// One HTTP/1.1 request over a fresh connection.
async fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: acme.localhost:{port}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        unchunk(rest)
    } else {
        rest.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn csrf_of(body: &str) -> String {
    let at = body.find("name=\"_csrf\" value=\"").unwrap() + 20;
    body[at..at + 64].to_string()
}

fn jar(cookies: &[(String, String)]) -> String {
    cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn merge(into: &mut Vec<(String, String)>, new: Vec<(String, String)>) {
    for (k, v) in new {
        into.retain(|(x, _)| *x != k);
        if !v.is_empty() {
            into.push((k, v));
        }
    }
}

/// Logs in on `port`; the cookies after the attempt, and whether it got a session.
async fn login(port: u16, cookies: &mut Vec<(String, String)>, pw: &str) -> bool {
    let page = http(port, "GET", "/login", &[("cookie", &jar(cookies))], "").await;
    merge(cookies, page.cookies());
    let form = format!(
        "_csrf={}&login=jan%40example.nl&password={}&next=%2F",
        csrf_of(&page.body),
        url::form_urlencoded::byte_serialize(pw.as_bytes()).collect::<String>()
    );
    let r = http(
        port,
        "POST",
        "/login",
        &[
            ("cookie", &jar(cookies)),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &form,
    )
    .await;
    merge(cookies, r.cookies());
    r.status == 303 && r.header("location").is_some_and(|l| !l.contains("login"))
}

/// A GET as a browser makes it: a `307` to the same address (a page whose
/// kept session changed while it was read, PostgreSQL) is asked again.
async fn get(port: u16, path: &str, cookies: &[(String, String)]) -> Answer {
    let cookie = jar(cookies);
    let r = http(port, "GET", path, &[("cookie", &cookie)], "").await;
    if r.status == 307 && r.header("location") == Some(path) {
        return http(port, "GET", path, &[("cookie", &cookie)], "").await;
    }
    r
}

async fn logged_in(port: u16, cookies: &[(String, String)]) -> bool {
    get(port, "/settings", cookies).await.status == 200
}

fn serve(url: &str, port: u16, smtp: u16, dir: &std::path::Path) -> Proc {
    let child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("PORTAL_DATABASE_URL", url)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_DATA_DIR", dir)
        .env("PORTAL_MIGRATE_ON_START", "false")
        .env("PORTAL_LOG", "warn")
        .env("PORTAL_MAIL_TRANSPORT", "smtp")
        .env("PORTAL_MAIL_SMTP_HOST", "127.0.0.1")
        .env("PORTAL_MAIL_SMTP_PORT", smtp.to_string())
        .env("PORTAL_MAIL_SMTP_TLS", "none")
        .env("PORTAL_MAIL_POLL_MS", "50")
        .env("PORTAL_EVENTS_POLL_MS", "50")
        .env("PORTAL_EVENTS_ALLOW_HTTP", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Proc(child)
}

async fn wait_up(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("portal on port {port} did not start");
}

#[handler]
async fn hook(
    req: &poem::Request,
    seen: poem::web::Data<&Arc<Mutex<HashMap<String, usize>>>>,
) -> &'static str {
    let id = req.header("x-portal-event-id").unwrap_or("").to_string();
    *seen.lock().unwrap().entry(id).or_default() += 1;
    "ok"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_sessions_branding_outboxes_and_throttles() {
    let Some(tdb) = portal_testkit::TestDb::postgres().await else {
        eprintln!("SKIPPED: two processes need PostgreSQL (PORTAL_TEST_POSTGRES_URL)");
        return;
    };
    let python_smtp = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !python_smtp {
        assert!(
            std::env::var("PORTAL_TEST_REQUIRE_SMTP").is_err(),
            "PORTAL_TEST_REQUIRE_SMTP is set but aiosmtpd is not installed"
        );
        eprintln!("SKIPPED: pip install aiosmtpd for the two-process test");
        return;
    }
    // Migrate and seed once, as a deploy job would.
    let dir = tempfile::TempDir::new().unwrap();
    let mut config = portal::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    config.database.url.clone_from(&tdb.url);
    let seed = portal::Portal::open(config, true).await.unwrap();
    let st = seed.state();
    let scope = repo::create(
        &st.db,
        &NewTenant {
            code: "acme".into(),
            name: "Acme".into(),
            default_language: Lang::Nl,
            address_form: AddressForm::Formal,
        },
    )
    .await
    .unwrap();
    let mut tx = st.db.begin().await.unwrap();
    let customer = accounts::upsert_customer(&mut tx, scope, "1001", "Jansen")
        .await
        .unwrap();
    let jan = accounts::insert(
        &mut tx,
        scope,
        &NewAccount {
            customer_id: customer,
            email: "jan@example.nl".into(),
            display_name: "Jan".into(),
            is_main: true,
            active: true,
            confirmed: true,
            password_hash: Some(st.hasher.hash(PW).await.unwrap()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let admin = Roles::new([Role::Admin]);
    load::set_roles(&mut tx, scope, jan, &admin).await.unwrap();
    tx.commit().await.unwrap();
    let token = repo::create_api_token(&st.db, scope, "bo", "*")
        .await
        .unwrap();

    // A real SMTP server and a webhook receiver.
    let smtp_port = free_port();
    let smtp_dir = tempfile::TempDir::new().unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/portal-core/tests/it/smtp_server.py"
    );
    let mut smtp = Proc(
        Command::new("python3")
            .args([
                script,
                &smtp_port.to_string(),
                &smtp_dir.path().display().to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(smtp.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let hook_port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    let receiver = tokio::spawn(
        poem::Server::new_with_acceptor(acceptor)
            .run(Route::new().at("/hook", post(hook)).data(seen.clone())),
    );
    portal::events::set_webhook(&st.db, scope, &format!("http://127.0.0.1:{hook_port}/hook"))
        .await
        .unwrap();

    let (a, b) = (free_port(), free_port());
    let (dir_a, dir_b) = (
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
    );
    let _pa = serve(&tdb.url, a, smtp_port, dir_a.path());
    let _pb = serve(&tdb.url, b, smtp_port, dir_b.path());
    wait_up(a).await;
    wait_up(b).await;

    // A session made on A is valid on B; a logout on B ends it on both.
    let mut cookies = Vec::new();
    assert!(login(a, &mut cookies, PW).await, "login on A");
    assert!(logged_in(a, &cookies).await);
    assert!(logged_in(b, &cookies).await, "A's session on B");
    // Each process keeps the account's roles; a change made elsewhere (here
    // by the deploy job's handle) shows on the next page of both.
    let contacts = async |port: u16| get(port, "/organisation/contacts", &cookies).await.status;
    assert_eq!(
        (contacts(a).await, contacts(b).await),
        (200, 200),
        "an admin's page"
    );
    let mut tx = st.db.begin().await.unwrap();
    load::set_roles(&mut tx, scope, jan, &Roles::new([]))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (contacts(a).await, contacts(b).await),
        (404, 404),
        "no longer an admin, on both"
    );
    let mut tx = st.db.begin().await.unwrap();
    load::set_roles(&mut tx, scope, jan, &admin).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (contacts(a).await, contacts(b).await),
        (200, 200),
        "an admin again, on both"
    );
    let page = get(b, "/settings", &cookies).await;
    let out = http(
        b,
        "POST",
        "/logout",
        &[
            ("cookie", &jar(&cookies)),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &format!("_csrf={}", csrf_of(&page.body)),
    )
    .await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert!(!logged_in(a, &cookies).await, "logged out on A too");
    assert!(!logged_in(b, &cookies).await);

    // A branding change through A shows on B within a second.
    let bearer = format!("Bearer {token}");
    let r = http(
        a,
        "PUT",
        "/api/admin/v1/branding/colours",
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        r##"{"primary": "#0b5394"}"##,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let start = Instant::now();
    loop {
        let css = http(b, "GET", "/branding/brand.css", &[], "").await;
        if css.body.contains("#0b5394") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "B still serves the old colours: {}",
            css.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Ten test mails, queued through both; each arrives exactly once.
    for i in 0..10 {
        let port = if i % 2 == 0 { a } else { b };
        let r = http(
            port,
            "POST",
            "/api/admin/v1/mail/test",
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            &format!(r#"{{"key": "auth.reset", "to": "test{i}@example.nl"}}"#),
        )
        .await;
        assert_eq!(r.status, 202, "{}", r.body);
    }
    // Twenty events, emitted at once; each delivered exactly once.
    let mut tx = st.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(
            portal::events::emit(&mut tx, scope, "test.ping", &serde_json::json!({ "n": i }))
                .await
                .unwrap()
                .to_string(),
        );
    }
    tx.commit().await.unwrap();
    let start = Instant::now();
    loop {
        let mails = std::fs::read_dir(smtp_dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        let events = seen.lock().unwrap().len();
        if mails >= 10 && events >= 20 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{mails} of 10 mails and {events} of 20 events after 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A moment more, for any second delivery to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut to: Vec<String> = std::fs::read_dir(smtp_dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
            v["to"].as_str().unwrap_or("").to_string()
        })
        .collect();
    to.sort();
    let received = to.len();
    to.dedup();
    assert_eq!(
        (received, to.len()),
        (10, 10),
        "each of the ten mails exactly once: {to:?}"
    );
    let delivered = seen.lock().unwrap().clone();
    for id in &ids {
        assert_eq!(
            delivered.get(id),
            Some(&1),
            "event {id} once: {delivered:?}"
        );
    }

    // Throttles count across both: three wrong passwords on each process
    // make six, and the identity is held on both.
    for port in [a, b, a, b, a, b] {
        let mut c = Vec::new();
        assert!(!login(port, &mut c, "fout-fout-fout").await);
    }
    let mut c = Vec::new();
    assert!(
        !login(a, &mut c, PW).await,
        "held after six failures across both"
    );
    let mut c = Vec::new();
    assert!(!login(b, &mut c, PW).await);

    receiver.abort();
    drop(smtp);
}
