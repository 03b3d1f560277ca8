//! The customer's page: the rows of the customers the page is for. Without
//! `{name}.view` it answers 404, like a page that does not exist.

use portal_core::minijinja::{Value, context};
use portal_core::poem::handler;
use portal_core::poem::web::Html;
use portal_core::web::guard::Require;

use crate::{View, store};

/// The list.
#[handler]
pub async fn list(u: Require<View>) -> portal_core::poem::Result<Html<String>> {
    let rows = store::list(u.reach()).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|(id, title)| context! { id => id, title => title.as_str() })
        .collect();
    u.page.render("{name}/list.html", context! { items })
}
