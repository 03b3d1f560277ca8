//! Passwords: argon2id with the crate's OWASP defaults, hashed off the
//! async executor behind a semaphore sized to the cores (so a burst of
//! logins never stalls page requests), and the tenant's password policy.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use argon2::{Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::{OnceCell, Semaphore};

/// A hashing failure (never a wrong password: that is [`Verified::Wrong`]).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The result of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// Right; `rehash` when the stored hash uses older parameters.
    Right {
        rehash: bool,
    },
    Wrong,
}

/// Runs argon2 on blocking threads, at most `permits` at once.
#[derive(Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the account is
    /// unknown so that "no such account" takes as long as "wrong password".
    dummy: OnceCell<String>,
    /// argon2 runs done (hashes and verifies): tests prove with it that an
    /// unknown account costs the same work as a known one.
    runs: std::sync::atomic::AtomicU64,
}

impl Hasher {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            dummy: OnceCell::new(),
            runs: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// One permit per core: hashing uses whole cores.
    pub fn for_this_machine() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    }

    /// How many argon2 runs this hasher has done.
    pub fn runs(&self) -> u64 {
        self.runs.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        // The permit moves into the blocking task: a request that goes away
        // mid-hash cannot free it while argon2 still runs.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        self.runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let out = f();
            drop(permit);
            out
        })
        .await
        .map_err(|e| HashError(e.to_string()))
    }

    /// Hashes a new password (argon2id, default parameters, random salt).
    ///
    /// # Errors
    /// The hashing thread failed.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let pw = password.as_bytes().to_vec();
        self.run(move || {
            Argon2::default()
                .hash_password(&pw)
                .map(|h| h.to_string())
                .map_err(|e| HashError(e.to_string()))
        })
        .await?
    }

    /// Checks `password` against `stored`; with `None` (unknown account, or
    /// no password set yet) it does the same work and answers `Wrong`.
    ///
    /// # Errors
    /// The hashing thread failed.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> Result<Verified, HashError> {
        let dummy = self
            .dummy
            .get_or_try_init(|| async {
                let random = super::new_secret();
                self.hash(&random).await
            })
            .await?
            .clone();
        let known = stored.is_some();
        let stored = stored.map_or(dummy, str::to_string);
        let pw = password.as_bytes().to_vec();
        self.run(move || {
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return Verified::Wrong;
            };
            let ok = Argon2::default().verify_password(&pw, &parsed).is_ok();
            if !(ok && known) {
                return Verified::Wrong;
            }
            let current = parsed.algorithm.as_str() == "argon2id"
                && Params::try_from(&parsed).is_ok_and(|p| p == Params::default());
            Verified::Right { rehash: !current }
        })
        .await
    }
}

/// Longest password accepted: long enough for any passphrase, short enough
/// that hashing it is no denial of service. Never truncated.
pub const MAX_LENGTH: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../assets/common-passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The tenant's rules for new passwords.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub min_length: usize,
    /// At least one upper-case letter, one digit and one symbol (seed 002).
    pub composition: bool,
}

/// Why a new password is refused; each maps to a text for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    TooShort { min: usize },
    TooLong { max: usize },
    Common,
    ContainsContext,
    NeedsUpper,
    NeedsDigit,
    NeedsSymbol,
    Mismatch,
}

impl PolicyError {
    /// The Fluent key of the message and its one number argument, if any.
    pub fn text_key(&self) -> (&'static str, Option<usize>) {
        match self {
            Self::TooShort { min } => ("pw-too-short", Some(*min)),
            Self::TooLong { max } => ("pw-too-long", Some(*max)),
            Self::Common => ("pw-common", None),
            Self::ContainsContext => ("pw-context", None),
            Self::NeedsUpper => ("pw-needs-upper", None),
            Self::NeedsDigit => ("pw-needs-digit", None),
            Self::NeedsSymbol => ("pw-needs-symbol", None),
            Self::Mismatch => ("pw-mismatch", None),
        }
    }
}

impl Policy {
    /// Checks a new password. `context` holds words that must not appear in
    /// it (tenant name, customer number, e-mail and its local part, user
    /// name); length counts characters, so spaces and emoji count as one.
    ///
    /// # Errors
    /// The first rule the password breaks.
    pub fn check(&self, password: &str, context: &[&str]) -> Result<(), PolicyError> {
        let len = password.chars().count();
        if len < self.min_length {
            return Err(PolicyError::TooShort {
                min: self.min_length,
            });
        }
        if len > MAX_LENGTH {
            return Err(PolicyError::TooLong { max: MAX_LENGTH });
        }
        let lower = password.to_lowercase();
        if COMMON.contains(lower.as_str()) || COMMON.contains(lower.trim()) {
            return Err(PolicyError::Common);
        }
        for word in context {
            let w = word.trim().to_lowercase();
            if w.chars().count() >= 3 && lower.contains(&w) {
                return Err(PolicyError::ContainsContext);
            }
        }
        if self.composition {
            if !password.chars().any(char::is_uppercase) {
                return Err(PolicyError::NeedsUpper);
            }
            if !password.chars().any(|c| c.is_ascii_digit()) {
                return Err(PolicyError::NeedsDigit);
            }
            if !password.chars().any(|c| !c.is_alphanumeric()) {
                return Err(PolicyError::NeedsSymbol);
            }
        }
        Ok(())
    }

    /// Checks a new password and its repetition.
    ///
    /// # Errors
    /// As [`Policy::check`], or [`PolicyError::Mismatch`].
    pub fn check_pair(
        &self,
        password: &str,
        repeat: &str,
        context: &[&str],
    ) -> Result<(), PolicyError> {
        self.check(password, context)?;
        if password == repeat {
            Ok(())
        } else {
            Err(PolicyError::Mismatch)
        }
    }
}
