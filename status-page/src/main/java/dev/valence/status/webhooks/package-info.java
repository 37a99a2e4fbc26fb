/**
 * Webhook delivery: a worker that drains the outbox of {@code control.webhook_deliveries}, signs each
 * body with the subscriber's secret and retries with backoff. The guard that keeps it from being
 * pointed at loopback, private, link-local or cloud metadata addresses is the foundation's
 * {@link dev.valence.foundation.outbound.OutboundGuard}, shared with vals' fetch.
 */
package dev.valence.status.webhooks;
