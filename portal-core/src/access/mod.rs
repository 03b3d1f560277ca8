//! Who is asking: the principal of a request and what it may do.
//!
//! Until accounts exist (the authentication issue) every request is
//! anonymous; the type is here so navigation and guards are written against
//! it from the start.

use std::collections::BTreeSet;

/// The signed-in user as the header shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserSummary {
    pub name: String,
    pub customer_number: String,
}

/// The caller of a request and the permissions it holds.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub user: Option<UserSummary>,
    pub permissions: BTreeSet<String>,
}

impl Principal {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn has(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
}
