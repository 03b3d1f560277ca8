//! The moves module through HTTP on both databases, with core's test kit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (workspace rule: not outside tests)

// The module registers itself through `inventory`: referenced here so the
// linker keeps it in this test binary.
use portal_moves as _;

mod support {
    pub use portal_testkit::*;
}
mod move_in;
mod move_out;
