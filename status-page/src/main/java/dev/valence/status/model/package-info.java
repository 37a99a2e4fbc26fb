/**
 * The status page's data as immutable records and enums with meaning (incident status, indicator; component status
 * and impact are in the public root package, since the runtime writes automatic incidents in them), and the
 * {@link dev.valence.status.model.Snapshot} every read is rendered from.
 */
package dev.valence.status.model;
