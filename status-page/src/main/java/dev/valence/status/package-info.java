/**
 * The status page: components, incidents and maintenance in the {@code control} schema, served as
 * Statuspage v2-compatible JSON, feeds and an HTML page from an in-memory snapshot that survives the
 * database going away. Runs inside the runtime process (port 8081) or alone.
 */
package dev.valence.status;
