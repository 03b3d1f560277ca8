//! `portal`: the facade an integrator depends on. It re-exports
//! `portal-core` and turns modules on by cargo feature.
//!
//! Each enabled module crate must be referenced from here, or the linker
//! drops it and its `inventory` registration vanishes; the facade's tests
//! list the registry and expect every enabled module.
//!
//! Layout:
//! - `lib.rs`: re-exports and the module references (one line per feature)
//! - `examples/`: portal binaries; `examples/minimal` is core only
//! - feature `mimalloc` (default): the global allocator; its settings in
//!   `alloc_settings.c`, compiled and linked by `build.rs`
//!
//! Modules: `invoices`, `subscriptions`, `tickets`, `logbook`,
//! `consumption`, `advances`, `moves`, `dossiers`; each has its
//! `#[cfg(feature = "...")] use portal_<name> as _;` line.

pub use portal_core::*;

/// The allocator of every binary built on the facade (unless its default
/// features are off): a page allocates a few hundred small values
/// (template context, rows, the HTML); with mimalloc the invoice list
/// takes about 10 % fewer instructions than with glibc's malloc, and with the
/// settings of `alloc_settings.c` no more memory (bench/RESULTS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "advances")]
use portal_advances as _;
#[cfg(feature = "consumption")]
use portal_consumption as _;
#[cfg(feature = "dossiers")]
use portal_dossiers as _;
#[cfg(feature = "invoices")]
use portal_invoices as _;
#[cfg(feature = "logbook")]
use portal_logbook as _;
#[cfg(feature = "moves")]
use portal_moves as _;
#[cfg(feature = "subscriptions")]
use portal_subscriptions as _;
#[cfg(feature = "tickets")]
use portal_tickets as _;

/// The module names this build was compiled with, by cargo feature; the
/// registry must hold exactly these (checked by the facade's tests).
pub const ENABLED_MODULE_FEATURES: &[&str] = &[
    #[cfg(feature = "invoices")]
    "invoices",
    #[cfg(feature = "subscriptions")]
    "subscriptions",
    #[cfg(feature = "tickets")]
    "tickets",
    #[cfg(feature = "logbook")]
    "logbook",
    #[cfg(feature = "consumption")]
    "consumption",
    #[cfg(feature = "advances")]
    "advances",
    #[cfg(feature = "moves")]
    "moves",
    #[cfg(feature = "dossiers")]
    "dossiers",
];
