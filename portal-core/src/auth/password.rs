//! Passwords: argon2id with the crate's OWASP defaults, hashed off the
//! async executor on a pool of its own, one thread per core, at the lowest
//! scheduling priority (so a burst of logins never stalls page requests:
//! the kernel runs page work first), and the tenant's password policy.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use argon2::{Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::{OnceCell, oneshot};

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

type Job = Box<dyn FnOnce() + Send>;

/// Runs argon2 on its own threads.
#[derive(Debug)]
pub struct Hasher {
    jobs: std::sync::mpsc::Sender<Job>,
    /// A hash of a random password, verified against when the account is
    /// unknown so that "no such account" takes as long as "wrong password".
    dummy: OnceCell<String>,
    /// argon2 runs done (hashes and verifies): tests prove with it that an
    /// unknown account costs the same work as a known one.
    runs: Arc<std::sync::atomic::AtomicU64>,
}

impl Hasher {
    /// A pool of `threads` hashing threads; they end when the hasher is dropped.
    pub fn new(threads: usize) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("portal-argon2-{i}"))
                .spawn(move || {
                    // Lowest priority: page requests (normal priority) go first.
                    if let Err(e) = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    ) {
                        tracing::debug!(error = ?e, "hashing thread keeps normal priority");
                    }
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Self {
            jobs: tx,
            dummy: OnceCell::new(),
            runs: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        }
    }

    /// One thread per core: at the lowest priority the hashing threads use
    /// what page requests leave (measured in `benches/login.rs`).
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
        let (tx, rx) = oneshot::channel();
        let runs = self.runs.clone();
        let job: Job = Box::new(move || {
            // The request went away while queued: skip the work.
            if tx.is_closed() {
                return;
            }
            runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let _ = tx.send(f());
        });
        self.jobs.send(job).map_err(|e| HashError(e.to_string()))?;
        rx.await.map_err(|e| HashError(e.to_string()))
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
        let known = stored.is_some();
        let stored = match stored {
            Some(s) => s.to_string(),
            // Made once, on the first unknown account.
            None => self
                .dummy
                .get_or_try_init(|| async {
                    let random = super::new_secret();
                    self.hash(&random).await
                })
                .await?
                .clone(),
        };
        let pw = password.as_bytes().to_vec();
        self.run(move || {
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return Verified::Wrong;
            };
            let ok = Argon2::default().verify_password(&pw, &parsed).is_ok();
            if !(ok && known) {
                return Verified::Wrong;
            }
            // The cost parameters decide (the parsed output length is always
            // set, the default's is not, so whole `Params` never compare equal).
            let d = Params::default();
            let current = parsed.algorithm.as_str() == "argon2id"
                && Params::try_from(&parsed).is_ok_and(|p| {
                    (p.m_cost(), p.t_cost(), p.p_cost()) == (d.m_cost(), d.t_cost(), d.p_cost())
                });
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

/// Dutch words the guessing-cost estimate treats as dictionary words.
static DUTCH: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../assets/dutch-password-words.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The least guessing-cost score a new password needs (zxcvbn's 0 to 4:
/// 3 is "safely unguessable": about 10^10 guesses).
pub const MIN_SCORE: u8 = 3;

/// What makes a password easy to guess, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// A (recent) year or a date.
    Year,
    /// A known word, name or password, perhaps with small changes.
    Word,
    /// A keyboard row, a repetition or a sequence.
    Pattern,
    /// Too little of it.
    Other,
}

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
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Common,
    ContainsContext,
    NeedsUpper,
    NeedsDigit,
    NeedsSymbol,
    /// Cheap to guess (a word with a year, a keyboard row; finding 7).
    Guessable(Weakness),
    Mismatch,
    /// The password breaks a rule and the repetition differs too: both
    /// fields say so at once, not one after the other.
    AndMismatch(Box<PolicyError>),
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
            Self::Guessable(Weakness::Year) => ("pw-weak-year", None),
            Self::Guessable(Weakness::Word) => ("pw-weak-word", None),
            Self::Guessable(Weakness::Pattern) => ("pw-weak-pattern", None),
            Self::Guessable(Weakness::Other) => ("pw-weak", None),
            Self::Mismatch => ("pw-mismatch", None),
            Self::AndMismatch(e) => e.text_key(),
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
        // The guessing cost, with Dutch words and this account's own
        // (tenant, e-mail, user name) as dictionary words.
        let mut words: Vec<&str> = context
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        words.extend(DUTCH.iter().copied());
        let estimate = zxcvbn::zxcvbn(password, &words);
        if u8::from(estimate.score()) < MIN_SCORE {
            use zxcvbn::feedback::Warning as W;
            let weakness = match estimate
                .feedback()
                .and_then(zxcvbn::feedback::Feedback::warning)
            {
                Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => Weakness::Year,
                Some(
                    W::ThisIsATop10Password
                    | W::ThisIsATop100Password
                    | W::ThisIsACommonPassword
                    | W::ThisIsSimilarToACommonlyUsedPassword
                    | W::AWordByItselfIsEasyToGuess
                    | W::NamesAndSurnamesByThemselvesAreEasyToGuess
                    | W::CommonNamesAndSurnamesAreEasyToGuess,
                ) => Weakness::Word,
                Some(
                    W::StraightRowsOfKeysAreEasyToGuess
                    | W::ShortKeyboardPatternsAreEasyToGuess
                    | W::RepeatsLikeAaaAreEasyToGuess
                    | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
                    | W::SequencesLikeAbcAreEasyToGuess,
                ) => Weakness::Pattern,
                _ => {
                    // No warning: say what the estimate saw most of.
                    let has_year = password.as_bytes().windows(4).any(|w| {
                        w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2')
                    });
                    if has_year {
                        Weakness::Year
                    } else {
                        Weakness::Other
                    }
                }
            };
            return Err(PolicyError::Guessable(weakness));
        }
        Ok(())
    }

    /// Checks a new password and its repetition.
    ///
    /// # Errors
    /// As [`Policy::check`], or [`PolicyError::Mismatch`], or both at once
    /// ([`PolicyError::AndMismatch`]).
    pub fn check_pair(
        &self,
        password: &str,
        repeat: &str,
        context: &[&str],
    ) -> Result<(), PolicyError> {
        match (self.check(password, context), password == repeat) {
            (Ok(()), true) => Ok(()),
            (Ok(()), false) => Err(PolicyError::Mismatch),
            (Err(e), true) => Err(e),
            (Err(e), false) => Err(PolicyError::AndMismatch(Box::new(e))),
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// The hashing threads run at the lowest priority (nice 19), so the
    /// kernel serves page requests first while logins are hashed.
    #[tokio::test]
    async fn hashing_threads_run_at_the_lowest_priority() {
        let h = super::Hasher::new(1);
        let hash = h.hash("een lange zin als wachtwoord").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let mut found = false;
        for task in std::fs::read_dir("/proc/self/task").unwrap() {
            let dir = task.unwrap().path();
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            if comm.trim() == "portal-argon2-0" {
                let stat = std::fs::read_to_string(dir.join("stat")).unwrap();
                // Field 19 (nice), counted after the ")" that ends the name.
                let after = &stat[stat.rfind(')').unwrap() + 2..];
                let nice: i32 = after.split(' ').nth(16).unwrap().parse().unwrap();
                assert_eq!(nice, 19, "{stat}");
                found = true;
            }
        }
        assert!(found, "a thread named portal-argon2-0");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod guessing_tests {
    use super::{Policy, PolicyError, Weakness};

    /// Finding 7 of the outside-in test: these passed the old rules.
    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let p = Policy {
            min_length: 10,
            composition: false,
        };
        for weak in [
            "Wachtwoord2026",
            "Password2026!",
            "Welkom12345678",
            "Amsterdam2026",
        ] {
            let e = p.check(weak, &["acme"]).unwrap_err();
            assert!(matches!(e, PolicyError::Guessable(_)), "{weak}: {e:?}");
        }
        assert_eq!(
            p.check("Amsterdam2026", &[]),
            Err(PolicyError::Guessable(Weakness::Year))
        );
        // The account's own words count as known words.
        assert!(p.check("Bakkerijjansen!", &["bakkerijjansen"]).is_err());
        for strong in [
            "Groene-linde-bloeit-9",
            "paard batterij nietje correct",
            "Warme-kastanje-14-bloeit",
        ] {
            assert_eq!(p.check(strong, &["acme"]), Ok(()), "{strong}");
        }
    }
}
