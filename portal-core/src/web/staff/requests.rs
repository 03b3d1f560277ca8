//! One list of the customers' requests of every enabled module (seed 001's
//! subscription changes; later move-in, move-out and advance amounts): the
//! open ones by default, or all; each links to its module's staff page,
//! where support changes its status and the customer is mailed.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::web::Query;
use poem::{IntoResponse, Response, handler};
use sea_query::{Expr, ExprTrait};
use serde::Deserialize;

use super::Staff;
use crate::auth::flows::FlowError;
use crate::staff::permission::Requests;
use crate::web::format::date_time;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// `all`, else only the open ones.
    status: String,
}

/// The requests of all modules, newest first.
#[handler]
pub async fn list(u: Staff<Requests>, Query(q): Query<ListQuery>) -> poem::Result<Response> {
    let reach = u.reach();
    let tenant = u.page.tenant();
    let open = q.status != "all";
    let mut all = Vec::new();
    for m in u.page.state.registry.iter() {
        if tenant.has_module(m.name()) {
            all.extend(
                m.staff_requests(reach, open)
                    .await
                    .map_err(FlowError::from)?,
            );
        }
    }
    all.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    let ids: Vec<i64> = all.iter().filter_map(|r| r.customer_id).collect();
    let names: BTreeMap<i64, (String, String)> = if ids.is_empty() {
        BTreeMap::new()
    } else {
        let rows: Vec<(i64, String, String)> = reach
            .db()
            .fetch_all(
                &reach
                    .scope()
                    .select("core_customers")
                    .columns(["id", "number", "name"])
                    .and_where(Expr::col("id").is_in(ids))
                    .to_owned(),
            )
            .await
            .map_err(FlowError::from)?;
        rows.into_iter()
            .map(|(id, n, name)| (id, (n, name)))
            .collect()
    };
    let lang = u.page.cx.lang;
    let rows: Vec<Value> = all
        .iter()
        .map(|r| {
            let (number, name) = r
                .customer_id
                .and_then(|c| names.get(&c).cloned())
                .unwrap_or_default();
            context! {
                id => r.id, kind => u.page.t(r.kind_key), subject => r.subject.as_str(),
                status => u.page.t(&r.status_key), open => r.open,
                created => date_time(r.created_at, lang), href => u.page.url(&r.path),
                customer_id => r.customer_id, customer_number => number, customer_name => name,
            }
        })
        .collect();
    Ok(u.render(
        "staff/requests.html",
        context! { requests => rows, all => !open },
    )?
    .into_response())
}
