/**
 * Where the database is and how its schemas get there: the embedded PostgreSQL for the no-configuration
 * default, {@code DATABASE_URL} parsing, and applying the Flyway migrations of {@code control} then {@code app}.
 */
package dev.valence.runtime.db;
