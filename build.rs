//! With feature `mimalloc`: compiles `src/alloc_settings.c` (mimalloc's
//! settings, applied by a constructor before `main`) and links it whole, so
//! that the linker keeps a file nothing calls.

fn main() -> Result<(), String> {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "mimalloc")]
    settings()?;
    Ok(())
}

#[cfg(feature = "mimalloc")]
fn settings() -> Result<(), String> {
    println!("cargo:rerun-if-changed=src/alloc_settings.c");
    // `libmimalloc-sys` (links = "mimalloc") tells its dependents where
    // `mimalloc.h` is.
    let include = std::env::var("DEP_MIMALLOC_INCLUDE_DIR").map_err(|e| {
        format!("DEP_MIMALLOC_INCLUDE_DIR (set by libmimalloc-sys for mimalloc.h): {e}")
    })?;
    cc::Build::new()
        .file("src/alloc_settings.c")
        .include(include)
        .link_lib_modifier("+whole-archive")
        .compile("portal_alloc_settings");
    Ok(())
}
