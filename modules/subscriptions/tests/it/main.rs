//! The subscriptions module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// Links the module, so its registration is in the registry.
use portal_subscriptions as _;

mod staff;
mod subscriptions;
mod support {
    pub use portal_testkit::*;
}
