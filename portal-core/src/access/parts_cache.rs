//! The principal parts of recently seen accounts, kept per process.
//!
//! An account's roles, visible child customers and location rights
//! ([`PrincipalParts`]) were read on every page with three correlated
//! sub-queries: on PostgreSQL the larger part of the server's work per page
//! (measured: 0.08-0.10 ms of a 0.12 ms page). They change rarely, and only
//! through the tables they are read from, each of which changes its
//! tenant's access version by trigger (migration `0012_access_versions`).
//! The session's statement reads that version (one primary-key probe); an
//! entry here counts only while its version, account, customer and
//! main-account flag are the ones the session just read, so a change made
//! by any process shows on the next page of every process, as before.
//!
//! An entry is stored with the version read in the same statement as its
//! parts (one snapshot), never with an older one: a cached entry is never
//! older than its key says.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::load::PrincipalParts;

/// Entries kept at most; past it the cache starts again (a burst of
/// distinct accounts costs one extra read each, nothing else).
const CAPACITY: usize = 20_000;

/// What a cached entry's parts are a function of: the tenant's access
/// tables at `version`, and the account's own id, customer and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartsKey {
    pub tenant_id: i64,
    pub user_id: i64,
    pub customer_id: i64,
    pub is_main: bool,
    pub version: i64,
}

/// An account's entry: the key it was read at, and its parts.
type Entry = (PartsKey, Arc<PrincipalParts>);

/// See the module docs. Entries by (tenant, account).
#[derive(Debug, Default)]
pub struct PartsCache {
    entries: Mutex<HashMap<(i64, i64), Entry>>,
}

impl PartsCache {
    /// The parts stored under exactly `key`, if any.
    pub fn get(&self, key: &PartsKey) -> Option<Arc<PrincipalParts>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(&(key.tenant_id, key.user_id))
            .filter(|(k, _)| k == key)
            .map(|(_, parts)| parts.clone())
    }

    /// Keeps `parts` under `key` (replacing the account's older entry).
    pub fn put(&self, key: PartsKey, parts: Arc<PrincipalParts>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&(key.tenant_id, key.user_id)) {
            entries.clear();
        }
        entries.insert((key.tenant_id, key.user_id), (key, parts));
    }

    /// How many accounts have an entry.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(version: i64) -> PartsKey {
        PartsKey {
            tenant_id: 1,
            user_id: 7,
            customer_id: 3,
            is_main: true,
            version,
        }
    }

    #[test]
    fn an_entry_counts_only_for_its_exact_key() {
        let cache = PartsCache::default();
        cache.put(key(5), Arc::default());
        assert!(cache.get(&key(5)).is_some());
        assert!(cache.get(&key(6)).is_none(), "another version");
        assert!(
            cache
                .get(&PartsKey {
                    customer_id: 4,
                    ..key(5)
                })
                .is_none(),
            "moved to another customer"
        );
        assert!(
            cache
                .get(&PartsKey {
                    is_main: false,
                    ..key(5)
                })
                .is_none(),
            "no longer the main account"
        );
        assert!(
            cache
                .get(&PartsKey {
                    tenant_id: 2,
                    ..key(5)
                })
                .is_none(),
            "the same ids on another tenant"
        );
        cache.put(key(6), Arc::default());
        assert!(cache.get(&key(5)).is_none(), "replaced, not kept beside");
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_full_cache_starts_again() {
        let cache = PartsCache::default();
        for user_id in 0..CAPACITY as i64 {
            cache.put(PartsKey { user_id, ..key(1) }, Arc::default());
        }
        assert_eq!(cache.len(), CAPACITY);
        cache.put(key(1), Arc::default());
        assert_eq!(cache.len(), CAPACITY, "an account already in: replaced");
        cache.put(
            PartsKey {
                user_id: -1,
                ..key(1)
            },
            Arc::default(),
        );
        assert_eq!(cache.len(), 1);
    }
}
