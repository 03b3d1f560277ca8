//! The header's customer switcher (seed 002: a parent account's main
//! account sees its children; its extra accounts the children granted):
//! the choice is kept in the session, and every page then shows the
//! chosen customer, or all of them where the module supports it. A
//! customer the principal does not see is ignored (the own one is shown).

use poem::web::{Form, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

use super::guard::User;
use super::pages::local_path;
use crate::auth::flows::FlowError;
use crate::auth::session;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    customer: String,
    next: String,
}

/// Stores the choice and goes back to the page it was made on.
#[handler]
pub async fn switch(u: User, Form(form): Form<SwitchForm>) -> poem::Result<Response> {
    let visible = u
        .page
        .cx
        .principal
        .access
        .as_ref()
        .map(|a| a.customers.clone())
        .unwrap_or_default();
    let choice = match form.customer.trim().parse::<i64>() {
        Ok(0) if visible.len() > 1 => Some(0),
        Ok(id) if visible.contains(&id) => Some(id),
        _ => None,
    };
    let back = Redirect::see_other(u.page.url(local_path(&form.next)));
    let Some(c) = choice else {
        return Ok(back.into_response());
    };
    if u.page.cx.view_as.is_some() {
        // Staff viewing as the customer: their browser's choice only.
        let https = u.page.state.config.web.https;
        let cookie = crate::web::context::set_cookie(
            crate::web::context::VIEW_AS_CUSTOMER_COOKIE,
            &c.to_string(),
            None,
            https,
        );
        return Ok(back.with_header("set-cookie", cookie).into_response());
    }
    session::set_selected_customer(&u.page.state.db, u.page.tenant().scope(), u.session.id, c)
        .await
        .map_err(FlowError::from)?;
    Ok(back.into_response())
}
