// `sqlx::migrate!` and `include_dir!` do not notice new files by themselves.
fn main() {
    for dir in ["migrations", "../themes", "locales"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
