package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The options of ALTER SEQUENCE (and of an identity column's ALTER COLUMN ... SET / RESTART) that can make the
 * previous release's inserts fail: a number handed out twice (RESTART, CYCLE, a negative INCREMENT) or none at all
 * (an explicit MAXVALUE, a narrower AS type). NO MAXVALUE, NO CYCLE, START WITH, CACHE and OWNED BY are harmless.
 */
final class SequenceOptions {
    private static final Set<String> NARROW_TYPES = Set.of("smallint", "int2", "integer", "int", "int4");

    private SequenceOptions() {}

    static List<String> risks(TokenCursor cursor) {
        List<String> risks = new ArrayList<>();
        boolean negated = false;
        while (!cursor.atEnd()) {
            SqlToken token = cursor.next();
            if (token.isWord("restart")) {
                cursor.accept("with");
                risks.add(cursor.peek().kind() == SqlToken.Kind.NUMBER ? "RESTART WITH " + cursor.next().value() : "RESTART");
            } else if (token.isWord("maxvalue") && !negated) {
                risks.add(cursor.peek().kind() == SqlToken.Kind.NUMBER ? "MAXVALUE " + cursor.next().value() : "MAXVALUE");
            } else if (token.isWord("cycle") && !negated) {
                risks.add("CYCLE");
            } else if (token.isWord("as") && NARROW_TYPES.contains(cursor.peek().value())) {
                risks.add("AS " + cursor.next().value());
            } else if (token.isWord("increment")) {
                cursor.accept("by");
                if (cursor.peek().kind() == SqlToken.Kind.OPERATOR && cursor.peek().value().equals("-")
                        || cursor.peek().value().startsWith("-")) risks.add("a negative INCREMENT");
            }
            negated = token.isWord("no");
        }
        return risks;
    }
}
