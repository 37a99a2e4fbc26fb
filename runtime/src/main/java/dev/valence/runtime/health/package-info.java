/**
 * What keeps the platform itself healthy while vals misbehave: the {@link dev.valence.runtime.health.Supervisor}
 * of the background loops (schema guard, heartbeat, status snapshot, webhooks, run notices, cron, held
 * work, env sealing, the run recorder's writer, the limits watchdog, the SMTP listener) that restarts one that died and makes {@code /healthz} fail meanwhile, and the heap's
 * {@link dev.valence.runtime.health.HeapHighWater} mark, which evicts warm val contexts and refuses new
 * loads while the old generation stays nearly full after collections.
 */
package dev.valence.runtime.health;
