//! "Mijn organisatie" pages that change something (seeds 001 and 002):
//! the organisation's details (admin), the user's own personal data
//! (everyone), contact persons with their roles (admin), and the rights of
//! extra accounts per location and child customer (the main account).
//!
//! Nothing here takes a customer from the request: a contact person's id
//! is looked up within the user's own organisation, so a person of another
//! customer or tenant answers 404 exactly like a missing one.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::guard::User;
use super::links::{policy_help, policy_text};
use crate::access::edit_policy::{EditPolicies, PersonEditable};
use crate::access::organisation::{self, Editable, OrganisationInput};
use crate::access::people::{self, FieldError, FieldErrors, OwnInput, PersonInput, Rights};
use crate::access::portal_changes;
use crate::access::{Access, Role, load};
use crate::auth::accounts::{self, Account, LoginMode};
use crate::auth::flows::{Client, FlowError};
use crate::auth::settings::AuthSettings;

fn access(u: &User) -> poem::Result<&Access> {
    u.page
        .cx
        .principal
        .access
        .as_ref()
        .ok_or_else(|| NotFoundError.into())
}

/// The principal's access when it administers its organisation; 404 otherwise
/// (an employee learns nothing about these pages).
fn admin(u: &User) -> poem::Result<&Access> {
    let a = access(u)?;
    if people::is_admin(a) {
        Ok(a)
    } else {
        Err(NotFoundError.into())
    }
}

/// Whether the principal is an admin of its organisation.
fn is_admin(u: &User) -> bool {
    u.page
        .cx
        .principal
        .access
        .as_ref()
        .is_some_and(people::is_admin)
}

/// What the user may change of the organisation; 404 when nothing (the
/// tenant's edit policy: an employee, or seed 000 where support does it).
fn organisation_editable(u: &User) -> poem::Result<Editable> {
    let may = EditPolicies::of(u.page.tenant()).organisation(is_admin(u));
    if may.organisation || may.correspondence {
        Ok(may)
    } else {
        Err(NotFoundError.into())
    }
}

/// What the user may change of their own account; 404 when nothing.
fn own_editable(u: &User) -> poem::Result<PersonEditable> {
    let may = PersonEditable::of(u.page.tenant(), true, is_admin(u));
    if may.any() {
        Ok(may)
    } else {
        Err(NotFoundError.into())
    }
}

/// The field groups of open portal changes of the customer (`account`
/// `None`) or of one account, for "waiting for processing".
pub(crate) async fn pending_groups(
    u: &User,
    customer_id: i64,
    account: Option<i64>,
) -> poem::Result<Vec<String>> {
    let open =
        portal_changes::open_of_customer(&u.page.state.db, u.page.tenant().scope(), customer_id)
            .await
            .map_err(FlowError::from)?;
    Ok(open
        .into_iter()
        .filter(|c| c.account_id == account)
        .map(|c| c.field_group)
        .collect())
}

fn on(v: &str) -> bool {
    matches!(v, "on" | "true" | "1")
}

/// The form errors as the templates show them.
fn error_texts(u: &User, errors: &FieldErrors) -> Value {
    let map: BTreeMap<&str, String> = errors
        .iter()
        .map(|(field, e)| {
            let text = match e {
                FieldError::Key(k) => u.page.t(k),
                FieldError::Policy(p) => policy_text(&u.page, p),
            };
            (*field, text)
        })
        .collect();
    Value::from(map)
}

fn redirect(u: &User, path: &str) -> Response {
    Redirect::see_other(u.page.url(path)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn done_of(q: &DoneQuery) -> Option<&'static str> {
    ["saved", "added"]
        .into_iter()
        .find(|d| *d == q.done.as_str())
}

// ---- organisation details -------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    name: String,
    email: String,
    phone: String,
    correspondence_address: String,
    current: String,
}

async fn render_organisation_form(
    u: &User,
    may: Editable,
    form: Option<&OrganisationForm>,
    errors: Value,
) -> poem::Result<Response> {
    let db = &u.page.state.db;
    let a = &u.session.account;
    let c = accounts::customer_details(db, u.page.tenant().scope(), a.customer_id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(NotFoundError))?;
    let values = match form {
        Some(f) => {
            context! { name => f.name.as_str(), email => f.email.as_str(), phone => f.phone.as_str(), correspondence_address => f.correspondence_address.as_str() }
        }
        None => {
            context! { name => c.name.as_str(), email => c.email.as_str(), phone => c.phone.as_str(), correspondence_address => c.correspondence_address.as_str() }
        }
    };
    Ok(u.page
        .render(
            "access/organisation_form.html",
            context! {
                values, errors, may_organisation => may.organisation, may_correspondence => may.correspondence,
                stored => minijinja::Value::from(minijinja::value::Serde(&c)),
                email_is_login => crate::access::login_email::follows(u.page.tenant()),
            },
        )?
        .into_response())
}

/// The organisation's details as a form (as far as the edit policy allows).
#[handler]
pub async fn organisation_edit(u: User) -> poem::Result<Response> {
    let may = organisation_editable(&u)?;
    render_organisation_form(&u, may, None, Value::UNDEFINED).await
}

/// Saves the organisation's details (with the current password).
#[handler]
pub async fn organisation_save(
    u: User,
    client: Client,
    Form(form): Form<OrganisationForm>,
) -> poem::Result<Response> {
    let may = organisation_editable(&u)?;
    let input = OrganisationInput {
        name: form.name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        correspondence_address: form.correspondence_address.clone(),
    };
    match organisation::update(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session.account,
        &form.current,
        &input,
        may,
        client.ip.as_deref(),
    )
    .await?
    {
        Ok(()) => Ok(redirect(&u, "/organisation?done=saved")),
        Err(e) => {
            let errors = error_texts(&u, &e);
            render_organisation_form(&u, may, Some(&form), errors).await
        }
    }
}

// ---- personal data ----------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonalForm {
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    current: String,
}

fn render_personal_form(
    u: &User,
    may: PersonEditable,
    form: Option<&PersonalForm>,
    errors: Value,
) -> poem::Result<Response> {
    let a = &u.session.account;
    let values = match form {
        Some(f) => {
            context! { first_name => f.first_name.as_str(), last_name => f.last_name.as_str(), phone => f.phone.as_str(), email => f.email.as_str() }
        }
        None => {
            context! { first_name => a.first_name.as_str(), last_name => a.last_name.as_str(), phone => a.phone.as_str(), email => a.email.as_str() }
        }
    };
    Ok(u.page
        .render(
            "access/personal_form.html",
            context! { values, errors, may_personal => may.personal, may_login_email => may.login_email, stored => context! { name => a.greeting_name(), phone => a.phone.as_str(), email => a.email.as_str() } },
        )?
        .into_response())
}

/// The user's own personal data, read-only with "Aanpassen" where the
/// tenant's edit policy allows a change (seed 001), and what waits for
/// the back-office.
#[handler]
pub async fn personal_show(u: User, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    let a = &u.session.account;
    let may = PersonEditable::of(u.page.tenant(), true, is_admin(&u));
    let pending = pending_groups(&u, a.customer_id, Some(a.id)).await?;
    Ok(u.page
        .render(
            "access/personal.html",
            context! {
                person => context! {
                    first_name => a.first_name.as_str(), last_name => a.last_name.as_str(),
                    phone => a.phone.as_str(), email => a.email.as_str(), username => a.username.as_deref(),
                },
                may_edit => may.any(), pending, done => done_of(&q),
            },
        )?
        .into_response())
}

/// The user's own personal data as a form (only the groups the policy allows).
#[handler]
pub async fn personal_edit(u: User) -> poem::Result<Response> {
    let may = own_editable(&u)?;
    render_personal_form(&u, may, None, Value::UNDEFINED)
}

/// Saves the user's own personal data (with the current password).
#[handler]
pub async fn personal_save(
    u: User,
    client: Client,
    Form(form): Form<PersonalForm>,
) -> poem::Result<Response> {
    let may = own_editable(&u)?;
    let input = OwnInput {
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
    };
    match people::update_own(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session.account,
        &form.current,
        &input,
        may,
        client.ip,
    )
    .await?
    {
        Ok(()) => Ok(redirect(&u, "/organisation/personal?done=saved")),
        Err(e) => {
            let errors = error_texts(&u, &e);
            render_personal_form(&u, may, Some(&form), errors)
        }
    }
}

// ---- contact persons --------------------------------------------------------

/// The contact persons with their roles (seed 001: "Naam, Beh., Mdw., Mdw+").
#[handler]
pub async fn contacts(u: User, Query(q): Query<DoneQuery>) -> poem::Result<Response> {
    let me = admin(&u)?;
    let db = &u.page.state.db;
    let scope = u.page.tenant().scope();
    let members = accounts::list(db, scope, Some(me.customer_id))
        .await
        .map_err(FlowError::from)?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let roles = load::roles_of_many(db, scope, &ids)
        .await
        .map_err(FlowError::from)?;
    let rows: Vec<Value> = members
        .iter()
        .map(|c| {
            let r = roles.get(&c.id).cloned().unwrap_or_default();
            context! {
                id => c.id,
                name => c.greeting_name(),
                email => c.email.as_str(),
                admin => r.has(Role::Admin),
                employee => r.has(Role::Employee),
                employee_plus => r.has(Role::EmployeePlus),
                active => c.active,
                is_main => c.is_main,
            }
        })
        .collect();
    Ok(u.page
        .render(
            "access/contacts.html",
            context! { contacts => rows, done => done_of(&q), manages_rights => me.is_main },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    first_name: String,
    last_name: String,
    gender: String,
    phone: String,
    email: String,
    username: String,
    admin: String,
    employee: String,
    employee_plus: String,
    active: String,
    password: String,
    repeat: String,
    /// Ticked: a contact person without portal access (seed 001).
    no_portal_access: String,
    current: String,
}

impl ContactForm {
    fn input(&self, active_default: bool) -> PersonInput {
        PersonInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            gender: self.gender.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            username: self.username.clone(),
            admin: on(&self.admin),
            employee: on(&self.employee),
            employee_plus: on(&self.employee_plus),
            active: if active_default {
                true
            } else {
                on(&self.active)
            },
            password: self.password.clone(),
            repeat: self.repeat.clone(),
            portal_access: !on(&self.no_portal_access),
        }
    }
}

fn gender_options(u: &User) -> Vec<(String, String)> {
    std::iter::once((String::new(), u.page.t("people-choose")))
        .chain(
            people::GENDERS
                .iter()
                .map(|g| ((*g).to_string(), u.page.t(&format!("people-gender-{g}")))),
        )
        .collect()
}

fn render_contact(
    u: &User,
    target: Option<&Account>,
    values: Value,
    errors: Value,
) -> poem::Result<Response> {
    let settings = AuthSettings::of(u.page.tenant());
    // A new person: everything; an existing one: what the policy allows.
    let may = target.map_or(
        PersonEditable {
            personal: true,
            login_email: true,
        },
        |t| PersonEditable::of(u.page.tenant(), t.id == u.session.account.id, true),
    );
    Ok(u.page
        .render(
            "access/contact_form.html",
            context! {
                target => target.map(|t| context! { id => t.id, is_main => t.is_main, name => t.greeting_name(), email => t.email.as_str(), phone => t.phone.as_str() }),
                may_personal => may.personal, may_login_email => may.login_email,
                values,
                errors,
                genders => gender_options(u),
                username_mode => settings.login_mode == LoginMode::Username,
                may_set_password => target.is_none() && settings.customer_set_password,
                policy_help => policy_help(&u.page),
            },
        )?
        .into_response())
}

fn form_values(f: &ContactForm) -> Value {
    context! {
        first_name => f.first_name.as_str(), last_name => f.last_name.as_str(), gender => f.gender.as_str(), phone => f.phone.as_str(),
        email => f.email.as_str(), username => f.username.as_str(), admin => on(&f.admin), employee => on(&f.employee),
        employee_plus => on(&f.employee_plus), active => on(&f.active), no_portal_access => on(&f.no_portal_access),
    }
}

/// The form to add a contact person (seed 001 "Contactpersoon toevoegen").
#[handler]
pub async fn contact_new(u: User) -> poem::Result<Response> {
    admin(&u)?;
    let values = context! { employee => true, active => true };
    render_contact(&u, None, values, Value::UNDEFINED)
}

/// Adds the contact person; they get an invitation mail.
#[handler]
pub async fn contact_create(
    u: User,
    client: Client,
    Form(form): Form<ContactForm>,
) -> poem::Result<Response> {
    admin(&u)?;
    match people::add(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session.account,
        &form.current,
        &form.input(true),
        client.ip,
    )
    .await?
    {
        Ok(_) => Ok(redirect(&u, "/organisation/contacts?done=added")),
        Err(e) => {
            let errors = error_texts(&u, &e);
            render_contact(&u, None, form_values(&form), errors)
        }
    }
}

async fn target_of(u: &User, id: i64) -> poem::Result<Account> {
    let me = admin(u)?;
    people::person_of(&u.page.state.deps(), u.page.tenant(), me, id)
        .await?
        .ok_or_else(|| NotFoundError.into())
}

/// A contact person's details and roles, read-only with "Aanpassen" (seed 001).
#[handler]
pub async fn contact_show(u: User, Path(id): Path<i64>) -> poem::Result<Response> {
    let t = target_of(&u, id).await?;
    let roles = load::roles_of(&u.page.state.db, u.page.tenant().scope(), t.id)
        .await
        .map_err(FlowError::from)?;
    let pending = pending_groups(&u, t.customer_id, Some(t.id)).await?;
    let gender = if t.gender.is_empty() {
        String::new()
    } else {
        u.page.t(&format!("people-gender-{}", t.gender))
    };
    Ok(u.page
        .render(
            "access/contact.html",
            context! {
                person => context! {
                    id => t.id, name => t.greeting_name(), first_name => t.first_name.as_str(), last_name => t.last_name.as_str(),
                    gender, phone => t.phone.as_str(), email => t.email.as_str(), username => t.username.as_deref(),
                    admin => roles.has(Role::Admin), employee => roles.has(Role::Employee), employee_plus => roles.has(Role::EmployeePlus),
                    active => t.active, is_main => t.is_main, portal_access => t.password_hash.is_some() || !t.email.is_empty(),
                },
                pending,
                may_edit => !t.is_main || t.id == u.session.account.id,
            },
        )?
        .into_response())
}

/// A contact person's details and roles, as a form; the main account's
/// only for itself.
#[handler]
pub async fn contact_edit(u: User, Path(id): Path<i64>) -> poem::Result<Response> {
    let t = target_of(&u, id).await?;
    if t.is_main && t.id != u.session.account.id {
        return Err(NotFoundError.into());
    }
    let roles = load::roles_of(&u.page.state.db, u.page.tenant().scope(), t.id)
        .await
        .map_err(FlowError::from)?;
    let values = context! {
        first_name => t.first_name.as_str(), last_name => t.last_name.as_str(), gender => t.gender.as_str(), phone => t.phone.as_str(),
        email => t.email.as_str(), username => t.username.as_deref(), admin => roles.has(Role::Admin),
        employee => roles.has(Role::Employee), employee_plus => roles.has(Role::EmployeePlus),
        active => t.active,
    };
    render_contact(&u, Some(&t), values, Value::UNDEFINED)
}

/// Saves a contact person (with the admin's current password).
#[handler]
pub async fn contact_save(
    u: User,
    client: Client,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> poem::Result<Response> {
    let t = target_of(&u, id).await?;
    match people::update(
        &u.page.state.deps(),
        u.page.tenant(),
        &u.session.account,
        &form.current,
        (
            &t,
            PersonEditable::of(u.page.tenant(), t.id == u.session.account.id, true),
        ),
        &form.input(false),
        client.ip,
    )
    .await?
    {
        Ok(()) => Ok(redirect(&u, "/organisation/contacts?done=saved")),
        Err(e) => {
            let errors = error_texts(&u, &e);
            render_contact(&u, Some(&t), form_values(&form), errors)
        }
    }
}

// ---- rights of extra accounts (seed 002) -------------------------------------

/// The main account and an extra account of its organisation, or 404.
async fn rights_target(u: &User, id: i64) -> poem::Result<(&Access, Account)> {
    let me = admin(u)?;
    if !me.is_main {
        return Err(NotFoundError.into());
    }
    let t = target_of(u, id).await?;
    if t.is_main {
        // The main account reaches everything already.
        return Err(NotFoundError.into());
    }
    Ok((me, t))
}

/// "Rechten instellen": read and write per location, and the child customers.
#[handler]
pub async fn rights_show(u: User, Path(id): Path<i64>) -> poem::Result<Response> {
    render_rights(&u, id, None, Value::UNDEFINED).await
}

/// The rights form: the stored rights, or what was just sent (`typed`).
async fn render_rights(
    u: &User,
    id: i64,
    typed: Option<&Rights>,
    errors: Value,
) -> poem::Result<Response> {
    let (me, t) = rights_target(u, id).await?;
    let state = &u.page.state;
    let scope = u.page.tenant().scope();
    let rights = match typed {
        Some(r) => r.clone(),
        None => people::rights_of(&state.deps(), u.page.tenant(), t.id).await?,
    };
    let mut locations = Vec::new();
    for c in &me.customers {
        let name = accounts::customer_details(&state.db, scope, *c)
            .await
            .map_err(FlowError::from)?
            .map(|d| d.name)
            .unwrap_or_default();
        for l in accounts::locations_of(&state.db, scope, *c)
            .await
            .map_err(FlowError::from)?
        {
            let granted = rights.locations.get(&l.id);
            locations.push(context! {
                id => l.id, name => l.name.as_str(), address => l.address.as_str(), customer => name.as_str(),
                read => granted.is_some(), write => granted.copied().unwrap_or(false),
            });
        }
    }
    let mut children = Vec::new();
    for c in me.customers.iter().filter(|c| **c != me.customer_id) {
        if let Some(d) = accounts::customer_details(&state.db, scope, *c)
            .await
            .map_err(FlowError::from)?
        {
            children.push(context! { id => d.id, name => d.name.as_str(), number => d.number.as_str(), granted => rights.children.contains(c) });
        }
    }
    Ok(u.page
        .render(
            "access/rights.html",
            context! { target => context! { id => t.id, name => t.greeting_name() }, locations, children, errors },
        )?
        .into_response())
}

/// Saves the rights; write implies read (stored as one row with write set).
/// Confirmed with the main account's current password.
#[handler]
pub async fn rights_save(
    u: User,
    client: Client,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    let (me, t) = rights_target(&u, id).await?;
    let mut rights = Rights::default();
    let mut current = String::new();
    for (k, v) in &fields {
        if k == "current" {
            current.clone_from(v);
            continue;
        }
        if !on(v) {
            continue;
        }
        if let Some(l) = k.strip_prefix("read_").and_then(|n| n.parse::<i64>().ok()) {
            rights.locations.entry(l).or_insert(false);
        } else if let Some(l) = k.strip_prefix("write_").and_then(|n| n.parse::<i64>().ok()) {
            rights.locations.insert(l, true);
        } else if let Some(c) = k.strip_prefix("child_").and_then(|n| n.parse::<i64>().ok()) {
            rights.children.push(c);
        }
    }
    match people::set_rights(
        &u.page.state.deps(),
        u.page.tenant(),
        (me, &u.session.account),
        &current,
        &t,
        &rights,
        client.ip,
    )
    .await?
    {
        Ok(()) => Ok(redirect(&u, "/organisation/contacts?done=saved")),
        Err(e) => render_rights(&u, id, Some(&rights), error_texts(&u, &e)).await,
    }
}
