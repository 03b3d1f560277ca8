//! The smallest portal: core only, no modules.
//!
//! ```text
//! cargo run --example minimal -- demo     # demo tenant, printed URL, serve
//! cargo run --example minimal -- serve    # serve with ./portal.toml or PORTAL_* settings
//! ```

fn main() {
    portal::cli::run();
}
