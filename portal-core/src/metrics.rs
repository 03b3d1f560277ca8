//! Metrics in Prometheus's text format at `GET /metrics`, only with the
//! operator's token (`metrics_token`; without one the path is a 404):
//! requests and their latency per route, the mail and event outboxes
//! (waiting and failed, read from the database at each scrape, so every
//! process reports the same shared queues), mail and event delivery
//! failures, login failures and throttle hits of this process.
//!
//! Routes are paths with ids replaced (`/tickets/{id}`) and, on a shared
//! host, the tenant's code replaced (`/{tenant}/login`); at most
//! [`MAX_ROUTES`] distinct routes are kept, the rest count as `other`, so a
//! scanner cannot grow the memory without bound.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use sea_query::{Expr, ExprTrait, Func, Query};

use crate::db::{Db, DbError};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];
/// The most distinct routes kept.
pub const MAX_ROUTES: usize = 300;

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// This process's counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
    pub login_failures: AtomicU64,
    pub throttle_hits: AtomicU64,
    pub mail_failures: AtomicU64,
    pub event_failures: AtomicU64,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::default);

/// The process's metrics.
pub fn get() -> &'static Metrics {
    &METRICS
}

/// Counts one more of `counter` (a field of [`Metrics`]).
pub fn count(counter: fn(&Metrics) -> &AtomicU64) {
    counter(get()).fetch_add(1, Ordering::Relaxed);
}

/// A path as a route label: numbers and long hex or base64url tokens become
/// `{id}`, and `tenant_prefix` (the first segment on a shared host) becomes
/// `{tenant}`.
pub fn route_of(path: &str, tenant_prefix: bool) -> String {
    let mut out = String::new();
    for (i, seg) in path.split('/').enumerate().skip(1) {
        out.push('/');
        let id_like = !seg.is_empty()
            && (seg.chars().all(|c| c.is_ascii_digit())
                || (seg.len() >= 16
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')));
        if i == 1 && tenant_prefix {
            out.push_str("{tenant}");
        } else if id_like {
            out.push_str("{id}");
        } else {
            out.push_str(seg);
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

impl Metrics {
    /// Records one answered request.
    pub fn request(&self, method: &str, route: String, status: u16, took: Duration) {
        let Ok(mut map) = self.requests.lock() else {
            return;
        };
        // Any token is a method to hyper: only the standard ones are kept.
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "OTHER",
        };
        let mut key = (method.to_string(), route, status);
        if !map.contains_key(&key) && map.len() >= MAX_ROUTES {
            key.1 = "other".into();
        }
        let s = map.entry(key).or_default();
        let secs = took.as_secs_f64();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }
}

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn count_rows(db: &Db, table: &str, waiting: bool, failed_col: &str) -> Result<i64, DbError> {
    let mut q = Query::select();
    q.expr(Func::count(Expr::col("id"))).from(table.to_string());
    if waiting {
        q.and_where(Expr::col(failed_col.to_string()).is_null());
        if table == "core_events" {
            q.and_where(Expr::col("delivered_at").is_null());
        }
    } else {
        q.and_where(Expr::col(failed_col.to_string()).is_not_null());
    }
    let rows: Vec<(i64,)> = db.fetch_all_across_tenants(&q).await?;
    Ok(rows.first().map_or(0, |r| r.0))
}

async fn mail_by_status(db: &Db) -> Result<Vec<(String, i64)>, DbError> {
    let q = Query::select()
        .column("status")
        .expr(Func::count(Expr::col("id")))
        .from("mail_outbox")
        .and_where(Expr::col("status").is_in(["queued", "sending", "failed"]))
        .group_by_col("status")
        .to_owned();
    db.fetch_all_across_tenants(&q).await
}

/// The text a scrape gets.
///
/// # Errors
/// A database failure while reading the outboxes.
pub async fn render(db: &Db) -> Result<String, DbError> {
    let m = get();
    // Read before this scrape's own queries.
    let statements = db.round_trips();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP portal_http_requests_total Requests answered, by method, route and status.\n# TYPE portal_http_requests_total counter"
    );
    let mut hist = String::new();
    let _ = writeln!(
        hist,
        "# HELP portal_http_request_duration_seconds Time to answer, by method and route.\n# TYPE portal_http_request_duration_seconds histogram"
    );
    if let Ok(map) = m.requests.lock() {
        let mut by_route: BTreeMap<(String, String), Series> = BTreeMap::new();
        for ((method, route, status), s) in map.iter() {
            let _ = writeln!(
                out,
                "portal_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {}",
                label(method),
                label(route),
                s.count
            );
            let agg = by_route.entry((method.clone(), route.clone())).or_default();
            agg.count += s.count;
            agg.sum += s.sum;
            for (a, b) in agg.buckets.iter_mut().zip(s.buckets) {
                *a += b;
            }
        }
        for ((method, route), s) in by_route {
            let l = format!("method=\"{}\",route=\"{}\"", label(&method), label(&route));
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    hist,
                    "portal_http_request_duration_seconds_bucket{{{l},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                hist,
                "portal_http_request_duration_seconds_bucket{{{l},le=\"+Inf\"}} {}\nportal_http_request_duration_seconds_sum{{{l}}} {}\nportal_http_request_duration_seconds_count{{{l}}} {}",
                s.count, s.sum, s.count
            );
        }
    }
    out.push_str(&hist);
    let _ = writeln!(
        out,
        "# HELP portal_mail_outbox Mails in the outbox by status (all processes).\n# TYPE portal_mail_outbox gauge"
    );
    let mut statuses: BTreeMap<String, i64> = ["queued", "sending", "failed"]
        .iter()
        .map(|s| ((*s).to_string(), 0))
        .collect();
    for (status, n) in mail_by_status(db).await? {
        statuses.insert(status, n);
    }
    for (status, n) in statuses {
        let _ = writeln!(out, "portal_mail_outbox{{status=\"{status}\"}} {n}");
    }
    let waiting = count_rows(db, "core_events", true, "failed_at").await?;
    let failed = count_rows(db, "core_events", false, "failed_at").await?;
    let _ = writeln!(
        out,
        "# HELP portal_event_outbox Events for the back-office by state (all processes).\n# TYPE portal_event_outbox gauge\nportal_event_outbox{{state=\"waiting\"}} {waiting}\nportal_event_outbox{{state=\"failed\"}} {failed}"
    );
    for (name, help, v) in [
        (
            "portal_mail_delivery_failures_total",
            "Failed mail delivery attempts of this process.",
            &m.mail_failures,
        ),
        (
            "portal_event_delivery_failures_total",
            "Failed webhook delivery attempts of this process.",
            &m.event_failures,
        ),
        (
            "portal_login_failures_total",
            "Failed password logins at this process.",
            &m.login_failures,
        ),
        (
            "portal_throttle_hits_total",
            "Attempts a throttle held back at this process.",
            &m.throttle_hits,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
            v.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(
        out,
        "# HELP portal_db_statements_total Statements this process sent to the database (BEGIN and COMMIT included).\n# TYPE portal_db_statements_total counter\nportal_db_statements_total {statements}"
    );
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn routes_hide_ids_and_tenants() {
        assert_eq!(
            route_of("/tickets/12/files/3", false),
            "/tickets/{id}/files/{id}"
        );
        assert_eq!(route_of("/hci/login", true), "/{tenant}/login");
        assert_eq!(
            route_of("/password/reset/0123456789abcdef0123", false),
            "/password/reset/{id}"
        );
        assert_eq!(route_of("/", false), "/");
    }

    #[test]
    fn routes_beyond_the_cap_count_as_other() {
        let m = Metrics::default();
        for i in 0..(MAX_ROUTES + 5) {
            m.request("GET", format!("/r{i}"), 200, Duration::from_millis(3));
        }
        for i in 0..50 {
            m.request(&format!("X{i}"), "/".into(), 200, Duration::from_millis(3));
        }
        let map = m.requests.lock().unwrap();
        assert_eq!(
            map.len(),
            MAX_ROUTES + 2,
            "one `other` route, one `OTHER` method"
        );
        assert_eq!(map[&("GET".into(), "other".into(), 200)].count, 5);
    }
}
