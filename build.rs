//! With feature `mimalloc`: compiles `src/alloc_settings.c` (mimalloc's
//! settings, applied by a constructor before `main`) and links it whole, so
//! that the linker keeps a file nothing calls.

fn main() -> Result<(), std::env::VarError> {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "mimalloc")]
    settings()?;
    Ok(())
}

#[cfg(feature = "mimalloc")]
fn settings() -> Result<(), std::env::VarError> {
    println!("cargo:rerun-if-changed=src/alloc_settings.c");
    // `libmimalloc-sys` (links = "mimalloc") tells its dependents where
    // `mimalloc.h` is.
    let include = std::env::var("DEP_MIMALLOC_INCLUDE_DIR")?;
    cc::Build::new()
        .file("src/alloc_settings.c")
        .include(include)
        .cargo_metadata(false)
        .compile("portal_alloc_settings");
    let out = std::env::var("OUT_DIR")?;
    println!("cargo:rustc-link-search=native={out}");
    println!("cargo:rustc-link-lib=static:+whole-archive=portal_alloc_settings");
    Ok(())
}
