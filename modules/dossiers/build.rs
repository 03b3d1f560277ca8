// `sqlx::migrate!` and `include_str!` of templates do not notice new files by themselves.
fn main() {
    for dir in ["migrations", "templates", "locales"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
