//! The in-memory snapshot of every tenant, kept true across processes.
//!
//! Every write to tenant data bumps `core_cache_version` in its own
//! transaction (see [`bump`]). A process compares its snapshot's version
//! with the database before using it: after a write through this process
//! at once; on SQLite when the database's write-ahead log changed (a `stat`
//! of the `-wal` file, not a query: a query per request was a fifth of the
//! page's database work); on PostgreSQL when a `NOTIFY portal_cache`
//! arrived. On both at least once a second as a fallback (a file system
//! with coarse timestamps, notifications lost while the listener
//! reconnected).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order, Query};

use super::branding::Branding;
use super::messages::{MessageKind, PageMessage, sanitise};
use super::url::PortalUrl;
use super::{AddressForm, Contact, Lang, Tenant};
use crate::db::{Backend, Db, DbResult, Tx};

const CHANNEL: &str = "portal_cache";
/// The longest a change made by another process may go unseen.
const FALLBACK_CHECK: Duration = Duration::from_secs(1);

/// Marks every process's snapshot stale; call inside the writing transaction.
///
/// # Errors
/// A database failure.
pub(crate) async fn bump(tx: &mut Tx) -> DbResult<()> {
    tx.execute(
        &Query::update()
            .table("core_cache_version")
            .value("version", Expr::col("version").add(1))
            .to_owned(),
    )
    .await?;
    if tx.backend() == Backend::Postgres {
        // Delivered to listeners when the transaction commits.
        tx.execute_raw("NOTIFY portal_cache").await?;
    }
    Ok(())
}

/// All tenants at one version of the database.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: i64,
    tenants: Vec<Arc<Tenant>>,
    by_host: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
}

impl Snapshot {
    pub fn by_host(&self, host: &str) -> Option<&Arc<Tenant>> {
        self.by_host.get(host).map(|&i| &self.tenants[i])
    }

    pub fn by_code(&self, code: &str) -> Option<&Arc<Tenant>> {
        self.by_code.get(code).map(|&i| &self.tenants[i])
    }

    pub fn by_id(&self, id: i64) -> Option<&Arc<Tenant>> {
        self.tenants.iter().find(|t| t.id == id)
    }

    pub fn tenants(&self) -> &[Arc<Tenant>] {
        &self.tenants
    }
}

/// Shared by every request of a process.
#[derive(Debug)]
pub struct TenantCache {
    db: Db,
    current: RwLock<Arc<Snapshot>>,
    reload: tokio::sync::Mutex<()>,
    notified: AtomicBool,
    last_check: Mutex<Instant>,
    /// The process's commit count at the last check: a write made here is seen by the next request.
    seen_commits: std::sync::atomic::AtomicU64,
    /// SQLite: length and modification time of the `-wal` file at the last check.
    wal_seen: Mutex<Option<(u64, SystemTime)>>,
}

impl TenantCache {
    /// Loads the first snapshot; on PostgreSQL also starts the listener.
    ///
    /// # Errors
    /// A database failure.
    pub async fn load(db: Db) -> DbResult<Arc<Self>> {
        let snapshot = load_snapshot(&db).await?;
        let cache = Arc::new(Self {
            db,
            current: RwLock::new(Arc::new(snapshot)),
            reload: tokio::sync::Mutex::new(()),
            notified: AtomicBool::new(false),
            last_check: Mutex::new(Instant::now()),
            seen_commits: std::sync::atomic::AtomicU64::new(0),
            wal_seen: Mutex::new(None),
        });
        if cache.db.backend() == Backend::Postgres {
            tokio::spawn(listen(Arc::downgrade(&cache)));
        }
        Ok(cache)
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The current snapshot, reloaded first if another process (or this one) changed tenant data.
    ///
    /// # Errors
    /// A database failure.
    pub async fn get(&self) -> DbResult<Arc<Snapshot>> {
        let snap = self.snapshot();
        if !self.should_check() {
            return Ok(snap);
        }
        let (version,): (i64,) = self
            .db
            .fetch_optional(
                &Query::select()
                    .column("version")
                    .from("core_cache_version")
                    .to_owned(),
            )
            .await?
            .unwrap_or((0,));
        if version == snap.version {
            return Ok(snap);
        }
        let _guard = self.reload.lock().await;
        let snap = self.snapshot();
        if snap.version >= version {
            return Ok(snap);
        }
        let fresh = Arc::new(load_snapshot(&self.db).await?);
        if let Ok(mut w) = self.current.write() {
            *w = fresh.clone();
        }
        Ok(fresh)
    }

    fn should_check(&self) -> bool {
        if self.notified.swap(false, Ordering::SeqCst) {
            return true;
        }
        let commits = self.db.commit_count();
        if self.seen_commits.swap(commits, Ordering::SeqCst) != commits {
            return true;
        }
        if self.db.backend() == Backend::Sqlite && self.wal_changed() {
            return true;
        }
        let Ok(mut last) = self.last_check.lock() else {
            return true;
        };
        if last.elapsed() >= FALLBACK_CHECK {
            *last = Instant::now();
            true
        } else {
            false
        }
    }

    /// True when another connection may have written the SQLite database
    /// since the last call: its `-wal` file changed (or cannot be read, or
    /// the database is in memory).
    fn wal_changed(&self) -> bool {
        let Some(file) = self.db.sqlite_file() else {
            return true;
        };
        let mut wal = file.as_os_str().to_owned();
        wal.push("-wal");
        let now = std::fs::metadata(&wal)
            .and_then(|m| Ok((m.len(), m.modified()?)))
            .ok();
        let Ok(mut seen) = self.wal_seen.lock() else {
            return true;
        };
        if now.is_none() || *seen != now {
            *seen = now;
            return true;
        }
        false
    }
}

async fn listen(cache: Weak<TenantCache>) {
    loop {
        let Some(pool) = cache.upgrade().and_then(|c| c.db.pg_pool().cloned()) else {
            return;
        };
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if listener.listen(CHANNEL).await.is_err() {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        loop {
            let got = listener.try_recv().await;
            let Some(cache) = cache.upgrade() else { return };
            cache.notified.store(true, Ordering::SeqCst);
            match got {
                Ok(Some(_)) => {}
                // The connection dropped: the flag above makes the next request check.
                Ok(None) => {}
                Err(_) => break,
            }
        }
    }
}

#[derive(sqlx::FromRow)]
struct TenantRow {
    id: i64,
    code: String,
    name: String,
    default_language: String,
    address_form: String,
    theme: String,
    parent_id: Option<i64>,
    support_email: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    brand_inherit: bool,
    brand_primary: Option<String>,
    brand_primary_text: Option<String>,
    brand_secondary: Option<String>,
    brand_secondary_text: Option<String>,
    brand_logo: Option<String>,
    brand_favicon: Option<String>,
    mail_from_name: Option<String>,
    mail_from_address: Option<String>,
    mail_reply_to: Option<String>,
}
crate::from_sqlite! {
    TenantRow { id, code, name, default_language, address_form, theme, parent_id, support_email,
        website, phone, brand_inherit, brand_primary, brand_primary_text, brand_secondary,
        brand_secondary_text, brand_logo, brand_favicon, mail_from_name, mail_from_address,
        mail_reply_to }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    tenant_id: i64,
    page: String,
    kind: String,
    body_html: String,
    body_html_en: String,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    MessageRow { id, tenant_id, page, kind, body_html, body_html_en, starts_at, ends_at }
}

/// Every tenant with its URLs, modules, settings and messages: the one
/// read of the cache, across tenants by design.
async fn load_snapshot(db: &Db) -> DbResult<Snapshot> {
    let (version,): (i64,) = db
        .fetch_optional(
            &Query::select()
                .column("version")
                .from("core_cache_version")
                .to_owned(),
        )
        .await?
        .unwrap_or((0,));
    let rows: Vec<TenantRow> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns([
                    "id",
                    "code",
                    "name",
                    "default_language",
                    "address_form",
                    "theme",
                    "parent_id",
                    "support_email",
                    "website",
                    "phone",
                    "brand_inherit",
                    "brand_primary",
                    "brand_primary_text",
                    "brand_secondary",
                    "brand_secondary_text",
                    "brand_logo",
                    "brand_favicon",
                    "mail_from_name",
                    "mail_from_address",
                    "mail_reply_to",
                ])
                .from("core_tenants")
                .order_by("id", Order::Asc)
                .to_owned(),
        )
        .await?;
    let urls: Vec<(i64, String, String, bool)> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns(["tenant_id", "url", "host", "is_primary"])
                .from("core_tenant_urls")
                .order_by("is_primary", Order::Desc)
                .order_by("id", Order::Asc)
                .to_owned(),
        )
        .await?;
    let modules: Vec<(i64, String)> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns(["tenant_id", "module"])
                .from("core_tenant_modules")
                .to_owned(),
        )
        .await?;
    let settings: Vec<(i64, String, String, String)> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns(["tenant_id", "module", "key", "value"])
                .from("core_tenant_settings")
                .to_owned(),
        )
        .await?;
    let messages: Vec<MessageRow> = db
        .fetch_all_across_tenants(
            &Query::select()
                .columns([
                    "id",
                    "tenant_id",
                    "page",
                    "kind",
                    "body_html",
                    "body_html_en",
                    "starts_at",
                    "ends_at",
                ])
                .from("core_page_messages")
                .and_where(
                    Expr::col("ends_at")
                        .is_null()
                        .or(Expr::col("ends_at").gt(Utc::now())),
                )
                .order_by("id", Order::Asc)
                .to_owned(),
        )
        .await?;

    let own: HashMap<i64, (Branding, bool, Option<i64>)> = rows
        .iter()
        .map(|r| {
            let b = Branding {
                primary: r.brand_primary.clone(),
                primary_text: r.brand_primary_text.clone(),
                secondary: r.brand_secondary.clone(),
                secondary_text: r.brand_secondary_text.clone(),
                logo: r.brand_logo.clone(),
                favicon: r.brand_favicon.clone(),
            };
            (r.id, (b, r.brand_inherit, r.parent_id))
        })
        .collect();

    let mut snapshot = Snapshot {
        version,
        ..Snapshot::default()
    };
    for r in rows {
        let own_branding = own.get(&r.id).map(|o| o.0.clone()).unwrap_or_default();
        let tenant = Tenant {
            id: r.id,
            branding: effective_branding(r.id, &own),
            own_branding,
            brand_inherit: r.brand_inherit,
            default_language: Lang::parse(&r.default_language).unwrap_or(Lang::Nl),
            address_form: AddressForm::parse(&r.address_form).unwrap_or(AddressForm::Formal),
            theme: r.theme,
            parent_id: r.parent_id,
            contact: Contact {
                support_email: r.support_email,
                website: r.website,
                phone: r.phone,
            },
            urls: urls
                .iter()
                .filter(|u| u.0 == r.id)
                .map(|u| PortalUrl {
                    url: u.1.clone(),
                    host: u.2.clone(),
                })
                .collect(),
            modules: modules
                .iter()
                .filter(|m| m.0 == r.id)
                .map(|m| m.1.clone())
                .collect::<BTreeSet<_>>(),
            settings: settings.iter().filter(|s| s.0 == r.id).fold(
                BTreeMap::<String, BTreeMap<String, String>>::new(),
                |mut all, s| {
                    all.entry(s.1.clone())
                        .or_default()
                        .insert(s.2.clone(), s.3.clone());
                    all
                },
            ),
            messages: messages
                .iter()
                .filter(|m| m.tenant_id == r.id)
                .map(|m| PageMessage {
                    id: m.id,
                    page: m.page.clone(),
                    kind: MessageKind::parse(&m.kind).unwrap_or(MessageKind::Neutral),
                    // Sanitised on save; again here, on the way out.
                    html: sanitise(&m.body_html),
                    html_en: sanitise(&m.body_html_en),
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                })
                .collect(),
            mail_from_name: r.mail_from_name,
            mail_from_address: r.mail_from_address,
            mail_reply_to: r.mail_reply_to,
            code: r.code,
            name: r.name,
        };
        let index = snapshot.tenants.len();
        for u in &tenant.urls {
            snapshot.by_host.insert(u.host.clone(), index);
        }
        snapshot.by_code.insert(tenant.code.clone(), index);
        snapshot.tenants.push(Arc::new(tenant));
    }
    Ok(snapshot)
}

/// Own branding, with unset values from the parent chain while inheriting.
fn effective_branding(id: i64, own: &HashMap<i64, (Branding, bool, Option<i64>)>) -> Branding {
    let Some((mut b, mut inherit, mut parent)) = own.get(&id).cloned() else {
        return Branding::default();
    };
    let mut seen = vec![id];
    while inherit {
        let Some(pid) = parent.filter(|p| !seen.contains(p)) else {
            break;
        };
        let Some((pb, pinherit, pparent)) = own.get(&pid) else {
            break;
        };
        b = b.inherit_from(pb);
        seen.push(pid);
        (inherit, parent) = (*pinherit, *pparent);
    }
    b
}
