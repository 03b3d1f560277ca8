//! Sessions kept per process between a visitor's pages.
//!
//! Every page looks up its session (SECURITY.md D.22/D.24: a logout or a
//! deactivated account ends every process's sessions at once). In full
//! that is one statement over the session, its account and customer and
//! the tenant's versions, decoded into some thirty values; on SQLite the
//! largest read of the invoice list page after the list itself.
//!
//! A session found usable is kept here with the tenant's *accounts
//! version* read in the same statement (one snapshot). That number
//! changes, by trigger, with every write to what a look-up joins beyond
//! the session itself (migration `0015_kept_sessions_by_row`: an account
//! changed (any column but its last used code step) or removed, a
//! customer's number, name or state, every access change). The next
//! page of that session reads only its own row with that number (one
//! probe by the token's hash, `auth::session::probe`); while the row is
//! there with the kept id, account, stage, pending TOTP secret and chosen
//! customer, and the number is the kept one, nothing the full look-up
//! would return has changed, so the kept session is the answer. A session ended or changed changes no number: one visitor's
//! logout or customer switch, or the purge of expired sessions, leaves
//! every other kept session of the tenant kept. (0014's *sessions
//! version*, which sessions changed too, was checked alone before; it and
//! its triggers stay for processes of that release during a rolling
//! update.) Nor does the last code step a two-factor login writes to the
//! account: a kept session's copy of it may be older, so the login's code
//! step reads it from the database (`flows::login`).
//! A kept session is used only within what the full look-up checks by the
//! clock (the row's expiry, the idle timeout against the row's
//! last_seen_at) and for at most a minute, after which the full look-up
//! runs again and refreshes `last_seen_at` as before. Every other case (a
//! different number or row, no entry, another tenant) is the full look-up.
//!
//! A write by another process shows on the next page as before: the probe
//! reads the database, not a notification. On PostgreSQL a GET page's
//! first read carries the probe instead of a round trip of its own
//! (`db::confirm`, `session::lookup_for_page`).

use std::collections::HashMap;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use super::session::{ProbeRow, Session, Stage};

/// Entries kept at most; past it the map starts again (a burst of
/// distinct sessions costs one full look-up each, nothing else).
const CAPACITY: usize = 20_000;

/// How long a kept session is used before the full look-up runs again
/// (it refreshes `last_seen_at` at most once a minute).
pub const KEPT_FOR: Duration = Duration::seconds(60);

/// What the full look-up read with a session, to check it by later.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeptAt {
    /// The tenant's accounts version (0, a missing version row, is never kept).
    pub version: i64,
    /// As refreshed by the look-up.
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A kept session before its check by the probe.
#[derive(Debug)]
pub(crate) struct Candidate {
    version: i64,
    /// Shared with the kept entry and with the page.
    pub session: Arc<Session>,
}

impl Candidate {
    /// Whether the probe's `row` (read now) says what was kept: the
    /// tenant's accounts version (accounts, customers, access) and every
    /// column of the session the full look-up reads, with its expiry and
    /// idle timeout checked against the row's own times.
    pub(crate) fn still(&self, row: &ProbeRow, idle: Duration, now: DateTime<Utc>) -> bool {
        let s = &self.session;
        row.accounts_version == self.version
            && row.session_id == s.id
            && row.user_id == s.account.id
            && Stage::from_code(&row.stage) == s.stage
            && row.pending_totp == s.pending_totp
            && row.selected_customer_id == s.selected_customer_id
            && row.expires_at > now
            && row.last_seen_at + idle > now
    }
}

/// A usable session as the full look-up returned it.
#[derive(Debug, Clone)]
struct Kept {
    tenant_id: i64,
    at: KeptAt,
    session: Arc<Session>,
}

/// See the module docs. Entries by the hash of the cookie value.
#[derive(Debug, Default)]
pub struct KeptSessions {
    entries: Mutex<HashMap<String, Kept>>,
    /// Pages answered from a kept session (for tests and benchmarks).
    hits: AtomicU64,
}

impl KeptSessions {
    /// The session kept for this tenant and token hash, when the clock
    /// still allows it (`idle`: the tenant's idle timeout). It counts only
    /// if the session's row and the tenant's version still say what was
    /// kept ([`Candidate::still`]).
    pub(crate) fn candidate(
        &self,
        tenant_id: i64,
        token_hash: &str,
        idle: Duration,
        now: DateTime<Utc>,
    ) -> Option<Candidate> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = entries.get(token_hash)?;
        let at = &kept.at;
        let usable = kept.tenant_id == tenant_id
            && at.expires_at > now
            && at.last_seen_at + idle > now
            && now - at.last_seen_at <= KEPT_FOR;
        usable.then(|| Candidate {
            version: at.version,
            session: Arc::clone(&kept.session),
        })
    }

    /// Counts a page answered from a kept session.
    pub(crate) fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps a usable session as read `at`, replacing what was kept for it.
    pub(crate) fn put(&self, tenant_id: i64, token_hash: &str, session: &Arc<Session>, at: KeptAt) {
        if at.version == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(token_hash) {
            // Those past their minute are of no more use (a full look-up
            // replaces them); when none are, start again.
            let now = Utc::now();
            entries.retain(|_, k| now - k.at.last_seen_at <= KEPT_FOR);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            token_hash.to_string(),
            Kept {
                tenant_id,
                at,
                session: Arc::clone(session),
            },
        );
    }

    /// Forgets the session kept for this tenant and token hash (the
    /// cookie shown to another tenant leaves its own tenant's entry).
    pub(crate) fn forget(&self, tenant_id: i64, token_hash: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries
            .get(token_hash)
            .is_some_and(|k| k.tenant_id == tenant_id)
        {
            entries.remove(token_hash);
        }
    }

    /// How many look-ups were answered from a kept session.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::accounts::Account;

    fn session() -> Arc<Session> {
        Arc::new(Session {
            id: 7,
            stage: Stage::Full,
            pending_totp: None,
            selected_customer_id: None,
            account: Account {
                id: 3,
                customer_id: 2,
                customer_number: "1001".into(),
                customer_name: "Jansen".into(),
                customer_active: true,
                email: "jan@example.nl".into(),
                username: None,
                display_name: String::new(),
                first_name: String::new(),
                last_name: String::new(),
                gender: String::new(),
                phone: String::new(),
                external_id: None,
                lang: None,
                is_main: true,
                active: true,
                confirmed: true,
                password_hash: None,
                totp_secret: None,
                totp_last_step: None,
                created_at: Utc::now(),
            },
            principal: Default::default(),
        })
    }

    fn at(version: i64, last_seen_at: DateTime<Utc>, expires_at: DateTime<Utc>) -> KeptAt {
        KeptAt {
            version,
            last_seen_at,
            expires_at,
        }
    }

    /// What the clock and the tenant allow on the kept path: the only
    /// checks there (an expiry or an idle timeout writes nothing that
    /// would change the version).
    #[test]
    fn kept_sessions_count_only_within_their_tenant_and_times() {
        let kept = KeptSessions::default();
        let now = Utc::now();
        let idle = Duration::minutes(10);
        let seen = now - Duration::seconds(30);
        kept.put(1, "h", &session(), at(42, seen, now + Duration::hours(1)));
        let found = kept.candidate(1, "h", idle, now);
        assert_eq!(found.map(|c| (c.version, c.session.id)), Some((42, 7)));
        assert!(
            kept.candidate(2, "h", idle, now).is_none(),
            "another tenant"
        );
        assert!(
            kept.candidate(1, "x", idle, now).is_none(),
            "another cookie"
        );
        let later = seen + KEPT_FOR + Duration::seconds(1);
        assert!(
            kept.candidate(1, "h", Duration::hours(1), later).is_none(),
            "past its minute: looked up in full (and refreshed)"
        );
        assert!(
            kept.candidate(1, "h", Duration::seconds(20), now).is_none(),
            "idle longer than the tenant allows"
        );
        kept.put(1, "e", &session(), at(42, seen, now - Duration::seconds(1)));
        assert!(kept.candidate(1, "e", idle, now).is_none(), "expired");
        kept.put(1, "z", &session(), at(0, seen, now + Duration::hours(1)));
        assert!(
            kept.candidate(1, "z", idle, now).is_none(),
            "version 0 is never kept"
        );
        kept.forget(2, "h");
        assert!(
            kept.candidate(1, "h", idle, now).is_some(),
            "another tenant's forget"
        );
        kept.forget(1, "h");
        assert!(kept.candidate(1, "h", idle, now).is_none(), "forgotten");
    }

    fn row(now: DateTime<Utc>) -> ProbeRow {
        ProbeRow {
            session_id: 7,
            user_id: 3,
            stage: "full".into(),
            pending_totp: None,
            selected_customer_id: None,
            last_seen_at: now - Duration::seconds(30),
            expires_at: now + Duration::hours(1),
            accounts_version: 42,
        }
    }

    /// The probe's row against the kept session: every column the full
    /// look-up reads, the tenant's version, and the row's own times.
    #[test]
    fn a_candidate_counts_only_while_its_row_says_what_was_kept() {
        let now = Utc::now();
        let idle = Duration::minutes(10);
        let c = Candidate {
            version: 42,
            session: session(),
        };
        assert!(c.still(&row(now), idle, now), "unchanged");
        let seen_later = ProbeRow {
            last_seen_at: now,
            ..row(now)
        };
        assert!(
            c.still(&seen_later, idle, now),
            "refreshed by another process"
        );
        let changed: [(&str, ProbeRow); 9] = [
            (
                "tenant's version",
                ProbeRow {
                    accounts_version: 43,
                    ..row(now)
                },
            ),
            (
                "session id",
                ProbeRow {
                    session_id: 8,
                    ..row(now)
                },
            ),
            (
                "account",
                ProbeRow {
                    user_id: 4,
                    ..row(now)
                },
            ),
            (
                "stage",
                ProbeRow {
                    stage: "totp".into(),
                    ..row(now)
                },
            ),
            (
                "TOTP being enabled",
                ProbeRow {
                    pending_totp: Some("S".into()),
                    ..row(now)
                },
            ),
            (
                "switcher",
                ProbeRow {
                    selected_customer_id: Some(0),
                    ..row(now)
                },
            ),
            (
                "expired",
                ProbeRow {
                    expires_at: now,
                    ..row(now)
                },
            ),
            (
                "idle",
                ProbeRow {
                    last_seen_at: now - idle,
                    ..row(now)
                },
            ),
            (
                "moved back past the idle timeout",
                ProbeRow {
                    last_seen_at: now - Duration::hours(2),
                    ..row(now)
                },
            ),
        ];
        for (what, r) in changed {
            assert!(!c.still(&r, idle, now), "{what}");
        }
    }

    #[test]
    fn a_full_map_drops_what_is_past_its_minute_first() {
        let kept = KeptSessions::default();
        let now = Utc::now();
        let far = now + Duration::hours(1);
        let old = now - KEPT_FOR - Duration::seconds(5);
        for i in 0..CAPACITY - 1 {
            kept.put(1, &format!("old{i}"), &session(), at(5, old, far));
        }
        kept.put(1, "fresh", &session(), at(5, now, far));
        kept.put(1, "new", &session(), at(5, now, far));
        let idle = Duration::hours(1);
        assert!(kept.candidate(1, "fresh", idle, now).is_some());
        assert!(kept.candidate(1, "new", idle, now).is_some());
        let len = kept.entries.lock().map(|e| e.len()).unwrap_or_default();
        assert_eq!(len, 2);
    }
}
