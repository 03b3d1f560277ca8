//! The delivery worker: claims due events one by one under a lease and a
//! fresh claim token (so two processes never post the same event at the
//! same time, and a worker that lost its lease writes nothing), signs and
//! posts each to its tenant's webhook, and records the result. A failure
//! (no answer, or not 2xx) is retried with doubling backoff up to
//! `events.max_attempts`, then marked failed with the reason; an event of a
//! tenant without a webhook waits until one is set.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_query::{Expr, ExprTrait, Order, Query};
use sha2::Sha256;

use crate::config::EventsConfig;
use crate::db::{Db, DbError};

/// The signature header of a delivery of `body` at unix time `t`.
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    tenant_id: i64,
    kind: String,
    payload: String,
    attempts: i64,
}
crate::from_sqlite! {
    Due { id, tenant_id, kind, payload, attempts }
}

/// Delivers what is due now; returns how many deliveries were tried.
///
/// # Errors
/// A database failure.
pub async fn deliver_due(db: &Db, config: &EventsConfig) -> Result<usize, DbError> {
    let now = Utc::now();
    let due: Vec<(i64,)> = db
        .fetch_all_across_tenants(
            &Query::select()
                .column("id")
                .from("core_events")
                .and_where(Expr::col("delivered_at").is_null())
                .and_where(Expr::col("failed_at").is_null())
                .and_where(Expr::col("next_attempt_at").lte(now))
                .and_where(
                    Expr::col("lease_until")
                        .is_null()
                        .or(Expr::col("lease_until").lt(now)),
                )
                .order_by("id", Order::Asc)
                .limit(20)
                .to_owned(),
        )
        .await?;
    let mut tried = 0;
    for (id,) in due {
        let token = hex::encode(rand::random::<[u8; 16]>());
        let claimed = db
            .execute_across_tenants(
                &Query::update()
                    .table("core_events")
                    .value("claim_token", token.clone())
                    .value("lease_until", now + chrono::Duration::seconds(60))
                    .and_where(Expr::col("id").eq(id))
                    .and_where(Expr::col("delivered_at").is_null())
                    .and_where(
                        Expr::col("lease_until")
                            .is_null()
                            .or(Expr::col("lease_until").lt(now)),
                    )
                    .to_owned(),
            )
            .await?;
        if claimed != 1 {
            continue;
        }
        let Some(e) = db
            .fetch_optional_across_tenants::<Due>(
                &Query::select()
                    .columns(["id", "tenant_id", "kind", "payload", "attempts"])
                    .from("core_events")
                    .and_where(Expr::col("id").eq(id))
                    .to_owned(),
            )
            .await?
        else {
            continue;
        };
        tried += 1;
        deliver_one(db, config, &e, &token).await?;
    }
    Ok(tried)
}

async fn deliver_one(db: &Db, config: &EventsConfig, e: &Due, token: &str) -> Result<(), DbError> {
    let hook: Option<(String, String)> = db
        .fetch_optional_across_tenants(
            &Query::select()
                .columns(["url", "secret"])
                .from("core_webhooks")
                .and_where(Expr::col("tenant_id").eq(e.tenant_id))
                .to_owned(),
        )
        .await?;
    let finish = |q: &mut sea_query::UpdateStatement| {
        q.table("core_events")
            .value("lease_until", None::<chrono::DateTime<Utc>>)
            .and_where(Expr::col("id").eq(e.id))
            .and_where(Expr::col("claim_token").eq(token));
    };
    let Some((url, secret)) = hook else {
        // Waits for a webhook (and stays listable through the API).
        let mut q = Query::update();
        q.value(
            "next_attempt_at",
            Utc::now() + chrono::Duration::seconds(60),
        )
        .value("last_error", "no webhook set");
        finish(&mut q);
        db.execute_across_tenants(&q).await?;
        return Ok(());
    };
    let body = serde_json::json!({
        "id": e.id,
        "kind": e.kind,
        "data": serde_json::from_str::<serde_json::Value>(&e.payload).unwrap_or(serde_json::Value::Null),
    })
    .to_string()
    .into_bytes();
    let t = Utc::now().timestamp();
    let headers = [
        ("x-portal-event", e.kind.clone()),
        ("x-portal-event-id", e.id.to_string()),
        ("x-portal-signature", signature(&secret, t, &body)),
    ];
    let outcome = match crate::events::check_url(&url, config.allow_http) {
        Ok(u) => super::client::post(&u, &headers, body).await,
        Err(why) => Err(why),
    };
    let mut q = Query::update();
    let attempts = e.attempts + 1;
    q.value("attempts", attempts);
    match outcome {
        Ok(status) if (200..300).contains(&status) => {
            q.value("delivered_at", Utc::now()).value("last_error", "");
        }
        other => {
            crate::metrics::count(|m| &m.event_failures);
            let why = match other {
                Ok(status) => format!("the webhook answered {status}"),
                Err(e) => e,
            };
            if attempts >= i64::from(config.max_attempts) {
                q.value("failed_at", Utc::now());
            } else {
                let wait = Ord::min(
                    config
                        .retry_base_secs
                        .saturating_mul(1 << (attempts - 1).clamp(0, 20)),
                    3600,
                );
                q.value(
                    "next_attempt_at",
                    Utc::now() + chrono::Duration::seconds(i64::try_from(wait).unwrap_or(3600)),
                );
            }
            q.value("last_error", why.chars().take(300).collect::<String>());
        }
    }
    finish(&mut q);
    db.execute_across_tenants(&q).await?;
    Ok(())
}

/// Runs the worker until the process ends.
pub async fn run_worker(db: Db, config: Arc<crate::config::Config>) {
    let poll = Duration::from_millis(Ord::max(config.events.poll_ms, 100));
    loop {
        match deliver_due(&db, &config.events).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "event delivery failed"),
        }
        tokio::time::sleep(poll).await;
    }
}
