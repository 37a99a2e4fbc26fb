/**
 * The schema guard: is the database schema compatible with this build's code? It reads the schema
 * state (Flyway history of {@code app}, the contract rows in {@code control}), turns it into a
 * {@link dev.valence.runtime.guard.Verdict}, keeps it current (LISTEN/NOTIFY, a polling backstop,
 * rechecks on suspicious SQL errors) and lets every request read it with one volatile read. It also
 * writes this instance's heartbeat and holds non-HTTP work while the schema is incompatible.
 */
package dev.valence.runtime.guard;
