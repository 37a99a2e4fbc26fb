/**
 * The snapshot every read of the status page is rendered from, kept current by one LISTEN loop and a poll, and
 * written to a file so that a page restarted while its database is gone still shows the last good one.
 */
package dev.valence.status.snapshot;
