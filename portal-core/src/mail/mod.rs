//! Mail: tenant-editable templates with placeholders in the seed's syntax,
//! a transactional outbox, and delivery with retry.
//!
//! Code that causes a mail calls [`Mailer::enqueue`] inside its own
//! transaction: the mail is rendered then and written to `mail_outbox`, so
//! a rolled-back change sends nothing and a committed one always sends. A
//! worker per process ([`Mailer::run_worker`]) delivers what is due; nothing
//! is ever sent inside a request.
//!
//! Layout:
//! - `kind.rs`: what a mail declares (key, placeholders, defaults)
//! - `template.rs`: the `{placeholder}` syntax, checks, rendering with minijinja
//! - `store.rs`: tenant overrides per key, language and form of address
//! - `sanitise.rs`: the HTML a template and a rendered mail may contain
//! - `outbox.rs`: the outbox table: insert, claim with a lease, results
//! - `send.rs`: SMTP (lettre) or the development mailbox

pub mod kind;
pub mod outbox;
mod sanitise;
mod send;
pub mod store;
pub mod template;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;

pub use kind::{MailDefault, MailKind, Placeholder, PlaceholderKind};
pub use send::{Transport, build_message};
pub use template::{MailValue, MailValues, Rendered, TemplateError, TemplateText};

use crate::config::{Config, MailConfig};
use crate::db::{Db, DbError, Tx};
use crate::module::Registry;
use crate::tenant::{AddressForm, Lang, Tenant};
use outbox::NewMail;
use send::SendError;

/// Who a mail goes to, and in which language and form of address (each
/// defaults to the tenant's setting; seed 003 chooses the form per dossier).
#[derive(Debug, Clone)]
pub struct Recipient {
    pub address: String,
    pub name: String,
    pub lang: Option<Lang>,
    pub form: Option<AddressForm>,
}

/// Why a mail could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("no mail {0:?} is declared")]
    UnknownKind(String),
    #[error("{0:?} is not an e-mail address")]
    BadAddress(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// In a handler a mail that cannot be queued is a 500 (the detail is
/// logged): the caller checked addresses and templates before.
impl poem::error::ResponseError for MailError {
    fn status(&self) -> poem::http::StatusCode {
        poem::http::StatusCode::INTERNAL_SERVER_ERROR
    }
}

/// The test mail staff can send from the template editor.
pub const CORE_TEST_MAIL: MailKind = MailKind {
    key: "core.test",
    label_nl: "Testbericht",
    label_en: "Test message",
    // Only core's common placeholders (tenant name, portal address).
    placeholders: &[],
    defaults: &[
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Formal,
            subject: "Testbericht van {tenant.name}",
            html: "",
            text: "Beste lezer,\n\nDit is een testbericht van het klantportaal van {tenant.name}. U vindt het portaal op {special.consumerportal_url}.\n\nMet vriendelijke groet,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::Nl,
            form: AddressForm::Informal,
            subject: "Testbericht van {tenant.name}",
            html: "",
            text: "Hoi,\n\nDit is een testbericht van het klantportaal van {tenant.name}. Je vindt het portaal op {special.consumerportal_url}.\n\nGroeten,\n{tenant.name}",
        },
        MailDefault {
            lang: Lang::En,
            form: AddressForm::Formal,
            subject: "Test message from {tenant.name}",
            html: "",
            text: "Dear reader,\n\nThis is a test message from the customer portal of {tenant.name}. You will find the portal at {special.consumerportal_url}.\n\nKind regards,\n{tenant.name}",
        },
    ],
};

/// Core's own mails.
pub const CORE_MAILS: &[MailKind] = &[CORE_TEST_MAIL];

/// Core's mails and its components' (`auth.*`).
fn core_kinds() -> impl Iterator<Item = &'static MailKind> {
    CORE_MAILS
        .iter()
        .chain(crate::auth::mails::AUTH_MAILS.iter())
}

/// Placeholders core fills in for every mail ([`kind::COMMON_PLACEHOLDERS`]).
const AUTO_TENANT_NAME: &str = kind::TENANT_NAME.name;
const AUTO_PORTAL_URL: &str = kind::PORTAL_URL.name;

/// Mail kinds, configuration and the worker's wake-up call; one per process.
pub struct Mailer {
    kinds: BTreeMap<&'static str, &'static MailKind>,
    /// The modules by name, for their account mails (`Hooks::account_mail`).
    modules: BTreeMap<&'static str, &'static crate::module::Module>,
    config: MailConfig,
    transport: Transport,
    /// The tenant portal URL when it set none: its development address.
    dev_url: (String, String),
    wake: Notify,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .field("transport", &self.transport)
            .finish()
    }
}

impl Mailer {
    /// Collects core's and the modules' mails.
    ///
    /// # Errors
    /// Two mails with one key, or an SMTP transport that cannot be set up.
    pub fn new(registry: &Registry, config: &Config) -> Result<Self, String> {
        let mut kinds = BTreeMap::new();
        for k in core_kinds().chain(registry.iter().flat_map(|m| m.mails().iter())) {
            if kinds.insert(k.key, k).is_some() {
                return Err(format!("mail key {} is declared twice", k.key));
            }
        }
        let port = config.bind.rsplit(':').next().unwrap_or("8080").to_string();
        Ok(Self {
            kinds,
            modules: registry.iter().map(|m| (m.name(), m)).collect(),
            transport: Transport::from_config(&config.mail)?,
            config: config.mail.clone(),
            dev_url: (config.web.dev_domain.clone(), port),
            wake: Notify::new(),
        })
    }

    /// The module mail an account's link goes out as, if an enabled module
    /// owns it (the first by module name).
    ///
    /// # Errors
    /// A database failure.
    pub async fn account_mail(
        &self,
        cx: &crate::module::AccountMailCx<'_>,
    ) -> Result<Option<crate::module::AccountMail>, DbError> {
        for (name, m) in &self.modules {
            if cx.tenant.has_module(name)
                && let Some(mail) = m.account_mail(cx).await?
            {
                return Ok(Some(mail));
            }
        }
        Ok(None)
    }

    pub fn kind(&self, key: &str) -> Option<&'static MailKind> {
        self.kinds.get(key).copied()
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static MailKind> + '_ {
        self.kinds.values().copied()
    }

    /// True when mail stays in the portal's development mailbox.
    pub fn is_mailbox(&self) -> bool {
        matches!(self.transport, Transport::Mailbox)
    }

    /// True when `/mailbox` shows that mail (development and demos only).
    pub fn mailbox_pages(&self) -> bool {
        self.is_mailbox() && self.config.mailbox_pages
    }

    /// Test mails a tenant may still send this hour (shared by every process).
    ///
    /// # Errors
    /// A database failure.
    pub async fn test_mails_left(&self, db: &Db, tenant: &Tenant) -> Result<u32, DbError> {
        let since = Utc::now() - chrono::Duration::hours(1);
        let n = outbox::count_tests_since(db, tenant.scope(), since).await?;
        Ok(self
            .config
            .test_mails_per_hour
            .saturating_sub(u32::try_from(n).unwrap_or(u32::MAX)))
    }

    /// The address links in mails use: the tenant's portal URL, never the
    /// request's Host (SECURITY.md 16); in development its dev address.
    pub fn portal_url(&self, tenant: &Tenant) -> String {
        match tenant.urls.first() {
            Some(u) => u.url.clone(),
            None => format!(
                "http://{}.{}:{}",
                tenant.code, self.dev_url.0, self.dev_url.1
            ),
        }
    }

    /// Renders a mail for `to` (override or default template, in the
    /// recipient's language and form) without queueing it.
    ///
    /// # Errors
    /// An unknown key, a database or template failure.
    pub async fn render_in(
        &self,
        tx: &mut Tx,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
        values: &MailValues,
    ) -> Result<Rendered, MailError> {
        let (kind, lang, form) = self.kind_for(tenant, key, to)?;
        let t = store::effective_in(tx, tenant.scope(), kind, lang, form).await?;
        Ok(template::render_blocking(kind, t, self.with_auto_values(kind, tenant, values)).await?)
    }

    /// The mail's kind, and the language and form of address it is
    /// written in for `to`.
    fn kind_for(
        &self,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
    ) -> Result<(&'static MailKind, Lang, AddressForm), MailError> {
        let kind = self
            .kind(key)
            .ok_or_else(|| MailError::UnknownKind(key.to_string()))?;
        Ok((
            kind,
            to.lang.unwrap_or(tenant.default_language),
            to.form.unwrap_or(tenant.address_form),
        ))
    }

    /// Sets the values core knows (tenant name, portal URL), whatever the
    /// caller or the examples gave: links always lead to the tenant's own portal.
    pub fn with_auto_values(
        &self,
        kind: &MailKind,
        tenant: &Tenant,
        values: &MailValues,
    ) -> MailValues {
        let mut v = values.clone();
        if kind.placeholder(AUTO_TENANT_NAME).is_some() {
            v = v.text(AUTO_TENANT_NAME, tenant.name.clone());
        }
        if kind.placeholder(AUTO_PORTAL_URL).is_some() {
            v = v.text(AUTO_PORTAL_URL, self.portal_url(tenant));
        }
        v
    }

    /// Queues a mail inside the caller's transaction; it is sent after the
    /// transaction commits (and never if it rolls back).
    ///
    /// # Errors
    /// An unknown key, a malformed address, a template or database failure.
    pub async fn enqueue(
        &self,
        tx: &mut Tx,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
        values: &MailValues,
    ) -> Result<i64, MailError> {
        self.enqueue_as(tx, tenant, key, to, values, false).await
    }

    /// As [`Mailer::enqueue`], marked as a test mail sent by staff.
    ///
    /// # Errors
    /// As [`Mailer::enqueue`].
    /// A template (saved or not) rendered with the kind's example values,
    /// cleaned and checked exactly as saving would: what would be sent.
    /// `count` picks the example's number (a plural in seed 003's texts).
    ///
    /// # Errors
    /// The template's errors by part, as saving would refuse them.
    pub async fn preview(
        &self,
        kind: &'static MailKind,
        tenant: &Tenant,
        t: &template::TemplateText,
        count: i64,
    ) -> Result<template::Rendered, Vec<template::TemplateError>> {
        let t = store::prepare(kind, t)?;
        let values = self.with_auto_values(kind, tenant, &MailValues::examples(kind, count));
        template::render_blocking(kind, t, values)
            .await
            .map_err(|e| vec![e])
    }

    /// Queues a test mail of `kind`'s saved template with its example
    /// values to `to`, within the tenant's hourly test-mail budget.
    /// `Ok(None)` when the budget is used up.
    ///
    /// # Errors
    /// A malformed address, a template or database failure.
    pub async fn send_test(
        &self,
        db: &Db,
        tenant: &Tenant,
        kind: &MailKind,
        to: &Recipient,
    ) -> Result<Option<i64>, MailError> {
        if self.test_mails_left(db, tenant).await? == 0 {
            return Ok(None);
        }
        let mut tx = db.begin().await?;
        let id = self
            .enqueue_test(
                &mut tx,
                tenant,
                kind.key,
                to,
                &MailValues::examples(kind, 1),
            )
            .await?;
        tx.commit().await?;
        self.wake();
        Ok(Some(id))
    }

    pub async fn enqueue_test(
        &self,
        tx: &mut Tx,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
        values: &MailValues,
    ) -> Result<i64, MailError> {
        self.enqueue_as(tx, tenant, key, to, values, true).await
    }

    async fn enqueue_as(
        &self,
        tx: &mut Tx,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
        values: &MailValues,
        is_test: bool,
    ) -> Result<i64, MailError> {
        let address = checked_address(to)?;
        let r = self.render_in(tx, tenant, key, to, values).await?;
        let mail = self.new_mail(tenant, key, address, to, r, is_test);
        Ok(outbox::insert(tx, tenant.scope(), &mail).await?)
    }

    /// Renders a mail before the change that sends it begins, so that no
    /// write transaction waits for a render (issue 22, finding 1): read the
    /// template, render it off the executor, then
    /// [`Mailer::enqueue_prepared`] inside the transaction.
    ///
    /// # Errors
    /// An unknown key, a malformed address, a template or database failure.
    pub async fn prepare(
        &self,
        db: &Db,
        tenant: &Tenant,
        key: &str,
        to: &Recipient,
        values: &MailValues,
    ) -> Result<NewMail, MailError> {
        let address = checked_address(to)?;
        let (kind, lang, form) = self.kind_for(tenant, key, to)?;
        let t = store::effective_to_send(db, tenant.scope(), kind, lang, form).await?;
        let r =
            template::render_blocking(kind, t, self.with_auto_values(kind, tenant, values)).await?;
        Ok(self.new_mail(tenant, key, address, to, r, false))
    }

    /// Queues a mail made by [`Mailer::prepare`] inside the caller's
    /// transaction; it is sent after the commit.
    ///
    /// # Errors
    /// A database failure.
    pub async fn enqueue_prepared(
        &self,
        tx: &mut Tx,
        tenant: &Tenant,
        mail: &NewMail,
    ) -> Result<i64, MailError> {
        Ok(outbox::insert(tx, tenant.scope(), mail).await?)
    }

    fn new_mail(
        &self,
        tenant: &Tenant,
        key: &str,
        address: &str,
        to: &Recipient,
        r: Rendered,
        is_test: bool,
    ) -> NewMail {
        let from_address = tenant
            .mail_from_address
            .clone()
            .unwrap_or_else(|| self.config.from_address.clone());
        let from_name = tenant
            .mail_from_name
            .clone()
            .unwrap_or_else(|| tenant.name.clone());
        let domain = from_address
            .rsplit('@')
            .next()
            .unwrap_or("localhost")
            .to_string();
        NewMail {
            key: key.to_string(),
            to_address: address.to_string(),
            to_name: to.name.chars().filter(|c| !c.is_control()).collect(),
            from_address,
            from_name: from_name.chars().filter(|c| !c.is_control()).collect(),
            reply_to: tenant.mail_reply_to.clone(),
            subject: r.subject,
            html: r.html,
            text: r.text,
            message_id: format!("<{}@{domain}>", uuid::Uuid::new_v4().simple()),
            is_test,
        }
    }

    /// Tells the worker that mail is waiting (call after the commit).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn retry_at(&self, attempts: i64) -> Option<chrono::DateTime<Utc>> {
        if attempts >= i64::from(self.config.max_attempts) {
            return None;
        }
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
        let secs = self
            .config
            .retry_base_secs
            .saturating_mul(1u64 << exp)
            .min(3600);
        Some(Utc::now() + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(3600)))
    }

    /// One pass: claims due mails and delivers them; returns how many it handled.
    ///
    /// # Errors
    /// A database failure.
    pub async fn deliver_due(&self, db: &Db) -> Result<usize, DbError> {
        // One mail's lease outlasts every SMTP timeout of one delivery.
        let per_mail = chrono::Duration::seconds(
            i64::try_from(self.config.smtp_timeout_secs).unwrap_or(60) * 8 + 30,
        );
        let max = i64::from(self.config.max_attempts);
        let claim = outbox::claim(db, 10, per_mail * 10, max).await?;
        for m in &claim.mails {
            if !outbox::renew(db, m.id, &claim.token, per_mail).await? {
                tracing::warn!(
                    mail = m.id,
                    "mail lease lost to another worker; not sending it"
                );
                continue;
            }
            let sent = self.transport.send(m).await;
            if sent.is_err() {
                crate::metrics::count(|m| &m.mail_failures);
            }
            match sent {
                Ok(()) => outbox::mark_sent(db, m.id, &claim.token).await?,
                Err(SendError::Permanent(e)) => {
                    tracing::warn!(mail = m.id, key = %m.mail_key, error = %e, "mail refused for good");
                    outbox::mark_failed(db, m.id, &claim.token, &e, None).await?;
                }
                Err(SendError::Temporary(e)) => {
                    let retry = self.retry_at(m.attempts);
                    let why = if retry.is_none() {
                        format!("gave up after {} attempts: {e}", m.attempts)
                    } else {
                        e
                    };
                    tracing::info!(mail = m.id, key = %m.mail_key, error = %why, "mail not delivered yet");
                    outbox::mark_failed(db, m.id, &claim.token, &why, retry).await?;
                }
            }
        }
        Ok(claim.mails.len())
    }

    /// Delivers mail until the process ends: right after a wake-up, and at
    /// least every `poll_ms` (mail queued by other processes, retries).
    pub async fn run_worker(self: Arc<Self>, db: Db) {
        if self.is_mailbox() {
            tracing::warn!(
                "mail.transport = mailbox: mail stays in the portal (/mailbox) and is not sent"
            );
        }
        let poll = Duration::from_millis(self.config.poll_ms.max(50));
        loop {
            match self.deliver_due(&db).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mail worker: database failure"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }
}

/// The recipient's address, trimmed, when it is one a mail can go to.
fn checked_address(to: &Recipient) -> Result<&str, MailError> {
    let address = to.address.trim();
    if address.parse::<lettre::Address>().is_err() || address.chars().any(char::is_control) {
        return Err(MailError::BadAddress(to.address.clone()));
    }
    Ok(address)
}
