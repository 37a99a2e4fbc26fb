/**
 * The non-HTTP triggers of vals: cron vals scheduled through PostgreSQL with db-scheduler, script
 * runs and inbound email, each run exactly once per idempotency key and held while the schema is
 * incompatible (see {@link dev.valence.runtime.guard.HeldWork}).
 */
package dev.valence.runtime.triggers;
