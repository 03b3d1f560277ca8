//! An account's roles and, for an extra account, its rights per location
//! and child customer, set by support (seed 002: staff create main and
//! extra accounts; the same editor a customer's main account has). Within
//! the account's customer and its children; every change is logged.

use minijinja::{Value, context};
use poem::web::Redirect;
use poem::web::{Form, Path};
use poem::{IntoResponse, Response, handler};
use sea_query::ExprTrait;

use super::customers::account_of;
use super::{Staff, StaffUser};
use crate::access::people::{self, Rights};
use crate::access::{Role, Roles, load};
use crate::auth::accounts::{self, Account};
use crate::auth::activity::By;
use crate::auth::flows::{Client, FlowError};
use crate::staff::permission::Customers;

const ROLES: [Role; 3] = [Role::Admin, Role::Employee, Role::EmployeePlus];

async fn render(
    u: &StaffUser,
    a: &Account,
    roles: &Roles,
    rights: &Rights,
) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let mut customers = vec![a.customer_id];
    let children: Vec<(i64,)> = db
        .fetch_all(
            &scope
                .select("core_customers")
                .column("id")
                .and_where(sea_query::Expr::col("parent_id").eq(a.customer_id))
                .to_owned(),
        )
        .await
        .map_err(FlowError::from)?;
    customers.extend(children.iter().map(|(c,)| *c));
    let mut locations = Vec::new();
    let mut child_rows = Vec::new();
    for c in &customers {
        let Some(d) = accounts::customer_details(db, scope, *c)
            .await
            .map_err(FlowError::from)?
        else {
            continue;
        };
        for l in accounts::locations_of(db, scope, *c)
            .await
            .map_err(FlowError::from)?
        {
            let granted = rights.locations.get(&l.id);
            locations.push(context! {
                id => l.id, name => l.name.as_str(), address => l.address.as_str(), customer => d.name.as_str(),
                read => granted.is_some(), write => granted.copied().unwrap_or(false),
            });
        }
        if *c != a.customer_id {
            child_rows.push(context! { id => d.id, name => d.name.as_str(), number => d.number.as_str(), granted => rights.children.contains(c) });
        }
    }
    let role_rows: Vec<Value> = ROLES
        .iter()
        .map(|r| context! { code => r.code(), label_key => format!("org-role-{}", r.code().replace('_', "-")), held => roles.has(*r) })
        .collect();
    Ok(u.render(
        "staff/access.html",
        context! {
            account => context! { id => a.id, name => a.greeting_name(), email => a.email.as_str(), is_main => a.is_main },
            roles => role_rows, locations, children => child_rows,
        },
    )?
    .into_response())
}

/// The account's roles and rights.
#[handler]
pub async fn show(u: Staff<Customers>, Path(id): Path<i64>) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let scope = u.page.tenant().scope();
    let roles = load::roles_of(&u.page.state.db, scope, a.id)
        .await
        .map_err(FlowError::from)?;
    let rights = people::rights_of(&u.page.state.deps(), u.page.tenant(), a.id).await?;
    render(&u, &a, &roles, &rights).await
}

/// Saves roles and rights (write implies read; `employee_plus` comes with `employee`).
#[handler]
pub async fn save(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let mut held = Vec::new();
    let mut rights = Rights::default();
    for (k, v) in &fields {
        if v != "on" {
            continue;
        }
        if let Some(r) = k.strip_prefix("role_").and_then(Role::parse) {
            held.push(r);
        } else if let Some(l) = k.strip_prefix("read_").and_then(|n| n.parse::<i64>().ok()) {
            rights.locations.entry(l).or_insert(false);
        } else if let Some(l) = k.strip_prefix("write_").and_then(|n| n.parse::<i64>().ok()) {
            rights.locations.insert(l, true);
        } else if let Some(c) = k.strip_prefix("child_").and_then(|n| n.parse::<i64>().ok()) {
            rights.children.push(c);
        }
    }
    if held.contains(&Role::EmployeePlus) && !held.contains(&Role::Employee) {
        held.push(Role::Employee);
    }
    let by = By::staff(u.session.member.id, client.ip);
    let deps = u.page.state.deps();
    people::staff_set_access(&deps, u.page.tenant(), &by, &a, &Roles::new(held), &rights).await?;
    Ok(
        Redirect::see_other(u.page.url(&format!("/staff/accounts/{id}?done=access")))
            .into_response(),
    )
}
