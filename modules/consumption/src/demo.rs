//! Demo data (`portal demo`, the energy example): for every location of
//! the demo customers that has no meters yet, heating (GJ) and warm tap
//! water (m³) on one multi-channel meter read remotely every day for three
//! years, with the seasons in it (more heat in winter), and the services
//! with an estimated annual consumption. The readings go through the same
//! sync as the back-office's; a second run changes nothing.

use chrono::{Datelike as _, Days, NaiveDate, Utc};
use portal_core::module::DemoCx;
use portal_core::sea_query::{Expr, ExprTrait};

use crate::recompute::day_start;
use crate::sync::{self, ChannelRow, MeterRow, ReadingRow, ServiceRow};

/// Years of daily readings per demo location.
pub const YEARS: u64 = 3;

/// A day's use of `kind` at location number `n`: heat follows the
/// seasons, the rest varies a little by weekday.
pub fn daily_use(kind: &str, day: NaiveDate, n: usize) -> f64 {
    let t = f64::from(day.ordinal0()) / 365.0 * std::f64::consts::TAU;
    let winter = (t.cos() + 1.0) / 2.0; // 1 in January, 0 in July
    #[allow(clippy::cast_precision_loss)]
    let size = 1.0 + (n % 5) as f64 * 0.15;
    let week = f64::from(day.weekday().num_days_from_monday() % 3) * 0.05;
    let v = match kind {
        "heating" => 0.03 + 0.22 * winter,
        "tap_water" => 0.11 + week * 0.2,
        "cooling" => 0.01 + 0.12 * (1.0 - winter),
        "electricity" => 9.0 + week * 20.0,
        _ => 1.0,
    };
    (v * size * 1000.0).round() / 1000.0
}

/// Readings of `meter`'s `channel` from `start` to `end`, one at each
/// local midnight, each the one before plus a day's use.
pub fn readings(
    meter: &str,
    channel: &str,
    kind: &str,
    n: usize,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<ReadingRow> {
    let mut out = Vec::new();
    let mut value = 1000.0 + 17.0 * f64::from(u32::try_from(n % 50).unwrap_or(0));
    let mut day = start;
    while day <= end {
        out.push(ReadingRow {
            external_id: None,
            meter_external_id: meter.to_string(),
            channel: Some(channel.to_string()),
            read_at: day_start(day),
            value: (value * 1000.0).round() / 1000.0,
            source: "remote".into(),
        });
        value += daily_use(kind, day, n);
        let Some(next) = day.checked_add_days(Days::new(1)) else {
            break;
        };
        day = next;
    }
    out
}

/// Stores readings in calls of the API's size.
///
/// # Errors
/// A refused row or a database failure, as text.
pub async fn store_readings(cx: &DemoCx<'_>, rows: &[ReadingRow]) -> Result<(), String> {
    for chunk in rows.chunks(sync::MAX_ROWS) {
        sync::readings(&cx.deps.db, cx.scope(), chunk)
            .await
            .map_err(|e| e.to_string())?
            .all_stored("reading")?;
    }
    Ok(())
}

/// Writes the demo consumption of every demo location without meters.
///
/// # Errors
/// A refused row or a database failure, as text for the operator.
pub async fn run(cx: &DemoCx<'_>) -> Result<(), String> {
    let (db, scope) = (&cx.deps.db, cx.scope());
    let locations: Vec<(String, i64)> = db
        .fetch_all(
            &scope
                .select("core_locations")
                .column(("core_locations", "external_id"))
                .column(("core_locations", "id"))
                .inner_join(
                    "core_customers",
                    Expr::col(("core_customers", "id")).equals(("core_locations", "customer_id")),
                )
                .and_where(
                    Expr::col(("core_customers", "external_id"))
                        .is_in(cx.customers.iter().cloned()),
                )
                .and_where(Expr::col(("core_locations", "external_id")).is_not_null())
                .to_owned(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let metered: Vec<(i64,)> = db
        .fetch_all(
            &scope
                .select("consumption_meters")
                .column("location_id")
                .to_owned(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let today = Utc::now().date_naive();
    let start = today
        .checked_sub_days(Days::new(365 * YEARS))
        .unwrap_or(today);
    for (n, (loc, id)) in locations.into_iter().enumerate() {
        if metered.iter().any(|m| m.0 == id) {
            continue;
        }
        let service = |kind: &str, unit: &str, estimate: f64| ServiceRow {
            external_id: format!("{loc}-{kind}"),
            location_external_id: loc.clone(),
            kind: kind.into(),
            status: "supplied".into(),
            supply_from: Some(start),
            supply_to: None,
            contract_number: format!("C-{loc}"),
            estimated_annual: Some(estimate),
            unit: unit.into(),
        };
        sync::services(
            db,
            scope,
            &[
                service("heating", "GJ", 30.0),
                service("tap_water", "m3", 45.0),
            ],
        )
        .await
        .map_err(|e| e.to_string())?
        .all_stored("service")?;
        let meter = format!("{loc}-HM");
        sync::meters(
            db,
            scope,
            &[MeterRow {
                external_id: meter.clone(),
                location_external_id: loc.clone(),
                number: format!("WM-{:05}", 10_000 + n),
                active: true,
                channels: vec![
                    ChannelRow {
                        code: "heat".into(),
                        kind: "heating".into(),
                        unit: "GJ".into(),
                    },
                    ChannelRow {
                        code: "water".into(),
                        kind: "tap_water".into(),
                        unit: "m3".into(),
                    },
                ],
            }],
        )
        .await
        .map_err(|e| e.to_string())?
        .all_stored("meter")?;
        let mut rows = readings(&meter, "heat", "heating", n, start, today);
        rows.extend(readings(&meter, "water", "tap_water", n, start, today));
        store_readings(cx, &rows).await?;
    }
    Ok(())
}
