//! Amounts and dates as people read them (for every module): `€ 1.234,56` and `31-01-2026`
//! in Dutch, `€1,234.56` and `31/01/2026` in English. Money is integer
//! cents throughout; nothing here rounds.

use crate::tenant::Lang;
use chrono::NaiveDate;

fn symbol(currency: &str) -> String {
    match currency {
        "EUR" => "€".into(),
        "USD" => "$".into(),
        "GBP" => "£".into(),
        other => format!("{other} "),
    }
}

/// `cents` in `currency` for `lang`.
pub fn amount(cents: i64, currency: &str, lang: Lang) -> String {
    let (thousands, decimal) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let sym = symbol(currency);
    let space = if lang == Lang::Nl && !sym.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{sign}{sym}{space}{grouped}{decimal}{:02}", abs % 100)
}

/// A date for `lang`: seed 004 writes the refund date as dd/mm/jjjj.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Nl => d.format("%d-%m-%Y").to_string(),
        Lang::En => d.format("%d/%m/%Y").to_string(),
    }
}

/// The refund date as seed 004's notice writes it: dd/mm/jjjj in both languages.
pub fn refund_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
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

/// A UTC instant as a `datetime-local` field's value in Dutch time.
pub fn to_local_input(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    let summer = match (eu_switch(t.year(), 3), eu_switch(t.year(), 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    let local = t + chrono::Duration::hours(if summer { 2 } else { 1 });
    local.format("%Y-%m-%dT%H:%M").to_string()
}

pub fn date_time(t: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    use chrono::Datelike;
    let summer = match (eu_switch(t.year(), 3), eu_switch(t.year(), 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    let local = t + chrono::Duration::hours(if summer { 2 } else { 1 });
    match lang {
        Lang::Nl => local.format("%d-%m-%Y %H:%M").to_string(),
        Lang::En => local.format("%d/%m/%Y %H:%M").to_string(),
    }
}
