//! Keeps a channel's days and months in step with its readings. After
//! readings between instants `from` and `to` changed (new ones, or a
//! correction of an older one), only the days those readings reach are
//! derived again, inside the caller's transaction:
//!
//! - `D`: the last local day before `from`'s day that has a reading; the
//!   stretches that start on `D` or later may have changed;
//! - `E`: the first local day after `to`'s day that has a reading; the
//!   stretches from `E` on have not;
//! - the readings from the first one on `D` up to the first one on `E` are
//!   loaded, their days in `[D, E)` derived (`derive::daily`) and written
//!   over the stored ones; the months those days fall in are summed again
//!   from the days.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use portal_core::db::{DbError, Tx};
use portal_core::sea_query::{Expr, ExprTrait, Order, Query, Value};
use portal_core::tenant::TenantScope;

use crate::derive::{self, local_day, month_of};

/// The UTC instant a local (Dutch) day starts.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    portal_core::web::format::from_local(day.and_time(chrono::NaiveTime::MIN))
}

/// The channel a recompute is for, with what its derived rows carry.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: i64,
    pub location_id: i64,
    pub kind: String,
}

async fn one_reading(
    tx: &mut Tx,
    scope: TenantScope,
    channel: i64,
    cond: portal_core::sea_query::SimpleExpr,
    order: Order,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let rows: Vec<(DateTime<Utc>,)> = tx
        .fetch_all(
            &scope
                .select("consumption_readings")
                .column("read_at")
                .and_where(Expr::col("channel_id").eq(channel))
                .and_where(cond)
                .order_by("read_at", order)
                .limit(1)
                .to_owned(),
        )
        .await?;
    Ok(rows.into_iter().next().map(|r| r.0))
}

/// Derives the days and months of `channel` again after its readings
/// between `from` and `to` (inclusive) changed.
///
/// # Errors
/// A database failure.
pub async fn channel(
    tx: &mut Tx,
    scope: TenantScope,
    channel: &Channel,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(), DbError> {
    let before = one_reading(
        tx,
        scope,
        channel.id,
        Expr::col("read_at").lt(day_start(local_day(from))),
        Order::Desc,
    )
    .await?;
    let first_day = before.map(local_day);
    let after_start = local_day(to)
        .checked_add_days(Days::new(1))
        .map_or(to, day_start);
    let after = one_reading(
        tx,
        scope,
        channel.id,
        Expr::col("read_at").gte(after_start),
        Order::Asc,
    )
    .await?;
    let last_day = after.map(local_day);
    let mut q = scope.select("consumption_readings");
    q.columns(["read_at", "value"])
        .and_where(Expr::col("channel_id").eq(channel.id))
        .order_by("read_at", Order::Asc);
    if let Some(d) = first_day {
        q.and_where(Expr::col("read_at").gte(day_start(d)));
    }
    if let Some(a) = after {
        q.and_where(Expr::col("read_at").lte(a));
    }
    let readings: Vec<(DateTime<Utc>, f64)> = tx.fetch_all(&q).await?;
    let days: BTreeMap<NaiveDate, f64> = derive::daily(&readings)
        .into_iter()
        .filter(|(d, _)| first_day.is_none_or(|f| *d >= f) && last_day.is_none_or(|l| *d < l))
        .collect();
    let mut del = scope.delete("consumption_daily");
    del.and_where(Expr::col("channel_id").eq(channel.id));
    if let Some(f) = first_day {
        del.and_where(Expr::col("day").gte(f));
    }
    if let Some(l) = last_day {
        del.and_where(Expr::col("day").lt(l));
    }
    tx.execute(&del).await?;
    let rows: Vec<Vec<Value>> = days
        .iter()
        .map(|(d, a)| {
            vec![
                scope.tenant_id().into(),
                channel.id.into(),
                channel.location_id.into(),
                channel.kind.as_str().into(),
                (*d).into(),
                (*a).into(),
            ]
        })
        .collect();
    insert(
        tx,
        "consumption_daily",
        [
            "tenant_id",
            "channel_id",
            "location_id",
            "kind",
            "day",
            "amount",
        ],
        rows,
    )
    .await?;
    // The months the changed days fall in, summed again from the days;
    // without a bound below (or above) every month on that side, so a
    // month whose days are all gone loses its row too.
    let lo = first_day.map(month_of);
    let end = last_day
        .map(month_of)
        .map(|m| m.checked_add_months(Months::new(1)).unwrap_or(m));
    let mut read = scope.select("consumption_daily");
    read.columns(["day", "amount"])
        .and_where(Expr::col("channel_id").eq(channel.id));
    let mut del = scope.delete("consumption_monthly");
    del.and_where(Expr::col("channel_id").eq(channel.id));
    if let Some(lo) = lo {
        read.and_where(Expr::col("day").gte(lo));
        del.and_where(Expr::col("month").gte(lo));
    }
    if let Some(end) = end {
        read.and_where(Expr::col("day").lt(end));
        del.and_where(Expr::col("month").lt(end));
    }
    let stored: Vec<(NaiveDate, f64)> = tx.fetch_all(&read).await?;
    let months = derive::monthly(&stored.into_iter().collect());
    tx.execute(&del).await?;
    let rows: Vec<Vec<Value>> = months
        .iter()
        .map(|(m, a)| {
            vec![
                scope.tenant_id().into(),
                channel.id.into(),
                channel.location_id.into(),
                channel.kind.as_str().into(),
                (*m).into(),
                (*a).into(),
            ]
        })
        .collect();
    insert(
        tx,
        "consumption_monthly",
        [
            "tenant_id",
            "channel_id",
            "location_id",
            "kind",
            "month",
            "amount",
        ],
        rows,
    )
    .await
}

/// Inserts rows, 1,000 to a statement.
async fn insert(
    tx: &mut Tx,
    table: &'static str,
    columns: [&'static str; 6],
    rows: Vec<Vec<Value>>,
) -> Result<(), DbError> {
    for chunk in rows.chunks(1000) {
        let mut q = Query::insert();
        q.into_table(table).columns(columns);
        for r in chunk {
            q.values_panic(r.iter().cloned().map(Into::into));
        }
        tx.execute(&q).await?;
    }
    Ok(())
}
