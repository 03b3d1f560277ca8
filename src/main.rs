//! The `portal` binary: core plus the modules enabled by cargo feature.
//! `cargo run -- demo` starts a demo portal; `cargo run -- --help` lists the commands.

fn main() {
    portal::cli::run();
}
