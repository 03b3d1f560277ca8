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
 * allocator's.
 *
 * They are set as mimalloc's *defaults*: its own reading of the
 * environment (`MIMALLOC_PURGE_DELAY`, any case, and the older names such
 * as `MIMALLOC_RESET_DELAY`) still wins. That needs this constructor to run
 * before mimalloc's own start-up: priority 101, the first a program may
 * use, runs before mimalloc's default-priority constructor under gcc.
 * Under clang mimalloc's own is 101 too and the link order decides; the
 * facade's `allocator` test shows which happened.
 *
 * gcc and clang only; elsewhere (MSVC) mimalloc keeps its own defaults and
 * the environment remains the way to set them.
 */
#if defined(__GNUC__) || defined(__clang__)
#include <mimalloc.h>

__attribute__((constructor(101))) static void portal_mimalloc_settings(void) {
    mi_option_set_default(mi_option_arena_eager_commit, 0);
    mi_option_set_default(mi_option_purge_delay, 0);
}
#endif
