//! "Mijn organisatie" (seeds 000 and 001): the customer's details as the
//! back-office keeps them, its locations, and for an admin (Beheerder)
//! its contact persons with their roles and its accounts' activity. Only the customer of the logged-in
//! account is shown; nothing here takes an id from the request.

use minijinja::context;
use poem::web::Query;
use poem::{IntoResponse, Response, handler};

use super::guard::User;
use crate::access::{Role, load};
use crate::auth::accounts;
use crate::auth::flows::FlowError;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// The organisation page.
#[handler]
pub async fn show(u: User, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let a = &u.session.account;
    // A parent account shows the customer chosen in the header's switcher.
    let shown = u
        .page
        .cx
        .principal
        .access
        .as_ref()
        .map_or(a.customer_id, crate::access::Access::current_customer);
    let own = shown == a.customer_id;
    let customer = accounts::customer_details(db, scope, shown)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(poem::error::NotFoundError))?;
    let locations = accounts::locations_of(db, scope, shown)
        .await
        .map_err(FlowError::from)?;
    let is_admin = u
        .page
        .cx
        .principal
        .access
        .as_ref()
        .is_some_and(|x| x.roles.has(Role::Admin));
    let mut contacts = Vec::new();
    let mut activity = Vec::new();
    if is_admin && own {
        let members = accounts::list(db, scope, Some(a.customer_id))
            .await
            .map_err(FlowError::from)?;
        let names: std::collections::HashMap<i64, &str> =
            members.iter().map(|m| (m.id, m.greeting_name())).collect();
        for e in crate::auth::activity::for_customer(db, scope, a.customer_id, 50)
            .await
            .map_err(FlowError::from)?
        {
            let who = e
                .user_id
                .and_then(|id| names.get(&id).copied())
                .unwrap_or(if e.actor == "staff" { "—" } else { "" });
            activity.push(context! {
                when => e.created_at.format("%d-%m-%Y %H:%M").to_string(),
                who,
                action => e.action,
            });
        }
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let roles_of = load::roles_of_many(db, scope, &ids)
            .await
            .map_err(FlowError::from)?;
        for c in members {
            let roles = roles_of.get(&c.id).cloned().unwrap_or_default();
            contacts.push(context! {
                name => c.greeting_name(),
                admin => roles.has(Role::Admin),
                employee => roles.has(Role::Employee),
                employee_plus => roles.has(Role::EmployeePlus),
                active => c.active,
            });
        }
    }
    let may = crate::access::edit_policy::EditPolicies::of(u.page.tenant()).organisation(is_admin);
    let pending = if own {
        super::people::pending_groups(&u, a.customer_id, None).await?
    } else {
        Vec::new()
    };
    Ok(u.page
        .render(
            "access/organisation.html",
            context! {
                customer => minijinja::Value::from(minijinja::value::Serde(&customer)),
                locations => minijinja::Value::from(minijinja::value::Serde(&locations)),
                contacts,
                activity,
                is_admin,
                own,
                may_edit => own && (may.organisation || may.correspondence),
                pending,
                done => (q.done == "saved").then_some("saved"),
            },
        )?
        .into_response())
}
