/**
 * JDBC repositories over the {@code app} schema (HikariCP, pgjdbc). Every query is parameterised.
 * Nothing here imports Vert.x or GraalJS; callers run these methods off the event loop.
 */
package dev.valence.runtime.store;
