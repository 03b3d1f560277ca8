//! The advances page (seed 004, "Mijn gegevens: voorschotbedrag
//! aanpassen"): per contract the current advance, the original and the
//! range the customer may choose from, the form to change it (when the
//! supplier allows changes and the account holds `advances.change`), and
//! the history of changes. An amount outside the range is refused with the
//! range in the message and the typed amount kept.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use portal_core::poem::error::NotFoundError;
use portal_core::poem::web::{Form, Path, Query, Redirect};
use portal_core::poem::{IntoResponse, Response, handler};
use portal_core::web::format::{amount, date_time};
use portal_core::web::guard::Require;
use serde::Deserialize;

use crate::range::{Rule, parse_euros};
use crate::store::{self, Contract};
use crate::{ADVANCES, Change, View};

type Result<T> = portal_core::poem::Result<T>;

/// An amount in cents as a form field shows it (`85,50`, `85.50`).
fn field_value(cents: i64, lang: portal_core::tenant::Lang) -> String {
    let s = format!("{}.{:02}", cents / 100, cents % 100);
    if lang == portal_core::tenant::Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

async fn render(
    u: &Require<View>,
    typed: BTreeMap<i64, String>,
    errors: BTreeMap<i64, String>,
    saved: Option<i64>,
) -> Result<Response> {
    let reach = u.reach();
    let lang = u.page.cx.lang;
    let tenant = u.page.tenant();
    let rule = Rule::of(tenant);
    let enabled = ADVANCES.flag(tenant, "enabled");
    let may_change = enabled && u.can::<Change>();
    let contracts = store::contracts(reach).await?;
    let history = store::changes(reach, &contracts).await?;
    let rows: Vec<Value> = contracts
        .iter()
        .map(|c| {
            let r = rule.range(c.original_cents);
            let changes: Vec<Value> = history
                .iter()
                .filter(|h| h.contract_id == c.id)
                .map(|h| {
                    context! {
                        at => date_time(h.at, lang), from => amount(h.from_cents, &c.currency, lang),
                        to => amount(h.to_cents, &c.currency, lang),
                        by => if h.by_name.is_empty() { u.page.t(&format!("advances-source-{}", h.source)) } else { h.by_name.clone() },
                    }
                })
                .collect();
            context! {
                id => c.id, number => c.contract_number.as_str(), description => c.description.as_str(),
                frequency => u.page.t(&format!("advances-frequency-{}", c.frequency)),
                amount => amount(c.amount_cents, &c.currency, lang),
                original => amount(c.original_cents, &c.currency, lang),
                changed => c.amount_cents != c.original_cents,
                min => amount(r.min_cents, &c.currency, lang), max => amount(r.max_cents, &c.currency, lang),
                value => typed.get(&c.id).cloned().unwrap_or_else(|| field_value(c.amount_cents, lang)),
                error => errors.get(&c.id), saved => saved == Some(c.id), changes,
            }
        })
        .collect();
    Ok(u.page
        .render(
            "advances/advances.html",
            context! { contracts => rows, may_change, enabled },
        )?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    saved: Option<i64>,
}

/// The contracts with their advance.
#[handler]
pub async fn list(u: Require<View>, Query(q): Query<ListQuery>) -> Result<Response> {
    render(&u, BTreeMap::new(), BTreeMap::new(), q.saved).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    amount: String,
}

/// Changes a contract's advance within the range (404 when changes are
/// off, for an account without `advances.change`, or another customer's
/// contract).
#[handler]
pub async fn change(
    u: Require<View>,
    Path(id): Path<i64>,
    Form(f): Form<ChangeForm>,
) -> Result<Response> {
    let tenant = u.page.tenant();
    if !ADVANCES.flag(tenant, "enabled") || !u.can::<Change>() {
        return Err(NotFoundError.into());
    }
    let c: Contract = store::contract(u.reach(), id).await?.ok_or(NotFoundError)?;
    let lang = u.page.cx.lang;
    let range = Rule::of(tenant).range(c.original_cents);
    let refuse = |message: String| {
        (
            BTreeMap::from([(c.id, f.amount.clone())]),
            BTreeMap::from([(c.id, message)]),
        )
    };
    let (typed, errors) = match parse_euros(&f.amount) {
        None => refuse(u.page.t("advances-error-amount")),
        Some(cents) if !range.contains(cents) => refuse(
            u.page.state.renderer.texts().get_with(
                u.page.cx.voice(),
                "advances-error-range",
                portal_core::poem::i18n::I18NArgs::default()
                    .set("min", amount(range.min_cents, &c.currency, lang))
                    .set("max", amount(range.max_cents, &c.currency, lang)),
            ),
        ),
        Some(cents) if cents == c.amount_cents => refuse(u.page.t("advances-error-same")),
        Some(cents) => {
            let account = &u.session.account;
            let by = account.greeting_name().to_string();
            let deps = u.page.state.deps();
            let mail = (ADVANCES.flag(tenant, "confirmation_mail") && !account.email.is_empty())
                .then_some(store::Confirmation {
                    deps: &deps,
                    tenant,
                    account,
                    lang,
                });
            store::change(u.reach(), &c, cents, &by, mail).await?;
            return Ok(
                Redirect::see_other(u.page.url(&format!("/advances?saved={}", c.id)))
                    .into_response(),
            );
        }
    };
    render(&u, typed, errors, None).await
}
