//! Logbook benchmark (not a test): 100 customers with 10 locations each
//! (1,000 locations), 20 checkpoints per location (20,000), and 5,000
//! visits with 20 observations each (100,000 observations) plus 3,000
//! recommendations through the back-office API, on a fresh SQLite
//! database (or PostgreSQL with `PORTAL_BENCH_POSTGRES_URL`); then the same
//! data again (every row unchanged); then a location's dashboard, logged
//! in as its customer's main account, 500 times one after another: p50,
//! p99 and max.
//!
//! `cargo bench -p portal-logbook --bench logbook` (release build). The
//! portal serves 127.0.0.1 over real TCP; the client is in the same process.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at its first failure, like a test

use std::time::{Duration, Instant};

use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::auth::accounts::{self, NewAccount};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};
use serde_json::json;

#[path = "../../../portal-core/benches/support/http.rs"]
mod http_client;
use http_client::{http, sync_all};

use portal_logbook as _;

/// The tenant is `<code>.localhost`: its code is unique per run, so the
/// benchmark can run again on the same PostgreSQL database.
const HOST: &str = "localhost";
const CUSTOMERS: usize = 100;
const LOCATIONS: usize = 10;
const CHECKPOINTS: usize = 20;
const VISITS: usize = 5;
const PASSWORD: &str = "Bench-logboek-2026!";

fn loc(c: usize, l: usize) -> String {
    format!("L{c}-{l}")
}

fn checkpoint_batches() -> Vec<String> {
    let rows: Vec<serde_json::Value> = (0..CUSTOMERS)
        .flat_map(|c| (0..LOCATIONS).map(move |l| (c, l)))
        .flat_map(|(c, l)| {
            (0..CHECKPOINTS).map(move |k| {
                json!({"external_id": format!("{}-C{k}", loc(c, l)), "location_external_id": loc(c, l),
                       "code": if k < 12 { "HM" } else { "IM" }, "number": k + 1,
                       "kind": if k < 12 { "Muizenbox" } else { "Insectenmonitor" },
                       "room": format!("Ruimte {}", k % 4), "measure": if k < 12 { "percent" } else { "count" }})
            })
        })
        .collect();
    rows.chunks(10_000)
        .map(|c| json!({"checkpoints": c}).to_string())
        .collect()
}

fn visit_batches() -> Vec<String> {
    let start = chrono::Utc::now().date_naive() - chrono::Days::new(365);
    let rows: Vec<serde_json::Value> = (0..CUSTOMERS)
        .flat_map(|c| (0..LOCATIONS).map(move |l| (c, l)))
        .flat_map(|(c, l)| {
            (0..VISITS).map(move |v| {
                let obs: Vec<serde_json::Value> = (0..CHECKPOINTS)
                    .map(|k| json!({"checkpoint_external_id": format!("{}-C{k}", loc(c, l)),
                                    "value": (k * 7 + v * 3 + c) % 5 * if k < 12 { 25 } else { 1 }}))
                    .collect();
                json!({"external_id": format!("{}-V{v}", loc(c, l)), "location_external_id": loc(c, l),
                       "visited_on": start + chrono::Days::new(70 * v as u64 + l as u64),
                       "technician": "Martijn Bos", "findings": "Alle controlepunten geïnspecteerd.",
                       "materials": [{"name": "Lokaas pasta", "amount": 150.0, "unit": "g"}],
                       "observations": obs})
            })
        })
        .collect();
    rows.chunks(1_000)
        .map(|c| json!({"visits": c}).to_string())
        .collect()
}

fn recommendation_batches() -> Vec<String> {
    let statuses = ["new", "in_progress", "done"];
    let rows: Vec<serde_json::Value> = (0..CUSTOMERS)
        .flat_map(|c| (0..LOCATIONS).map(move |l| (c, l)))
        .flat_map(|(c, l)| {
            (0..3).map(move |r| {
                json!({"external_id": format!("{}-R{r}", loc(c, l)), "location_external_id": loc(c, l),
                       "category": "hygiene", "text": "Meelresten opruimen", "status": statuses[r]})
            })
        })
        .collect();
    vec![json!({ "recommendations": rows }).to_string()]
}

fn main() {
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
        let db = portal_core::db::Db::connect(&url, Default::default())
            .await
            .unwrap();
        let portal = Portal::with_parts(
            config,
            db.clone(),
            Registry::from_inventory().unwrap(),
            true,
        )
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
        repo::set_module_enabled(&db, scope, &state.registry, "logbook", true)
            .await
            .unwrap();
        repo::set_setting(&db, scope, &state.registry, "auth", "login_mode", Some("email"))
            .await
            .unwrap();
        let token = repo::create_api_token(&db, scope, "bench", "*")
            .await
            .unwrap();
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));
        let host = format!("{code}.{HOST}");

        let customers: Vec<serde_json::Value> = (0..CUSTOMERS)
            .map(|c| {
                let locations: Vec<serde_json::Value> = (0..LOCATIONS)
                    .map(|l| json!({"external_id": loc(c, l), "name": format!("Vestiging {l}")}))
                    .collect();
                json!({"external_id": format!("K{c}"), "number": format!("{}", 700_000 + c),
                       "name": format!("Klant {c}"), "locations": locations})
            })
            .collect();
        let body = json!({ "customers": customers }).to_string();
        let (secs, totals) =
            sync_all(addr, &host, &token, "/api/admin/v1/sync/customers", &[body]).await;
        println!("customers + locations: {CUSTOMERS} + {} in {secs:.1} s  {totals}", CUSTOMERS * LOCATIONS);

        let phases: [(&str, &str, Vec<String>, usize); 3] = [
            ("checkpoints", "/api/admin/v1/logbook/checkpoints/sync", checkpoint_batches(), CUSTOMERS * LOCATIONS * CHECKPOINTS),
            ("visits", "/api/admin/v1/logbook/visits/sync", visit_batches(), CUSTOMERS * LOCATIONS * VISITS),
            ("recommendations", "/api/admin/v1/logbook/recommendations/sync", recommendation_batches(), CUSTOMERS * LOCATIONS * 3),
        ];
        for (what, path, bodies, rows) in &phases {
            let mb = bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6;
            let (secs, totals) = sync_all(addr, &host, &token, path, bodies).await;
            let extra = if *what == "visits" {
                format!(" ({} observations)", rows * CHECKPOINTS)
            } else {
                String::new()
            };
            println!(
                "{what}: {rows}{extra} ({mb:.0} MB JSON, {} calls) in {secs:.1} s = {:.0} rows/s  {totals}",
                bodies.len(),
                *rows as f64 / secs
            );
            let (secs, totals) = sync_all(addr, &host, &token, path, bodies).await;
            println!("{what} again: {secs:.1} s  {totals}");
            assert_eq!(totals["unchanged"], *rows as u64, "a resend changes nothing");
        }

        // A main account of customer K42, to read its dashboard.
        let hash = state.hasher.hash(PASSWORD).await.unwrap();
        let customer = accounts::customer_by_number(&db, scope, "700042")
            .await
            .unwrap()
            .unwrap()
            .id;
        let mut tx = db.begin().await.unwrap();
        accounts::insert(
            &mut tx,
            scope,
            &NewAccount {
                customer_id: customer,
                email: "kwaliteit@bench.example".into(),
                is_main: true,
                active: true,
                confirmed: true,
                password_hash: Some(hash),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (_, cookies, body) = http(addr, &host, "GET", "/login", "", "").await;
        let at = body.find("name=\"_csrf\" value=\"").unwrap() + 20;
        let csrf = body[at..at + 64].to_string();
        let form = format!(
            "_csrf={csrf}&login=kwaliteit%40bench.example&password={PASSWORD}&next=%2F"
        );
        let (status, session, _) =
            http(addr, &host, "POST", "/login", &cookies.join("; "), &form).await;
        assert_eq!(status, 303);
        let cookie = session
            .into_iter()
            .find(|c| c.starts_with("portal_session="))
            .unwrap();
        let (location,): (i64,) = db
            .fetch_optional(
                &scope
                    .select("core_locations")
                    .column("id")
                    .and_where(portal_core::sea_query::ExprTrait::eq(
                        portal_core::sea_query::Expr::col("external_id"),
                        "L42-7",
                    ))
                    .to_owned(),
            )
            .await
            .unwrap()
            .unwrap();
        let path = format!("/logbook/{location}");
        let (status, _, page) = http(addr, &host, "GET", &path, &cookie, "").await;
        assert_eq!(status, 200);
        assert!(page.contains("activity-table"), "the dashboard with its chart");
        let mut times: Vec<Duration> = Vec::with_capacity(500);
        for _ in 0..500 {
            let t = Instant::now();
            let (status, _, _) = http(addr, &host, "GET", &path, &cookie, "").await;
            times.push(t.elapsed());
            assert_eq!(status, 200);
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "dashboard ({} observations in the table): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (500 requests, one at a time)",
            CUSTOMERS * LOCATIONS * VISITS * CHECKPOINTS,
            ms(times[249]),
            ms(times[494]),
            ms(times[499])
        );
    });
}
