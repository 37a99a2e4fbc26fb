package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;

/** A read position in a statement's tokens, with the few moves a recursive-descent parser needs. */
final class TokenCursor {
    private final List<SqlToken> tokens;
    private int index;

    TokenCursor(List<SqlToken> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return index >= tokens.size();
    }

    SqlToken peek() {
        return peek(0);
    }

    SqlToken peek(int ahead) {
        int at = index + ahead;
        return at < tokens.size() ? tokens.get(at) : new SqlToken(SqlToken.Kind.OTHER, "", 0, 0, 0);
    }

    SqlToken next() {
        SqlToken token = peek();
        index++;
        return token;
    }

    /** Consumes the keywords in order if they are all next; otherwise consumes nothing. */
    boolean accept(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            if (!peek(i).isWord(keywords[i])) return false;
        }
        index += keywords.length;
        return true;
    }

    boolean acceptAny(String... keywords) {
        for (String keyword : keywords) {
            if (accept(keyword)) return true;
        }
        return false;
    }

    /** A possibly schema-qualified name such as {@code app.vals} or {@code "App"."Vals"}; empty if none is next. */
    String qualifiedName() {
        if (!peek().isIdentifier()) return "";
        var name = new StringBuilder(next().display());
        while (peek().kind() == SqlToken.Kind.DOT && peek(1).isIdentifier()) {
            index++;
            name.append('.').append(next().display());
        }
        return name.toString();
    }

    /** Skips a parenthesised group if one is next (the cursor must be on its opening parenthesis). */
    void skipGroup() {
        if (peek().kind() != SqlToken.Kind.LEFT_PAREN) return;
        int depth = 0;
        do {
            SqlToken token = next();
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            else if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
        } while (depth > 0 && !atEnd());
    }

    /** The rest of the tokens, cut at commas outside parentheses: the items of a list such as ALTER TABLE's actions. */
    List<TokenCursor> splitRestAtCommas() {
        List<TokenCursor> parts = new ArrayList<>();
        List<SqlToken> current = new ArrayList<>();
        int depth = 0;
        while (!atEnd()) {
            SqlToken token = next();
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (token.kind() == SqlToken.Kind.COMMA && depth == 0) {
                parts.add(new TokenCursor(current));
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) parts.add(new TokenCursor(current));
        return parts;
    }

    /** The contents of the parenthesised group the cursor is on, split at its top-level commas. */
    List<TokenCursor> groupItems() {
        int start = index;
        skipGroup();
        if (index - start < 2) return List.of();
        return new TokenCursor(tokens.subList(start + 1, index - 1)).splitRestAtCommas();
    }

    /** True if the remaining tokens contain {@code first second} next to each other outside parentheses. */
    boolean restHasPair(String first, String second) {
        int depth = 0;
        for (int i = index; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (depth == 0 && token.isWord(first) && i + 1 < tokens.size() && tokens.get(i + 1).isWord(second)) return true;
        }
        return false;
    }

    /** True if a remaining token outside parentheses is the keyword. */
    boolean restHasWord(String keyword) {
        int depth = 0;
        for (int i = index; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) depth++;
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) depth--;
            if (depth == 0 && token.isWord(keyword)) return true;
        }
        return false;
    }

    /** The token {@code -offset} places before the cursor, such as the one just consumed for {@code -1}. */
    SqlToken tokens(int offset) {
        return tokens.get(index + offset);
    }

    List<SqlToken> rest() {
        return tokens.subList(Math.min(index, tokens.size()), tokens.size());
    }
}
