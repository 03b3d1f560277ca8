//! The back-office API of dossiers (`/api/admin/v1/dossiers`, scope
//! `dossiers`): advisers, and dossiers with their clients, products,
//! action items and appointments, by external id (idempotent: the same
//! batch twice changes nothing and mails nothing; errors per row, a
//! refused row writes nothing); documents put and deleted. Action items
//! that a sync opens are mailed to the clients, one mail per dossier.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::Deps;
use portal_core::api::admin::{ApiErrors, FieldError};
use portal_core::api::auth::StaffToken;
use portal_core::db::{DbError, Tx};
use portal_core::sea_query::{Expr, ExprTrait, OnConflict, Query as Q};
use portal_core::tenant::{Tenant, TenantScope};

use crate::store::{Field, Part};

#[derive(Tags)]
enum DossiersTags {
    /// Advisers, dossiers, action items, documents.
    Dossiers,
}

/// An adviser or handler.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct AdviserRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: String,
    #[oai(default, validator(max_length = 254))]
    #[serde(default)]
    pub email: String,
    #[oai(default, validator(max_length = 40))]
    #[serde(default)]
    pub phone: String,
    /// The signature under mails, lines separated by newlines.
    #[oai(default, validator(max_length = 2000))]
    #[serde(default)]
    pub signature: String,
}

/// A batch of advisers.
#[derive(Debug, Object)]
pub struct AdviserBatch {
    #[oai(validator(min_items = 1, max_items = 1000))]
    pub advisers: Vec<AdviserRow>,
}

/// A client of a dossier: a portal account, synced by core's account sync.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct ClientRow {
    /// 1 (the first client, who gets the mails) or 2 (the partner).
    pub position: i64,
    /// The account's external id (core's `/sync/accounts`).
    #[oai(validator(max_length = 100))]
    pub account_external_id: Option<String>,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub first_name: String,
    #[oai(default, validator(max_length = 100))]
    #[serde(default)]
    pub last_name: String,
}

/// A product with the lender's status.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct ProductRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    /// The lender's standard status: `received`, `in_progress`,
    /// `offer_sent`, `waiting_for_documents`, `under_acceptance`,
    /// `binding_offer_sent`, `final_approval`, `paid_out`,
    /// `in_administration`, `rejected`, `cannot_be_processed`,
    /// `offer_expiring`, `ended` (another text shows as sent).
    #[oai(validator(min_length = 1, max_length = 60))]
    pub status: String,
    #[oai(default, validator(max_length = 2000))]
    #[serde(default)]
    pub explanation: String,
    /// Shown to the client as a tab.
    #[oai(default)]
    #[serde(default)]
    pub visible: bool,
}

/// An action item.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct ActionRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    /// `upload`, `form` or `sign`.
    #[oai(validator(max_length = 10))]
    pub kind: String,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    #[oai(default, validator(max_length = 2000))]
    #[serde(default)]
    pub description: String,
    /// How long an approved document stays valid (salary slip 3, valuation 6).
    pub valid_months: Option<i64>,
    /// A form's fields.
    #[oai(default, validator(max_items = 50))]
    #[serde(default)]
    pub fields: Vec<Field>,
    /// An agreement's parts, each accepted on its own.
    #[oai(default, validator(max_items = 20))]
    #[serde(default)]
    pub parts: Vec<Part>,
}

/// An appointment.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct AppointmentRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    pub starts_at: DateTime<Utc>,
    #[oai(default, validator(max_length = 300))]
    #[serde(default)]
    pub place: String,
    /// What to bring or do, one item a line.
    #[oai(default, validator(max_length = 2000))]
    #[serde(default)]
    pub items: String,
}

/// A dossier with what is below it.
#[derive(Debug, Clone, serde::Deserialize, Object)]
pub struct DossierRow {
    #[oai(validator(min_length = 1, max_length = 100))]
    pub external_id: String,
    #[oai(validator(min_length = 1, max_length = 100))]
    pub customer_external_id: String,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    /// `open` or `closed`.
    #[oai(default = "open_status", validator(max_length = 10))]
    #[serde(default = "open_status")]
    pub status: String,
    /// When the service ended (the retention period runs from it).
    pub closed_on: Option<NaiveDate>,
    #[oai(validator(max_length = 100))]
    pub adviser_external_id: Option<String>,
    #[oai(validator(max_length = 100))]
    pub handler_external_id: Option<String>,
    #[oai(validator(min_items = 1, max_items = 2))]
    pub clients: Vec<ClientRow>,
    #[oai(default, validator(max_items = 20))]
    #[serde(default)]
    pub products: Vec<ProductRow>,
    #[oai(default, validator(max_items = 200))]
    #[serde(default)]
    pub actions: Vec<ActionRow>,
    #[oai(default, validator(max_items = 20))]
    #[serde(default)]
    pub appointments: Vec<AppointmentRow>,
}

fn open_status() -> String {
    "open".into()
}

/// A batch of dossiers.
#[derive(Debug, Object)]
pub struct DossierBatch {
    #[oai(validator(min_items = 1, max_items = 500))]
    pub dossiers: Vec<DossierRow>,
}

/// The outcome of one row.
#[derive(Debug, Clone, Object)]
pub struct DossierResult {
    pub external_id: String,
    /// `saved` or `refused`.
    #[oai(validator(pattern = "^(saved|refused)$"))]
    pub status: String,
    pub errors: Vec<String>,
    /// Action items this call opened (mailed to the clients together).
    pub opened: i64,
}

/// The outcome per row.
#[derive(Debug, Object)]
pub struct DossierReport {
    pub rows: Vec<DossierResult>,
}

#[derive(ApiResponse)]
enum SyncResponse {
    /// Each row saved or refused with its errors.
    #[oai(status = 200)]
    Ok(Json<DossierReport>),
}

#[derive(ApiResponse)]
enum DocResponse {
    /// Stored (or deleted).
    #[oai(status = 204)]
    Done,
    /// No such dossier (or document) of this tenant.
    #[oai(status = 404)]
    NotFound,
    /// The file is empty, too large, or of a refused type.
    #[oai(status = 422)]
    Refused(Json<ApiErrors>),
}

fn refused(field: &str, message: impl Into<String>) -> DocResponse {
    DocResponse::Refused(Json(ApiErrors {
        errors: vec![FieldError {
            field: Some(field.into()),
            message: message.into(),
        }],
        ..ApiErrors::default()
    }))
}

async fn id_by_external(
    tx: &mut Tx,
    scope: TenantScope,
    table: &'static str,
    ext: &str,
) -> Result<Option<i64>, DbError> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select(table)
                .column("id")
                .and_where(Expr::col("external_id").eq(ext.trim()))
                .to_owned(),
        )
        .await?;
    Ok(rows.first().map(|r| r.0))
}

fn check(r: &DossierRow) -> Vec<String> {
    let mut e = Vec::new();
    if !matches!(r.status.as_str(), "open" | "closed") {
        e.push("status: open or closed".into());
    }
    if r.status == "closed" && r.closed_on.is_none() {
        e.push("closed_on: required for a closed dossier".into());
    }
    let mut positions: Vec<i64> = r.clients.iter().map(|c| c.position).collect();
    positions.sort_unstable();
    if positions != [1] && positions != [1, 2] {
        e.push("clients: position 1, and 2 for a partner".into());
    }
    for a in &r.actions {
        match a.kind.as_str() {
            "upload" => {}
            "form" => {
                if a.fields.is_empty()
                    || a.fields.iter().any(|f| {
                        !matches!(
                            f.kind.as_str(),
                            "text" | "number" | "date" | "choice" | "yes_no"
                        ) || (f.kind == "choice" && f.options.is_empty())
                    })
                {
                    e.push(format!(
                        "actions[{}].fields: text, number, date, choice (with options) or yes_no",
                        a.external_id
                    ));
                }
                let mut keys: Vec<&str> = a.fields.iter().map(|f| f.key.as_str()).collect();
                keys.sort_unstable();
                keys.dedup();
                if keys.len() != a.fields.len() {
                    e.push(format!("actions[{}].fields: unique keys", a.external_id));
                }
            }
            "sign" => {
                if a.parts.is_empty() {
                    e.push(format!("actions[{}].parts: at least one", a.external_id));
                }
            }
            _ => e.push(format!(
                "actions[{}].kind: upload, form or sign",
                a.external_id
            )),
        }
        if a.valid_months.is_some_and(|m| !(1..=120).contains(&m)) {
            e.push(format!("actions[{}].valid_months: 1 to 120", a.external_id));
        }
    }
    e
}

/// Writes one dossier in `tx`; returns its id and the titles of the
/// action items it opened, or the row's errors.
async fn write_one(
    deps: &Deps,
    tx: &mut Tx,
    tenant: &Tenant,
    r: &DossierRow,
) -> Result<Result<(i64, Vec<String>), Vec<String>>, portal_core::poem::Error> {
    let scope = tenant.scope();
    let mut errors = check(r);
    let customer = id_by_external(tx, scope, "core_customers", &r.customer_external_id).await?;
    if customer.is_none() {
        errors.push("customer_external_id: no such customer".into());
    }
    // The adviser and the handler, each by its external id when given.
    let mut people = [None, None];
    for (slot, (ext, field)) in people.iter_mut().zip([
        (&r.adviser_external_id, "adviser_external_id"),
        (&r.handler_external_id, "handler_external_id"),
    ]) {
        if let Some(x) = ext {
            *slot = id_by_external(tx, scope, "dossiers_advisers", x).await?;
            if slot.is_none() {
                errors.push(format!("{field}: no such adviser"));
            }
        }
    }
    let [adviser_id, handler_id] = people;
    let mut users = Vec::new();
    for c in &r.clients {
        let user = match &c.account_external_id {
            Some(x) => {
                match portal_core::access::sync_accounts::by_external_id(deps, tenant, x).await? {
                    Some(a) => Some(a.id),
                    None => {
                        errors.push(format!("clients[{}]: no such account", c.position));
                        None
                    }
                }
            }
            None => None,
        };
        users.push(user);
    }
    let (Some(customer), true) = (customer, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let now = Utc::now();
    tx.execute(
        &Q::insert()
            .into_table("dossiers_dossiers")
            .columns([
                "tenant_id",
                "customer_id",
                "external_id",
                "title",
                "status",
                "closed_on",
                "adviser_id",
                "handler_id",
                "created_at",
                "updated_at",
            ])
            .values_panic([
                scope.tenant_id().into(),
                customer.into(),
                r.external_id.trim().into(),
                r.title.trim().into(),
                r.status.as_str().into(),
                r.closed_on.into(),
                adviser_id.into(),
                handler_id.into(),
                now.into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::columns(["tenant_id", "external_id"])
                    .update_columns([
                        "customer_id",
                        "title",
                        "status",
                        "closed_on",
                        "adviser_id",
                        "handler_id",
                        "updated_at",
                    ])
                    .to_owned(),
            )
            .to_owned(),
    )
    .await?;
    let id = id_by_external(tx, scope, "dossiers_dossiers", &r.external_id)
        .await?
        .unwrap_or(0);
    tx.execute(
        &scope
            .delete("dossiers_clients")
            .and_where(Expr::col("dossier_id").eq(id))
            .to_owned(),
    )
    .await?;
    for (c, user) in r.clients.iter().zip(users) {
        tx.execute(
            &scope
                .insert("dossiers_clients")
                .set("dossier_id", id)
                .set("position", c.position)
                .set("user_id", user)
                .set("first_name", c.first_name.trim())
                .set("last_name", c.last_name.trim())
                .statement(),
        )
        .await?;
    }
    for p in &r.products {
        tx.execute(
            &Q::insert()
                .into_table("dossiers_products")
                .columns([
                    "tenant_id",
                    "dossier_id",
                    "external_id",
                    "title",
                    "status",
                    "explanation",
                    "visible",
                    "updated_at",
                ])
                .values_panic([
                    scope.tenant_id().into(),
                    id.into(),
                    p.external_id.trim().into(),
                    p.title.trim().into(),
                    p.status.trim().into(),
                    p.explanation.trim().into(),
                    p.visible.into(),
                    now.into(),
                ])
                .on_conflict(
                    OnConflict::columns(["tenant_id", "external_id"])
                        .update_columns(["title", "status", "explanation", "visible", "updated_at"])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
    }
    let mut opened = Vec::new();
    for a in &r.actions {
        let spec = if a.kind == "form" {
            serde_json::to_string(&a.fields)
        } else {
            serde_json::to_string(&a.parts)
        }
        .unwrap_or_else(|_| "[]".into());
        let existing = id_by_external(tx, scope, "dossiers_actions", &a.external_id).await?;
        match existing {
            // Texts may change; the status is the client's and the adviser's.
            Some(aid) => {
                tx.execute(
                    &scope
                        .update("dossiers_actions")
                        .value("title", a.title.trim())
                        .value("description", a.description.trim())
                        .value("valid_months", a.valid_months)
                        .value("spec_json", spec.as_str())
                        .and_where(Expr::col("id").eq(aid))
                        .to_owned(),
                )
                .await?;
            }
            None => {
                tx.execute(
                    &scope
                        .insert("dossiers_actions")
                        .set("dossier_id", id)
                        .set("external_id", a.external_id.trim())
                        .set("kind", a.kind.as_str())
                        .set("title", a.title.trim())
                        .set("description", a.description.trim())
                        .set("valid_months", a.valid_months)
                        .set("spec_json", spec.as_str())
                        .set("created_at", now)
                        .set("updated_at", now)
                        .statement(),
                )
                .await?;
                opened.push(a.title.trim().to_string());
            }
        }
    }
    for ap in &r.appointments {
        tx.execute(
            &Q::insert()
                .into_table("dossiers_appointments")
                .columns([
                    "tenant_id",
                    "dossier_id",
                    "external_id",
                    "starts_at",
                    "place",
                    "items",
                ])
                .values_panic([
                    scope.tenant_id().into(),
                    id.into(),
                    ap.external_id.trim().into(),
                    ap.starts_at.into(),
                    ap.place.trim().into(),
                    ap.items.trim().into(),
                ])
                .on_conflict(
                    OnConflict::columns(["tenant_id", "external_id"])
                        .update_columns(["starts_at", "place", "items"])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
    }
    Ok(Ok((id, opened)))
}

/// Upserts dossiers; each row in its own transaction, refused rows write
/// nothing; opened action items are mailed per dossier.
///
/// # Errors
/// A database or mail failure.
pub async fn sync_dossiers(
    deps: &Deps,
    tenant: &Tenant,
    rows: &[DossierRow],
) -> portal_core::poem::Result<Vec<DossierResult>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut tx = deps.db.begin().await?;
        match write_one(deps, &mut tx, tenant, r).await? {
            Err(errors) => {
                drop(tx);
                out.push(DossierResult {
                    external_id: r.external_id.clone(),
                    status: "refused".into(),
                    errors,
                    opened: 0,
                });
            }
            Ok((id, opened)) => {
                tx.commit().await?;
                if !opened.is_empty()
                    && let Some(d) = crate::store::dossier_in(&deps.db, tenant.scope(), id).await?
                {
                    crate::write::mail_new_actions(deps, tenant, &d, &opened).await?;
                }
                out.push(DossierResult {
                    external_id: r.external_id.clone(),
                    status: "saved".into(),
                    errors: Vec::new(),
                    opened: i64::try_from(opened.len()).unwrap_or(0),
                });
            }
        }
    }
    Ok(out)
}

/// Upserts advisers by external id.
///
/// # Errors
/// A database failure.
pub async fn sync_advisers(
    deps: &Deps,
    scope: TenantScope,
    rows: &[AdviserRow],
) -> Result<(), DbError> {
    let mut tx = deps.db.begin().await?;
    for a in rows {
        tx.execute(
            &Q::insert()
                .into_table("dossiers_advisers")
                .columns([
                    "tenant_id",
                    "external_id",
                    "name",
                    "email",
                    "phone",
                    "signature",
                ])
                .values_panic([
                    scope.tenant_id().into(),
                    a.external_id.trim().into(),
                    a.name.trim().into(),
                    a.email.trim().into(),
                    a.phone.trim().into(),
                    a.signature.trim().into(),
                ])
                .on_conflict(
                    OnConflict::columns(["tenant_id", "external_id"])
                        .update_columns(["name", "email", "phone", "signature"])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(ApiResponse)]
enum AdvisersResponse {
    /// Saved.
    #[oai(status = 204)]
    Saved,
}

/// The dossiers endpoints.
pub struct DossiersAdminApi;

#[OpenApi(tag = "DossiersTags::Dossiers")]
impl DossiersAdminApi {
    /// Upsert advisers and handlers by external id (idempotent).
    #[oai(
        path = "/advisers/sync",
        method = "post",
        operation_id = "dossiers_advisers_sync"
    )]
    async fn advisers(
        &self,
        auth: StaffToken,
        body: Json<AdviserBatch>,
    ) -> poem::Result<AdvisersResponse> {
        let t = &auth.0.resolved.tenant;
        sync_advisers(&auth.0.state.deps(), t.scope(), &body.0.advisers).await?;
        Ok(AdvisersResponse::Saved)
    }

    /// Upsert dossiers with clients, products, action items and appointments by external id (idempotent; up to 500 per call).
    #[oai(path = "/sync", method = "post", operation_id = "dossiers_sync")]
    async fn sync(&self, auth: StaffToken, body: Json<DossierBatch>) -> poem::Result<SyncResponse> {
        let t = &auth.0.resolved.tenant;
        let rows = sync_dossiers(&auth.0.state.deps(), t, &body.0.dossiers).await?;
        Ok(SyncResponse::Ok(Json(DossierReport { rows })))
    }

    /// Put a document (a dossier's, or with no dossier the office's standard one) by external id.
    #[oai(
        path = "/documents/:external_id",
        method = "put",
        operation_id = "dossiers_document_put"
    )]
    async fn put_document(
        &self,
        auth: StaffToken,
        #[oai(validator(min_length = 1, max_length = 100))] external_id: Path<String>,
        /// The dossier's external id; absent for a standard document.
        #[oai(validator(min_length = 1, max_length = 100))]
        dossier: Query<Option<String>>,
        /// The title shown.
        #[oai(validator(min_length = 1, max_length = 200))]
        title: Query<String>,
        /// The file's name.
        #[oai(validator(min_length = 1, max_length = 255))]
        name: Query<String>,
        body: Binary<Vec<u8>>,
    ) -> poem::Result<DocResponse> {
        let state = &auth.0.state;
        let scope = auth.0.resolved.tenant.scope();
        if external_id.0.trim().is_empty()
            || external_id.0.len() > 100
            || title.0.trim().is_empty()
            || title.0.chars().count() > 200
        {
            return Ok(refused(
                "title",
                "external_id and title: 1 to 100 and 1 to 200 characters, not only spaces",
            ));
        }
        let ty = match portal_core::files::sniff::decide(&name.0, &body.0) {
            Ok(ty) if body.0.len() <= 25 * 1024 * 1024 => ty,
            Ok(_) => return Ok(refused("body", "at most 25 MB")),
            Err(r) => return Ok(refused("body", r.to_string())),
        };
        let mut tx = state.db.begin().await?;
        let dossier_id = match &dossier.0 {
            Some(x) => match id_by_external(&mut tx, scope, "dossiers_dossiers", x).await? {
                Some(id) => Some(id),
                None => return Ok(DocResponse::NotFound),
            },
            None => None,
        };
        let key = portal_core::files::BlobStore::new_key(scope.tenant_id(), "dossiers", ty.ext);
        state.blobs.put(&key, &body.0).await?;
        let clean = portal_core::files::names::sanitise(&name.0)
            .unwrap_or_else(|_| format!("document.{}", ty.ext));
        tx.execute(
            &Q::insert()
                .into_table("dossiers_documents")
                .columns([
                    "tenant_id",
                    "dossier_id",
                    "external_id",
                    "title",
                    "blob_key",
                    "name",
                    "mime",
                    "created_at",
                ])
                .values_panic([
                    scope.tenant_id().into(),
                    dossier_id.into(),
                    external_id.0.trim().into(),
                    title.0.trim().into(),
                    key.as_str().into(),
                    clean.as_str().into(),
                    ty.mime.into(),
                    Utc::now().into(),
                ])
                .on_conflict(
                    OnConflict::columns(["tenant_id", "external_id"])
                        .update_columns(["dossier_id", "title", "blob_key", "name", "mime"])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(DocResponse::Done)
    }

    /// Delete a document by external id.
    #[oai(
        path = "/documents/:external_id",
        method = "delete",
        operation_id = "dossiers_document_delete"
    )]
    async fn delete_document(
        &self,
        auth: StaffToken,
        external_id: Path<String>,
    ) -> poem::Result<DocResponse> {
        let scope = auth.0.resolved.tenant.scope();
        let n = auth
            .0
            .state
            .db
            .execute(
                &scope
                    .delete("dossiers_documents")
                    .and_where(Expr::col("external_id").eq(external_id.0.trim()))
                    .to_owned(),
            )
            .await?;
        Ok(if n == 0 {
            DocResponse::NotFound
        } else {
            DocResponse::Done
        })
    }
}
