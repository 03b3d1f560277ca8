//! `portal backup` and `portal restore`: a consistent copy of a live SQLite
//! database and of the local blob store in one tar file, and back.
//!
//! The database is copied first, with `VACUUM INTO` on a read connection:
//! one consistent moment, while the portal keeps writing. Then the blobs
//! that copy refers to (every declared blob column) are read from the
//! store into the archive; blobs are written before the rows that name
//! them, so each is there, unless the sweeper removed it after its row was
//! deleted in the seconds in between (then it is counted as missing, and
//! the restored row has no file, as it would have a moment later anyway).
//!
//! The archive holds `portal-backup.json` (what it is), `portal.db` and
//! `files/<key>`. A restore unpacks it beside the data, checks it (the
//! manifest, every path, `PRAGMA quick_check`), then moves the current
//! database and files aside into `before-restore-<time>/` (nothing is
//! lost) and the restored ones into place. Stop the portal before a
//! restore. PostgreSQL is backed up with `pg_dump` (README, "Operations").

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use crate::db::{Db, DbError, DbOptions};
use crate::files::{BlobError, BlobStore, referenced_keys};
use crate::module::Registry;

/// The archive format; a restore refuses another.
pub const FORMAT: u32 = 1;
const MANIFEST: &str = "portal-backup.json";
const DATABASE: &str = "portal.db";

/// What went wrong, for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "this portal runs on PostgreSQL: back it up with pg_dump (pg_dump -Fc -f portal.dump \"$DATABASE_URL\") and the blob store with the bucket's own tools; see the README's operations section"
    )]
    Postgres,
    #[error("{0} exists already; choose another file")]
    Exists(PathBuf),
    #[error(
        "a database exists at {0}; pass --force to replace it (the current database and files are then kept in before-restore-<time>/)"
    )]
    WouldReplace(PathBuf),
    #[error("{path} is not a portal backup: {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error("the backup's database is damaged: {0}")]
    Damaged(String),
    #[error(
        "this backup was made by portal {made_by}, newer than this portal ({this}): its database may hold changes this version does not know; restore it with portal {made_by} or newer"
    )]
    NewerPortal { made_by: String, this: &'static str },
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("files: {0}")]
    Blob(#[from] BlobError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a backup holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub portal_version: String,
    pub database_bytes: u64,
    pub files: usize,
    pub file_bytes: u64,
    /// Referenced by the copied database but gone from the store by the
    /// time they were read (see the module documentation).
    pub files_missing: usize,
    /// True when the files live in an S3-compatible bucket and are not in
    /// the archive.
    pub files_in_bucket: bool,
}

fn partial(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Writes a backup of the live portal to `out` (a new file).
///
/// # Errors
/// PostgreSQL, an existing `out`, or a database, storage or file failure;
/// nothing is left at `out` then.
pub async fn backup(
    db: &Db,
    blobs: &BlobStore,
    registry: &Registry,
    out: &Path,
) -> Result<Manifest, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    let copy = partial(out, ".db.partial");
    let tar_path = partial(out, ".partial");
    let result = write_backup(db, blobs, registry, out, &copy, &tar_path).await;
    let _ = std::fs::remove_file(&copy);
    if result.is_err() {
        let _ = std::fs::remove_file(&tar_path);
    }
    result
}

async fn write_backup(
    db: &Db,
    blobs: &BlobStore,
    registry: &Registry,
    out: &Path,
    copy: &Path,
    tar_path: &Path,
) -> Result<Manifest, BackupError> {
    let _ = std::fs::remove_file(copy);
    if !db.sqlite_copy_to(copy).await? {
        return Err(BackupError::Postgres);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(copy, std::fs::Permissions::from_mode(0o600))?;
    }
    let database_bytes = std::fs::metadata(copy)?.len();
    // What the copy refers to, read from the copy itself.
    let keys = {
        let snapshot = Db::connect(
            &format!("sqlite://{}", copy.display()),
            DbOptions::default(),
        )
        .await?;
        let keys = referenced_keys(&snapshot, registry).await?;
        snapshot.close().await;
        keys
    };
    let _ = std::fs::remove_file(tar_path);
    let mut builder = tar::Builder::new(BufWriter::new(private_file(tar_path)?));
    builder.append_path_with_name(copy, DATABASE)?;
    let mut manifest = Manifest {
        format: FORMAT,
        created_at: chrono::Utc::now(),
        portal_version: env!("CARGO_PKG_VERSION").to_string(),
        database_bytes,
        files: 0,
        file_bytes: 0,
        files_missing: 0,
        files_in_bucket: !matches!(blobs, BlobStore::Local { .. }),
    };
    if !manifest.files_in_bucket {
        let mut sorted: Vec<&String> = keys.iter().collect();
        sorted.sort();
        for key in sorted {
            match blobs.get(key).await? {
                Some(bytes) => {
                    append_bytes(&mut builder, &format!("files/{key}"), &bytes)?;
                    manifest.files += 1;
                    manifest.file_bytes += bytes.len() as u64;
                }
                None => manifest.files_missing += 1,
            }
        }
    }
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    append_bytes(&mut builder, MANIFEST, &json)?;
    let mut w = builder.into_inner()?;
    w.flush()?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(tar_path, out)?;
    Ok(manifest)
}

fn append_bytes<W: std::io::Write>(
    b: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(bytes.len() as u64);
    h.set_mode(0o600);
    h.set_mtime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    );
    h.set_cksum();
    b.append_data(&mut h, name, bytes)
}

/// Where a restore puts things: the SQLite file and, for the local blob
/// store, its folder.
#[derive(Debug, Clone)]
pub struct Target {
    pub database: PathBuf,
    pub files: Option<PathBuf>,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the replaced database and files were moved; `None` when there
    /// was nothing to replace.
    pub kept_in: Option<PathBuf>,
}

/// Restores a backup made by [`backup`] into `target`. The portal must be
/// stopped. An existing database is replaced only with `force`, and is then
/// moved aside, not deleted.
///
/// # Errors
/// Not a backup (or a damaged one), an existing database without `force`,
/// or a file failure; the current data is untouched in every such case
/// (moves already made are undone).
pub async fn restore(
    archive: &Path,
    target: &Target,
    force: bool,
) -> Result<Restored, BackupError> {
    let dir = target
        .database
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    if target.database.exists() && !force {
        return Err(BackupError::WouldReplace(target.database.clone()));
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    let staging = dir.join(format!("restore-{stamp}.partial"));
    let result = unpack_and_check(archive, &staging).await;
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Nothing is lost: what is there now moves aside first, and if any
    // step fails every move made is undone (a rename across file systems,
    // say, when the database lives elsewhere than the files).
    let kept = dir.join(format!("before-restore-{stamp}"));
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut plan: Vec<(PathBuf, PathBuf)> = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let from = partial(&target.database, suffix);
        if from.exists() {
            plan.push((from, kept.join(format!("{DATABASE}{suffix}"))));
        }
    }
    if let Some(files) = &target.files
        && files.exists()
    {
        plan.push((files.clone(), kept.join("files")));
    }
    let moved_any = !plan.is_empty();
    plan.push((staging.join(DATABASE), target.database.clone()));
    if let Some(files) = &target.files {
        let restored = staging.join("files");
        if !restored.exists() {
            std::fs::create_dir_all(&restored)?;
        }
        plan.push((restored, files.clone()));
    }
    let outcome = (|| -> std::io::Result<()> {
        if moved_any {
            std::fs::create_dir_all(&kept)?;
        }
        for (from, to) in &plan {
            std::fs::rename(from, to)?;
            moves.push((from.clone(), to.clone()));
        }
        Ok(())
    })();
    if let Err(e) = outcome {
        for (from, to) in moves.iter().rev() {
            let _ = std::fs::rename(to, from);
        }
        let _ = std::fs::remove_dir(&kept);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e.into());
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(Restored {
        manifest,
        kept_in: moved_any.then_some(kept),
    })
}

/// Writes an entry's bytes to a new file readable by its owner only (the
/// header's mode, owner and link fields are ignored).
fn copy_out(entry: &mut impl std::io::Read, to: &Path) -> std::io::Result<()> {
    let mut out = private_file(to)?;
    std::io::copy(entry, &mut out)?;
    out.sync_all()
}

/// A new file that only its owner can read: a backup holds password
/// hashes and personal data.
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o.open(path)
}

/// `1.2.3` (a pre-release suffix ignored) as numbers that compare in order.
fn version(v: &str) -> Option<Vec<u64>> {
    let core = v.split(['-', '+']).next()?;
    core.split('.').map(|n| n.parse().ok()).collect()
}

async fn unpack_and_check(archive: &Path, staging: &Path) -> Result<Manifest, BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup {
        path: archive.to_path_buf(),
        why,
    };
    std::fs::create_dir_all(staging)?;
    let mut ar = tar::Archive::new(BufReader::new(File::open(archive)?));
    let mut manifest: Option<Manifest> = None;
    let mut seen_db = false;
    let mut files: HashSet<String> = HashSet::new();
    let entries = ar.entries().map_err(|e| not_a_backup(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| not_a_backup(e.to_string()))?;
        // Only plain files: a link in an archive could make a later entry
        // (or a blob the portal serves) point outside the data folder.
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(not_a_backup(format!(
                "it holds a {:?} entry; a portal backup holds plain files only",
                entry.header().entry_type()
            )));
        }
        let name = entry
            .path()
            .map_err(|e| not_a_backup(e.to_string()))?
            .to_string_lossy()
            .to_string();
        if name == MANIFEST {
            let m: Manifest = serde_json::from_reader(&mut entry)
                .map_err(|e| not_a_backup(format!("its manifest does not read: {e}")))?;
            manifest = Some(m);
        } else if name == DATABASE {
            copy_out(&mut entry, &staging.join(DATABASE))?;
            seen_db = true;
        } else if let Some(key) = name.strip_prefix("files/")
            && BlobStore::valid_key(key)
        {
            let to = staging.join("files").join(key);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            copy_out(&mut entry, &to)?;
            files.insert(key.to_string());
        } else {
            return Err(not_a_backup(format!("it holds {name:?}")));
        }
    }
    let manifest = manifest.ok_or_else(|| not_a_backup("no manifest".into()))?;
    if manifest.format != FORMAT {
        return Err(not_a_backup(format!(
            "format {} (this portal reads format {FORMAT})",
            manifest.format
        )));
    }
    let this = env!("CARGO_PKG_VERSION");
    match (version(&manifest.portal_version), version(this)) {
        (Some(made), Some(own)) if made > own => {
            return Err(BackupError::NewerPortal {
                made_by: manifest.portal_version,
                this,
            });
        }
        (Some(_), _) => {}
        (None, _) => {
            return Err(not_a_backup(format!(
                "its portal version {:?} does not read",
                manifest.portal_version
            )));
        }
    }
    if !seen_db {
        return Err(not_a_backup("no database".into()));
    }
    if files.len() != manifest.files {
        return Err(not_a_backup(format!(
            "{} files where its manifest says {}",
            files.len(),
            manifest.files
        )));
    }
    let db = Db::connect(
        &format!("sqlite://{}", staging.join(DATABASE).display()),
        DbOptions::default(),
    )
    .await?;
    let check = db.sqlite_check().await?.unwrap_or_default();
    db.close().await;
    if check != "ok" {
        return Err(BackupError::Damaged(check));
    }
    Ok(manifest)
}
