/*
 * mimalloc's settings for a portal process, applied before `main` (feature
 * `mimalloc`; built and linked by `build.rs`).
 *
 * Why C: mimalloc reads its settings from the environment at process start
 * and offers no safe Rust setter, and the workspace forbids `unsafe`. A
 * constructor here runs before any Rust code allocates, so even the first
 * arena is reserved with these settings.
 *
 * - arena_eager_commit = 0: commit arena memory as pages are used, not the
 *   whole arena at once;
 * - purge_delay = 0: give freed pages back at once, not after a delay that
 *   an idle process never reaches.
 * Measured (bench/RESULTS.md): with mimalloc's defaults the demo's idle
 * memory nearly doubles; with these two it stays under the system
 * allocator's. A variable of the same name in the environment
 * (`MIMALLOC_ARENA_EAGER_COMMIT`, `MIMALLOC_PURGE_DELAY`) still wins.
 */
#include <stdlib.h>
#include <mimalloc.h>

static void portal_mimalloc_setting(mi_option_t option, const char *variable, long value) {
    if (getenv(variable) == NULL) {
        mi_option_set(option, value);
    }
}

/* gcc and clang; elsewhere (MSVC) mimalloc keeps its defaults and the two
 * variables remain the way to set them. */
/* Priority 101, the first a program may use: before mimalloc's own start-up
 * where it runs at the default priority (gcc), so that its report of the
 * settings (`MIMALLOC_VERBOSE=1`) shows these; setting an option before
 * mimalloc started is allowed (it only stores the value). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((constructor(101))) static void portal_mimalloc_settings(void) {
    portal_mimalloc_setting(mi_option_arena_eager_commit, "MIMALLOC_ARENA_EAGER_COMMIT", 0);
    portal_mimalloc_setting(mi_option_purge_delay, "MIMALLOC_PURGE_DELAY", 0);
}
#endif
