//! Staff pages for customers and their portal accounts: search, a
//! customer with its accounts, an account with its details and activity
//! (seed 004 "Details" and "Activiteit"), and the account actions: create,
//! send the invitation again, deactivate or activate, reset the portal
//! account (password, 2FA and sessions, with a new link), reset 2FA.
//! Ids are looked up within the staff member's tenant only.

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser, one_error};
use crate::access::{Role, load};
use crate::auth::accounts::{self, Account, AccountError};
use crate::auth::activity::{self, By};
use crate::auth::flows::staff::{self, StaffNewAccount, Welcome};
use crate::auth::flows::{Client, FlowError};
use crate::auth::tokens::Purpose;
use crate::staff::permission::Customers;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

/// The staff home page: find a customer.
#[handler]
pub async fn home(u: StaffUser, Query(q): Query<SearchQuery>) -> poem::Result<Response> {
    if !u.can::<Customers>() {
        // An editor starts on the first page the role may use.
        return match u.first_page() {
            Some(path) => Ok(Redirect::see_other(u.page.url(path)).into_response()),
            None => Err(NotFoundError.into()),
        };
    }
    let found = accounts::search_customers(&u.page.state.db, u.page.tenant().scope(), &q.q, 50)
        .await
        .map_err(FlowError::from)?;
    Ok(u.render(
        "staff/home.html",
        context! { q => q.q.as_str(), customers => Value::from(minijinja::value::Serde(&found)) },
    )?
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

const DONE: &[&str] = &[
    "created",
    "invited",
    "reset",
    "activated",
    "deactivated",
    "two-factor",
    "email",
    "password",
    "deleted",
    "access",
    "parent",
    "username",
];

fn done_of(q: &DoneQuery) -> Option<&'static str> {
    DONE.iter().find(|d| **d == q.done).copied()
}

async fn render_customer(
    u: &StaffUser,
    id: i64,
    done: Option<&str>,
    errors: Value,
    values: Value,
) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let c = accounts::customer_details(db, scope, id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(NotFoundError))?;
    let locations = accounts::locations_of(db, scope, id)
        .await
        .map_err(FlowError::from)?;
    let list = accounts::list(db, scope, Some(id))
        .await
        .map_err(FlowError::from)?;
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let roles = load::roles_of_many(db, scope, &ids)
        .await
        .map_err(FlowError::from)?;
    let accounts: Vec<Value> = list
        .iter()
        .map(|a| {
            let r = roles.get(&a.id).cloned().unwrap_or_default();
            context! {
                id => a.id, name => a.greeting_name(), email => a.email.as_str(), is_main => a.is_main,
                active => a.active, admin => r.has(Role::Admin), totp => a.totp_enabled(),
                has_password => a.password_hash.is_some(),
            }
        })
        .collect();
    let tenant = u.page.tenant();
    let mut links: Vec<(i32, Value)> = Vec::new();
    for m in u.page.state.registry.iter() {
        if !tenant.has_module(m.name()) {
            continue;
        }
        for l in m.staff_customer_links() {
            if u.session.member.holds(&l.permission) {
                let href = u
                    .page
                    .url(&format!("/staff/{}{}?customer={id}", m.name(), l.path));
                links.push((l.order, context! { label => u.page.t(l.label_key), href }));
            }
        }
    }
    links.sort_by_key(|l| l.0);
    let module_links: Vec<Value> = links.into_iter().map(|l| l.1).collect();
    let parent = accounts::parent_of(db, scope, id)
        .await
        .map_err(FlowError::from)?
        .map(|(pid, number, name)| context! { id => pid, number, name });
    let entries = activity::for_customer(db, scope, id, 100)
        .await
        .map_err(FlowError::from)?;
    let activity = super::activity_rows(&entries);
    Ok(u.render(
        "staff/customer.html",
        context! {
            module_links, parent, activity,
            customer => Value::from(minijinja::value::Serde(&c)),
            locations => Value::from(minijinja::value::Serde(&locations)),
            accounts, done, errors, values,
        },
    )?
    .into_response())
}

/// A customer with its locations and portal accounts.
#[handler]
pub async fn customer(
    u: Staff<Customers>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> poem::Result<Response> {
    render_customer(&u, id, done_of(&q), Value::UNDEFINED, Value::UNDEFINED).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewAccountForm {
    email: String,
    username: String,
    name: String,
    extra: String,
    welcome: String,
}

/// Creates a portal account for the customer (with an invitation, seed
/// 000's account-created mail, or no mail).
#[handler]
pub async fn create_account(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(form): Form<NewAccountForm>,
) -> poem::Result<Response> {
    let c = accounts::customer_details(&u.page.state.db, u.page.tenant().scope(), id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(NotFoundError))?;
    let welcome = match form.welcome.as_str() {
        "created" => Welcome::Created,
        "none" => Welcome::None,
        _ => Welcome::Invite,
    };
    let n = StaffNewAccount {
        customer_number: c.number.clone(),
        customer_name: c.name.clone(),
        email: form.email.clone(),
        username: Some(form.username.clone()).filter(|s| !s.trim().is_empty()),
        display_name: form.name.clone(),
        lang: None,
        extra: form.extra == "on",
        active: true,
        welcome,
    };
    let by = By::staff(u.session.member.id, client.ip);
    match staff::create_account(&u.page.state.deps(), u.page.tenant(), &by, &n).await? {
        Ok(_) => Ok(Redirect::see_other(
            u.page.url(&format!("/staff/customers/{id}?done=created")),
        )
        .into_response()),
        Err(e) => {
            let (field, key) = match e {
                AccountError::BadEmail(_) => ("email", "people-error-email"),
                AccountError::EmailTaken(_) => ("email", "people-error-email-taken"),
                AccountError::UsernameTaken(_) => ("username", "people-error-username-taken"),
                _ => ("email", "people-error-too-long"),
            };
            let errors = Value::from(std::collections::BTreeMap::from([(field, u.page.t(key))]));
            let values = context! { email => form.email.as_str(), username => form.username.as_str(), name => form.name.as_str() };
            render_customer(&u, id, None, errors, values).await
        }
    }
}

/// A portal account of this tenant, or 404.
///
/// # Errors
/// 404 for an account of another tenant or none; a database failure.
pub async fn account_of(u: &StaffUser, id: i64) -> poem::Result<Account> {
    accounts::by_id(&u.page.state.db, u.page.tenant().scope(), id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| NotFoundError.into())
}

/// What the account page shows besides the account: a refused form's
/// errors and typed values.
#[derive(Default)]
struct AccountForms {
    done: Option<&'static str>,
    errors: Value,
    values: Value,
}

async fn render_account(u: &StaffUser, a: &Account, forms: AccountForms) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let roles = load::roles_of(db, scope, a.id)
        .await
        .map_err(FlowError::from)?;
    let entries = activity::for_user(db, scope, a.id, 200)
        .await
        .map_err(FlowError::from)?;
    let activity = super::activity_rows(&entries);
    let settings = crate::auth::settings::AuthSettings::of(u.page.tenant());
    Ok(u.render(
        "staff/account.html",
        context! {
            account => context! {
                id => a.id, email => a.email.as_str(), username => a.username.as_deref(),
                name => a.greeting_name(), customer_id => a.customer_id,
                customer_number => a.customer_number.as_str(), customer_name => a.customer_name.as_str(),
                is_main => a.is_main, active => a.active, confirmed => a.confirmed,
                totp => a.totp_enabled(), has_password => a.password_hash.is_some(),
                created => a.created_at.format("%d-%m-%Y %H:%M").to_string(),
                roles => roles.iter().map(Role::code).collect::<Vec<_>>(),
            },
            activity,
            may_set_password => settings.staff_set_password,
            done => forms.done, errors => forms.errors, values => forms.values,
        },
    )?
    .into_response())
}

/// An account: details and activity (seed 004), with the actions.
#[handler]
pub async fn account(
    u: Staff<Customers>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let forms = AccountForms {
        done: done_of(&q),
        ..AccountForms::default()
    };
    render_account(&u, &a, forms).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmailForm {
    email: String,
}

/// Changes the login e-mail on the customer's request (seed 000): the old
/// and the new address are mailed; links to the old address stop working.
#[handler]
pub async fn change_email(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<EmailForm>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    match staff::change_email(&u.page.state.deps(), u.page.tenant(), &by, &a, &f.email).await? {
        Ok(()) => Ok(back(&u, id, "email")),
        Err(e) => {
            let key = match e {
                AccountError::EmailTaken(_) => "staff-error-email-taken",
                _ => "staff-error-email",
            };
            let forms = AccountForms {
                errors: one_error("email", u.page.t(key)),
                values: context! { email => f.email.as_str() },
                ..AccountForms::default()
            };
            render_account(&u, &a, forms).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsernameForm {
    username: String,
}

/// Changes the user name on the customer's request.
#[handler]
pub async fn change_username(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<UsernameForm>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    let deps = u.page.state.deps();
    match staff::change_username(&deps, u.page.tenant(), &by, &a, &f.username).await? {
        Ok(()) => Ok(back(&u, id, "username")),
        Err(e) => {
            let key = match e {
                AccountError::UsernameTaken(_) => "staff-error-username-taken",
                AccountError::Invalid(ref v) if v.is_empty() => "staff-error-username-needed",
                _ => "staff-error-username",
            };
            let forms = AccountForms {
                errors: one_error("username", u.page.t(key)),
                values: context! { username => f.username.as_str() },
                ..AccountForms::default()
            };
            render_account(&u, &a, forms).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
    repeat: String,
}

/// Sets a password staff chose, where the tenant allows it (seed 002),
/// under the tenant's policy; the account's sessions end.
#[handler]
pub async fn set_password(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    let deps = u.page.state.deps();
    match staff::set_password(&deps, u.page.tenant(), &by, &a, &f.password, &f.repeat).await? {
        Ok(()) => Ok(back(&u, id, "password")),
        Err(staff::StaffPasswordError::NotAllowed) => Err(NotFoundError.into()),
        Err(staff::StaffPasswordError::Policy(e)) => {
            let field = crate::web::links::policy_field(&e);
            let forms = AccountForms {
                errors: one_error(field, crate::web::links::policy_text(&u.page, &e)),
                ..AccountForms::default()
            };
            render_account(&u, &a, forms).await
        }
    }
}

/// Deletes the account; the customer and its data stay (seed 000).
#[handler]
pub async fn delete(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::delete_account(&u.page.state.deps(), u.page.tenant(), &by, &a).await?;
    let to = format!("/staff/customers/{}?done=deleted", a.customer_id);
    Ok(Redirect::see_other(u.page.url(&to)).into_response())
}

fn back(u: &StaffUser, id: i64, done: &str) -> Response {
    Redirect::see_other(u.page.url(&format!("/staff/accounts/{id}?done={done}"))).into_response()
}

/// Sends the invitation again (a new link; the old one stops working).
#[handler]
pub async fn invite(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::send_link(
        &u.page.state.deps(),
        u.page.tenant(),
        &by,
        &a,
        Purpose::Invite,
    )
    .await?;
    Ok(back(&u, id, "invited"))
}

/// Resets the portal account (seed 004): password, 2FA, sessions; a new link.
#[handler]
pub async fn reset(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::reset_account(&u.page.state.deps(), u.page.tenant(), &by, &a).await?;
    Ok(back(&u, id, "reset"))
}

/// Switches off the account's 2FA (the user lost their phone; they get a mail).
#[handler]
pub async fn two_factor(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::reset_totp(&u.page.state.deps(), u.page.tenant(), &by, &a).await?;
    Ok(back(&u, id, "two-factor"))
}

/// Activates the account.
#[handler]
pub async fn activate(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::set_active(&u.page.state.deps(), u.page.tenant(), &by, &a, true).await?;
    Ok(back(&u, id, "activated"))
}

/// Deactivates the account (its sessions end; a main account's extra accounts stop working too).
#[handler]
pub async fn deactivate(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    let by = By::staff(u.session.member.id, client.ip);
    staff::set_active(&u.page.state.deps(), u.page.tenant(), &by, &a, false).await?;
    Ok(back(&u, id, "deactivated"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ParentForm {
    parent: String,
}

/// Links the customer to a parent by its customer number, or unlinks it
/// (seed 002: a head office sees its branches). Logged.
#[handler]
pub async fn set_parent(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<ParentForm>,
) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    if accounts::customer_details(db, scope, id)
        .await
        .map_err(FlowError::from)?
        .is_none()
    {
        return Err(NotFoundError.into());
    }
    match accounts::set_parent(db, scope, id, &f.parent)
        .await
        .map_err(FlowError::from)?
    {
        Ok(parent) => {
            let detail = parent.map(|p| p.to_string()).unwrap_or_default();
            let entry = activity::Entry {
                customer_id: Some(id),
                ..activity::Entry::tenant(
                    activity::Actor::Staff,
                    Some(u.session.member.id),
                    "customer.parent_changed",
                    &detail,
                    client.ip.as_deref(),
                )
            };
            activity::record_now(db, scope, entry)
                .await
                .map_err(FlowError::from)?;
            let to = format!("/staff/customers/{id}?done=parent");
            Ok(Redirect::see_other(u.page.url(&to)).into_response())
        }
        Err(key) => {
            let errors = Value::from(std::collections::BTreeMap::from([(
                "parent".to_string(),
                u.page.t(key),
            )]));
            let values = context! { parent => f.parent.as_str() };
            render_customer(&u, id, None, errors, values).await
        }
    }
}
