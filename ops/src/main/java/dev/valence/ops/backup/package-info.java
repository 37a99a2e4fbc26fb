/**
 * Backups of a Valence database without pg_dump: one read-only REPEATABLE READ snapshot, {@code COPY}
 * per table into one compressed archive with a manifest, and a restore that migrates an empty database
 * to the backup's schema versions before copying the rows back.
 */
package dev.valence.ops.backup;
