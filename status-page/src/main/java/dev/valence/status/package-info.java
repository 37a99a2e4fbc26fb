/**
 * The status page: components, incidents and maintenance in the {@code control} schema, served as
 * Statuspage v2-compatible JSON, feeds and an HTML page from an in-memory snapshot that survives the
 * database going away. Runs inside the runtime process (port 8081) or alone ({@link dev.valence.status.Main}).
 *
 * <p>This package is the page's public API, and all that an embedding runtime uses of it:
 * {@link dev.valence.status.StatusPage} starts and stops the page and lists its background loops,
 * {@link dev.valence.status.AutomaticIncidents} opens, updates and resolves incidents about the platform's own
 * components (in the words {@link dev.valence.status.ComponentStatus} and {@link dev.valence.status.Impact}), and
 * {@link dev.valence.status.FallbackPage} renders the page the platform answers 503 with and reports the open
 * incident. The rest ({@code model}, {@code store}, {@code snapshot}, {@code http}, {@code webhooks}) is machinery
 * the runtime never touches; its ArchitectureTest holds it to that.
 */
package dev.valence.status;
