//! The tickets module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

mod support {
    pub use portal_testkit::*;
}
mod desk;
mod numbers;
mod tickets;
