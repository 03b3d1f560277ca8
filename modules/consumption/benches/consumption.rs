//! Consumption benchmark (not a test): ten years of daily readings for
//! `PORTAL_BENCH_METERS` meters (default 1,000; the figure is
//! 10,000) through the back-office API in calls of 10,000, on a fresh
//! SQLite database (or PostgreSQL with `PORTAL_BENCH_POSTGRES_URL`); the
//! first customer has 50 locations, the others one each. Then, logged in
//! as the first customer, 200 requests one after another of: the
//! month-by-month page over ten years, the comparison of this year with
//! last, and the day-by-day page of a year; p50, p99, max of each.
//!
//! `cargo bench -p portal-consumption --bench consumption` (release build).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at its first failure, like a test

use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::auth::accounts::{self, NewAccount};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};
use serde_json::json;

#[path = "../../../portal-core/benches/support/http.rs"]
mod http_client;
use http_client::{http, sync_all};

use portal_consumption as _;

const DAYS: u64 = 3653;
const FIRST_LOCATIONS: usize = 50;
const PASSWORD: &str = "Bench-verbruik-2026!";

/// Meter `m`'s location: the first 50 are the first customer's.
fn location(m: usize) -> String {
    format!("L{m}")
}

fn customer_of(m: usize) -> usize {
    if m < FIRST_LOCATIONS {
        0
    } else {
        m - FIRST_LOCATIONS + 1
    }
}

fn main() {
    let meters: usize = std::env::var("PORTAL_BENCH_METERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::TempDir::new().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = std::env::var("PORTAL_BENCH_POSTGRES_URL").unwrap_or_else(|_| {
            format!("sqlite://{}", dir.path().join("portal.db").display())
        });
        let mut config = portal_core::config::Config {
            data_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        config.database.url = url.clone();
        let db = portal_core::db::Db::connect(&url, Default::default()).await.unwrap();
        let portal = Portal::with_parts(config, db.clone(), Registry::from_inventory().unwrap(), true)
            .await
            .unwrap();
        let state = portal.state();
        let code = format!("bench{}", std::process::id());
        let scope = repo::create(
            &db,
            &NewTenant {
                code: code.clone(),
                name: "Bench".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            },
        )
        .await
        .unwrap();
        repo::set_module_enabled(&db, scope, &state.registry, "consumption", true).await.unwrap();
        repo::set_setting(&db, scope, &state.registry, "auth", "login_mode", Some("email")).await.unwrap();
        let token = repo::create_api_token(&db, scope, "bench", "*").await.unwrap();
        let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await.unwrap();
        let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
        let host = format!("{code}.localhost");

        let customers = customer_of(meters - 1) + 1;
        let rows: Vec<serde_json::Value> = (0..customers)
            .map(|c| {
                let locs: Vec<serde_json::Value> = (0..meters)
                    .filter(|m| customer_of(*m) == c)
                    .map(|m| json!({"external_id": location(m), "name": format!("Adres {m}")}))
                    .collect();
                json!({"external_id": format!("K{c}"), "number": format!("{}", 600_000 + c),
                       "name": format!("Klant {c}"), "locations": locs})
            })
            .collect();
        let (secs, totals) = sync_all(
            addr, &host, &token, "/api/admin/v1/sync/customers",
            &[json!({ "customers": rows }).to_string()],
        )
        .await;
        println!("customers: {customers} ({meters} locations) in {secs:.1} s  {totals}");
        let meter_rows: Vec<serde_json::Value> = (0..meters)
            .map(|m| json!({"external_id": format!("M{m}"), "location_external_id": location(m),
                            "number": format!("WM-{m}"), "channels": [{"code": "heat", "kind": "heating", "unit": "GJ"}]}))
            .collect();
        let (secs, totals) = sync_all(
            addr, &host, &token, "/api/admin/v1/consumption/meters/sync",
            &[json!({ "meters": meter_rows }).to_string()],
        )
        .await;
        println!("meters: {meters} in {secs:.1} s  {totals}");

        // Ten years of readings per meter, 10,000 to a call, made as they are sent.
        let today = Utc::now().date_naive();
        let start = today.checked_sub_days(Days::new(DAYS - 1)).unwrap();
        let per_call = 10_000usize;
        let total = meters * DAYS as usize;
        let t = Instant::now();
        let mut sent = 0usize;
        let mut created = 0u64;
        let mut body: Vec<serde_json::Value> = Vec::with_capacity(per_call);
        for m in 0..meters {
            let mut value = 100.0f64;
            for d in 0..DAYS {
                let day = start + Days::new(d);
                body.push(json!({"meter_external_id": format!("M{m}"), "channel": "heat",
                                 "read_at": format!("{day}T00:00:00+01:00"), "value": (value * 1000.0).round() / 1000.0}));
                value += 0.05 + ((d % 365) as f64 / 365.0 * std::f64::consts::TAU).cos().abs() * 0.2;
                if body.len() == per_call {
                    let (_, totals) = sync_all(addr, &host, &token, "/api/admin/v1/consumption/readings/sync",
                        &[json!({ "readings": body }).to_string()]).await;
                    created += totals["created"].as_u64().unwrap_or(0);
                    sent += body.len();
                    body.clear();
                }
            }
        }
        if !body.is_empty() {
            let (_, totals) = sync_all(addr, &host, &token, "/api/admin/v1/consumption/readings/sync",
                &[json!({ "readings": body }).to_string()]).await;
            created += totals["created"].as_u64().unwrap_or(0);
            sent += body.len();
        }
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(created as usize, total, "every reading stored");
        println!(
            "readings: {sent} ({meters} meters x {DAYS} days) in {secs:.1} s = {:.0} readings/s (days and months derived in the same calls)",
            sent as f64 / secs
        );

        // The first customer (50 locations) reads its pages.
        let customer = accounts::customer_by_number(&db, scope, "600000").await.unwrap().unwrap().id;
        let hash = state.hasher.hash(PASSWORD).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        accounts::insert(&mut tx, scope, &NewAccount {
            customer_id: customer,
            email: "beheer@bench.example".into(),
            is_main: true,
            active: true,
            confirmed: true,
            password_hash: Some(hash),
            ..Default::default()
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (_, cookies, body) = http(addr, &host, "GET", "/login", "", "").await;
        let at = body.find("name=\"_csrf\" value=\"").unwrap() + 20;
        let csrf = body[at..at + 64].to_string();
        let form = format!("_csrf={csrf}&login=beheer%40bench.example&password={PASSWORD}&next=%2F");
        let (status, session, _) = http(addr, &host, "POST", "/login", &cookies.join("; "), &form).await;
        assert_eq!(status, 303);
        let cookie = session.into_iter().find(|c| c.starts_with("portal_session=")).unwrap();
        let year_ago = today.checked_sub_days(Days::new(364)).unwrap();
        let pages = [
            ("month by month, ten years", format!("/consumption/heating?group=month&from={start}&to={today}")),
            ("this year against last", "/consumption/heating/compare?period=year".to_string()),
            ("day by day, one year", format!("/consumption/heating?group=day&from={year_ago}&to={today}")),
        ];
        for (what, path) in &pages {
            let (status, _, page) = http(addr, &host, "GET", path, &cookie, "").await;
            assert_eq!(status, 200, "{path}");
            assert!(page.contains("<svg"), "{path}");
            let mut times: Vec<Duration> = Vec::with_capacity(200);
            for _ in 0..200 {
                let t = Instant::now();
                let (status, _, _) = http(addr, &host, "GET", path, &cookie, "").await;
                times.push(t.elapsed());
                assert_eq!(status, 200);
            }
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{what} (50 locations): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (200 requests, one at a time)",
                ms(times[99]), ms(times[197]), ms(times[199])
            );
        }
    });
}
