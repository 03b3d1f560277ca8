//! The staff pages at `/staff`: the tenant's own people find a customer,
//! see its portal accounts with details and activity (seed 004), create,
//! deactivate and reset accounts, resend invitations, view the portal as
//! a customer (seed 002), see which role holds which permission, and (staff
//! admins) manage API keys and the portal's settings.
//!
//! Layout:
//! - `login.rs`: staff login, code step and first 2FA setup, logout
//! - `members.rs`: staff management (admins) and each member's own page
//! - `requests.rs`: one list of the customers' requests of every module
//! - `nav.rs`: the staff navigation of core and the enabled modules, by role
//! - `access.rs`: an account's roles and rights per location and child customer
//! - `customers.rs`: search, a customer, an account with its activity, account actions
//! - `templates.rs`: the mail template editor
//! - `view_as.rs`: start and end "view as customer"
//! - `admin.rs`: permissions per role, the tenant's activity, API keys, settings
//! - `branding.rs`: colours and page messages

pub mod access;
pub mod admin;
pub mod branding;
pub mod customers;
pub mod login;
pub mod members;
pub mod nav;
pub mod requests;
pub mod templates;
pub mod view_as;

use std::marker::PhantomData;

use poem::error::NotFoundError;
use poem::web::Redirect;
use poem::{FromRequest, IntoResponse, Request, RequestBody};

use super::context::Page;
use crate::staff::{StaffPerm, StaffPermission, StaffReach, StaffSession};

/// A page with a logged-in staff member (past the code step).
pub struct StaffUser {
    pub page: Page,
    pub session: StaffSession,
    /// The staff navigation this member may use.
    nav: Vec<nav::Entry>,
}

impl StaffUser {
    /// Renders a staff page in the staff layout, with the member's navigation.
    ///
    /// # Errors
    /// The template fails.
    pub fn render(
        &self,
        name: &str,
        extra: minijinja::Value,
    ) -> poem::Result<poem::web::Html<String>> {
        let staff = minijinja::context! {
            staff_nav => nav::value(self, &self.nav),
            staff_name => self.reach_name(),
            staff_role => self.session.member.role().code(),
        };
        self.page
            .render(name, minijinja::context! { ..extra, ..staff })
    }

    /// The first page of the navigation (where `/staff` leads a member who
    /// has no customer pages).
    pub fn first_page(&self) -> Option<&str> {
        self.nav.first().map(|e| e.path.as_str())
    }

    fn reach_name(&self) -> String {
        let m = &self.session.member;
        if m.name.trim().is_empty() {
            m.email.clone()
        } else {
            m.name.clone()
        }
    }

    /// Writes what this member did to the tenant's activity log (staff
    /// changes to the tenant itself: settings, branding, staff, templates).
    ///
    /// # Errors
    /// A database failure.
    pub async fn record(
        &self,
        action: &str,
        detail: &str,
        client: &crate::auth::flows::Client,
    ) -> poem::Result<()> {
        let entry = crate::auth::activity::Entry::tenant(
            crate::auth::activity::Actor::Staff,
            Some(self.session.member.id),
            action,
            detail,
            client.ip.as_deref(),
        );
        crate::auth::activity::record_now(&self.page.state.db, self.page.tenant().scope(), entry)
            .await
            .map_err(|e| crate::auth::flows::FlowError::from(e).into())
    }

    /// True when the member's role holds `P` (to show a button or a link).
    pub fn can<P: StaffPerm>(&self) -> bool {
        self.session.member.holds(&P::STAFF_PERMISSION)
    }

    /// What the member reaches when their role holds `permission`.
    pub fn reach_for(&self, permission: &StaffPermission) -> Option<StaffReach> {
        let m = &self.session.member;
        m.holds(permission).then(|| {
            StaffReach::new(
                self.page.state.db.clone(),
                self.page.tenant().scope(),
                m.id,
                self.reach_name(),
            )
        })
    }
}

/// A staff page for a member whose role holds staff permission `P`, with
/// what it reaches: the extractor a staff handler names (`Staff<Desk>`).
/// Not logged in: the staff login; without the permission: 404.
pub struct Staff<P: StaffPerm> {
    pub user: StaffUser,
    reach: StaffReach,
    _permission: PhantomData<P>,
}

impl<P: StaffPerm> Staff<P> {
    /// The tenant and the member this request acts for.
    pub fn reach(&self) -> &StaffReach {
        &self.reach
    }
}

impl<P: StaffPerm> std::ops::Deref for Staff<P> {
    type Target = StaffUser;
    fn deref(&self) -> &StaffUser {
        &self.user
    }
}

impl<'a, P: StaffPerm> FromRequest<'a> for Staff<P> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let user = StaffUser::from_request(req, body).await?;
        let reach = user
            .reach_for(&P::STAFF_PERMISSION)
            .ok_or_else(|| poem::Error::from(NotFoundError))?;
        Ok(Staff {
            user,
            reach,
            _permission: PhantomData,
        })
    }
}

impl<'a> FromRequest<'a> for StaffUser {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let page = Page::from_request(req, body).await?;
        match page.cx.staff.clone() {
            Some(s) if s.full => {
                let mut u = StaffUser {
                    page,
                    session: s,
                    nav: Vec::new(),
                };
                u.nav = nav::entries(&u).await?;
                Ok(u)
            }
            _ => Err(poem::Error::from_response(
                Redirect::see_other(page.url("/staff/login")).into_response(),
            )),
        }
    }
}

/// `Set-Cookie` for a staff session id (or its removal with an empty value).
pub fn staff_cookie(page: &Page, value: &str) -> String {
    let https = page.state.config.web.https;
    let age = value.is_empty().then_some(0);
    super::context::set_cookie(crate::staff::session::cookie_name(https), value, age, https)
}

/// The errors of a form refused at one field, for its template.
pub fn one_error(field: &str, text: String) -> minijinja::Value {
    minijinja::Value::from(std::collections::BTreeMap::from([(
        field.to_string(),
        text,
    )]))
}

/// Activity entries as the staff pages' tables show them.
pub fn activity_rows(entries: &[crate::auth::activity::Activity]) -> Vec<minijinja::Value> {
    entries
        .iter()
        .map(|e| {
            minijinja::context! {
                when => e.created_at.format("%d-%m-%Y %H:%M:%S").to_string(),
                actor => e.actor.as_str(), actor_id => e.actor_id,
                action => e.action.as_str(), detail => e.detail.as_str(), ip => e.ip.as_deref(),
            }
        })
        .collect()
}
