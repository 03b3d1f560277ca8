//! The consumption pages (seed 004): an overview per service (this year so
//! far against the same days last year and against the estimated annual
//! consumption), a service's detail by year, month or day over a chosen
//! period (a month opens its days), a comparison of two months or two
//! years, each with an SVG chart, its table and a CSV of exactly the rows
//! shown; filtered by one or several locations and, where a meter has
//! several, by channel. Only the locations the account reads count.

use std::collections::BTreeMap;

use chrono::{Datelike as _, Months, NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::access::Reach;
use portal_core::module::{CardCx, HomeCard};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Path, Query};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::tenant::Lang;
use portal_core::web::chart::{BarChart, Series, svg};
use portal_core::web::format::number;
use portal_core::web::guard::Require;

use crate::View;
use crate::store::{self, ChannelRow, KINDS, Scope, unit_label};

type Result<T> = portal_core::poem::Result<T>;

/// Decimals a unit is shown with.
fn decimals(unit: &str) -> usize {
    match unit {
        "kWh" => 0,
        "MWh" => 2,
        _ => 1,
    }
}

/// A quantity with its unit, per language (`1.234,5 GJ`).
pub fn quantity(v: f64, unit: &str, lang: Lang) -> String {
    format!("{} {}", number(v, decimals(unit), lang), unit_label(unit))
}

/// The short name of a month (`jan 2026`, `Jan 2026`).
pub fn month_label(m: NaiveDate, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = if lang == Lang::En { EN } else { NL };
    let i = usize::try_from(m.month0()).unwrap_or(0).min(11);
    format!("{} {}", names[i], m.year())
}

/// The services this reach has channels for, in the order of [`KINDS`],
/// each with its unit.
fn kinds(channels: &[ChannelRow]) -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .filter_map(|k| {
            channels
                .iter()
                .find(|c| c.kind == *k)
                .map(|c| (*k, c.unit.clone()))
        })
        .collect()
}

/// The overview: per service, this year so far against last year and the estimate.
#[handler]
pub async fn overview(u: Require<View>) -> Result<Response> {
    let reach = u.reach().clone();
    let lang = u.page.cx.lang;
    let channels = store::channels(&reach).await?;
    let services = store::services(&reach).await?;
    let today = crate::derive::local_day(Utc::now());
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let last_start = start.checked_sub_months(Months::new(12)).unwrap_or(start);
    let last_today = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    #[allow(clippy::cast_precision_loss)]
    let share = f64::from(today.ordinal()) / 365.0;
    let mut cards = Vec::new();
    for (kind, unit) in kinds(&channels) {
        let scope = Scope {
            kind: kind.to_string(),
            ..Scope::default()
        };
        let now = store::total(&reach, &scope, start, today).await?;
        let before = store::total(&reach, &scope, last_start, last_today).await?;
        let estimate: Option<f64> = services
            .iter()
            .filter(|s| s.kind == kind && s.status == "supplied")
            .filter_map(|s| s.estimated_annual)
            .reduce(|a, b| a + b);
        let change = (before > 0.0).then(|| (now - before) / before * 100.0);
        cards.push(context! {
            kind, label => u.page.t(&format!("consumption-kind-{kind}")),
            now => quantity(now, &unit, lang), before => quantity(before, &unit, lang),
            change => change.map(|c| number(c, 0, lang)), up => change.is_some_and(|c| c > 0.0),
            estimate => estimate.map(|e| quantity(e, &unit, lang)),
            estimate_to_date => estimate.map(|e| quantity(e * share, &unit, lang)),
        });
    }
    let locations = store::locations(&reach).await?.len();
    Ok(u.page
        .render(
            "consumption/overview.html",
            context! { cards, locations, year => today.year(), last_year => today.year() - 1 },
        )?
        .into_response())
}

/// How a detail page groups its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Year,
    Month,
    Day,
}

impl Group {
    fn code(self) -> &'static str {
        match self {
            Group::Year => "year",
            Group::Month => "month",
            Group::Day => "day",
        }
    }
}

/// The longest period grouped by day.
const MAX_DAYS: i64 = 400;

/// What a detail, comparison or CSV shows, read from the query.
#[derive(Debug, Clone)]
pub struct Params {
    /// A location filter named a location the account does not read.
    pub foreign: bool,
    pub group: Group,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub locations: Vec<i64>,
    pub channel: Option<i64>,
    /// `year` or `month`, and the two periods, for a comparison.
    pub compare: Option<(bool, NaiveDate, NaiveDate)>,
    /// A message for a field that was not understood (the default is used).
    pub errors: BTreeMap<&'static str, &'static str>,
    pub raw_from: String,
    pub raw_to: String,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A year (`2026`) or a month (`2026-03`) of a comparison.
fn parse_period(s: &str, year: bool) -> Option<NaiveDate> {
    let s = s.trim();
    if year {
        s.parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
    } else {
        NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()
    }
}

impl Params {
    /// From the query pairs, within the locations `readable`.
    pub fn read(pairs: &[(String, String)], readable: &[i64], today: NaiveDate) -> Self {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map_or("", |(_, v)| v.as_str())
        };
        let mut errors = BTreeMap::new();
        let group = match get("group") {
            "year" => Group::Year,
            "day" => Group::Day,
            _ => Group::Month,
        };
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let default_from = match group {
            Group::Year => year_start
                .checked_sub_months(Months::new(12 * 9))
                .unwrap_or(year_start),
            Group::Month => year_start,
            Group::Day => today.with_day(1).unwrap_or(today),
        };
        let mut from = match get("from") {
            "" => default_from,
            s => parse_date(s).unwrap_or_else(|| {
                errors.insert("from", "consumption-error-date");
                default_from
            }),
        };
        let mut to = match get("to") {
            "" => today,
            s => parse_date(s).unwrap_or_else(|| {
                errors.insert("to", "consumption-error-date");
                today
            }),
        };
        if to < from {
            errors.insert("to", "consumption-error-order");
            std::mem::swap(&mut from, &mut to);
        }
        if group == Group::Day && (to - from).num_days() > MAX_DAYS {
            errors.insert("group", "consumption-error-days");
            from = to - chrono::Days::new(u64::try_from(MAX_DAYS).unwrap_or(400));
        }
        let asked: Vec<i64> = pairs
            .iter()
            .filter(|(n, _)| n == "location")
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        // A location the account may not read is not found (the page
        // answers 404), exactly like one that does not exist.
        let foreign = asked.iter().any(|l| !readable.contains(l));
        let locations = asked;
        let channel = get("channel").parse().ok();
        let comparison = {
            let year = get("period") != "month";
            let (default_a, default_b) = if year {
                (year_start, year_start.checked_sub_months(Months::new(12)))
            } else {
                let m = today.with_day(1).unwrap_or(today);
                (m, m.checked_sub_months(Months::new(12)))
            };
            let a = parse_period(get("a"), year).unwrap_or(default_a);
            let b = parse_period(get("b"), year)
                .or(default_b)
                .unwrap_or(default_a);
            Some((year, a, b))
        };
        Params {
            foreign,
            group,
            from,
            to,
            locations,
            channel,
            compare: comparison,
            errors,
            raw_from: get("from").to_string(),
            raw_to: get("to").to_string(),
        }
    }

    fn scope(&self, kind: &str) -> Scope {
        Scope {
            kind: kind.to_string(),
            locations: self.locations.clone(),
            channel: self.channel,
        }
    }

    /// The query string that shows the same (for links and the CSV).
    fn query(&self) -> String {
        let mut q = format!(
            "group={}&from={}&to={}",
            self.group.code(),
            self.from,
            self.to
        );
        for l in &self.locations {
            q.push_str(&format!("&location={l}"));
        }
        if let Some(c) = self.channel {
            q.push_str(&format!("&channel={c}"));
        }
        q
    }
}

/// A table of the page: its header and rows of (label, values, link).
struct Table {
    columns: Vec<String>,
    rows: Vec<(String, Vec<f64>, Option<String>)>,
}

/// The rows of a detail page, and the chart's categories.
async fn detail_table(
    reach: &Reach,
    kind: &str,
    p: &Params,
    lang: Lang,
    label: &str,
) -> Result<Table> {
    let scope = p.scope(kind);
    let rows: Vec<(String, Vec<f64>, Option<String>)> = match p.group {
        Group::Year => store::per_year(reach, &scope, p.from, p.to)
            .await?
            .into_iter()
            .map(|(y, a)| (y.year().to_string(), vec![a], None))
            .collect(),
        Group::Month => store::per_month(reach, &scope, p.from, p.to)
            .await?
            .into_iter()
            .map(|(m, a)| {
                let end = m
                    .checked_add_months(Months::new(1))
                    .and_then(|n| n.pred_opt())
                    .unwrap_or(m);
                let mut days = p.clone();
                days.group = Group::Day;
                days.from = m;
                days.to = end;
                (month_label(m, lang), vec![a], Some(days.query()))
            })
            .collect(),
        Group::Day => store::per_day(reach, &scope, p.from, p.to)
            .await?
            .into_iter()
            .map(|(d, a)| (portal_core::web::format::date(d, lang), vec![a], None))
            .collect(),
    };
    Ok(Table {
        columns: vec![label.to_string()],
        rows,
    })
}

/// The unit of a service at the reach's channels.
fn unit_of(channels: &[ChannelRow], kind: &str) -> Option<String> {
    channels
        .iter()
        .find(|c| c.kind == kind)
        .map(|c| c.unit.clone())
}

fn chart(title: String, description: String, table: &Table, unit: &str, lang: Lang) -> String {
    let categories: Vec<String> = table.rows.iter().map(|r| r.0.clone()).collect();
    let series: Vec<Series> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| Series {
            label: c.clone(),
            values: table.rows.iter().map(|r| r.1[i]).collect(),
        })
        .collect();
    let d = decimals(unit);
    svg(
        &BarChart {
            title,
            description,
            categories,
            series,
            unit: unit_label(unit).to_string(),
        },
        &|v| number(v, d, lang),
    )
}

fn table_value(t: &Table, unit: &str, lang: Lang) -> Value {
    let d = decimals(unit);
    let rows: Vec<Value> = t
        .rows
        .iter()
        .map(|(label, values, link)| {
            let cells: Vec<String> = values.iter().map(|v| number(*v, d, lang)).collect();
            context! { label, cells, link }
        })
        .collect();
    let totals: Vec<String> = (0..t.columns.len())
        .map(|i| number(t.rows.iter().map(|r| r.1[i]).sum(), d, lang))
        .collect();
    context! { columns => t.columns.clone(), rows, totals }
}

/// The filters' context: locations (checkboxes) and channels (a choice).
fn filters(
    u: &Require<View>,
    locations: &[store::Location],
    channels: &[ChannelRow],
    kind: &str,
    p: &Params,
) -> Value {
    let locs: Vec<Value> = locations
        .iter()
        .map(|l| context! { id => l.id, name => l.name.as_str(), checked => p.locations.contains(&l.id) })
        .collect();
    let own: Vec<&ChannelRow> = channels
        .iter()
        .filter(|c| c.kind == kind)
        .filter(|c| p.locations.is_empty() || p.locations.contains(&c.location_id))
        .collect();
    let several = channels
        .iter()
        .filter(|c| own.iter().any(|o| o.meter_number == c.meter_number))
        .count()
        > own.len();
    let channel_options: Vec<(String, String)> =
        std::iter::once((String::new(), u.page.t("consumption-all-channels")))
            .chain(
                own.iter()
                    .map(|c| (c.id.to_string(), format!("{} · {}", c.meter_number, c.code))),
            )
            .collect();
    context! {
        locations => locs, several_locations => locations.len() > 1,
        chosen => p.locations.len(),
        channels => channel_options, show_channels => several && own.len() > 1,
        channel => p.channel.map(|c| c.to_string()).unwrap_or_default(),
    }
}

/// What a detail, comparison or CSV request asks for, within the reach.
struct Asked {
    reach: Reach,
    channels: Vec<ChannelRow>,
    unit: String,
    locations: Vec<store::Location>,
    p: Params,
}

/// The reach, the service's channels and unit, the readable locations and
/// the parameters of a request for service `kind`: 404 for a service the
/// account has no channels of, or a location it may not read.
async fn asked(u: &Require<View>, kind: &str, pairs: &[(String, String)]) -> Result<Asked> {
    let reach = u.reach().clone();
    let channels = store::channels(&reach).await?;
    let unit = unit_of(&channels, kind).ok_or(NotFoundError)?;
    let locations = store::locations(&reach).await?;
    let ids: Vec<i64> = locations.iter().map(|l| l.id).collect();
    let p = Params::read(pairs, &ids, crate::derive::local_day(Utc::now()));
    if p.foreign {
        return Err(NotFoundError.into());
    }
    Ok(Asked {
        reach,
        channels,
        unit,
        locations,
        p,
    })
}

/// A service's consumption by year, month or day over a period.
#[handler]
pub async fn detail(
    u: Require<View>,
    Path(kind): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let lang = u.page.cx.lang;
    let Asked {
        reach,
        channels,
        unit,
        locations,
        p,
    } = asked(&u, &kind, &pairs).await?;
    let label = u.page.t(&format!("consumption-kind-{kind}"));
    let table = detail_table(&reach, &kind, &p, lang, &label).await?;
    let title = format!(
        "{label}: {}",
        u.page.t(&format!("consumption-by-{}", p.group.code()))
    );
    let description = u.page.t("consumption-chart-description");
    let svg = chart(title.clone(), description, &table, &unit, lang);
    let errors: BTreeMap<&str, String> = p.errors.iter().map(|(k, v)| (*k, u.page.t(v))).collect();
    let export_url = u
        .page
        .url(&format!("/consumption/{kind}/export?{}", p.query()));
    let filters = filters(&u, &locations, &channels, &kind, &p);
    Ok(u.page
        .render(
            "consumption/detail.html",
            context! {
                kind, label, title, unit => unit_label(&unit), chart => svg,
                table => table_value(&table, &unit, lang),
                group => p.group.code(), errors,
                values => context! {
                    from => if p.raw_from.is_empty() { p.from.to_string() } else { p.raw_from.clone() },
                    to => if p.raw_to.is_empty() { p.to.to_string() } else { p.raw_to.clone() },
                },
                filters, export => export_url,
            },
        )?
        .into_response())
}

/// The two periods of a comparison as rows: months of two years, or days of two months.
async fn compare_table(
    reach: &Reach,
    kind: &str,
    p: &Params,
    lang: Lang,
) -> Result<(Table, String, String)> {
    let (year, a, b) = p.compare.unwrap_or((true, p.from, p.from));
    let scope = p.scope(kind);
    if year {
        let end = |y: NaiveDate| NaiveDate::from_ymd_opt(y.year(), 12, 31).unwrap_or(y);
        let ma = store::per_month(reach, &scope, a, end(a)).await?;
        let mb = store::per_month(reach, &scope, b, end(b)).await?;
        let rows = (1..=12)
            .filter_map(|m| {
                let da = NaiveDate::from_ymd_opt(a.year(), m, 1)?;
                let db = NaiveDate::from_ymd_opt(b.year(), m, 1)?;
                let name = month_label(da, lang);
                let name = name.split(' ').next().unwrap_or("").to_string();
                Some((
                    name,
                    vec![
                        ma.get(&da).copied().unwrap_or(0.0),
                        mb.get(&db).copied().unwrap_or(0.0),
                    ],
                    None,
                ))
            })
            .collect();
        let (la, lb) = (a.year().to_string(), b.year().to_string());
        Ok((
            Table {
                columns: vec![la.clone(), lb.clone()],
                rows,
            },
            la,
            lb,
        ))
    } else {
        let end = |m: NaiveDate| {
            m.checked_add_months(Months::new(1))
                .and_then(|n| n.pred_opt())
                .unwrap_or(m)
        };
        let da = store::per_day(reach, &scope, a, end(a)).await?;
        let db = store::per_day(reach, &scope, b, end(b)).await?;
        let rows = (1..=31)
            .filter(|d| a.with_day(*d).is_some() || b.with_day(*d).is_some())
            .map(|d| {
                let va = a
                    .with_day(d)
                    .and_then(|x| da.get(&x).copied())
                    .unwrap_or(0.0);
                let vb = b
                    .with_day(d)
                    .and_then(|x| db.get(&x).copied())
                    .unwrap_or(0.0);
                (d.to_string(), vec![va, vb], None)
            })
            .collect();
        let (la, lb) = (month_label(a, lang), month_label(b, lang));
        Ok((
            Table {
                columns: vec![la.clone(), lb.clone()],
                rows,
            },
            la,
            lb,
        ))
    }
}

/// Two months or two years of a service side by side.
#[handler]
pub async fn compare(
    u: Require<View>,
    Path(kind): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let lang = u.page.cx.lang;
    let Asked {
        reach,
        channels,
        unit,
        locations,
        p,
    } = asked(&u, &kind, &pairs).await?;
    let (table, a, b) = compare_table(&reach, &kind, &p, lang).await?;
    let label = u.page.t(&format!("consumption-kind-{kind}"));
    let title = format!("{label}: {a} / {b}");
    let svg = chart(
        title.clone(),
        u.page.t("consumption-compare-description"),
        &table,
        &unit,
        lang,
    );
    let (year, pa, pb) = p.compare.unwrap_or((true, p.from, p.from));
    let fmt = |d: NaiveDate| {
        if year {
            d.year().to_string()
        } else {
            d.format("%Y-%m").to_string()
        }
    };
    let mut query = format!(
        "view=compare&period={}&a={}&b={}",
        if year { "year" } else { "month" },
        fmt(pa),
        fmt(pb)
    );
    for l in &p.locations {
        query.push_str(&format!("&location={l}"));
    }
    if let Some(c) = p.channel {
        query.push_str(&format!("&channel={c}"));
    }
    let export_url = u.page.url(&format!("/consumption/{kind}/export?{query}"));
    let filters = filters(&u, &locations, &channels, &kind, &p);
    Ok(u.page
        .render(
            "consumption/compare.html",
            context! {
                kind, label, title, unit => unit_label(&unit), chart => svg,
                table => table_value(&table, &unit, lang),
                period => if year { "year" } else { "month" }, a => fmt(pa), b => fmt(pb),
                filters, export => export_url,
            },
        )?
        .into_response())
}

/// A number for a spreadsheet in the reader's language: the decimal mark
/// of the language, no grouping.
fn csv_number(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{v:.decimals$}");
    if lang == Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The rows the detail or comparison page shows, as CSV (`;`, a byte-order
/// mark, numbers as the page writes them for the reader's language).
#[handler]
pub async fn export(
    u: Require<View>,
    Path(kind): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let lang = u.page.cx.lang;
    let Asked { reach, unit, p, .. } = asked(&u, &kind, &pairs).await?;
    let is_compare = pairs.iter().any(|(k, v)| k == "view" && v == "compare");
    let label = u.page.t(&format!("consumption-kind-{kind}"));
    let table = if is_compare {
        compare_table(&reach, &kind, &p, lang).await?.0
    } else {
        detail_table(&reach, &kind, &p, lang, &label).await?
    };
    let d = decimals(&unit);
    let mut header = vec![u.page.t("consumption-period")];
    header.extend(
        table
            .columns
            .iter()
            .map(|c| format!("{c} ({})", unit_label(&unit))),
    );
    let records: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|(period, values, _)| {
            std::iter::once(period.clone())
                .chain(values.iter().map(|v| csv_number(*v, d, lang)))
                .collect()
        })
        .collect();
    let name = format!("{}-{kind}.csv", u.page.t("consumption-csv-file"));
    portal_core::web::spreadsheet::download(&name, &header, &records)
}

/// The home page's card: consumption this year of the first service.
///
/// # Errors
/// A database failure.
pub async fn home_cards(cx: &dyn CardCx) -> Result<Vec<HomeCard>> {
    let Some(reach) = cx.reach::<View>() else {
        return Ok(Vec::new());
    };
    let channels = store::channels(&reach).await?;
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![HomeCard {
        order: 200,
        title: cx.t("consumption-card-title"),
        description: cx.t("consumption-card-text"),
        path: "/consumption".into(),
        count: None,
    }])
}
