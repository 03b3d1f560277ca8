//! Import benchmark (not a test): 1,000 customers, then 1,000,000 invoices
//! (1,000 per customer, a line each) through the back-office API in calls
//! of 10,000, on a fresh SQLite database; then the same data again (every
//! row unchanged). Prints the time and rows/s of each phase.
//!
//! `cargo bench -p portal-invoices --bench import` (release build). The
//! portal serves 127.0.0.1 over real TCP; the client is in the same process.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at its first failure, like a test

use poem::listener::{Acceptor, Listener, TcpListener};
use portal_core::tenant::repo::{self, NewTenant};
use portal_core::tenant::{AddressForm, Lang};
use portal_core::{Portal, Registry};

#[path = "../../../portal-core/benches/support/http.rs"]
mod http_client;
use http_client::sync_all;

use portal_invoices as _;

const HOST: &str = "bench.localhost";
const CUSTOMERS: usize = 1_000;
const PER_CUSTOMER: usize = 1_000;
const PER_CALL: usize = 10_000;

fn invoice_batch(call: usize) -> String {
    let invoices: Vec<serde_json::Value> = (call * PER_CALL..(call + 1) * PER_CALL)
        .map(|i| {
            let customer = i / PER_CUSTOMER;
            let day = i % PER_CUSTOMER;
            let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(day as u64);
            serde_json::json!({
                "external_id": format!("F{i}"), "customer_external_id": format!("K{customer}"),
                "number": format!("{}-{i:07}", date.format("%Y")), "issued_on": date.to_string(),
                "total_cents": 12_100 + (i % 977) as i64, "vat_cents": 2_100,
                "status": if day > 990 { "open" } else { "paid" },
                "lines": [{"description": "Webhosting Pro", "unit_cents": 10_000, "total_cents": 10_000, "vat_percent": 21}]
            })
        })
        .collect();
    serde_json::json!({ "invoices": invoices }).to_string()
}

fn main() {
    let dir = tempfile::TempDir::new().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
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
                code: "bench".into(),
                name: "Bench".into(),
                default_language: Lang::Nl,
                address_form: AddressForm::Formal,
            },
        )
        .await
        .unwrap();
        repo::set_module_enabled(&db, scope, &portal.state().registry, "invoices", true).await.unwrap();
        let token = repo::create_api_token(&db, scope, "bench", "*").await.unwrap();
        let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await.unwrap();
        let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(portal.endpoint().unwrap()));

        let customers: Vec<serde_json::Value> = (0..CUSTOMERS)
            .map(|c| serde_json::json!({"external_id": format!("K{c}"), "number": format!("{}", 500_000 + c), "name": format!("Klant {c}")}))
            .collect();
        let body = serde_json::json!({ "customers": customers }).to_string();
        let (secs, totals) = sync_all(addr, HOST, &token, "/api/admin/v1/sync/customers", &[body]).await;
        println!("customers:    {CUSTOMERS} in {secs:.1} s  {totals}");

        let calls = CUSTOMERS * PER_CUSTOMER / PER_CALL;
        let bodies: Vec<String> = (0..calls).map(invoice_batch).collect();
        let mb = bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        let total = CUSTOMERS * PER_CUSTOMER;
        let (secs, totals) = sync_all(addr, HOST, &token, "/api/admin/v1/invoices/sync", &bodies).await;
        println!(
            "first import: {total} invoices ({mb:.0} MB JSON, {calls} calls) in {secs:.1} s = {:.0} invoices/s  {totals}",
            total as f64 / secs
        );
        let (secs, totals) = sync_all(addr, HOST, &token, "/api/admin/v1/invoices/sync", &bodies).await;
        println!("same again:   {secs:.1} s = {:.0} invoices/s  {totals}", total as f64 / secs);
        assert_eq!(totals["unchanged"], total as u64, "a resend changes nothing");
    });
}
