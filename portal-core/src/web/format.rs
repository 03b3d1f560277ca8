//! Amounts and dates as people read them (for every module): `€ 1.234,56` and `31-01-2026`
//! in Dutch, `€1,234.56` and `31/01/2026` in English. Money is integer
//! cents throughout; nothing here rounds.

use crate::tenant::Lang;
use chrono::NaiveDate;

/// The symbol of `currency` and whether a space follows it: a code
/// without a symbol (`CHF`) is followed by one in both languages.
fn symbol(currency: &str) -> (&str, bool) {
    match currency {
        "EUR" => ("€", false),
        "USD" => ("$", false),
        "GBP" => ("£", false),
        other => (other, true),
    }
}

/// `cents` in `currency` for `lang`.
pub fn amount(cents: i64, currency: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(16);
    write_amount(&mut out, cents, currency, lang);
    out
}

/// [`amount`], appended to `out` (a list writes one or more per row; each
/// piece in a string of its own was four allocations an amount).
pub fn write_amount(out: &mut String, cents: i64, currency: &str, lang: Lang) {
    use std::fmt::Write as _;
    let (thousands, decimal) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let abs = cents.unsigned_abs();
    // The whole units' digits, at most 17 of an i64's cents.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = abs / 100;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let whole = &digits[at..];
    let (sym, code) = symbol(currency);
    if cents < 0 {
        out.push('-');
    }
    out.push_str(sym);
    if code || lang == Lang::Nl {
        out.push(' ');
    }
    for (i, d) in whole.iter().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(char::from(*d));
    }
    out.push(decimal);
    // Writing to a String cannot fail.
    let _ = write!(out, "{:02}", abs % 100);
}

/// A date for `lang`: seed 004 writes the refund date as dd/mm/jjjj.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let mut out = String::with_capacity(10);
    write_date(&mut out, d, lang);
    out
}

/// [`date`], appended to `out`.
pub fn write_date(out: &mut String, d: NaiveDate, lang: Lang) {
    match lang {
        Lang::Nl => day_month_year(out, d, '-'),
        Lang::En => day_month_year(out, d, '/'),
    }
}

/// The refund date as seed 004's notice writes it: dd/mm/jjjj in both languages.
pub fn refund_date(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    write_refund_date(&mut out, d);
    out
}

/// [`refund_date`], appended to `out`.
pub fn write_refund_date(out: &mut String, d: NaiveDate) {
    day_month_year(out, d, '/');
}

/// `dd<sep>mm<sep>yyyy`, as chrono's `%d<sep>%m<sep>%Y` writes it, without
/// parsing that format string on every call (a list formats dozens).
fn day_month_year(out: &mut String, d: NaiveDate, sep: char) {
    use chrono::Datelike;
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    if !(0..=9999).contains(&d.year()) {
        // chrono writes a sign and more digits out there.
        let _ = write!(out, "{}", d.format(&format!("%d{sep}%m{sep}%Y")));
        return;
    }
    let _ = write!(
        out,
        "{:02}{sep}{:02}{sep}{:04}",
        d.day(),
        d.month(),
        d.year()
    );
}

/// The largest buffer [`shared`] keeps per thread between calls.
const SCRATCH_KEPT: usize = 1024;

thread_local! {
    /// The buffer [`shared`] writes in, kept per thread between calls.
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The text `write` appends to an empty buffer, as a shared string: one
/// allocation of the exact size. A template value made from a `String`
/// is a copy of it (minijinja keeps `Arc<str>`), so a text formatted per
/// row into a `String` of its own cost two allocations.
pub fn shared(write: impl FnOnce(&mut String)) -> std::sync::Arc<str> {
    // Taken, not borrowed: a `write` that calls `shared` again gets a
    // buffer of its own instead of a panic.
    let mut buf = SCRATCH.take();
    buf.clear();
    write(&mut buf);
    let text = std::sync::Arc::from(buf.as_str());
    // Kept for the next text, unless one long text made it large.
    if buf.capacity() <= SCRATCH_KEPT {
        SCRATCH.set(buf);
    }
    text
}

/// A quantity as people write it: `3`, or `2,5` in Dutch and `2.5` in English.
pub fn quantity(q: f64, lang: Lang) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        return format!("{q:.0}");
    }
    let text = format!("{q}");
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A measured number with `decimals` decimals and thousands grouped as
/// people write it: `1.234,5` in Dutch, `1,234.5` in English.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    if value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// The last Sunday of `month` in `year`, at 01:00 UTC: when EU summer time
/// starts (March) or ends (October).
fn eu_switch(year: i32, month: u32) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{Datelike, TimeZone};
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    let sunday = last - chrono::Duration::days(i64::from(back));
    chrono::Utc
        .from_utc_datetime(&sunday.and_hms_opt(1, 0, 0)?)
        .into()
}

/// A moment as people in the Netherlands read it (CET/CEST by the EU rule:
/// summer time from the last Sunday of March to the last Sunday of
/// October, 01:00 UTC), `26-09-2024 13:05` in Dutch, `26/09/2024 13:05` in
/// English.
/// A Dutch wall-clock time (as a `datetime-local` field sends it) as the
/// UTC instant it names: CET, or CEST in summer time.
pub fn from_local(local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    use chrono::Datelike;
    let winter = (local - chrono::Duration::hours(1)).and_utc();
    let summer = (local - chrono::Duration::hours(2)).and_utc();
    match (eu_switch(winter.year(), 3), eu_switch(winter.year(), 10)) {
        (Some(start), Some(end)) if summer >= start && summer < end => summer,
        _ => winter,
    }
}

/// A UTC instant as the Dutch wall-clock time it is (CET, or CEST in
/// summer time): its local day is the day people in the Netherlands mean.
pub fn local(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::Datelike;
    let summer = match (eu_switch(t.year(), 3), eu_switch(t.year(), 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    (t + chrono::Duration::hours(if summer { 2 } else { 1 })).naive_utc()
}

/// A UTC instant as a `datetime-local` field's value in Dutch time.
pub fn to_local_input(t: chrono::DateTime<chrono::Utc>) -> String {
    local(t).format("%Y-%m-%dT%H:%M").to_string()
}

pub fn date_time(t: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    let local = local(t);
    match lang {
        Lang::Nl => local.format("%d-%m-%Y %H:%M").to_string(),
        Lang::En => local.format("%d/%m/%Y %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{Lang, NaiveDate, amount, date, number, refund_date, shared, write_amount};

    #[test]
    fn shared_texts_are_written_afresh_each_time_and_may_nest() {
        let first = shared(|o| write_amount(o, 123_456, "EUR", Lang::Nl));
        let second = shared(|o| {
            o.push_str("in ");
            let inner = shared(|i| i.push_str("nested"));
            o.push_str(&inner);
        });
        assert_eq!(&*first, "€ 1.234,56");
        assert_eq!(&*second, "in nested");
    }

    #[test]
    fn amounts_are_grouped_per_language_and_currency() {
        assert_eq!(amount(123_456, "EUR", Lang::Nl), "€ 1.234,56");
        assert_eq!(amount(123_456, "EUR", Lang::En), "€1,234.56");
        assert_eq!(amount(-5, "EUR", Lang::Nl), "-€ 0,05");
        assert_eq!(amount(100_000_000, "USD", Lang::En), "$1,000,000.00");
        assert_eq!(amount(12_345, "GBP", Lang::Nl), "£ 123,45");
        assert_eq!(amount(99, "CHF", Lang::Nl), "CHF 0,99");
        assert_eq!(amount(99, "CHF", Lang::En), "CHF 0.99");
        assert_eq!(
            amount(i64::MIN, "EUR", Lang::Nl),
            "-€ 92.233.720.368.547.758,08"
        );
        assert_eq!(amount(0, "EUR", Lang::En), "€0.00");
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(number(1234.5, 1, Lang::Nl), "1.234,5");
        assert_eq!(number(1234.5, 1, Lang::En), "1,234.5");
        assert_eq!(number(1_234_567.0, 0, Lang::Nl), "1.234.567");
        assert_eq!(number(12.345, 2, Lang::Nl), "12,35");
        assert_eq!(number(0.0, 1, Lang::En), "0.0");
        assert_eq!(number(-1500.25, 2, Lang::Nl), "-1.500,25");
        assert_eq!(number(-0.001, 1, Lang::Nl), "0,0");
    }

    /// Dates read as chrono's format strings write them, also at the edges
    /// of the calendar.
    #[test]
    fn dates_are_chronos_own() {
        let days = [
            NaiveDate::from_ymd_opt(2026, 12, 6),
            NaiveDate::from_ymd_opt(1, 1, 1),
            NaiveDate::from_ymd_opt(999, 3, 9),
            NaiveDate::from_ymd_opt(9999, 12, 31),
            NaiveDate::from_ymd_opt(10000, 1, 1),
            NaiveDate::from_ymd_opt(-5, 7, 4),
        ];
        for d in days.into_iter().map(Option::unwrap) {
            assert_eq!(date(d, Lang::Nl), d.format("%d-%m-%Y").to_string());
            assert_eq!(date(d, Lang::En), d.format("%d/%m/%Y").to_string());
            assert_eq!(refund_date(d), d.format("%d/%m/%Y").to_string());
        }
    }
}
