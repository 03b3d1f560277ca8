//! Recommendations (aanbevelingen) of a location: the list filtered by
//! status and category, the same rows as CSV for the auditor, one
//! recommendation with its history, and, with write rights on the
//! location, the form that sets its status and adds a response. The
//! status is shown as a coloured badge with its text (never colour alone).

use std::collections::BTreeMap;

use minijinja::{Value, context};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::date_time;
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::View;
use crate::pages::{location_of, location_value};
use crate::store::{
    self, CATEGORIES, CUSTOMER_STATUSES, Recommendation, RecommendationFilter, STATUSES,
};
use crate::write::{self, Invalid, WriteError};

type Result<T> = portal_core::poem::Result<T>;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    category: String,
}

impl ListQuery {
    /// The filter, ignoring values that are not a status or category.
    fn filter(&self) -> RecommendationFilter {
        RecommendationFilter {
            status: STATUSES
                .contains(&self.status.as_str())
                .then(|| self.status.clone()),
            category: CATEGORIES
                .contains(&self.category.as_str())
                .then(|| self.category.clone()),
        }
    }
}

fn options(u: &Require<View>, prefix: &str, keys: &[&str]) -> Vec<(String, String)> {
    std::iter::once((String::new(), u.page.t("logbook-all")))
        .chain(
            keys.iter()
                .map(|k| ((*k).to_string(), u.page.t(&format!("{prefix}{k}")))),
        )
        .collect()
}

fn row(u: &Require<View>, r: &Recommendation, checkpoints: &[store::Checkpoint]) -> Value {
    let lang = u.page.cx.lang;
    let checkpoint = r
        .checkpoint_id
        .and_then(|id| checkpoints.iter().find(|c| c.id == id))
        .map(store::Checkpoint::label);
    context! {
        id => r.id, text => r.text.as_str(), status => r.status.as_str(),
        status_label => u.page.t(&format!("logbook-status-{}", r.status)),
        category => u.page.t(&format!("logbook-category-{}", r.category)),
        checkpoint, response => r.response.as_str(),
        created => date_time(r.created_at, lang), updated => date_time(r.updated_at, lang),
    }
}

/// The recommendations of a location.
#[handler]
pub async fn list(
    u: Require<View>,
    Path(loc): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let filter = q.filter();
    let checkpoints = store::checkpoints(reach, l.id, true).await?;
    let rows: Vec<Value> = store::recommendations(reach, l.id, &filter)
        .await?
        .iter()
        .map(|r| row(&u, r, &checkpoints))
        .collect();
    let export_path = format!(
        "/logbook/{}/recommendations/export?status={}&category={}",
        l.id,
        filter.status.as_deref().unwrap_or(""),
        filter.category.as_deref().unwrap_or("")
    );
    Ok(u.page
        .render(
            "logbook/recommendations.html",
            context! {
                location => location_value(&l, store::may_write(reach, l.id).await?),
                tab => "recommendations", recommendations => rows,
                statuses => options(&u, "logbook-status-", &STATUSES),
                categories => options(&u, "logbook-category-", &CATEGORIES),
                values => context! {
                    status => filter.status.as_deref().unwrap_or(""),
                    category => filter.category.as_deref().unwrap_or(""),
                },
                export => u.page.url(&export_path),
            },
        )?
        .into_response())
}

/// The filtered recommendations as CSV (UTF-8 with a byte-order mark, `;`
/// separated, as Dutch spreadsheets expect), exactly the rows the list shows.
#[handler]
pub async fn export(
    u: Require<View>,
    Path(loc): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let checkpoints = store::checkpoints(reach, l.id, true).await?;
    let rows = store::recommendations(reach, l.id, &q.filter()).await?;
    let t = |k: &str| u.page.t(k);
    let header = [
        "logbook-csv-id",
        "logbook-location",
        "logbook-checkpoint",
        "logbook-category",
        "logbook-recommendation",
        "logbook-status",
        "logbook-response",
        "logbook-created",
        "logbook-updated",
    ]
    .map(t);
    let records: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let checkpoint = r
                .checkpoint_id
                .and_then(|id| checkpoints.iter().find(|c| c.id == id))
                .map(store::Checkpoint::label)
                .unwrap_or_default();
            vec![
                r.external_id.clone(),
                l.name.clone(),
                checkpoint,
                t(&format!("logbook-category-{}", r.category)),
                r.text.clone(),
                t(&format!("logbook-status-{}", r.status)),
                r.response.clone(),
                r.created_at.format("%Y-%m-%d %H:%M").to_string(),
                r.updated_at.format("%Y-%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    let name = format!("{}-{}.csv", t("logbook-csv-file"), l.id);
    portal_core::web::spreadsheet::download(&name, &header, &records)
}

async fn render_show(
    u: &Require<View>,
    loc: i64,
    id: i64,
    typed: Value,
    errors: BTreeMap<&'static str, String>,
    saved: bool,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let r = store::recommendation(reach, l.id, id)
        .await?
        .ok_or(NotFoundError)?;
    let checkpoints = store::checkpoints(reach, l.id, true).await?;
    let lang = u.page.cx.lang;
    let history: Vec<Value> = store::history(reach.db(), reach.scope(), r.id)
        .await?
        .iter()
        .map(|h| {
            context! {
                at => date_time(h.at, lang), change => u.page.t(&format!("logbook-change-{}", h.change)),
                status => h.status.as_str(), status_label => u.page.t(&format!("logbook-status-{}", h.status)),
                response => h.response.as_str(),
                by => if h.actor_name.is_empty() { u.page.t(&format!("logbook-actor-{}", h.actor)) } else { h.actor_name.clone() },
            }
        })
        .collect();
    let may_write = store::may_write(reach, l.id).await?;
    let statuses: Vec<(String, String)> = CUSTOMER_STATUSES
        .iter()
        .map(|s| ((*s).to_string(), u.page.t(&format!("logbook-status-{s}"))))
        .collect();
    let values = if typed.is_undefined() {
        context! { status => r.status.as_str(), response => "" }
    } else {
        typed
    };
    Ok(u.page
        .render(
            "logbook/recommendation.html",
            context! {
                location => location_value(&l, may_write), tab => "recommendations",
                recommendation => row(u, &r, &checkpoints), history, statuses, values, errors, saved,
                verified => r.status == "verified",
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// One recommendation with its history (and the form, with write rights).
#[handler]
pub async fn show(
    u: Require<View>,
    Path((loc, id)): Path<(i64, i64)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response> {
    render_show(
        &u,
        loc,
        id,
        Value::UNDEFINED,
        BTreeMap::new(),
        q.saved.is_some(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RespondForm {
    status: String,
    response: String,
}

/// The message of a refused field, and the field it belongs to.
pub(crate) fn invalid_message(u: &Require<View>, e: &Invalid) -> (&'static str, String) {
    match e {
        Invalid::Markup(f) => (f, u.page.t("logbook-error-markup")),
        Invalid::Required(f) => (f, u.page.t("logbook-error-required")),
        Invalid::TooLong(f, max) => (
            f,
            u.page.state.renderer.texts().get_with(
                u.page.cx.voice(),
                "logbook-error-too-long",
                portal_core::poem::i18n::I18NArgs::default().set("max", *max),
            ),
        ),
        Invalid::Status => ("status", u.page.t("logbook-error-status")),
        Invalid::NothingChanged => ("response", u.page.t("logbook-error-nothing")),
    }
}

/// Sets the status and/or adds a response (write rights on the location).
#[handler]
pub async fn respond(
    u: Require<View>,
    Path((loc, id)): Path<(i64, i64)>,
    Form(f): Form<RespondForm>,
) -> Result<Response> {
    let reach = u.reach();
    let l = location_of(reach, loc).await?;
    let r = store::recommendation(reach, l.id, id)
        .await?
        .ok_or(NotFoundError)?;
    match write::respond(reach, &r, f.status.trim(), &f.response).await {
        Ok(()) => Ok(Redirect::see_other(u.page.url(&format!(
            "/logbook/{}/recommendations/{}?saved=1",
            l.id, r.id
        )))
        .into_response()),
        Err(WriteError::Denied(d)) => Err(d.into()),
        Err(WriteError::Invalid(e)) => {
            let (field, message) = invalid_message(&u, &e);
            let mut errors = BTreeMap::new();
            errors.insert(field, message);
            let typed = context! { status => f.status.trim(), response => f.response.as_str() };
            render_show(&u, loc, id, typed, errors, false).await
        }
    }
}
