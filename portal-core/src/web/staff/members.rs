//! Staff management (staff admins): the tenant's staff with role, state and
//! two-step verification; add a member (a first password shown once, 2FA
//! set up at their first login), change a role, deactivate or activate,
//! reset a member's password and 2FA. The tenant always keeps one active
//! admin. And every member's own page: change the password, set up 2FA
//! again. Every change is in the activity log with the staff member.

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser, one_error, staff_cookie};
use crate::auth::flows::{Client, FlowError};
use crate::auth::password::Policy;
use crate::staff::StaffRole;
use crate::staff::members::{self, ChangeError, MemberError};
use crate::staff::permission::Members;

/// Staff passwords: long, no composition rules (they always have 2FA).
const STAFF_POLICY: Policy = Policy {
    min_length: 12,
    composition: false,
};

/// A first password to show once, and its hash to store.
async fn first_password(u: &StaffUser) -> poem::Result<(String, String)> {
    let password = members::first_password();
    let hash = u
        .page
        .state
        .hasher
        .hash(&password)
        .await
        .map_err(FlowError::from)?;
    Ok((password, hash))
}

fn role_options(u: &StaffUser) -> Vec<(String, String)> {
    StaffRole::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_string(),
                u.page.t(&format!("staff-role-{}", r.code())),
            )
        })
        .collect()
}

/// What the list page shows besides the list.
#[derive(Default)]
struct Shown<'a> {
    /// A first password, shown once, and for whom.
    password: Option<(String, String)>,
    errors: Value,
    values: Value,
    notice: Option<&'a str>,
}

async fn render(u: &StaffUser, shown: Shown<'_>) -> poem::Result<Response> {
    let all = members::list(&u.page.state.db, u.page.tenant().scope())
        .await
        .map_err(FlowError::from)?;
    let rows: Vec<Value> = all
        .iter()
        .map(|m| {
            context! {
                id => m.id, email => m.email.as_str(), name => m.name.as_str(),
                role => m.role().code(), active => m.active, totp => m.totp_secret.is_some(),
                me => m.id == u.session.member.id,
            }
        })
        .collect();
    Ok(u.render(
        "staff/members.html",
        context! {
            members => rows, roles => role_options(u),
            new_password => shown.password.as_ref().map(|(who, pw)| context! { who => who.as_str(), password => pw.as_str() }),
            errors => shown.errors, values => shown.values, notice => shown.notice,
        },
    )?
    .with_header("cache-control", "no-store")
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    done: String,
}

/// The tenant's staff.
#[handler]
pub async fn list(u: Staff<Members>, Query(q): Query<NoticeQuery>) -> poem::Result<Response> {
    let notice = match q.done.as_str() {
        "saved" => Some("people-done-saved"),
        _ => None,
    };
    render(
        &u,
        Shown {
            notice,
            ..Shown::default()
        },
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewMemberForm {
    email: String,
    name: String,
    role: String,
}

/// Adds a staff member and shows their first password once.
#[handler]
pub async fn create(
    u: Staff<Members>,
    client: Client,
    Form(f): Form<NewMemberForm>,
) -> poem::Result<Response> {
    let values =
        context! { email => f.email.as_str(), name => f.name.as_str(), role => f.role.as_str() };
    let refuse = |field: &str, key: &str| Shown {
        errors: Value::from(std::collections::BTreeMap::from([(
            field.to_string(),
            u.page.t(key),
        )])),
        values: values.clone(),
        ..Shown::default()
    };
    let Some(role) = StaffRole::parse(&f.role) else {
        return render(&u, refuse("role", "staff-member-error-role")).await;
    };
    let (password, hash) = first_password(&u).await?;
    let scope = u.page.tenant().scope();
    match members::create(&u.page.state.db, scope, &f.email, &f.name, role, &hash).await {
        Ok(id) => {
            let detail = format!("{id} {} ({})", f.email.trim(), role.code());
            u.record("staff.member_added", &detail, &client).await?;
            render(
                &u,
                Shown {
                    password: Some((f.email.trim().to_string(), password)),
                    ..Shown::default()
                },
            )
            .await
        }
        Err(MemberError::BadEmail(_)) => {
            render(&u, refuse("email", "staff-member-error-email")).await
        }
        Err(MemberError::Taken(_)) => render(&u, refuse("email", "staff-member-error-taken")).await,
        Err(MemberError::Db(e)) => Err(FlowError::from(e).into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    role: String,
    /// "true" or "false".
    active: String,
}

/// Changes a member's role or state; the last active admin stays one.
#[handler]
pub async fn update(
    u: Staff<Members>,
    client: Client,
    Path(id): Path<i64>,
    Form(f): Form<ChangeForm>,
) -> poem::Result<Response> {
    let scope = u.page.tenant().scope();
    let db = &u.page.state.db;
    let m = members::by_id(db, scope, id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(NotFoundError))?;
    let role = StaffRole::parse(&f.role).unwrap_or(m.role());
    let active = match f.active.as_str() {
        "true" => true,
        "false" => false,
        _ => m.active,
    };
    match members::change(db, scope, id, role, active).await {
        Ok(()) => {
            let detail = format!(
                "{id} {}: {} ({})",
                m.email,
                role.code(),
                if active { "active" } else { "inactive" }
            );
            u.record("staff.member_changed", &detail, &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/members?done=saved")).into_response())
        }
        Err(ChangeError::LastAdmin) => {
            render(
                &u,
                Shown {
                    errors: Value::from(std::collections::BTreeMap::from([(
                        "member".to_string(),
                        u.page.t("staff-member-error-last-admin"),
                    )])),
                    ..Shown::default()
                },
            )
            .await
        }
        Err(ChangeError::NotFound) => Err(NotFoundError.into()),
        Err(ChangeError::Db(e)) => Err(FlowError::from(e).into()),
    }
}

/// Gives a member a new first password (shown once) and removes their 2FA;
/// their sessions end.
#[handler]
pub async fn reset(
    u: Staff<Members>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let scope = u.page.tenant().scope();
    let db = &u.page.state.db;
    let m = members::by_id(db, scope, id)
        .await
        .map_err(FlowError::from)?
        .ok_or_else(|| poem::Error::from(NotFoundError))?;
    let (password, hash) = first_password(&u).await?;
    members::reset(db, scope, id, &hash)
        .await
        .map_err(FlowError::from)?;
    u.record("staff.member_reset", &format!("{id} {}", m.email), &client)
        .await?;
    render(
        &u,
        Shown {
            password: Some((m.email.clone(), password)),
            ..Shown::default()
        },
    )
    .await
}

fn render_me(u: &StaffUser, errors: Value, done: bool) -> poem::Result<Response> {
    Ok(u.render(
        "staff/me.html",
        context! { errors, done, min => STAFF_POLICY.min_length, email => u.session.member.email.as_str() },
    )?
    .into_response())
}

/// The member's own page: password and two-step verification.
#[handler]
pub async fn me(u: StaffUser, Query(q): Query<NoticeQuery>) -> poem::Result<Response> {
    render_me(&u, Value::UNDEFINED, q.done == "password")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    repeat: String,
}

async fn current_ok(u: &StaffUser, current: &str) -> poem::Result<bool> {
    let stored = u.session.member.password_hash.as_deref();
    let verified = u
        .page
        .state
        .hasher
        .verify(current, stored)
        .await
        .map_err(FlowError::from)?;
    Ok(matches!(
        verified,
        crate::auth::password::Verified::Right { .. }
    ))
}

/// Changes the member's own password; their other sessions end.
#[handler]
pub async fn me_password(
    u: StaffUser,
    client: Client,
    Form(f): Form<PasswordForm>,
) -> poem::Result<Response> {
    if !current_ok(&u, &f.current).await? {
        return render_me(
            &u,
            one_error("current", u.page.t("people-error-current-password")),
            false,
        );
    }
    let m = &u.session.member;
    let context = [
        m.email.as_str(),
        m.name.as_str(),
        u.page.tenant().name.as_str(),
    ];
    if let Err(e) = STAFF_POLICY.check_pair(&f.password, &f.repeat, &context) {
        let field = crate::web::links::policy_field(&e);
        return render_me(
            &u,
            one_error(field, crate::web::links::policy_text(&u.page, &e)),
            false,
        );
    }
    let hash = u
        .page
        .state
        .hasher
        .hash(&f.password)
        .await
        .map_err(FlowError::from)?;
    members::set_password(
        &u.page.state.db,
        u.page.tenant().scope(),
        m.id,
        &hash,
        u.session.id,
    )
    .await
    .map_err(FlowError::from)?;
    u.record("staff.password_changed", "", &client).await?;
    Ok(Redirect::see_other(u.page.url("/staff/me?done=password")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CurrentForm {
    totp_current: String,
}

/// Removes the member's own 2FA after their password: the session ends and
/// the next login sets it up again (a new phone).
#[handler]
pub async fn me_two_factor(
    u: StaffUser,
    client: Client,
    Form(f): Form<CurrentForm>,
) -> poem::Result<Response> {
    if !current_ok(&u, &f.totp_current).await? {
        return render_me(
            &u,
            one_error("totp_current", u.page.t("people-error-current-password")),
            false,
        );
    }
    let m = &u.session.member;
    let hash = m.password_hash.clone().unwrap_or_default();
    u.record("staff.two_factor_reset", "", &client).await?;
    members::reset(&u.page.state.db, u.page.tenant().scope(), m.id, &hash)
        .await
        .map_err(FlowError::from)?;
    Ok(Redirect::see_other(u.page.url("/staff/login"))
        .with_header("set-cookie", staff_cookie(&u.page, ""))
        .into_response())
}
