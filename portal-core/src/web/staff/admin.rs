//! Staff pages about the tenant as a whole: which organisation role holds
//! which permission (every staff member), and for staff admins the
//! back-office API keys (created with scopes, shown once, revocable) and
//! the portal's settings (`auth.*` and each enabled module's).

use minijinja::{Value, context};
use poem::error::NotFoundError;
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::{Staff, StaffUser};
use crate::access::Role;
use crate::auth::activity;
use crate::auth::flows::{Client, FlowError};
use crate::module::{SettingKind, SettingSpec};
use crate::staff::permission::{Customers, Settings};
use crate::tenant::repo::{self, TenantError};

/// The permissions of the enabled modules and the roles that hold them.
#[handler]
pub async fn permissions(u: Staff<Customers>) -> poem::Result<Response> {
    let tenant = u.page.tenant();
    let rows: Vec<Value> = u
        .page
        .state
        .registry
        .iter()
        .filter(|m| tenant.has_module(m.name()))
        .flat_map(|m| {
            let module = m.name();
            m.permissions().iter().map(move |p| (module, p))
        })
        .map(|(module, p)| {
            context! {
                module, key => p.key, label_key => p.label_key,
                admin => p.roles.contains(&Role::Admin),
                employee => p.roles.contains(&Role::Employee),
                employee_plus => p.roles.contains(&Role::EmployeePlus),
            }
        })
        .collect();
    Ok(
        u.render("staff/permissions.html", context! { permissions => rows })?
            .into_response(),
    )
}

async fn render_keys(
    u: &StaffUser,
    new_key: Option<String>,
    error: Option<String>,
) -> poem::Result<Response> {
    let stored = repo::api_keys(&u.page.state.db, u.page.tenant().scope())
        .await
        .map_err(FlowError::from)?;
    let rows: Vec<Value> = stored
        .iter()
        .map(|k| {
            context! {
                id => k.id, name => k.name.as_str(), scopes => k.scopes.as_str(),
                created => k.created_at.format("%d-%m-%Y %H:%M").to_string(),
                last_used => k.last_used_at.map(|t| t.format("%d-%m-%Y %H:%M").to_string()),
                revoked => k.revoked_at.is_some(),
            }
        })
        .collect();
    let modules: Vec<&str> = u.page.state.registry.iter().map(|m| m.name()).collect();
    Ok(u.render(
        "staff/keys.html",
        context! { keys => rows, new_key, error, scopes => repo::API_SCOPES.to_vec(), modules },
    )?
    .with_header("cache-control", "no-store")
    .into_response())
}

/// The API keys (staff admins).
#[handler]
pub async fn keys(u: Staff<Settings>) -> poem::Result<Response> {
    render_keys(&u, None, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KeyForm {
    name: String,
    scopes: String,
}

/// Creates a key and shows it once.
#[handler]
pub async fn key_create(
    u: Staff<Settings>,
    client: Client,
    Form(form): Form<KeyForm>,
) -> poem::Result<Response> {
    let modules: Vec<&str> = u.page.state.registry.iter().map(|m| m.name()).collect();
    let scopes = match repo::parse_scopes(&form.scopes, &modules) {
        Ok(s) => s,
        Err(e) => return render_keys(&u, None, Some(e)).await,
    };
    let name = if form.name.trim().is_empty() {
        "back-office"
    } else {
        form.name.trim()
    };
    let scope = u.page.tenant().scope();
    let key = repo::create_api_token(&u.page.state.db, scope, name, &scopes)
        .await
        .map_err(FlowError::from)?;
    let detail = format!("{name} ({scopes})");
    u.record("api_key.created", &detail, &client).await?;
    render_keys(&u, Some(key), None).await
}

/// Revokes a key.
#[handler]
pub async fn key_revoke(
    u: Staff<Settings>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let scope = u.page.tenant().scope();
    if !repo::revoke_api_key(&u.page.state.db, scope, id)
        .await
        .map_err(FlowError::from)?
    {
        return Err(NotFoundError.into());
    }
    let detail = id.to_string();
    u.record("api_key.revoked", &detail, &client).await?;
    Ok(Redirect::see_other(u.page.url("/staff/api-keys")).into_response())
}

/// What happened to the tenant itself: staff logins, API keys, settings,
/// branding, messages and templates (newest first).
#[handler]
pub async fn activity_log(u: Staff<Customers>) -> poem::Result<Response> {
    let entries = activity::for_tenant(&u.page.state.db, u.page.tenant().scope(), 300)
        .await
        .map_err(FlowError::from)?;
    let rows = super::activity_rows(&entries);
    Ok(
        u.render("staff/activity.html", context! { activity => rows })?
            .into_response(),
    )
}

/// The components whose settings the page shows: `auth`, then each enabled module.
fn components(u: &StaffUser) -> Vec<(&'static str, &'static [SettingSpec])> {
    let tenant = u.page.tenant();
    crate::tenant::CORE_SETTINGS
        .iter()
        .map(|(n, s, _)| (*n, *s))
        .chain(
            u.page
                .state
                .registry
                .iter()
                .filter(|m| tenant.has_module(m.name()) && !m.settings().is_empty())
                .map(|m| (m.name(), m.settings())),
        )
        .collect()
}

fn render_settings(
    u: &StaffUser,
    values: &std::collections::BTreeMap<String, String>,
    errors: &std::collections::BTreeMap<String, String>,
    saved: bool,
) -> poem::Result<Response> {
    let tenant = u.page.tenant();
    let groups: Vec<Value> = components(u)
        .into_iter()
        .map(|(component, specs)| {
            let fields: Vec<Value> = specs
                .iter()
                .map(|s| {
                    let name = format!("{component}.{}", s.key);
                    let value = values.get(&name).cloned().unwrap_or_else(|| {
                        tenant.setting(component, s.key).unwrap_or(s.default).to_string()
                    });
                    let (kind, choices, min, max) = match s.kind {
                        SettingKind::Bool => ("bool", Vec::new(), 0, 0),
                        SettingKind::Integer { min, max } => ("integer", Vec::new(), min, max),
                        SettingKind::Text { .. } => ("text", Vec::new(), 0, 0),
                        SettingKind::Choice(c) => ("choice", c.to_vec(), 0, 0),
                    };
                    context! {
                        error => errors.get(&name).cloned(),
                        name, label_key => s.label_key, kind, choices, min, max, value, default => s.default,
                    }
                })
                .collect();
            // A readable heading: core's login settings, else the module's own name.
            let core_title = crate::tenant::CORE_SETTINGS
                .iter()
                .find(|(n, _, _)| *n == component)
                .map(|(_, _, k)| *k);
            let title = if let Some(k) = core_title {
                u.page.t(k)
            } else {
                u.page
                    .state
                    .registry
                    .get(component)
                    .and_then(|m| m.nav().first())
                    .map_or_else(|| component.to_string(), |n| u.page.t(n.label_key))
            };
            context! { component, title, fields }
        })
        .collect();
    let portal = context! {
        login_button => login_button(u),
        url => values.get("portal.url").cloned().or_else(|| tenant.urls.first().map(|u| u.url.clone())),
        support_email => values.get("portal.support_email").cloned().or_else(|| tenant.contact.support_email.clone()),
        phone => values.get("portal.phone").cloned().or_else(|| tenant.contact.phone.clone()),
        website => values.get("portal.website").cloned().or_else(|| tenant.contact.website.clone()),
        errors => Value::from(errors.iter().filter_map(|(k, v)| k.strip_prefix("portal.").map(|k| (k.to_string(), v.clone()))).collect::<std::collections::BTreeMap<_, _>>()),
    };
    Ok(
        u.render("staff/settings.html", context! { groups, saved, portal })?
            .into_response(),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UrlForm {
    url: String,
}

/// Sets the portal URL, checked at once (seed 004): a refused address says
/// why, in the reader's language, and stays in the field.
#[handler]
pub async fn portal_url(
    u: Staff<Settings>,
    client: Client,
    Form(f): Form<UrlForm>,
) -> poem::Result<Response> {
    let scope = u.page.tenant().scope();
    let web = &u.page.state.config.web;
    match repo::set_portal_url(&u.page.state.db, scope, &f.url, web).await {
        Ok(url) => {
            u.record("settings.portal_url", &url.url, &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/settings?saved=1")).into_response())
        }
        Err(TenantError::Invalid { key, message, .. }) => {
            let args = poem::i18n::I18NArgs::default().set("url", f.url.trim().to_string());
            let text = match key {
                Some(k) => u
                    .page
                    .state
                    .renderer
                    .texts()
                    .get_with(u.page.cx.lang, k, args),
                None => message,
            };
            let values =
                std::collections::BTreeMap::from([("portal.url".to_string(), f.url.clone())]);
            let errors = std::collections::BTreeMap::from([("portal.url".to_string(), text)]);
            render_settings(&u, &values, &errors, false)
        }
        Err(e) => Err(poem::Error::from_string(
            e.to_string(),
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    support_email: String,
    phone: String,
    website: String,
}

/// Sets the tenant's contact details (the support address also gets the
/// support desk's notices); a refused value stays and says why.
#[handler]
pub async fn contact(
    u: Staff<Settings>,
    client: Client,
    Form(f): Form<ContactForm>,
) -> poem::Result<Response> {
    let patch = repo::TenantPatch {
        support_email: Some(f.support_email.clone()),
        phone: Some(f.phone.clone()),
        website: Some(f.website.clone()),
        ..repo::TenantPatch::default()
    };
    let themes = u.page.state.renderer.themes().to_vec();
    let scope = u.page.tenant().scope();
    match repo::update(&u.page.state.db, scope, &patch, &themes).await {
        Ok(()) => {
            u.record("settings.contact", "", &client).await?;
            Ok(Redirect::see_other(u.page.url("/staff/settings?saved=1")).into_response())
        }
        Err(TenantError::Invalid { field, .. }) => {
            let values = std::collections::BTreeMap::from([
                ("portal.support_email".to_string(), f.support_email.clone()),
                ("portal.phone".to_string(), f.phone.clone()),
                ("portal.website".to_string(), f.website.clone()),
            ]);
            let text = u
                .page
                .t(&format!("staff-contact-error-{}", field.replace('_', "-")));
            let errors = std::collections::BTreeMap::from([(format!("portal.{field}"), text)]);
            render_settings(&u, &values, &errors, false)
        }
        Err(e) => Err(poem::Error::from_string(
            e.to_string(),
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )),
    }
}

/// Saves the settings that changed; a refused value keeps what was typed and says why.
#[handler]
pub async fn settings_save(
    u: Staff<Settings>,
    client: Client,
    Form(fields): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    let posted: std::collections::BTreeMap<String, String> = fields.into_iter().collect();
    let tenant = u.page.tenant().clone();
    let scope = tenant.scope();
    let mut values = std::collections::BTreeMap::new();
    let mut errors = std::collections::BTreeMap::new();
    let mut changed = Vec::new();
    for (component, specs) in components(&u) {
        for s in specs {
            let name = format!("{component}.{}", s.key);
            // An unticked checkbox sends nothing: false.
            let value = match (s.kind, posted.get(&name)) {
                (SettingKind::Bool, v) => if v.is_some_and(|v| v == "on" || v == "true") {
                    "true"
                } else {
                    "false"
                }
                .to_string(),
                (_, Some(v)) => v.trim().to_string(),
                (_, None) => continue,
            };
            let current = tenant.setting(component, s.key).unwrap_or(s.default);
            if value == current {
                continue;
            }
            match repo::set_setting(
                &u.page.state.db,
                scope,
                &u.page.state.registry,
                component,
                s.key,
                Some(&value),
            )
            .await
            {
                Ok(()) => changed.push(format!("{name}={value}")),
                Err(TenantError::Invalid { .. }) => {
                    errors.insert(name.clone(), setting_error(&u, s));
                }
                Err(e) => {
                    return Err(poem::Error::from_string(
                        e.to_string(),
                        poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                    ));
                }
            }
            values.insert(name, value);
        }
    }
    if !changed.is_empty() {
        let detail = changed.join(" ");
        u.record("settings.changed", &detail, &client).await?;
    }
    if errors.is_empty() {
        return Ok(Redirect::see_other(u.page.url("/staff/settings?saved=1")).into_response());
    }
    render_settings(&u, &values, &errors, false)
}

/// Why a setting's value was refused, in the reader's language: what the
/// setting takes.
fn setting_error(u: &StaffUser, spec: &crate::module::SettingSpec) -> String {
    let texts = u.page.state.renderer.texts();
    let lang = u.page.cx.lang;
    let args = poem::i18n::I18NArgs::default();
    match spec.kind {
        SettingKind::Bool => texts.get(lang, "staff-setting-error-bool"),
        SettingKind::Integer { min, max } => texts.get_with(
            lang,
            "staff-setting-error-number",
            args.set("min", min.to_string()).set("max", max.to_string()),
        ),
        SettingKind::Text { max_len } => texts.get_with(
            lang,
            "staff-setting-error-text",
            args.set("max", max_len.to_string()),
        ),
        SettingKind::Choice(choices) => texts.get_with(
            lang,
            "staff-setting-error-choice",
            args.set("choices", choices.join(", ")),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

/// The portal's settings (staff admins).
#[handler]
pub async fn settings(
    u: Staff<Settings>,
    poem::web::Query(q): poem::web::Query<SavedQuery>,
) -> poem::Result<Response> {
    render_settings(
        &u,
        &Default::default(),
        &Default::default(),
        !q.saved.is_empty(),
    )
}

/// Seed 002: the HTML of a login button for the company's own website,
/// in its colours, pointing at its login page (the configured portal URL,
/// else the development address). Shown as text to copy; the colours were
/// checked when saved and are used only when they are plain hex colours.
fn login_button(u: &StaffUser) -> String {
    let tenant = u.page.tenant();
    let hex = |c: &Option<String>, default: &'static str| {
        c.as_deref()
            .filter(|c| {
                c.len() <= 9
                    && c.starts_with('#')
                    && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
            })
            .unwrap_or(default)
            .to_string()
    };
    let url = crate::auth::flows::link(&u.page.state.deps(), tenant, "/login");
    let label = u
        .page
        .state
        .renderer
        .texts()
        .get(tenant.default_language, "staff-login-button-label");
    format!(
        "<a href=\"{}\" style=\"display:inline-block;padding:12px 20px;border-radius:6px;\
         background:{};color:{};font-family:sans-serif;font-weight:600;text-decoration:none\">{}</a>",
        crate::auth::flows::links::escape(&url),
        hex(&tenant.branding.primary, "#1f4e79"),
        hex(&tenant.branding.primary_text, "#ffffff"),
        crate::auth::flows::links::escape(&label),
    )
}
