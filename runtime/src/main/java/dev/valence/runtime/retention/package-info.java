/**
 * Run retention: run records, run groups (with the runs' logs) and trigger results older than
 * {@code RUN_RETENTION_DAYS} are deleted in small batches, each its own short transaction, by one
 * instance at a time.
 */
package dev.valence.runtime.retention;
