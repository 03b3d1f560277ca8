//! Login benchmark (not a test): how many logins a second this machine
//! does, and whether a logged-in page stays fast while logins run.
//!
//! `cargo bench -p portal-core --bench login` (release build). A portal
//! on a fresh SQLite database serves 127.0.0.1 over real TCP; the load
//! comes from the same process on its own runtime thread, so both share
//! the machine's cores (as a reverse proxy would).
//!
//! Phases:
//! 1. idle: a logged-in page (`/`) requested one after another, p50/p99;
//! 2. capacity: 8 clients log in as fast as they can for 10 s: logins/s;
//! 3. loaded: logins arrive at 50/s (as many at once as needed) while the
//!    page is requested as in 1: its p99 against the idle p99.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at its first failure, like a test

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::auth::accounts::{self, NewAccount};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};

const PASSWORD: &str = "Bench-wachtwoord-lang-1";
const HOST: &str = "bench.localhost";
const ACCOUNTS: usize = 50;

#[path = "support/http.rs"]
mod http_client;
use http_client::http;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The CSRF cookie and its token, from the login page.
async fn csrf(addr: SocketAddr) -> (String, String) {
    let (_, cookies, body) = http(addr, HOST, "GET", "/login", "", "").await;
    let at = body.find("name=\"_csrf\" value=\"").expect("csrf field") + 20;
    let token = body[at..at + 64].to_string();
    (cookies.join("; "), token)
}

/// Logs in account `i`; returns the session cookie.
async fn login(addr: SocketAddr, csrf: &(String, String), i: usize) -> Option<String> {
    let body = format!(
        "_csrf={}&login=user{i}%40bench.example&password={PASSWORD}&next=%2F",
        csrf.1
    );
    let (status, cookies, _) = http(addr, HOST, "POST", "/login", &csrf.0, &body).await;
    (status == 303)
        .then(|| {
            cookies
                .into_iter()
                .find(|c| c.starts_with("portal_session="))
        })
        .flatten()
}

/// Requests the logged-in page `n` times, one after another.
async fn page_latencies(
    addr: SocketAddr,
    cookie: &str,
    n: usize,
    pause: Duration,
) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let (status, _, body) = http(addr, HOST, "GET", "/", cookie, "").await;
        out.push(t.elapsed());
        assert!(
            status == 200 && body.contains("user-info"),
            "page not logged in: {status}"
        );
        tokio::time::sleep(pause).await;
    }
    out.sort();
    out
}

fn main() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    let addr = server.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        let mut config = portal_core::config::Config::default();
        config.database.url = url.clone();
        config.data_dir = dir.path().to_path_buf();
        let db = portal_core::db::Db::connect(&url, Default::default())
            .await
            .expect("db");
        let portal = Portal::with_parts(
            config,
            db.clone(),
            Registry::from_inventory().expect("registry"),
            true,
        )
        .await
        .expect("portal");
        let state = portal.state().clone();
        let scope = repo::create(
            &db,
            &NewTenant {
                code: "bench".into(),
                name: "Bench".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            },
        )
        .await
        .expect("tenant");
        repo::set_setting(
            &db,
            scope,
            &state.registry,
            "auth",
            "login_mode",
            Some("email"),
        )
        .await
        .expect("mode");
        let hash = state.hasher.hash(PASSWORD).await.expect("hash");
        let mut tx = db.begin().await.expect("tx");
        let customer = accounts::upsert_customer(&mut tx, scope, "1", "Bench")
            .await
            .expect("customer");
        for i in 0..ACCOUNTS {
            accounts::insert(
                &mut tx,
                scope,
                &NewAccount {
                    customer_id: customer,
                    email: format!("user{i}@bench.example"),
                    username: None,
                    display_name: String::new(),
                    lang: None,
                    is_main: true,
                    active: true,
                    confirmed: true,
                    password_hash: Some(hash.clone()),
                    ..Default::default()
                },
            )
            .await
            .expect("account");
        }
        tx.commit().await.expect("commit");
        // What one argon2 verify costs here, alone.
        let t = Instant::now();
        for _ in 0..20 {
            state
                .hasher
                .verify(PASSWORD, Some(&hash))
                .await
                .expect("verify");
        }
        println!(
            "argon2id verify:  {:.1} ms each (20 in a row)",
            ms(t.elapsed()) / 20.0
        );
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind");
        let addr = acceptor.local_addr()[0]
            .as_socket_addr()
            .copied()
            .expect("addr");
        let endpoint = portal.endpoint().expect("endpoint");
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(endpoint));
        addr
    });

    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    client.block_on(async move {
        let token = csrf(addr).await;
        let cookie = login(addr, &token, 0).await.expect("first login");
        page_latencies(addr, &cookie, 100, Duration::ZERO).await;

        let pause = Duration::from_millis(2);
        let idle = page_latencies(addr, &cookie, 2000, pause).await;
        println!(
            "idle page:        p50 {:.2} ms  p99 {:.2} ms  ({} requests)",
            ms(percentile(&idle, 0.5)),
            ms(percentile(&idle, 0.99)),
            idle.len()
        );

        // Capacity: 8 clients logging in back to back.
        let done = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let window = Duration::from_secs(10);
        let mut tasks = vec![];
        for w in 0..8 {
            let token = token.clone();
            let done = done.clone();
            tasks.push(tokio::spawn(async move {
                let mut i = w;
                while start.elapsed() < window {
                    if login(addr, &token, i % ACCOUNTS).await.is_some() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    i += 8;
                }
            }));
        }
        for t in tasks {
            t.await.expect("worker");
        }
        let rate = done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
        println!("capacity:         {rate:.1} logins/s (8 clients, 10 s)");

        // Loaded: 50 logins/s arriving on a clock, the page measured meanwhile.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let ok = Arc::new(AtomicU64::new(0));
        let started = Arc::new(AtomicU64::new(0));
        let generator = {
            let (stop, ok, started, token) = (stop.clone(), ok.clone(), started.clone(), token.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(20));
                let mut i = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    let (ok, token) = (ok.clone(), token.clone());
                    started.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(async move {
                        if login(addr, &token, i % ACCOUNTS).await.is_some() {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                    });
                    i += 1;
                }
            })
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        let t0 = Instant::now();
        let ok0 = ok.load(Ordering::Relaxed);
        let loaded = page_latencies(addr, &cookie, 2000, pause).await;
        let achieved = (ok.load(Ordering::Relaxed) - ok0) as f64 / t0.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        generator.await.expect("generator");
        println!(
            "page under logins: p50 {:.2} ms  p99 {:.2} ms  ({} requests, {achieved:.1} logins/s done meanwhile)",
            ms(percentile(&loaded, 0.5)),
            ms(percentile(&loaded, 0.99)),
            loaded.len()
        );
        let ratio = ms(percentile(&loaded, 0.99)) / ms(percentile(&idle, 0.99));
        println!(
            "p99 loaded / idle: {ratio:.2}x (target: at most 2x) -> {}",
            if ratio <= 2.0 { "met" } else { "NOT met" }
        );
    });
    drop(server);
}
