/**
 * The status page's data as immutable records and enums with meaning (component status, incident status,
 * impact, indicator), and the {@link dev.valence.status.model.Snapshot} every read is rendered from.
 */
package dev.valence.status.model;
