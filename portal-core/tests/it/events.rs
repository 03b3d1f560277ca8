//! Events to the back-office: written in the change's transaction,
//! delivered to the tenant's webhook signed (HMAC-SHA256 over timestamp and
//! body), retried while the receiver is down or failing, given up after
//! the last attempt, and listable through the API. The receiver is a real
//! HTTP server on 127.0.0.1 that checks every signature.

use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use poem::http::{Method, StatusCode};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{EndpointExt, Request, handler};
use portal_core::events;
use sha2::Sha256;

use crate::support::{TestDb, db_test, portal_with, tenant};

#[derive(Default)]
struct Seen {
    /// Requests to answer 503 before answering 200.
    fail_first: usize,
    calls: usize,
    verified: Vec<serde_json::Value>,
    bad_signatures: usize,
    secret: String,
}

#[handler]
async fn receive(
    req: &Request,
    body: Vec<u8>,
    seen: poem::web::Data<&Arc<Mutex<Seen>>>,
) -> StatusCode {
    let mut s = seen.lock().unwrap();
    s.calls += 1;
    let header = req.header("x-portal-signature").unwrap_or("").to_string();
    let (t, v1) = header
        .split_once(',')
        .map(|(t, v)| (t.trim_start_matches("t="), v.trim_start_matches("v1=")))
        .unwrap_or(("", ""));
    let mut mac = Hmac::<Sha256>::new_from_slice(s.secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&body);
    if hex::encode(mac.finalize().into_bytes()) != v1 {
        s.bad_signatures += 1;
        return StatusCode::UNAUTHORIZED;
    }
    if s.calls <= s.fail_first {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    s.verified.push(serde_json::from_slice(&body).unwrap());
    StatusCode::OK
}

async fn receiver(seen: Arc<Mutex<Seen>>) -> u16 {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(receive.data(seen)));
    port
}

fn closed_port() -> u16 {
    // Bound and dropped: nothing listens there.
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn webhooks_are_signed_retried_and_listed(tdb: TestDb) {
    let mut config = tdb.config();
    config.events.retry_base_secs = 0;
    config.events.max_attempts = 3;
    let p = portal_with(&tdb, config.clone()).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = portal_core::tenant::repo::create_api_token(&tdb.db, s, "bo", "events")
        .await
        .unwrap();
    let put = |url: String| {
        let p = &p;
        let token = token.clone();
        async move {
            p.req(Method::PUT, "acme.localhost", "/api/admin/v1/webhook")
                .bearer(&token)
                .json(&serde_json::json!({ "url": url }))
                .send()
                .await
        }
    };
    // Plain http is refused unless the operator allows it.
    let r = put("http://127.0.0.1:9/hook".into()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("https"), "{}", r.body);
    config.events.allow_http = true;
    let p = portal_with(&tdb, config.clone()).await;
    let put = |url: String| {
        let p = &p;
        let token = token.clone();
        async move {
            p.req(Method::PUT, "acme.localhost", "/api/admin/v1/webhook")
                .bearer(&token)
                .json(&serde_json::json!({ "url": url }))
                .send()
                .await
        }
    };
    let seen = Arc::new(Mutex::new(Seen {
        fail_first: 2,
        ..Seen::default()
    }));
    let port = receiver(seen.clone()).await;

    // The receiver is down: the event waits and is tried again.
    let r = put(format!("http://127.0.0.1:{}/hook", closed_port())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut tx = tdb.db.begin().await.unwrap();
    let id = events::emit(&mut tx, s, "test.happened", &serde_json::json!({"n": 1}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A rolled-back change emits nothing.
    let mut tx = tdb.db.begin().await.unwrap();
    events::emit(&mut tx, s, "test.rolled_back", &serde_json::json!({}))
        .await
        .unwrap();
    drop(tx);
    events::deliver::deliver_due(&tdb.db, &config.events)
        .await
        .unwrap();
    let list = events::list(&tdb.db, s, 0, 10).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].attempts, 1);
    assert!(list[0].delivered_at.is_none() && !list[0].last_error.is_empty());

    // Up again, but failing twice (503), then accepting: delivered, signed.
    let r = put(format!("http://127.0.0.1:{port}/hook")).await;
    let secret: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    seen.lock().unwrap().secret = secret["secret"].as_str().unwrap().to_string();
    for _ in 0..2 {
        events::deliver::deliver_due(&tdb.db, &config.events)
            .await
            .unwrap();
    }
    let e = &events::list(&tdb.db, s, 0, 10).await.unwrap()[0];
    assert!(e.failed_at.is_some(), "three attempts at most: {e:?}");
    assert!(e.last_error.contains("503"), "{e:?}");

    // A second event, with more attempts allowed: delivered on the third call.
    config.events.max_attempts = 5;
    seen.lock().unwrap().calls = 0;
    let mut tx = tdb.db.begin().await.unwrap();
    let second = events::emit(&mut tx, s, "test.again", &serde_json::json!({"n": 2}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..3 {
        events::deliver::deliver_due(&tdb.db, &config.events)
            .await
            .unwrap();
    }
    let (bad, verified) = {
        let seen_now = seen.lock().unwrap();
        (seen_now.bad_signatures, seen_now.verified.clone())
    };
    assert_eq!(bad, 0, "every delivery was signed right");
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0]["id"], second);
    assert_eq!(verified[0]["kind"], "test.again");
    assert_eq!(verified[0]["data"]["n"], 2);
    // Through the API, with delivery state; a key of another scope gets nothing.
    let r = p
        .req(
            Method::GET,
            "acme.localhost",
            &format!("/api/admin/v1/events?after={id}"),
        )
        .bearer(&token)
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let listed: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0]["delivered_at"].is_string());
    let other = portal_core::tenant::repo::create_api_token(&tdb.db, s, "bo", "sync")
        .await
        .unwrap();
    let r = p
        .req(Method::GET, "acme.localhost", "/api/admin/v1/events")
        .bearer(&other)
        .send()
        .await;
    assert_eq!(r.status, 401);
    // The signature is over the body: a changed byte does not verify.
    let sig = events::deliver::signature("geheim", 1_700_000_000, b"{\"a\":1}");
    assert_ne!(
        sig,
        events::deliver::signature("geheim", 1_700_000_000, b"{\"a\":2}")
    );
    assert!(sig.starts_with("t=1700000000,v1="));
}
db_test!(webhooks_are_signed_retried_and_listed);

/// Finding 8 of the outside-in test: a 100 KB webhook address was
/// accepted; now it is refused, and the OpenAPI document states the limit.
async fn a_webhook_address_has_a_stated_limit(tdb: TestDb) {
    let p = portal_with(&tdb, tdb.config()).await;
    let s = tenant(&tdb.db, "acme", "Acme").await;
    let token = portal_core::tenant::repo::create_api_token(&tdb.db, s, "bo", "*")
        .await
        .unwrap();
    let url = format!("https://hooks.example/{}", "a".repeat(100 * 1024));
    let r = p
        .req(Method::PUT, "acme.localhost", "/api/admin/v1/webhook")
        .bearer(&token)
        .json(&serde_json::json!({ "url": url }))
        .send()
        .await;
    assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(300)]);
    let spec: serde_json::Value =
        serde_json::from_str(&p.get("acme.localhost", "/api/openapi.json").await.body).unwrap();
    let webhook = spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(name, _)| name.contains("Webhook"))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert_eq!(webhook["properties"]["url"]["maxLength"], 2000, "{webhook}");
}
db_test!(a_webhook_address_has_a_stated_limit);
