//! Back-office sync benchmark (not a test): 100,000 customers, each with a
//! location, through the API in calls of 10,000, on a fresh SQLite
//! database (or PostgreSQL with `PORTAL_BENCH_POSTGRES_URL`, an empty
//! database); then the same data again (every row unchanged).
//!
//! `cargo bench -p portal-core --bench sync` (release build). The portal
//! serves 127.0.0.1 over real TCP; the client is in the same process.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at its first failure, like a test

use std::time::Instant;

use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};

#[path = "support/http.rs"]
mod http_client;
use http_client::sync_all;

const HOST: &str = "sync.localhost";
const CUSTOMERS: usize = 100_000;
const PER_CALL: usize = 10_000;

fn batch(from: usize) -> String {
    let customers: Vec<serde_json::Value> = (from..from + PER_CALL)
        .map(|i| {
            serde_json::json!({
                "external_id": format!("K{i}"),
                "number": format!("{}", 100_000 + i),
                "name": format!("Klant {i} BV"),
                "email": format!("administratie{i}@klant.example"),
                "payment_method": "Automatische incasso",
                "invoice_address": format!("Dorpsstraat {i}\n1234 AB Ergens"),
                "locations": [{"external_id": format!("L{i}"), "name": "Vestiging", "address": format!("Dorpsstraat {i}")}],
            })
        })
        .collect();
    serde_json::json!({ "customers": customers }).to_string()
}

fn main() {
    let dir = tempfile::TempDir::new().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = std::env::var("PORTAL_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("portal.db").display()));
        let mut config = portal_core::config::Config {
            data_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        config.database.url = url.clone();
        let db = portal_core::db::Db::connect(&url, Default::default()).await.unwrap();
        let portal = Portal::with_parts(config, db.clone(), Registry::from_inventory().unwrap(), true)
            .await
            .unwrap();
        let scope = repo::create(
            &db,
            &NewTenant {
                code: "sync".into(),
                name: "Sync".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            },
        )
        .await
        .unwrap();
        let token = repo::create_api_token(&db, scope, "bench", "*").await.unwrap();
        let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await.unwrap();
        let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));

        let bodies: Vec<String> = (0..CUSTOMERS).step_by(PER_CALL).map(batch).collect();
        let mb = bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        let (secs, totals) = sync_all(addr, HOST, &token, "/api/admin/v1/sync/customers", &bodies).await;
        println!(
            "first sync:  {CUSTOMERS} customers + {CUSTOMERS} locations ({mb:.0} MB JSON, {} calls) in {secs:.1} s = {:.0} customers/s = {:.0} rows/s  {totals}",
            bodies.len(),
            CUSTOMERS as f64 / secs,
            2.0 * CUSTOMERS as f64 / secs
        );
        let (secs, totals) = sync_all(addr, HOST, &token, "/api/admin/v1/sync/customers", &bodies).await;
        println!(
            "same again:  {secs:.1} s = {:.0} customers/s = {:.0} rows/s  {totals}",
            CUSTOMERS as f64 / secs,
            2.0 * CUSTOMERS as f64 / secs
        );
        assert_eq!(totals["unchanged"], CUSTOMERS as u64, "a resend changes nothing");
        // The same once more without HTTP and JSON: what the sync itself costs.
        let parsed: Vec<Vec<portal_core::access::sync::CustomerRow>> = bodies
            .iter()
            .map(|b| {
                let v: serde_json::Value = serde_json::from_str(b).unwrap();
                serde_json::from_value(v["customers"].clone()).unwrap()
            })
            .collect();
        let start = Instant::now();
        for rows in &parsed {
            portal_core::access::sync::upsert_customers(&db, scope, rows).await.unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "in process:  {secs:.1} s = {:.0} customers/s (unchanged, no HTTP or JSON)",
            CUSTOMERS as f64 / secs
        );
    });
}
