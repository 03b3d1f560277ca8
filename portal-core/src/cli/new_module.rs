//! `portal new-module <name>`: writes a module crate that compiles, with
//! one permission, one migration per backend, one page, one back-office
//! API operation, one demo row and one test, and wires it into the
//! workspace and the facade (a cargo feature of the same name). It follows
//! the "Add a module" checklist of ARCHITECTURE.md; CI generates a
//! throw-away module and runs its test, so the generator never rots.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The files of a new module: path below `modules/<name>/`, template.
const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("new_module/Cargo.toml.tpl")),
    ("build.rs", include_str!("new_module/build.rs.tpl")),
    (
        "migrations/sqlite/0001_{name}.sql",
        include_str!("new_module/sqlite.sql.tpl"),
    ),
    (
        "migrations/postgres/0001_{name}.sql",
        include_str!("new_module/postgres.sql.tpl"),
    ),
    (
        "templates/list.html",
        include_str!("new_module/list.html.tpl"),
    ),
    ("locales/nl.ftl", include_str!("new_module/nl.ftl.tpl")),
    (
        "locales/nl-informal.ftl",
        include_str!("new_module/nl-informal.ftl.tpl"),
    ),
    ("locales/en.ftl", include_str!("new_module/en.ftl.tpl")),
    ("src/lib.rs", include_str!("new_module/lib.rs.tpl")),
    ("src/store.rs", include_str!("new_module/store.rs.tpl")),
    ("src/pages.rs", include_str!("new_module/pages.rs.tpl")),
    ("src/api.rs", include_str!("new_module/api.rs.tpl")),
    ("src/demo.rs", include_str!("new_module/demo.rs.tpl")),
    ("tests/it/main.rs", include_str!("new_module/test.rs.tpl")),
];

/// `{name}`, `{Name}` and `{NAME}` in a template.
fn fill(template: &str, name: &str) -> String {
    let camel: String = name
        .split('_')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    template
        .replace("{name}", name)
        .replace("{Name}", &camel)
        .replace("{NAME}", &name.to_ascii_uppercase())
}

/// Inserts `line` after the first line that is exactly `after`.
fn insert_after(text: &str, after: &str, line: &str, file: &Path) -> anyhow::Result<String> {
    let at = text.find(&format!("\n{after}\n")).with_context(|| {
        format!(
            "{}: no line `{after}` to add `{line}` after",
            file.display()
        )
    })?;
    let end = at + after.len() + 2;
    Ok(format!("{}{line}\n{}", &text[..end], &text[end..]))
}

/// Writes `modules/<name>` below `root` (the workspace) and wires it in.
///
/// # Errors
/// A name that is not a valid module name, a module that exists already,
/// a workspace whose `Cargo.toml` or `src/lib.rs` lacks the expected
/// sections, or a file that cannot be written.
pub fn run(root: &Path, name: &str) -> anyhow::Result<Vec<PathBuf>> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        bail!(
            "{name:?} is not a module name: use lower-case letters, digits and _, starting with a letter"
        );
    }
    if crate::module::RESERVED_PREFIXES.contains(&name) {
        bail!("{name:?} is a path core serves itself; choose another name");
    }
    let manifest_path = root.join("Cargo.toml");
    let lib_path = root.join("src/lib.rs");
    let manifest = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!(
            "reading {} (run this in the workspace)",
            manifest_path.display()
        )
    })?;
    let lib = std::fs::read_to_string(&lib_path)
        .with_context(|| format!("reading {}", lib_path.display()))?;
    let dir = root.join("modules").join(name);
    if dir.exists() || manifest.contains(&format!("\"modules/{name}\"")) {
        bail!("module {name:?} exists already ({})", dir.display());
    }

    // The workspace and the facade: member, shared dependency, feature.
    let members_at = manifest
        .find("members = [")
        .context("Cargo.toml: no `members = [` in [workspace]")?;
    let close = members_at
        + manifest[members_at..]
            .find(']')
            .context("Cargo.toml: the members list does not end")?;
    let mut manifest = format!(
        "{}, \"modules/{name}\"{}",
        &manifest[..close],
        &manifest[close..]
    );
    manifest = insert_after(
        &manifest,
        "[workspace.dependencies]",
        &format!("portal-{name} = {{ path = \"modules/{name}\", version = \"0.1.0\" }}"),
        &manifest_path,
    )?;
    manifest = insert_after(
        &manifest,
        "[features]",
        &format!("{name} = [\"dep:portal-{name}\"]"),
        &manifest_path,
    )?;
    manifest = insert_after(
        &manifest,
        "[dependencies]",
        &format!("portal-{name} = {{ workspace = true, optional = true }}"),
        &manifest_path,
    )?;
    let lib = insert_after(
        &lib,
        "pub use portal_core::*;",
        &format!("\n#[cfg(feature = \"{name}\")]\nuse portal_{name} as _;"),
        &lib_path,
    )?;
    let lib = insert_after(
        &lib,
        "pub const ENABLED_MODULE_FEATURES: &[&str] = &[",
        &format!("    #[cfg(feature = \"{name}\")]\n    \"{name}\","),
        &lib_path,
    )?;

    let mut written = Vec::new();
    for (path, template) in FILES {
        let path = dir.join(fill(path, name));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, fill(template, name))
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    std::fs::write(&manifest_path, manifest)
        .with_context(|| format!("writing {}", manifest_path.display()))?;
    std::fs::write(&lib_path, lib).with_context(|| format!("writing {}", lib_path.display()))?;
    written.push(manifest_path);
    written.push(lib_path);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn names_fill_the_templates() {
        assert_eq!(
            fill("{name} {Name} {NAME} {{ x }} {text}", "move_in"),
            "move_in MoveIn MOVE_IN {{ x }} {text}"
        );
    }
}
