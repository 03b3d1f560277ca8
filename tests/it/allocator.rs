//! The allocator a portal binary gets by default: mimalloc, with the two
//! settings of `src/alloc_settings.c` applied before `main` (without them
//! its idle memory nearly doubles, bench/RESULTS.md), and the environment
//! still able to override each, in any of the spellings mimalloc reads.

use std::process::Command;

/// Every spelling of the two settings mimalloc reads from the environment
/// (it ignores case, and knows older names): none may leak in from the
/// environment the tests run in.
const SPELLINGS: [&str; 4] = [
    "MIMALLOC_ARENA_EAGER_COMMIT",
    "MIMALLOC_EAGER_REGION_COMMIT",
    "MIMALLOC_PURGE_DELAY",
    "MIMALLOC_RESET_DELAY",
];

/// mimalloc's value of `option` as the `portal` binary's start-up reports
/// it (`MIMALLOC_VERBOSE=1` prints every option), with `env` set.
fn option_of(option: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    for (name, _) in std::env::vars() {
        if SPELLINGS.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            cmd.env_remove(name);
        }
    }
    let out = cmd
        .arg("--help")
        .env("MIMALLOC_VERBOSE", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the portal binary runs");
    assert!(out.status.success(), "portal --help failed: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with(&format!("option '{option}':")))
        .unwrap_or_else(|| panic!("mimalloc printed no option {option}: {stderr}"));
    line.rsplit(':').next().unwrap_or("").trim().to_string()
}

#[test]
fn mimalloc_commits_and_purges_as_the_portal_sets_it() {
    assert_eq!(option_of("arena_eager_commit", &[]), "0");
    assert_eq!(option_of("purge_delay", &[]), "0");
}

#[test]
fn the_environment_still_overrides_each_setting() {
    let env = [
        ("MIMALLOC_ARENA_EAGER_COMMIT", "1"),
        ("MIMALLOC_PURGE_DELAY", "25"),
    ];
    assert_eq!(option_of("arena_eager_commit", &env), "1");
    assert_eq!(option_of("purge_delay", &env), "25");
    // mimalloc's other spellings count as well.
    assert_eq!(
        option_of("purge_delay", &[("mimalloc_purge_delay", "30")]),
        "30"
    );
    assert_eq!(
        option_of("purge_delay", &[("MIMALLOC_RESET_DELAY", "40")]),
        "40"
    );
    assert_eq!(
        option_of(
            "arena_eager_commit",
            &[("MIMALLOC_EAGER_REGION_COMMIT", "1")]
        ),
        "1"
    );
}
