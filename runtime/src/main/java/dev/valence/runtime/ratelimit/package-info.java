/**
 * Rate limits: token buckets per API token and per client address on the authoring API, and per val
 * on HTTP vals, kept in this instance's memory (so a limit applies per instance: N replicas allow N
 * times as much). Refusals answer 429 with {@code Retry-After} and are counted in the metrics.
 */
package dev.valence.runtime.ratelimit;
