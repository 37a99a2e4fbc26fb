/**
 * JDBC over the status page's tables in {@code control}: snapshots, incident writes with their component
 * history and webhook outbox rows in the same transaction, team tokens, deploy state. No Vert.x here.
 */
package dev.valence.status.store;
