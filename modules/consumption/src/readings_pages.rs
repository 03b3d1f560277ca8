//! The readings page: per meter channel the newest readings with their
//! source (remote, entered by the customer, estimated), and, where the
//! tenant allows it (`consumption.customer_readings`) and the account holds
//! `consumption.submit_reading` with write rights on the location, a form
//! to enter a reading. A reading is refused when it is lower than the one
//! before or in the future; a jump far above the usual use asks for a
//! confirmation first. A stored reading reaches the back-office as the
//! event `consumption.reading_submitted`, and the days it changes are
//! derived again in the same transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use minijinja::{Value, context};
use portal_core::access::locations::Need;
use portal_core::db::DbError;
use portal_core::events;
use portal_core::poem::web::{Form, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::web::format::date_time;
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::derive::local_day;
use crate::pages::quantity;
use crate::recompute::{self, Channel, day_start};
use crate::store::{self, ChannelRow, unit_label};
use crate::{CONSUMPTION, SubmitReading, View};

type Result<T> = portal_core::poem::Result<T>;

/// Readings shown per channel.
const SHOWN: u64 = 12;

async fn render(
    u: &Require<View>,
    values: Value,
    errors: BTreeMap<&'static str, String>,
    warning: Option<String>,
    saved: bool,
    location: Option<i64>,
) -> Result<Response> {
    let reach = u.reach().clone();
    let lang = u.page.cx.lang;
    let locations = store::locations(&reach).await?;
    // One location at a time (a corporation has many): the one asked, else the first.
    let chosen = location
        .filter(|l| locations.iter().any(|x| x.id == *l))
        .or_else(|| locations.first().map(|l| l.id));
    let channels: Vec<ChannelRow> = store::channels(&reach)
        .await?
        .into_iter()
        .filter(|c| Some(c.location_id) == chosen)
        .collect();
    let location_options: Vec<(String, String)> = locations
        .iter()
        .map(|l| (l.id.to_string(), l.name.clone()))
        .collect();
    let mut groups = Vec::new();
    for c in &channels {
        let readings: Vec<Value> = store::readings(&reach, c, SHOWN)
            .await?
            .iter()
            .map(|r| {
                context! {
                    at => date_time(r.read_at, lang), value => quantity(r.value, &c.unit, lang),
                    source => u.page.t(&format!("consumption-source-{}", r.source)),
                }
            })
            .collect();
        let location = locations
            .iter()
            .find(|l| l.id == c.location_id)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        groups.push(context! {
            id => c.id, meter => c.meter_number.as_str(), code => c.code.as_str(),
            kind => u.page.t(&format!("consumption-kind-{}", c.kind)),
            unit => unit_label(&c.unit), location, active => c.meter_active, readings,
        });
    }
    let may_submit =
        CONSUMPTION.flag(u.page.tenant(), "customer_readings") && u.can::<SubmitReading>();
    let options: Vec<(String, String)> = channels
        .iter()
        .filter(|c| c.meter_active)
        .map(|c| {
            (
                c.id.to_string(),
                format!(
                    "{} · {} ({})",
                    c.meter_number,
                    u.page.t(&format!("consumption-kind-{}", c.kind)),
                    unit_label(&c.unit)
                ),
            )
        })
        .collect();
    let today = local_day(Utc::now());
    Ok(u.page
        .render(
            "consumption/readings.html",
            context! {
                groups, may_submit, options, errors, warning, saved, location_options,
                location => chosen.map(|l| l.to_string()).unwrap_or_default(),
                values => if values.is_undefined() { context! { date => today.to_string() } } else { values },
            },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    saved: Option<String>,
    location: Option<i64>,
}

/// The readings of the account's meters.
#[handler]
pub async fn list(u: Require<View>, Query(q): Query<ListQuery>) -> Result<Response> {
    render(
        &u,
        Value::UNDEFINED,
        BTreeMap::new(),
        None,
        q.saved.is_some(),
        q.location,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReadingForm {
    channel: String,
    date: String,
    value: String,
    confirm: String,
}

/// The reading a channel had last before `at`.
async fn previous(
    reach: &portal_core::access::Reach,
    channel: i64,
    at: DateTime<Utc>,
) -> std::result::Result<Option<(DateTime<Utc>, f64)>, DbError> {
    reach
        .db()
        .fetch_optional(
            &reach
                .scope()
                .select("consumption_readings")
                .columns(["read_at", "value"])
                .and_where(Expr::col("channel_id").eq(channel))
                .and_where(Expr::col("read_at").lt(at))
                .order_by("read_at", Order::Desc)
                .limit(1)
                .to_owned(),
        )
        .await
}

/// The channel's latest reading. (Not `previous(.., MAX_UTC)`: SQLite
/// keeps instants as text, and the far future's `+262143-…` sorts before
/// every real one there.)
async fn latest(
    reach: &portal_core::access::Reach,
    channel: i64,
) -> std::result::Result<Option<(DateTime<Utc>, f64)>, DbError> {
    reach
        .db()
        .fetch_optional(
            &reach
                .scope()
                .select("consumption_readings")
                .columns(["read_at", "value"])
                .and_where(Expr::col("channel_id").eq(channel))
                .order_by("read_at", Order::Desc)
                .limit(1)
                .to_owned(),
        )
        .await
}

/// Enters a reading (see the module's rules above).
#[handler]
pub async fn submit(u: Require<View>, Form(f): Form<ReadingForm>) -> Result<Response> {
    let view = &u;
    if !CONSUMPTION.flag(u.page.tenant(), "customer_readings") || !u.can::<SubmitReading>() {
        return Err(portal_core::poem::error::NotFoundError.into());
    }
    let reach = u.reach().clone();
    let lang = u.page.cx.lang;
    let channels = store::channels(&reach).await?;
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    let typed = context! {
        channel => f.channel.as_str(), date => f.date.as_str(), value => f.value.as_str(),
    };
    let channel: Option<&ChannelRow> = f
        .channel
        .parse::<i64>()
        .ok()
        .and_then(|id| channels.iter().find(|c| c.id == id && c.meter_active));
    let Some(channel) = channel else {
        errors.insert("channel", u.page.t("consumption-error-channel"));
        return render(view, typed, errors, None, false, None).await;
    };
    reach.location(channel.location_id, Need::Write).await?;
    let value = f.value.trim().replace(' ', "");
    let value = if value.contains(',') {
        value.replace('.', "").replace(',', ".")
    } else {
        value
    };
    let value: Option<f64> = value
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0);
    let today = local_day(Utc::now());
    let day = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d").ok();
    match day {
        None => {
            errors.insert("date", u.page.t("consumption-error-date"));
        }
        Some(d) if d > today => {
            errors.insert("date", u.page.t("consumption-error-future"));
        }
        _ => {}
    }
    if value.is_none() {
        errors.insert("value", u.page.t("consumption-error-value"));
    }
    let (Some(day), Some(value), true) = (day, value, errors.is_empty()) else {
        return render(view, typed, errors, None, false, Some(channel.location_id)).await;
    };
    // Today: now; an earlier day: its local noon.
    let at = if day == today {
        Utc::now()
    } else {
        day_start(day) + chrono::Duration::hours(12)
    };
    // Only after the channel's last reading (history stays as the meter
    // read it; a date long ago would spread the register over years), and
    // at most a year back for a channel without readings.
    let last = latest(&reach, channel.id).await?;
    let too_early = match last {
        Some((t, _)) => at <= t,
        None => day < today.checked_sub_days(Days::new(365)).unwrap_or(today),
    };
    if too_early {
        let message = match last {
            Some((t, _)) => u.page.state.renderer.texts().get_with(
                u.page.cx.voice(),
                "consumption-error-before-last",
                portal_core::poem::i18n::I18NArgs::default().set("date", date_time(t, lang)),
            ),
            None => u.page.t("consumption-error-too-old"),
        };
        errors.insert("date", message);
        return render(view, typed, errors, None, false, Some(channel.location_id)).await;
    }
    let prev = previous(&reach, channel.id, at).await?;
    if let Some((_, p)) = prev
        && value < p
    {
        errors.insert(
            "value",
            u.page.state.renderer.texts().get_with(
                u.page.cx.voice(),
                "consumption-error-lower",
                portal_core::poem::i18n::I18NArgs::default()
                    .set("previous", quantity(p, &channel.unit, lang)),
            ),
        );
        return render(view, typed, errors, None, false, Some(channel.location_id)).await;
    }
    // A plausible jump: the use since the last reading against the usual
    // use per day over the last year.
    if let Some((pt, p)) = prev
        && f.confirm.is_empty()
    {
        let year_ago = today.checked_sub_days(Days::new(365)).unwrap_or(today);
        let usual = store::total(
            &reach,
            &store::Scope {
                kind: channel.kind.clone(),
                locations: vec![channel.location_id],
                channel: Some(channel.id),
            },
            year_ago,
            today,
        )
        .await?
            / 365.0;
        #[allow(clippy::cast_precision_loss)]
        let days = ((at - pt).num_hours() as f64 / 24.0).max(1.0);
        let factor: f64 = CONSUMPTION
            .setting(u.page.tenant(), "jump_factor")
            .parse()
            .unwrap_or(5.0);
        if usual > 0.0 && (value - p) / days > usual * factor {
            let warning = u.page.state.renderer.texts().get_with(
                u.page.cx.voice(),
                "consumption-warning-jump",
                portal_core::poem::i18n::I18NArgs::default()
                    .set("used", quantity(value - p, &channel.unit, lang))
                    .set("usual", quantity(usual * days, &channel.unit, lang)),
            );
            return render(
                view,
                typed,
                errors,
                Some(warning),
                false,
                Some(channel.location_id),
            )
            .await;
        }
    }
    let ch = Channel {
        id: channel.id,
        location_id: channel.location_id,
        kind: channel.kind.clone(),
    };
    let scope = reach.scope();
    let mut tx = reach.db().begin().await?;
    tx.execute(
        &scope
            .insert("consumption_readings")
            .set("channel_id", channel.id)
            .set("read_at", at)
            .set("value", value)
            .set("source", "customer")
            .set("created_at", Utc::now())
            .statement(),
    )
    .await?;
    recompute::channel(&mut tx, scope, &ch, at, at).await?;
    events::emit(
        &mut tx,
        scope,
        "consumption.reading_submitted",
        &serde_json::json!({
            "channel_id": channel.id, "meter": channel.meter_number, "channel": channel.code,
            "location_id": channel.location_id, "read_at": at, "value": value,
            "unit": channel.unit, "by_user_id": reach.user_id(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::see_other(u.page.url(&format!(
        "/consumption/readings?saved=1&location={}",
        channel.location_id
    )))
    .into_response())
}
