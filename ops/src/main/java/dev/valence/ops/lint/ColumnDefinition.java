package dev.valence.ops.lint;

import java.util.Set;

/**
 * A column as CREATE TABLE or ALTER TABLE ... ADD COLUMN defines it.
 *
 * @param type the type as written, lower case, {@code character varying} spelled {@code varchar}
 * @param required NOT NULL (or PRIMARY KEY) without a DEFAULT or generated value: old INSERTs that omit it fail
 * @param rewritingDefault what makes PostgreSQL compute a value per row (and so rewrite the table), or empty
 */
record ColumnDefinition(String name, String type, boolean required, String rewritingDefault) {
    private static final Set<String> CONSTRAINT_WORDS =
            Set.of("constraint", "not", "null", "default", "check", "references", "unique", "primary", "generated", "collate");
    /** Functions PostgreSQL marks VOLATILE; now() and current_timestamp are STABLE and so stored once (PG11+). */
    private static final Set<String> VOLATILE_FUNCTIONS = Set.of("random", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "random_normal", "uuidv4", "uuidv7");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial2", "serial4", "serial8", "smallserial", "bigserial");

    /** Parses a definition starting at the column's name. */
    static ColumnDefinition parse(TokenCursor cursor) {
        String name = cursor.next().display();
        var type = new StringBuilder();
        while (!cursor.atEnd() && !(cursor.peek().kind() == SqlToken.Kind.WORD && CONSTRAINT_WORDS.contains(cursor.peek().value()))) {
            appendRendered(type, cursor.next());
        }
        String typeText = type.toString().replace("character varying", "varchar");
        boolean notNull = false;
        boolean hasDefault = false;
        String rewriting = SERIAL_TYPES.contains(typeText) ? "the serial type " + typeText + " (a nextval default)" : "";
        while (!cursor.atEnd()) {
            if (cursor.accept("not", "null") || cursor.accept("primary", "key")) {
                notNull = true;
            } else if (cursor.accept("default")) {
                hasDefault = true;
                String volatileCall = skipExpressionFindingVolatileCall(cursor);
                if (!volatileCall.isEmpty()) rewriting = "the volatile default " + volatileCall + "()";
            } else if (cursor.accept("generated")) {
                hasDefault = true;
                rewriting = cursor.restHasWord("identity") ? "an identity (GENERATED ... AS IDENTITY)" : "a STORED generated expression";
                skipExpressionFindingVolatileCall(cursor);
            } else {
                cursor.next();
                cursor.skipGroup();
            }
        }
        return new ColumnDefinition(name, typeText, notNull && !hasDefault, rewriting);
    }

    /** Skips an expression up to the next column-constraint keyword and names the first volatile function it calls. */
    private static String skipExpressionFindingVolatileCall(TokenCursor cursor) {
        String found = "";
        int depth = 0;
        while (!cursor.atEnd()) {
            SqlToken token = cursor.peek();
            if (depth == 0 && token.kind() == SqlToken.Kind.WORD && CONSTRAINT_WORDS.contains(token.value())) break;
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (found.isEmpty() && token.kind() == SqlToken.Kind.WORD && VOLATILE_FUNCTIONS.contains(token.value())
                    && cursor.peek(1).kind() == SqlToken.Kind.LEFT_PAREN) found = token.value();
            cursor.next();
        }
        return found;
    }

    /** Renders a type back to text: {@code varchar(20)}, {@code double precision}, {@code text[]}. */
    static void appendRendered(StringBuilder text, SqlToken token) {
        boolean wordLike = token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.NUMBER
                || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER;
        if (wordLike && !text.isEmpty() && Character.isLetterOrDigit(text.charAt(text.length() - 1))) text.append(' ');
        text.append(token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER ? token.display() : token.value());
    }
}
