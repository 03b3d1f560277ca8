//! [`Deps`]: what domain code of core and of modules uses of the process.
//!
//! Domain functions (the account flows, a module's writes, demo data) take
//! these handles instead of the whole `AppState`, so they import nothing
//! from the app, web or API layers and a test can build them from parts.

use std::sync::Arc;

use crate::auth::password::Hasher;
use crate::background::Background;
use crate::db::Db;
use crate::files::BlobStore;
use crate::mail::Mailer;
use crate::web::i18n::Texts;

/// The process's shared handles that domain code uses: no configuration,
/// no registry, no renderer, no secret. Cheap to clone (a pool handle and
/// `Arc`s), so work that outlives a request owns one.
#[derive(Debug, Clone)]
pub struct Deps {
    pub db: Db,
    /// argon2 off the executor, bounded to the cores.
    pub hasher: Arc<Hasher>,
    /// Queues mails inside the caller's transaction; woken after commit.
    pub mailer: Arc<Mailer>,
    /// Work a request starts but does not wait for.
    pub background: Arc<Background>,
    /// Uploaded and generated files.
    pub blobs: BlobStore,
    /// Core's and the modules' texts, for words a mail or a stored row shows.
    pub texts: Arc<Texts>,
    /// The operator's cap on one form (`web.max_form_bytes`), so a module's
    /// own upload limits stay below it and the user gets the module's message.
    pub max_form_bytes: usize,
}
