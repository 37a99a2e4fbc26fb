/**
 * {@code ops compat-test}: the N-1 test. The previous release's own tests run against a database
 * migrated with the new migrations; a declared contract migration instead expects the previous
 * release's schema guard to refuse the schema.
 */
package dev.valence.ops.compat;
