//! Changes customers make in the portal, on their way to the back-office.
//!
//! The back-office stays the source of customer data (seed 000: a daily
//! sync). A change made in the portal is applied at once, recorded here as
//! *open*, and sent as an event (`customer.changed` or `account.changed`,
//! through core's signed webhooks). It stays open, shown to the customer as
//! "waiting for processing", until the back-office confirms it: through the
//! API, or by syncing the same values. Meanwhile a sync that sends other
//! values for its fields does not overwrite them: the sync's per-row answer
//! reports the conflict ([`reconcile`]) and the back-office decides.
//!
//! One open change per customer or account and field group: changing the
//! same group again updates the open change (keeping the first old value)
//! and sends a new event.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order};
use serde::{Deserialize, Serialize};

use super::edit_policy::FieldGroup;
use crate::db::{Db, DbError, Tx};
use crate::tenant::TenantScope;

/// One field's value before and after the portal change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Values {
    pub old: String,
    pub new: String,
}

/// Field name -> values.
pub type Fields = BTreeMap<String, Values>;

/// Whose data changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The organisation (customer) itself.
    Customer(i64),
    /// An account (contact person) of customer `customer_id`.
    Account { customer_id: i64, account_id: i64 },
}

impl Subject {
    fn customer_id(self) -> i64 {
        match self {
            Subject::Customer(c) | Subject::Account { customer_id: c, .. } => c,
        }
    }

    fn account_id(self) -> Option<i64> {
        match self {
            Subject::Customer(_) => None,
            Subject::Account { account_id, .. } => Some(account_id),
        }
    }
}

/// An open (unconfirmed) change.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenChange {
    pub id: i64,
    pub customer_id: i64,
    pub account_id: Option<i64>,
    pub field_group: String,
    /// JSON of [`Fields`].
    pub fields: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
crate::from_sqlite! {
    OpenChange { id, customer_id, account_id, field_group, fields, created_at, updated_at }
}

impl OpenChange {
    /// The changed fields (empty when the stored JSON is unreadable).
    pub fn fields(&self) -> Fields {
        serde_json::from_str(&self.fields).unwrap_or_default()
    }
}

/// What the event says about the subject, beside the fields.
#[derive(Debug, Clone, Default)]
pub struct EventContext {
    pub customer_external_id: Option<String>,
    pub customer_number: String,
    pub account_external_id: Option<String>,
    pub account_email: Option<String>,
    /// Who made the change (the portal account's id).
    pub by_user_id: i64,
}

/// Records a portal change in the change's own transaction and emits its
/// event; fields whose old and new values are equal are left out, and a
/// change of nothing records nothing. Returns the change's id.
///
/// # Errors
/// A database failure.
pub async fn record(
    tx: &mut Tx,
    scope: TenantScope,
    subject: Subject,
    group: FieldGroup,
    fields: Fields,
    cx: &EventContext,
) -> Result<Option<i64>, DbError> {
    let mut fields: Fields = fields.into_iter().filter(|(_, v)| v.old != v.new).collect();
    if fields.is_empty() {
        return Ok(None);
    }
    let now = Utc::now();
    let open: Option<(i64, String)> = tx
        .fetch_all::<(i64, String)>(
            &open_query(scope, subject.customer_id())
                .columns(["id", "fields"])
                .and_where(match subject.account_id() {
                    Some(a) => Expr::col("account_id").eq(a),
                    None => Expr::col("account_id").is_null(),
                })
                .and_where(Expr::col("field_group").eq(group.code()))
                .to_owned(),
        )
        .await?
        .into_iter()
        .next();
    let id = if let Some((id, stored)) = open {
        // Keep the value the back-office last knew as "old".
        let before: Fields = serde_json::from_str(&stored).unwrap_or_default();
        for (name, v) in &mut fields {
            if let Some(b) = before.get(name) {
                v.old.clone_from(&b.old);
            }
        }
        for (name, b) in before {
            fields.entry(name).or_insert(b);
        }
        tx.execute(
            &scope
                .update("core_portal_changes")
                .value("fields", json(&fields))
                .value("user_id", cx.by_user_id)
                .value("updated_at", now)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
        id
    } else {
        tx.insert_returning_id(
            &scope
                .insert("core_portal_changes")
                .set("customer_id", subject.customer_id())
                .set("account_id", subject.account_id())
                .set("field_group", group.code())
                .set("fields", json(&fields))
                .set("user_id", cx.by_user_id)
                .set("created_at", now)
                .set("updated_at", now)
                .statement(),
        )
        .await?
    };
    let (kind, payload) = match subject {
        Subject::Customer(_) => (
            "customer.changed",
            serde_json::json!({
                "change_id": id,
                "customer_external_id": cx.customer_external_id,
                "customer_number": cx.customer_number,
                "group": group.code(),
                "fields": fields,
                "by_user_id": cx.by_user_id,
            }),
        ),
        Subject::Account { .. } => (
            "account.changed",
            serde_json::json!({
                "change_id": id,
                "customer_external_id": cx.customer_external_id,
                "customer_number": cx.customer_number,
                "account_external_id": cx.account_external_id,
                "account_email": cx.account_email,
                "group": group.code(),
                "fields": fields,
                "by_user_id": cx.by_user_id,
            }),
        ),
    };
    crate::events::emit(tx, scope, kind, &payload).await?;
    Ok(Some(id))
}

/// The event's context for a change of `customer_id` (and `account`) by
/// portal account `by_user_id`.
///
/// # Errors
/// A database failure.
pub async fn context_of(
    tx: &mut Tx,
    scope: TenantScope,
    customer_id: i64,
    account: Option<&crate::auth::accounts::Account>,
    by_user_id: i64,
) -> Result<EventContext, DbError> {
    let row: Option<(String, Option<String>)> = tx
        .fetch_all::<(String, Option<String>)>(
            &scope
                .select("core_customers")
                .columns(["number", "external_id"])
                .and_where(Expr::col("id").eq(customer_id))
                .to_owned(),
        )
        .await?
        .into_iter()
        .next();
    let (customer_number, customer_external_id) = row.unwrap_or_default();
    Ok(EventContext {
        customer_external_id,
        customer_number,
        account_external_id: account.and_then(|a| a.external_id.clone()),
        account_email: account.map(|a| a.email.clone()),
        by_user_id,
    })
}

/// `(field, old, new)` as [`Fields`].
pub fn fields_of<'a>(changes: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Fields {
    changes
        .into_iter()
        .map(|(n, old, new)| {
            (
                n.to_string(),
                Values {
                    old: old.to_string(),
                    new: new.to_string(),
                },
            )
        })
        .collect()
}

fn json(fields: &Fields) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "{}".into())
}

fn open_query(scope: TenantScope, customer_id: i64) -> sea_query::SelectStatement {
    scope
        .select("core_portal_changes")
        .and_where(Expr::col("customer_id").eq(customer_id))
        .and_where(Expr::col("confirmed_at").is_null())
        .to_owned()
}

const COLUMNS: [&str; 7] = [
    "id",
    "customer_id",
    "account_id",
    "field_group",
    "fields",
    "created_at",
    "updated_at",
];

/// The open changes of a customer and its accounts, oldest first.
///
/// # Errors
/// A database failure.
pub async fn open_of_customer(
    db: &Db,
    scope: TenantScope,
    customer_id: i64,
) -> Result<Vec<OpenChange>, DbError> {
    db.fetch_all(
        &open_query(scope, customer_id)
            .columns(COLUMNS)
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// Every open change of the tenant, oldest first (for a sync, which then
/// needs no query per row; open changes are few).
///
/// # Errors
/// A database failure.
pub async fn open_of_tenant(db: &Db, scope: TenantScope) -> Result<Vec<OpenChange>, DbError> {
    db.fetch_all(
        &scope
            .select("core_portal_changes")
            .columns(COLUMNS)
            .and_where(Expr::col("confirmed_at").is_null())
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// A change as the API lists it.
#[derive(Debug, Clone, sqlx::FromRow, poem_openapi::Object)]
pub struct ChangeView {
    pub id: i64,
    pub customer_id: i64,
    pub account_id: Option<i64>,
    /// `login_email`, `personal`, `organisation` or `correspondence`
    /// (`FieldGroup::code`).
    #[oai(validator(pattern = "^(login_email|personal|organisation|correspondence)$"))]
    pub field_group: String,
    /// JSON: `{"field": {"old": "...", "new": "..."}}`.
    pub fields: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Empty while the change waits for the back-office.
    pub confirmed_at: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    ChangeView { id, customer_id, account_id, field_group, fields, created_at, updated_at,
        confirmed_at }
}

/// Changes of the tenant after id `after`, oldest first; only open ones
/// when `open_only`.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &Db,
    scope: TenantScope,
    after: i64,
    open_only: bool,
    limit: u64,
) -> Result<Vec<ChangeView>, DbError> {
    let mut q = scope
        .select("core_portal_changes")
        .columns(COLUMNS)
        .column("confirmed_at")
        .and_where(Expr::col("id").gt(after))
        .order_by("id", Order::Asc)
        .limit(limit)
        .to_owned();
    if open_only {
        q.and_where(Expr::col("confirmed_at").is_null());
    }
    db.fetch_all(&q).await
}

/// Confirms open changes: the back-office has processed them. Returns how
/// many were open.
///
/// # Errors
/// A database failure.
pub async fn confirm(tx: &mut Tx, scope: TenantScope, ids: &[i64]) -> Result<u64, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    tx.execute(
        &scope
            .update("core_portal_changes")
            .value("confirmed_at", Utc::now())
            .and_where(Expr::col("id").is_in(ids.iter().copied()))
            .and_where(Expr::col("confirmed_at").is_null())
            .to_owned(),
    )
    .await
}

/// What a sync may do with one stored row that has open changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Changes the sync confirms: it sends every one of their new values.
    pub confirm: Vec<i64>,
    /// Fields the sync must not overwrite, with the portal's value to keep.
    pub keep: BTreeMap<String, String>,
    /// The per-row report of each kept field.
    pub conflicts: Vec<String>,
}

/// Compares a sync row's values (`sent`: field name and the row's value)
/// with the open changes of the same subject: a change whose every new
/// value the row carries is confirmed; a field the row sends with another
/// value is set back to the portal's value in `sent` and reported.
pub fn reconcile<'a>(
    open: impl IntoIterator<Item = &'a OpenChange>,
    sent: &mut [(&str, &mut String)],
) -> Reconciled {
    let mut out = Reconciled::default();
    for change in open {
        let fields = change.fields();
        let mut all_equal = true;
        for (name, v) in &fields {
            let Some((_, field)) = sent.iter_mut().find(|(n, _)| n == name) else {
                continue;
            };
            let same = if name.contains("email") {
                crate::auth::accounts::normalize(field) == crate::auth::accounts::normalize(&v.new)
            } else {
                field.trim() == v.new.trim()
            };
            if same {
                continue;
            }
            all_equal = false;
            let value = std::mem::replace(*field, v.new.clone());
            out.keep.insert(name.clone(), v.new.clone());
            out.conflicts.push(format!(
                "{name}: not changed to {value:?}; the customer changed it in the portal to {:?} \
                 (change {}, waiting for processing). Confirm change {} through the API, or send {:?}.",
                v.new, change.id, change.id, v.new
            ));
        }
        if all_equal {
            out.confirm.push(change.id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn change(id: i64, fields: &[(&str, &str, &str)]) -> OpenChange {
        let f: Fields = fields
            .iter()
            .map(|(n, o, v)| {
                (
                    (*n).to_string(),
                    Values {
                        old: (*o).into(),
                        new: (*v).into(),
                    },
                )
            })
            .collect();
        OpenChange {
            id,
            customer_id: 1,
            account_id: None,
            field_group: "organisation".into(),
            fields: json(&f),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_sync_with_the_new_values_confirms_and_other_values_are_kept() {
        let open = [
            change(1, &[("name", "Oud BV", "Nieuw BV"), ("phone", "1", "2")]),
            change(2, &[("correspondence_address", "A", "B")]),
        ];
        let (mut name, mut phone, mut address) =
            ("Nieuw BV".to_string(), "2".to_string(), "A".to_string());
        let r = reconcile(
            &open,
            &mut [
                ("name", &mut name),
                ("phone", &mut phone),
                ("correspondence_address", &mut address),
            ],
        );
        assert_eq!(address, "B", "set back to the portal's value");
        assert_eq!(name, "Nieuw BV");
        assert_eq!(r.confirm, vec![1]);
        assert_eq!(
            r.keep.get("correspondence_address").map(String::as_str),
            Some("B")
        );
        assert_eq!(r.keep.len(), 1);
        assert_eq!(r.conflicts.len(), 1);
        assert!(r.conflicts[0].contains("change 2"), "{:?}", r.conflicts);
    }
}
