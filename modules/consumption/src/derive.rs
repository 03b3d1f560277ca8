//! Consumption from meter readings (seed 004: "the difference between two
//! measurements; a meter read daily gives daily consumption"). Pure
//! functions, so the rule is tested on its own:
//!
//! - a channel's readings in time order; the difference of two consecutive
//!   readings is spread evenly over the local days (Europe/Amsterdam) from
//!   the first reading's day up to, not including, the second's; two
//!   readings on one day count for that day;
//! - a meter change is a new channel, so no difference is ever taken
//!   between two meters: the old meter's last reading and the new one's
//!   first each close their own series;
//! - a reading lower than the one before (a wrong reading the back-office
//!   corrects later) gives no consumption for that stretch rather than a
//!   negative one.
//!
//! Sums over any days therefore equal the last reading minus the first,
//! across day, month and year boundaries.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};

/// The local (Dutch) calendar day of an instant: CET, or CEST in summer
/// time, as `portal_core::web::format` reads moments.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    portal_core::web::format::local(t).date()
}

/// Consumption per local day from readings `(instant, value)` in time order.
pub fn daily(readings: &[(DateTime<Utc>, f64)]) -> BTreeMap<NaiveDate, f64> {
    let mut out: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for pair in readings.windows(2) {
        let (t0, v0) = pair[0];
        let (t1, v1) = pair[1];
        let amount = (v1 - v0).max(0.0);
        let (d0, d1) = (local_day(t0), local_day(t1));
        let days = (d1 - d0).num_days();
        if days <= 0 {
            *out.entry(d0).or_default() += amount;
            continue;
        }
        #[allow(clippy::cast_precision_loss)]
        let share = amount / days as f64;
        let mut d = d0;
        while d < d1 {
            *out.entry(d).or_default() += share;
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
    }
    out
}

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Days summed per month.
pub fn monthly(days: &BTreeMap<NaiveDate, f64>) -> BTreeMap<NaiveDate, f64> {
    let mut out: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (d, a) in days {
        *out.entry(month_of(*d)).or_default() += a;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    /// Local midnight of a day in winter (CET, UTC+1).
    fn midnight(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap() - chrono::Duration::hours(1)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn daily_readings_give_daily_consumption_across_year_end() {
        let r = [
            (midnight(2025, 12, 30), 100.0),
            (midnight(2025, 12, 31), 103.5),
            (midnight(2026, 1, 1), 110.0),
            (midnight(2026, 1, 2), 111.0),
        ];
        let d = daily(&r);
        assert_eq!(d[&day(2025, 12, 30)], 3.5);
        assert_eq!(d[&day(2025, 12, 31)], 6.5);
        assert_eq!(d[&day(2026, 1, 1)], 1.0);
        let m = monthly(&d);
        assert_eq!(m[&day(2025, 12, 1)], 10.0);
        assert_eq!(m[&day(2026, 1, 1)], 1.0);
        assert_eq!(d.values().sum::<f64>(), 111.0 - 100.0);
    }

    #[test]
    fn a_gap_is_spread_over_its_days_and_a_lower_reading_gives_nothing() {
        let r = [
            (midnight(2026, 1, 1), 0.0),
            (midnight(2026, 1, 5), 8.0),
            (midnight(2026, 1, 6), 7.0),
            (midnight(2026, 1, 7), 9.0),
        ];
        let d = daily(&r);
        for n in 1..=4 {
            assert_eq!(d[&day(2026, 1, n)], 2.0);
        }
        assert_eq!(d[&day(2026, 1, 5)], 0.0);
        assert_eq!(d[&day(2026, 1, 6)], 2.0);
    }

    #[test]
    fn the_local_day_follows_summer_time() {
        // 22:30 UTC on 30 June is 00:30 on 1 July in Amsterdam (CEST).
        let t = Utc.with_ymd_and_hms(2026, 6, 30, 22, 30, 0).unwrap();
        assert_eq!(local_day(t), day(2026, 7, 1));
        // 23:30 UTC on 30 January is 00:30 on 31 January (CET).
        let t = Utc.with_ymd_and_hms(2026, 1, 30, 23, 30, 0).unwrap();
        assert_eq!(local_day(t), day(2026, 1, 31));
    }
}
