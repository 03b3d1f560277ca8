//! The staff pages at `/staff`: the tenant's own people find a customer,
//! see its portal accounts with details and activity (seed 004), create,
//! deactivate and reset accounts, resend invitations, view the portal as
//! a customer (seed 002), see which role holds which permission, and (staff
//! admins) manage API keys and the portal's settings.
//!
//! Layout:
//! - `login.rs`: staff login, code step and first 2FA setup, logout
//! - `customers.rs`: search, a customer, an account with its activity, account actions
//! - `templates.rs`: the mail template editor
//! - `view_as.rs`: start and end "view as customer"
//! - `admin.rs`: permissions per role, the tenant's activity, API keys, settings
//! - `branding.rs`: colours and page messages

pub mod admin;
pub mod branding;
pub mod customers;
pub mod login;
pub mod templates;
pub mod view_as;

use poem::error::NotFoundError;
use poem::web::Redirect;
use poem::{FromRequest, IntoResponse, Request, RequestBody};

use super::context::Page;
use crate::staff::StaffSession;

/// A page with a logged-in staff member (past the code step).
pub struct StaffUser {
    pub page: Page,
    pub session: StaffSession,
}

impl StaffUser {
    /// The member when it is a staff admin; 404 for others.
    ///
    /// # Errors
    /// Not an admin.
    pub fn require_admin(&self) -> poem::Result<()> {
        if self.session.member.is_admin() {
            Ok(())
        } else {
            Err(NotFoundError.into())
        }
    }
}

impl<'a> FromRequest<'a> for StaffUser {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let page = Page::from_request(req, body).await?;
        match page.cx.staff.clone() {
            Some(s) if s.full => Ok(StaffUser { page, session: s }),
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
