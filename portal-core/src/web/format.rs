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
