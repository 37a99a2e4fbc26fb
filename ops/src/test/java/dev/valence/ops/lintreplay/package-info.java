/**
 * The replayed lint corpus: migration cases written without reading the linter's rules, each applied to a
 * seeded real PostgreSQL while the previous release's queries run against it; the verdict (breaking, locking,
 * safe) comes from what PostgreSQL did, and {@code ops lint} is then compared with it as a black box.
 */
package dev.valence.ops.lintreplay;
