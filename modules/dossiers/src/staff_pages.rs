//! Review of a waiting action item on the staff pages
//! (`/staff/dossiers/actions/:id`, from core's list of requests): the
//! upload's PDF or the form's answers; approve, approve provisionally, or
//! reject with a remark the client sees (a new item then asks again and
//! the clients get one mail). Only staff of the tenant; in the activity log.

use minijinja::{Value, context};
use portal_core::auth::flows::Client;
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::staff::permission::Requests;
use portal_core::web::staff::Staff;
use serde::Deserialize;

use crate::store::{self, Action};
use crate::write;

type Result<T> = portal_core::poem::Result<T>;

/// The decisions staff may take.
const DECISIONS: [&str; 3] = ["approved", "provisionally_approved", "rejected"];

async fn of(u: &Staff<Requests>, id: i64) -> Result<(store::Dossier, Action)> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let a = store::action(db, scope, id).await?.ok_or(NotFoundError)?;
    let d = store::dossier_in(db, scope, a.dossier_id)
        .await?
        .ok_or(NotFoundError)?;
    Ok((d, a))
}

async fn render(
    u: &Staff<Requests>,
    d: &store::Dossier,
    a: &Action,
    error: Option<String>,
    remark: &str,
) -> Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let file = store::file(db, scope, a.id)
        .await?
        .map(|f| context! { names => f.names, pages => f.pages });
    let answers: Vec<Value> = match store::answers(db, scope, a.id).await? {
        Some(m) => a
            .fields()
            .iter()
            .map(|f| {
                let v = m.get(&f.key).map_or(String::new(), |v| match v {
                    serde_json::Value::Bool(true) => u.page.t("dossiers-yes"),
                    serde_json::Value::Bool(false) => u.page.t("dossiers-no"),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                });
                context! { label => f.label.as_str(), value => v }
            })
            .collect(),
        None => Vec::new(),
    };
    let decisions: Vec<(String, String)> = DECISIONS
        .iter()
        .map(|s| ((*s).to_string(), u.page.t(&format!("dossiers-status-{s}"))))
        .collect();
    Ok(u.render(
        "dossiers/staff_action.html",
        context! {
            action => context! {
                id => a.id, title => a.title.as_str(), kind => u.page.t(&format!("dossiers-kind-{}", a.kind)),
                status => a.status.as_str(), status_label => u.page.t(&format!("dossiers-status-{}", a.status)),
                remark => a.remark.as_str(), waiting => matches!(a.status.as_str(), "received" | "provisionally_approved"),
            },
            dossier => context! { title => d.title.as_str(), customer_id => d.customer_id },
            file, answers, decisions, error, remark,
        },
    )?
    .into_response())
}

/// The item with what the client sent.
#[handler]
pub async fn show(u: Staff<Requests>, Path(id): Path<i64>) -> Result<Response> {
    let (d, a) = of(&u, id).await?;
    render(&u, &d, &a, None, "").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Decision {
    status: String,
    remark: String,
}

/// The decision; a rejection needs a remark.
#[handler]
pub async fn decide(
    u: Staff<Requests>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<Decision>,
) -> Result<Response> {
    let (d, a) = of(&u, id).await?;
    let remark = f.remark.trim();
    let error = if !DECISIONS.contains(&f.status.as_str()) {
        Some(u.page.t("dossiers-staff-error-status"))
    } else if f.status == "rejected" && remark.is_empty() {
        Some(u.page.t("dossiers-staff-error-remark"))
    } else if remark.chars().count() > 2000 || remark.contains(['<', '>']) {
        Some(u.page.t("dossiers-staff-error-long"))
    } else {
        None
    };
    if error.is_some() {
        return render(&u, &d, &a, error, &f.remark).await;
    }
    let deps = u.page.state.deps();
    let by = u.session.member.name.clone();
    let Some(new) = write::review(&deps, u.page.tenant(), &a, &f.status, remark, &by).await? else {
        let error = Some(u.page.t("dossiers-staff-error-not-waiting"));
        return render(&u, &d, &a, error, &f.remark).await;
    };
    if new.is_some() {
        write::mail_new_actions(&deps, u.page.tenant(), &d, std::slice::from_ref(&a.title)).await?;
    }
    u.reach()
        .record(
            "dossiers.review",
            Some(d.customer_id),
            &format!("dossiers_action:{id}"),
            &f.status,
            client.ip.as_deref(),
        )
        .await?;
    Ok(Redirect::see_other(u.page.url("/staff/requests")).into_response())
}
