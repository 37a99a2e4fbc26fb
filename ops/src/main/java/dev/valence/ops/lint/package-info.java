/**
 * {@code ./valence ops lint}: the migration linter. Files are split by {@link dev.valence.ops.lint.SqlLexer},
 * which follows PostgreSQL's own lexical rules (nested comments, E'' strings, dollar quotes with tags,
 * quoted identifiers, case folding), so text in comments, strings, function bodies or quoted names is
 * never read as a statement. A recursive-descent parser over those tokens turns the statements that
 * matter into {@link dev.valence.ops.lint.Operation}s; rules map operations to findings; Valence's
 * expand/contract rules then judge them by the file's declaration and place.
 *
 * <p>Why not JSqlParser: version 5.3 was tried and rejects exactly the PostgreSQL forms a migration
 * linter must tell apart ({@code CREATE INDEX CONCURRENTLY}, {@code ADD CONSTRAINT ... NOT VALID},
 * {@code UNIQUE USING INDEX}, {@code SET DATA TYPE}, {@code DROP TYPE}, partial indexes), so every
 * safe form would have been a parse failure. Why not a scratch PostgreSQL: catalog diffs need every
 * earlier migration applied first and cannot see locks or what the previous release relies on.
 * Statements the parser does not know (CREATE FUNCTION, triggers, INSERT) yield no operation; a DO
 * block's body is parsed too, because it runs at once.
 */
package dev.valence.ops.lint;
