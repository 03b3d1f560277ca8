//! What changes an action item, each with its event in one transaction:
//! an upload merged into the action's PDF (`dossiers.upload`), its deletion
//! while "received" (`dossiers.upload_deleted`), a completed form
//! (`dossiers.form_completed`), a signature with who, when, from where and
//! the hash of what was accepted (`dossiers.signed`), and the adviser's
//! review (`dossiers.reviewed`): a rejection keeps the remark and opens a
//! new action for the same document, so the progress drops.

use chrono::Utc;
use portal_core::Deps;
use portal_core::auth::flows::FlowError;
use portal_core::db::{DbError, Tx};
use portal_core::events;
use portal_core::files::BlobStore;
use portal_core::sea_query::{Expr, ExprTrait};
use portal_core::tenant::{Tenant, TenantScope};
use sha2::{Digest, Sha256};

use crate::store::{Action, Dossier, Part};

fn status_update(
    scope: TenantScope,
    id: i64,
    status: &str,
) -> portal_core::sea_query::UpdateStatement {
    scope
        .update("dossiers_actions")
        .value("status", status)
        .value("updated_at", Utc::now())
        .and_where(Expr::col("id").eq(id))
        .to_owned()
}

/// Stores the action's new merged PDF (replacing the old one, whose blob
/// the sweeper removes) and marks it received.
///
/// # Errors
/// A database failure.
pub async fn upload(
    deps: &Deps,
    tenant: &Tenant,
    a: &Action,
    user_id: i64,
    pdf: &[u8],
    pages: usize,
    names: &str,
) -> portal_core::poem::Result<()> {
    let scope = tenant.scope();
    let key = BlobStore::new_key(scope.tenant_id(), "dossiers", "pdf");
    deps.blobs.put(&key, pdf).await?;
    let now = Utc::now();
    let mut tx = deps.db.begin().await?;
    tx.execute(
        &scope
            .delete("dossiers_files")
            .and_where(Expr::col("action_id").eq(a.id))
            .to_owned(),
    )
    .await?;
    tx.execute(
        &scope
            .insert("dossiers_files")
            .set("action_id", a.id)
            .set("pdf_key", key.as_str())
            .set("names", names)
            .set("pages", i64::try_from(pages).unwrap_or(0))
            .set("size", i64::try_from(pdf.len()).unwrap_or(0))
            .set("user_id", user_id)
            .set("created_at", now)
            .statement(),
    )
    .await?;
    tx.execute(&status_update(scope, a.id, "received")).await?;
    events::emit(
        &mut tx,
        scope,
        "dossiers.upload",
        &serde_json::json!({"action_id": a.id, "dossier_id": a.dossier_id, "files": names, "pages": pages, "by": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the action's upload: only while "received" (false otherwise).
///
/// # Errors
/// A database failure.
pub async fn delete_upload(
    deps: &Deps,
    tenant: &Tenant,
    a: &Action,
    user_id: i64,
) -> portal_core::poem::Result<bool> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    // The status is the condition: a review that came first wins.
    let n = tx
        .execute(
            &scope
                .update("dossiers_actions")
                .value("status", "requested")
                .value("updated_at", Utc::now())
                .and_where(Expr::col("id").eq(a.id))
                .and_where(Expr::col("status").eq("received"))
                .and_where(Expr::col("kind").eq("upload"))
                .to_owned(),
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute(
        &scope
            .delete("dossiers_files")
            .and_where(Expr::col("action_id").eq(a.id))
            .to_owned(),
    )
    .await?;
    events::emit(
        &mut tx,
        scope,
        "dossiers.upload_deleted",
        &serde_json::json!({"action_id": a.id, "dossier_id": a.dossier_id, "by": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Stores a form's answers and marks it received.
///
/// # Errors
/// A database failure.
pub async fn answer(
    deps: &Deps,
    tenant: &Tenant,
    a: &Action,
    user_id: i64,
    answers: &serde_json::Map<String, serde_json::Value>,
) -> portal_core::poem::Result<()> {
    let scope = tenant.scope();
    let json = serde_json::Value::Object(answers.clone()).to_string();
    let mut tx = deps.db.begin().await?;
    tx.execute(
        &scope
            .delete("dossiers_answers")
            .and_where(Expr::col("action_id").eq(a.id))
            .to_owned(),
    )
    .await?;
    tx.execute(
        &scope
            .insert("dossiers_answers")
            .set("action_id", a.id)
            .set("answers_json", json.as_str())
            .set("user_id", user_id)
            .set("answered_at", Utc::now())
            .statement(),
    )
    .await?;
    tx.execute(&status_update(scope, a.id, "received")).await?;
    events::emit(
        &mut tx,
        scope,
        "dossiers.form_completed",
        &serde_json::json!({"action_id": a.id, "dossier_id": a.dossier_id, "answers": answers, "by": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The SHA-256 (hex) of exactly what was accepted: each part's title and
/// text, in order, separated so that no two agreements hash alike.
pub fn agreement_hash(parts: &[Part]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.title.as_bytes());
        h.update([0x1f]);
        h.update(p.text.as_bytes());
        h.update([0x1e]);
    }
    hex::encode(h.finalize())
}

/// Who signs, from where.
pub struct Signer<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub ip: &'a str,
}

/// Records a signature (who, when, from which address, the hash) with the
/// signed copy, and marks the action approved. False when it was signed
/// already.
///
/// # Errors
/// A database or blob failure.
pub async fn sign(
    deps: &Deps,
    tenant: &Tenant,
    a: &Action,
    signer: &Signer<'_>,
    hash: &str,
    signed_pdf: &[u8],
) -> portal_core::poem::Result<bool> {
    let scope = tenant.scope();
    let key = BlobStore::new_key(scope.tenant_id(), "dossiers", "pdf");
    deps.blobs.put(&key, signed_pdf).await?;
    let now = Utc::now();
    let mut tx = deps.db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("dossiers_actions")
                .value("status", "approved")
                .value("updated_at", now)
                .and_where(Expr::col("id").eq(a.id))
                .and_where(Expr::col("status").is_in(["requested", "expired"]))
                .to_owned(),
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute(
        &scope
            .insert("dossiers_signatures")
            .set("action_id", a.id)
            .set("user_id", signer.user_id)
            .set("signer_name", signer.name)
            .set("signed_at", now)
            .set("ip", signer.ip)
            .set("hash", hash)
            .set("pdf_key", key.as_str())
            .statement(),
    )
    .await?;
    events::emit(
        &mut tx,
        scope,
        "dossiers.signed",
        &serde_json::json!({"action_id": a.id, "dossier_id": a.dossier_id, "by": signer.user_id,
            "name": signer.name, "at": now, "ip": signer.ip, "hash": hash}),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Opens a new action in `tx` (the same kind, title and spec as `a`, asking
/// again after a rejection); returns its id.
///
/// # Errors
/// A database failure.
async fn reopen(tx: &mut Tx, scope: TenantScope, a: &Action) -> Result<i64, DbError> {
    let now = Utc::now();
    tx.insert_returning_id(
        &scope
            .insert("dossiers_actions")
            .set("dossier_id", a.dossier_id)
            .set("kind", a.kind.as_str())
            .set("title", a.title.as_str())
            .set("description", a.description.as_str())
            .set("status", "requested")
            .set("valid_months", a.valid_months)
            .set("spec_json", a.spec_json.as_str())
            .set("replaces", a.id)
            .set("created_at", now)
            .set("updated_at", now)
            .statement(),
    )
    .await
}

/// The adviser's review of a received action: `approved`,
/// `provisionally_approved` or `rejected` (with the remark the client
/// sees; a new action asks again). Returns the new action's id on a
/// rejection; `None` when the action was not waiting.
///
/// # Errors
/// A database failure.
pub async fn review(
    deps: &Deps,
    tenant: &Tenant,
    a: &Action,
    status: &str,
    remark: &str,
    by: &str,
) -> portal_core::poem::Result<Option<Option<i64>>> {
    let scope = tenant.scope();
    let mut tx = deps.db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("dossiers_actions")
                .value("status", status)
                .value("remark", remark.trim())
                .value("updated_at", Utc::now())
                .and_where(Expr::col("id").eq(a.id))
                .and_where(Expr::col("status").is_in(["received", "provisionally_approved"]))
                .to_owned(),
        )
        .await?;
    if n == 0 {
        return Ok(None);
    }
    let new = if status == "rejected" {
        Some(reopen(&mut tx, scope, a).await?)
    } else {
        None
    };
    events::emit(
        &mut tx,
        scope,
        "dossiers.reviewed",
        &serde_json::json!({"action_id": a.id, "dossier_id": a.dossier_id, "status": status,
            "remark": remark.trim(), "new_action_id": new, "by": by}),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(new))
}

/// Mails the dossier's clients that new action items are open: one mail
/// for all items opened together, to the first client with an e-mail
/// address (a partner without one is reached through it, seed 003).
///
/// # Errors
/// A database or mail failure.
pub async fn mail_new_actions(
    deps: &Deps,
    tenant: &Tenant,
    d: &Dossier,
    titles: &[String],
) -> portal_core::poem::Result<()> {
    if titles.is_empty() {
        return Ok(());
    }
    let Some(mail) = crate::mails::dossier_values(&deps.db, tenant, d).await? else {
        return Ok(());
    };
    let list: String = titles.iter().map(|t| format!("- {t}\n")).collect();
    let html: String = titles
        .iter()
        .map(|t| format!("<li>{}</li>", crate::mails::escape(t)))
        .collect();
    let values = mail
        .values
        .count("actions.count", i64::try_from(titles.len()).unwrap_or(1))
        .formatted("actions.list", format!("<ul>{html}</ul>"), list);
    let mut tx = deps.db.begin().await?;
    deps.mailer
        .enqueue(
            &mut tx,
            tenant,
            crate::mails::ACTIONS_OPENED.key,
            &mail.to,
            &values,
        )
        .await
        .map_err(FlowError::from)?;
    tx.commit().await?;
    deps.mailer.wake();
    Ok(())
}
