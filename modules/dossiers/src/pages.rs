//! The client's dossier pages: the list (straight to the dossier when
//! there is one), the overview, the important documents, a tab per visible
//! product and the appointment. Every page finds its dossier through the
//! account's reach first (another client's dossier is a 404) and shows the
//! dossier's tabs with the bell: the number of open action items.

use minijinja::{Value, context};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Path, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::{date, date_time};
use portal_core::web::guard::Require;

use crate::store::{self, Action, Dossier};
use crate::{View, progress};

type Result<T> = portal_core::poem::Result<T>;

/// The dossier `id` if this account reaches it.
pub(crate) async fn dossier_of(u: &Require<View>, id: i64) -> Result<Dossier> {
    store::dossier(u.reach(), id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

/// What every dossier page shows: the title, the tabs, the bell.
pub(crate) async fn frame(
    u: &Require<View>,
    d: &Dossier,
    current: &str,
    actions: &[Action],
) -> Result<Value> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let products = store::products(db, scope, d.id, true).await?;
    let has_appointment = store::appointment(db, scope, d.id).await?.is_some();
    let open = actions.iter().filter(|a| progress::open(&a.status)).count();
    let mut tabs = vec![
        context! { key => "overview", label => u.page.t("dossiers-tab-overview"), url => u.page.url(&format!("/dossiers/{}", d.id)) },
        context! { key => "documents", label => u.page.t("dossiers-tab-documents"), url => u.page.url(&format!("/dossiers/{}/documents", d.id)) },
    ];
    for p in &products {
        tabs.push(context! {
            key => format!("product-{}", p.id), label => p.title.as_str(),
            url => u.page.url(&format!("/dossiers/{}/products/{}", d.id, p.id)),
        });
    }
    if has_appointment {
        tabs.push(context! { key => "appointment", label => u.page.t("dossiers-tab-appointment"), url => u.page.url(&format!("/dossiers/{}/appointment", d.id)) });
    }
    Ok(context! {
        dossier => context! { id => d.id, title => d.title.as_str(), closed => d.status == "closed" },
        tabs, current, open_count => open,
    })
}

/// The account's dossiers; with one, that dossier.
#[handler]
pub async fn list(u: Require<View>) -> Result<Response> {
    let all = store::dossiers(u.reach()).await?;
    if let [only] = all.as_slice() {
        return Ok(
            Redirect::see_other(u.page.url(&format!("/dossiers/{}", only.id))).into_response(),
        );
    }
    let rows: Vec<Value> = all
        .iter()
        .map(|d| context! { id => d.id, title => d.title.as_str(), closed => d.status == "closed", created => date(d.created_at.date_naive(), u.page.cx.lang) })
        .collect();
    Ok(u.page
        .render("dossiers/list.html", context! { dossiers => rows })?
        .into_response())
}

fn person(a: Option<store::Adviser>) -> Option<Value> {
    a.map(|a| context! { name => a.name, email => a.email, phone => a.phone })
}

/// An action item as the lists show it.
pub(crate) fn action_row(u: &Require<View>, d: &Dossier, a: &Action) -> Value {
    context! {
        id => a.id, title => a.title.as_str(), kind => a.kind.as_str(),
        kind_label => u.page.t(&format!("dossiers-kind-{}", a.kind)),
        status => a.status.as_str(), status_label => u.page.t(&format!("dossiers-status-{}", a.status)),
        remark => a.remark.as_str(), open => progress::open(&a.status),
        url => u.page.url(&format!("/dossiers/{}/actions/{}", d.id, a.id)),
    }
}

/// The overview: adviser and handler, progress, action items.
#[handler]
pub async fn overview(u: Require<View>, Path(id): Path<i64>) -> Result<Response> {
    let d = dossier_of(&u, id).await?;
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let actions = store::actions(db, scope, d.id).await?;
    let percent = progress::percent(actions.iter().map(|a| a.status.as_str()));
    let adviser = person(store::adviser(db, scope, d.adviser_id).await?);
    let handler = person(store::adviser(db, scope, d.handler_id).await?);
    // Open first, then the rest, newest first; rejected ones stay listed
    // with their remark.
    let mut rows: Vec<&Action> = actions.iter().collect();
    rows.sort_by_key(|a| (!progress::open(&a.status), std::cmp::Reverse(a.id)));
    let rows: Vec<Value> = rows.iter().map(|a| action_row(&u, &d, a)).collect();
    let frame = frame(&u, &d, "overview", &actions).await?;
    Ok(u.page
        .render(
            "dossiers/overview.html",
            context! { percent, adviser, handler, actions => rows, ..frame },
        )?
        .into_response())
}

/// The important documents: the office's standard ones and the dossier's.
#[handler]
pub async fn documents(u: Require<View>, Path(id): Path<i64>) -> Result<Response> {
    let d = dossier_of(&u, id).await?;
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let docs: Vec<Value> = store::documents(db, scope, d.id)
        .await?
        .iter()
        .map(|doc| {
            context! {
                title => doc.title.as_str(), name => doc.name.as_str(), standard => doc.dossier_id.is_none(),
                added => date_time(doc.created_at, u.page.cx.lang),
                url => u.page.url(&format!("/dossiers/{}/documents/{}", d.id, doc.id)),
            }
        })
        .collect();
    let actions = store::actions(db, scope, d.id).await?;
    // The signed agreements stay downloadable here too.
    let mut signed = Vec::new();
    for a in actions.iter().filter(|a| a.kind == "sign") {
        if let Some(s) = store::signature(db, scope, a.id).await? {
            signed.push(context! {
                title => a.title.as_str(), at => date_time(s.signed_at, u.page.cx.lang),
                url => u.page.url(&format!("/dossiers/{}/actions/{}/signed", d.id, a.id)),
            });
        }
    }
    let frame = frame(&u, &d, "documents", &actions).await?;
    Ok(u.page
        .render(
            "dossiers/documents.html",
            context! { documents => docs, signed, ..frame },
        )?
        .into_response())
}

/// One document, as a download.
#[handler]
pub async fn document(u: Require<View>, Path((id, doc)): Path<(i64, i64)>) -> Result<Response> {
    let d = dossier_of(&u, id).await?;
    let db = &u.page.state.db;
    let found = store::documents(db, u.page.tenant().scope(), d.id)
        .await?
        .into_iter()
        .find(|x| x.id == doc)
        .ok_or(NotFoundError)?;
    let bytes = u
        .page
        .state
        .blobs
        .get(&found.blob_key)
        .await?
        .ok_or(NotFoundError)?;
    Ok(portal_core::files::names::private_download(
        bytes,
        &found.mime,
        &found.name,
    ))
}

/// A product's tab: the lender's status with its explanation.
#[handler]
pub async fn product(u: Require<View>, Path((id, product)): Path<(i64, i64)>) -> Result<Response> {
    let d = dossier_of(&u, id).await?;
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let p = store::products(db, scope, d.id, true)
        .await?
        .into_iter()
        .find(|p| p.id == product)
        .ok_or(NotFoundError)?;
    let actions = store::actions(db, scope, d.id).await?;
    let frame = frame(&u, &d, &format!("product-{}", p.id), &actions).await?;
    let key = format!("dossiers-product-status-{}", p.status);
    let label = u.page.t(&key);
    Ok(u.page
        .render(
            "dossiers/product.html",
            context! {
                product => context! {
                    title => p.title.as_str(), status => p.status.as_str(),
                    // A status outside the standard list shows as sent.
                    status_label => if label == key { p.status.clone() } else { label },
                    explanation => p.explanation.as_str(), updated => date_time(p.updated_at, u.page.cx.lang),
                },
                ..frame
            },
        )?
        .into_response())
}

/// The appointment: date, time, place, and what to bring.
#[handler]
pub async fn appointment(u: Require<View>, Path(id): Path<i64>) -> Result<Response> {
    let d = dossier_of(&u, id).await?;
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let a = store::appointment(db, scope, d.id)
        .await?
        .ok_or(NotFoundError)?;
    let actions = store::actions(db, scope, d.id).await?;
    let frame = frame(&u, &d, "appointment", &actions).await?;
    let items: Vec<String> = a
        .items
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Ok(u.page
        .render(
            "dossiers/appointment.html",
            context! {
                appointment => context! { at => date_time(a.starts_at, u.page.cx.lang), place => a.place.as_str(), items },
                ..frame
            },
        )?
        .into_response())
}
