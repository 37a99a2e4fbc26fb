/**
 * Webhook delivery: a worker that drains the outbox of {@code control.webhook_deliveries}, signs each
 * body with the subscriber's secret and retries with backoff, and the guard that keeps it from being
 * pointed at loopback, private, link-local or cloud metadata addresses.
 */
package dev.valence.status.webhooks;
