package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A column as CREATE TABLE or ALTER TABLE ... ADD COLUMN defines it.
 *
 * @param type the type as written, lower case, {@code character varying} spelled {@code varchar}
 * @param required NOT NULL (or PRIMARY KEY) without a DEFAULT or generated value: old INSERTs that omit it fail
 * @param rewritingDefault what makes PostgreSQL compute a value per row (and so rewrite the table), or empty
 * @param notNull declared NOT NULL or PRIMARY KEY
 * @param defaultExpression the DEFAULT expression's tokens rendered as text, empty without one
 * @param calledFunctions the functions the DEFAULT calls, whose volatility the schema may tell
 * @param inlineCheck a CHECK declared with the column
 * @param inlineUnique a UNIQUE or PRIMARY KEY declared with the column (an index build)
 * @param references the table an inline REFERENCES names, empty without one
 * @param primaryKey a PRIMARY KEY declared with the column (the table's default replica identity)
 */
record ColumnDefinition(String name, String type, boolean required, String rewritingDefault, boolean notNull,
                        String defaultExpression, List<String> calledFunctions, boolean inlineCheck, boolean inlineUnique,
                        String references, boolean primaryKey) {
    private static final Set<String> CONSTRAINT_WORDS =
            Set.of("constraint", "not", "null", "default", "check", "references", "unique", "primary", "generated", "collate");
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
        boolean check = false;
        boolean unique = false;
        boolean primaryKey = false;
        String references = "";
        var defaultText = new StringBuilder();
        List<String> calls = new ArrayList<>();
        String rewriting = SERIAL_TYPES.contains(typeText) ? "the serial type " + typeText + " (a nextval default)" : "";
        while (!cursor.atEnd()) {
            if (cursor.accept("not", "null")) {
                notNull = true;
            } else if (cursor.accept("primary", "key")) {
                notNull = true;
                unique = true;
                primaryKey = true;
            } else if (cursor.accept("unique")) {
                unique = true;
            } else if (cursor.accept("check")) {
                check = true;
                cursor.skipGroup();
            } else if (cursor.accept("references")) {
                references = cursor.qualifiedName();
                cursor.skipGroup();
            } else if (cursor.accept("default")) {
                hasDefault = true;
                skipExpression(cursor, defaultText, calls);
                String volatileCall = calls.stream().filter(Volatility::isVolatileBuiltin).findFirst().orElse("");
                if (!volatileCall.isEmpty()) rewriting = "the volatile default " + volatileCall + "()";
            } else if (cursor.accept("generated")) {
                hasDefault = true;
                // a VIRTUAL generated column (PostgreSQL 18's default) is computed on read: nothing is written
                if (cursor.restHasWord("identity")) rewriting = "an identity (GENERATED ... AS IDENTITY)";
                else if (cursor.restHasWord("stored")) rewriting = "a STORED generated expression";
                skipExpression(cursor, new StringBuilder(), new ArrayList<>());
            } else {
                cursor.next();
                cursor.skipGroup();
            }
        }
        return new ColumnDefinition(name, typeText, notNull && !hasDefault, rewriting, notNull, defaultText.toString(),
                List.copyOf(calls), check, unique, references, primaryKey);
    }

    /** Skips an expression up to the next column-constraint keyword, rendering it and naming the functions it calls. */
    private static void skipExpression(TokenCursor cursor, StringBuilder text, List<String> calls) {
        int depth = 0;
        while (!cursor.atEnd()) {
            SqlToken token = cursor.peek();
            if (depth == 0 && token.kind() == SqlToken.Kind.WORD && CONSTRAINT_WORDS.contains(token.value())) break;
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (token.isIdentifier() && cursor.peek(1).kind() == SqlToken.Kind.LEFT_PAREN) calls.add(token.value());
            appendRendered(text, cursor.next());
        }
    }

    /** Renders a type back to text: {@code varchar(20)}, {@code double precision}, {@code text[]}. */
    static void appendRendered(StringBuilder text, SqlToken token) {
        boolean wordLike = token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.NUMBER
                || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER;
        if (wordLike && !text.isEmpty() && Character.isLetterOrDigit(text.charAt(text.length() - 1))) text.append(' ');
        text.append(token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER ? token.display()
                : token.kind() == SqlToken.Kind.STRING ? "'" + token.value().replace("'", "''") + "'" : token.value());
    }
}
