//! The customer's logbook pages for one location: the choice of location
//! (remembered per account), the dashboard (open recommendations by
//! status, visits in the last twelve months, activity per checkpoint type
//! per month as an SVG chart with its table, the next planned visit), the
//! checkpoints, the visit reports with their PDFs. A location the account
//! may not read answers 404 like one that does not exist.

use chrono::{Months, NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::access::Reach;
use portal_core::access::locations::Need;
use portal_core::module::{CardCx, HomeCard, HomeList, HomeRow};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::tenant::Lang;
use portal_core::web::format::{date, quantity};
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::View;
use crate::report_pdf::{Labels, MaterialLine, ObservationLine, Report};
use crate::store::{self, Location, Observation, STATUSES, VISIT_KINDS, Visit, VisitFilter};
use portal_core::web::chart::{BarChart, Series};

type Result<T> = portal_core::poem::Result<T>;

/// The location of a page, for reading, or 404.
pub(crate) async fn location_of(reach: &Reach, id: i64) -> Result<Location> {
    Ok(store::location(reach, id, Need::Read).await?)
}

/// What every location page shows about its location.
pub(crate) fn location_value(l: &Location, may_write: bool) -> Value {
    context! {
        id => l.id, name => l.name.as_str(), address => l.address.as_str(),
        customer => l.customer_name.as_str(), may_write,
    }
}

/// `/logbook`: the location chosen last, the only one, or the choice.
#[handler]
pub async fn index(u: Require<View>) -> Result<Response> {
    let reach = u.reach();
    let target = match store::chosen(reach).await? {
        Some(id) => Some(id),
        None => {
            let all = store::locations(reach).await?;
            (all.len() == 1).then(|| all[0].id)
        }
    };
    let path = target.map_or_else(
        || "/logbook/locations".to_string(),
        |id| format!("/logbook/{id}"),
    );
    Ok(Redirect::see_other(u.page.url(&path)).into_response())
}

/// The locations an account may read, grouped by customer, to pick one.
#[handler]
pub async fn choose(u: Require<View>) -> Result<Response> {
    let reach = u.reach();
    let chosen = store::chosen(reach).await?;
    let all = store::locations(reach).await?;
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for l in &all {
        let row = context! {
            id => l.id, name => l.name.as_str(), address => l.address.as_str(),
            chosen => chosen == Some(l.id),
        };
        match groups.last_mut() {
            Some((c, rows)) if *c == l.customer_name => rows.push(row),
            _ => groups.push((l.customer_name.clone(), vec![row])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(customer, locations)| context! { customer, locations })
        .collect();
    Ok(u.page
        .render("logbook/locations.html", context! { groups })?
        .into_response())
}

/// The dashboard of a location; opening it remembers the choice.
#[handler]
pub async fn dashboard(u: Require<View>, Path(loc): Path<i64>) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    if store::chosen(reach).await? != Some(l.id) {
        store::choose(reach, l.id).await?;
    }
    let lang = u.page.cx.lang;
    let today = portal_core::web::format::local(Utc::now()).date();
    let counts = store::status_counts(reach, l.id).await?;
    let statuses: Vec<Value> = STATUSES
        .iter()
        .map(|s| {
            let n = counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
            context! { status => *s, label => u.page.t(&format!("logbook-status-{s}")), count => n }
        })
        .collect();
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let visit_count = store::visits_since(reach, l.id, year_ago).await?;
    let next = store::next_visit(reach, l.id, today).await?.map(|p| {
        context! {
            date => date(p.planned_on, lang),
            kind => u.page.t(&format!("logbook-kind-{}", p.kind)), note => p.note,
        }
    });
    let latest = store::visits(reach, l.id, &VisitFilter::default(), 1)
        .await?
        .into_iter()
        .next()
        .map(|v| context! { id => v.id, date => date(v.visited_on, lang) });
    let months = store::last_twelve_months(today);
    let activity = store::activity(reach, l.id, months[0]).await?;
    let (svg, table) = activity_chart(&u, &months, &activity, lang);
    let unread = store::unread(reach, Some(l.id)).await?;
    Ok(u.page
        .render(
            "logbook/dashboard.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "dashboard", statuses, visits => visit_count, next, latest, unread,
                chart => svg, table,
            },
        )?
        .into_response())
}

/// The short name of a month ("jan 2026").
fn month_label(m: NaiveDate, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    use chrono::Datelike as _;
    let names = if lang == Lang::En { EN } else { NL };
    let i = usize::try_from(m.month0()).unwrap_or(0).min(11);
    format!("{} {}", names[i], m.year())
}

/// The activity chart (SVG) and the same numbers as a table: a header row
/// of checkpoint types, a row per month.
fn activity_chart(
    u: &Require<View>,
    months: &[NaiveDate],
    activity: &[(NaiveDate, String, i64)],
    lang: Lang,
) -> (String, Value) {
    let mut kinds: Vec<String> = activity.iter().map(|(_, k, _)| k.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let value = |m: &NaiveDate, k: &str| {
        activity
            .iter()
            .find(|(am, ak, _)| am == m && ak == k)
            .map_or(0, |a| a.2)
    };
    let categories: Vec<String> = months.iter().map(|m| month_label(*m, lang)).collect();
    let series: Vec<Series> = kinds
        .iter()
        .map(|k| Series {
            label: k.clone(),
            #[allow(clippy::cast_precision_loss)]
            values: months.iter().map(|m| value(m, k) as f64).collect(),
        })
        .collect();
    let chart = BarChart {
        title: u.page.t("logbook-chart-title"),
        description: u.page.t("logbook-chart-description"),
        unit: String::new(),
        categories: categories.clone(),
        series,
    };
    let rows: Vec<Value> = months
        .iter()
        .zip(&categories)
        .map(|(m, label)| {
            let values: Vec<i64> = kinds.iter().map(|k| value(m, k)).collect();
            context! { month => label, values }
        })
        .collect();
    (
        portal_core::web::chart::svg(&chart, &|v| portal_core::web::format::number(v, 0, lang)),
        context! { kinds, rows, empty => activity.is_empty() },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckpointQuery {
    /// Also the removed checkpoints.
    removed: Option<String>,
}

/// The checkpoints of a location.
#[handler]
pub async fn checkpoints(
    u: Require<View>,
    Path(loc): Path<i64>,
    Query(q): Query<CheckpointQuery>,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let removed = q.removed.is_some();
    let rows: Vec<Value> = store::checkpoints(reach, l.id, removed)
        .await?
        .iter()
        .map(|c| {
            context! {
                label => c.label(), kind => c.kind.as_str(), room => c.room.as_str(),
                measure => u.page.t(&format!("logbook-measure-{}", c.measure)), active => c.active,
            }
        })
        .collect();
    Ok(u.page
        .render(
            "logbook/checkpoints.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "checkpoints", checkpoints => rows, removed,
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VisitQuery {
    from: String,
    to: String,
    kind: String,
}

/// A date typed in a filter: `None` when empty, `Err` when not a date.
fn filter_date(s: &str) -> std::result::Result<Option<NaiveDate>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .map(Some)
        .map_err(|_| ())
}

/// The visits of a location, newest first, filtered by period and kind.
#[handler]
pub async fn visits(
    u: Require<View>,
    Path(loc): Path<i64>,
    Query(q): Query<VisitQuery>,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let lang = u.page.cx.lang;
    let mut errors = std::collections::BTreeMap::new();
    let from = filter_date(&q.from).unwrap_or_else(|()| {
        errors.insert("from", u.page.t("logbook-error-date"));
        None
    });
    let to = filter_date(&q.to).unwrap_or_else(|()| {
        errors.insert("to", u.page.t("logbook-error-date"));
        None
    });
    let kind = VISIT_KINDS
        .contains(&q.kind.as_str())
        .then(|| q.kind.clone());
    let filter = VisitFilter { from, to, kind };
    let rows: Vec<Value> = store::visits(reach, l.id, &filter, 500)
        .await?
        .iter()
        .map(|v| {
            context! {
                id => v.id, date => date(v.visited_on, lang), technician => v.technician.as_str(),
                kind => u.page.t(&format!("logbook-kind-{}", v.kind)),
                findings => short(&v.findings, 120),
            }
        })
        .collect();
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), u.page.t("logbook-all")))
        .chain(
            VISIT_KINDS
                .iter()
                .map(|k| ((*k).to_string(), u.page.t(&format!("logbook-kind-{k}")))),
        )
        .collect();
    Ok(u.page
        .render(
            "logbook/visits.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "visits", visits => rows, kinds, errors,
                values => context! { from => q.from.trim(), to => q.to.trim(), kind => q.kind.as_str() },
            },
        )?
        .into_response())
}

/// The start of a long text for a list, cut at a word.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A visit of a location, or 404.
async fn visit_of(reach: &Reach, loc: i64, id: i64) -> Result<(Location, Visit)> {
    let l = location_of(reach, loc).await?;
    let v = store::visit(reach, l.id, id).await?.ok_or(NotFoundError)?;
    Ok((l, v))
}

/// An observation's value as the page and the PDF show it.
fn observation_value(o: &Observation) -> String {
    if o.measure == "percent" {
        format!("{} %", o.value)
    } else {
        o.value.to_string()
    }
}

/// A visit report: observations per checkpoint, materials, findings, remarks.
#[handler]
pub async fn visit(u: Require<View>, Path((loc, id)): Path<(i64, i64)>) -> Result<Response> {
    let reach = u.reach();
    let (l, v) = visit_of(reach, loc, id).await?;
    let lang = u.page.cx.lang;
    let observations: Vec<Value> = store::observations(reach, &v)
        .await?
        .iter()
        .map(|o| {
            context! {
                label => format!("{}{}", o.code, o.number), kind => o.kind.as_str(),
                room => o.room.as_str(), value => observation_value(o),
                activity => o.value > 0, note => o.note.as_str(),
            }
        })
        .collect();
    let materials: Vec<Value> = v
        .materials()
        .iter()
        .map(|m| {
            context! {
                name => m.name.as_str(), amount => quantity(m.amount, lang), unit => m.unit.as_str(),
                registration => m.registration_number.as_str(),
            }
        })
        .collect();
    Ok(u.page
        .render(
            "logbook/visit.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "visits",
                visit => context! {
                    id => v.id, date => date(v.visited_on, lang), technician => v.technician.as_str(),
                    kind => u.page.t(&format!("logbook-kind-{}", v.kind)),
                    findings => v.findings.as_str(), remarks => v.remarks.as_str(),
                    own_pdf => v.pdf_key.is_some(),
                },
                observations, materials,
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PdfQuery {
    download: Option<String>,
}

/// A visit report as PDF: the back-office's own, else rendered here.
/// Shown inline in the browser's PDF viewer, or downloaded with `?download=1`.
#[handler]
pub async fn visit_pdf(
    u: Require<View>,
    Path((loc, id)): Path<(i64, i64)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response> {
    let reach = u.reach();
    let (l, v) = visit_of(reach, loc, id).await?;
    let state = &u.page.state;
    let own = match &v.pdf_key {
        Some(key) => state.blobs.get(key).await?,
        None => None,
    };
    let bytes = match own {
        Some(b) => b,
        None => {
            let tenant = u.page.tenant();
            let logo = match &tenant.branding.logo {
                Some(key) => state
                    .blobs
                    .get(key)
                    .await?
                    .and_then(|bytes| portal_core::pdf::image::from_logo(key, &bytes)),
                None => None,
            };
            let obs = store::observations(reach, &v).await?;
            let report = report_of(&u, tenant.name.as_str(), &l, &v, &obs);
            crate::report_pdf::render(&report, &labels(&u), logo.as_ref())
        }
    };
    let disposition = if q.download.is_some() {
        "attachment"
    } else {
        "inline"
    };
    let name = format!("{}-{}.pdf", u.page.t("logbook-pdf-file"), v.visited_on);
    Ok(bytes
        .with_content_type("application/pdf")
        .with_header(
            "content-disposition",
            portal_core::files::names::attachment(&name).replacen("attachment", disposition, 1),
        )
        .with_header("cache-control", "private, no-store")
        .with_header("x-content-type-options", "nosniff")
        .with_header(
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'self'",
        )
        .into_response())
}

fn report_of(
    u: &Require<View>,
    tenant_name: &str,
    l: &Location,
    v: &Visit,
    obs: &[Observation],
) -> Report {
    let lang = u.page.cx.lang;
    Report {
        tenant_name: tenant_name.to_string(),
        customer_name: l.customer_name.clone(),
        location_name: l.name.clone(),
        location_address: l.address.clone(),
        date: date(v.visited_on, lang),
        technician: v.technician.clone(),
        kind: u.page.t(&format!("logbook-kind-{}", v.kind)),
        findings: v.findings.clone(),
        remarks: v.remarks.clone(),
        observations: obs
            .iter()
            .map(|o| ObservationLine {
                checkpoint: format!("{}{}", o.code, o.number),
                kind: o.kind.clone(),
                room: o.room.clone(),
                value: observation_value(o),
                note: o.note.clone(),
            })
            .collect(),
        materials: v
            .materials()
            .iter()
            .map(|m| MaterialLine {
                name: m.name.clone(),
                amount: quantity(m.amount, lang),
                unit: m.unit.clone(),
                registration_number: m.registration_number.clone(),
            })
            .collect(),
    }
}

fn labels(u: &Require<View>) -> Labels {
    let t = |k: &str| u.page.t(&format!("logbook-pdf-{k}"));
    Labels {
        title: t("title"),
        customer: t("customer"),
        location: t("location"),
        date: t("date"),
        technician: t("technician"),
        kind: t("kind"),
        findings: t("findings"),
        remarks: t("remarks"),
        observations: t("observations"),
        checkpoint: t("checkpoint"),
        checkpoint_kind: t("checkpoint-kind"),
        room: t("room"),
        value: t("value"),
        note: t("note"),
        materials: t("materials"),
        material: t("material"),
        amount: t("amount"),
        unit: t("unit"),
        registration: t("registration"),
        none: t("none"),
        page: t("page"),
    }
}

/// The home page's card: open recommendations over the readable locations.
///
/// # Errors
/// A database failure.
pub async fn home_cards(cx: &dyn CardCx) -> Result<Vec<HomeCard>> {
    let Some(reach) = cx.reach::<View>() else {
        return Ok(Vec::new());
    };
    // A customer without locations (a tenant that also serves others) sees no logbook card.
    if store::locations(&reach).await?.is_empty() {
        return Ok(Vec::new());
    }
    let open = store::open_recommendations(&reach).await?;
    Ok(vec![HomeCard {
        order: 121,
        title: cx.t("logbook-card-title"),
        description: cx.t("logbook-card-text"),
        path: "/logbook".into(),
        count: Some(open),
    }])
}

/// The home page's choice of location (seed 002): every location the
/// account reads, with its customer; a row opens that location's logbook.
///
/// # Errors
/// A database failure.
pub async fn home_lists(cx: &dyn CardCx) -> Result<Vec<HomeList>> {
    let Some(reach) = cx.reach::<View>() else {
        return Ok(Vec::new());
    };
    let all = store::locations(&reach).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let rows = all
        .iter()
        .take(50)
        .map(|l| HomeRow {
            cells: vec![
                l.name.clone(),
                l.address.replace('\n', ", "),
                l.customer_name.clone(),
            ],
            path: format!("/logbook/{}", l.id),
        })
        .collect();
    Ok(vec![HomeList {
        order: 100,
        title: cx.t("logbook-home-title"),
        columns: vec![
            cx.t("logbook-location"),
            cx.t("logbook-address"),
            cx.t("logbook-customer"),
        ],
        rows,
        link_column: 0,
        empty: cx.t("logbook-home-none"),
        path: "/logbook/locations".into(),
        more: cx.t("logbook-home-more"),
    }])
}
