//! "Omschakelen naar klantsite" (seed 002): start viewing the portal as a
//! portal account, and come back. While it lasts, the request context
//! shows that account's portal read-only with a banner.

use poem::web::{Path, Redirect};
use poem::{IntoResponse, Response, handler};

use super::customers::account_of;
use super::{Staff, StaffUser};
use crate::auth::flows::Client;
use crate::staff::permission::Customers;
use crate::staff::view_as;

/// Starts viewing as the account, on the portal's home page.
#[handler]
pub async fn start(
    u: Staff<Customers>,
    client: Client,
    Path(id): Path<i64>,
) -> poem::Result<Response> {
    let a = account_of(&u, id).await?;
    view_as::start(&u.page.state.db, u.page.tenant(), &u.session, &a, client.ip).await?;
    Ok(Redirect::see_other(u.page.url("/")).into_response())
}

/// Ends viewing as; back to the account's staff page.
#[handler]
pub async fn end(u: StaffUser, client: Client) -> poem::Result<Response> {
    let target = view_as::end(&u.page.state.db, u.page.tenant(), &u.session, client.ip).await?;
    let back = target.map_or_else(
        || "/staff".to_string(),
        |id| format!("/staff/accounts/{id}"),
    );
    // The switcher's choice made while viewing goes with the viewing.
    let forget = crate::web::context::set_cookie(
        crate::web::context::VIEW_AS_CUSTOMER_COOKIE,
        "",
        Some(0),
        u.page.state.config.web.https,
    );
    Ok(Redirect::see_other(u.page.url(&back))
        .with_header("set-cookie", forget)
        .into_response())
}
