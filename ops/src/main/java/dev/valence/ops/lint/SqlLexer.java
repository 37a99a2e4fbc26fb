package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's lexical rules (scan.l), enough to never mistake text for code: {@code --} and nested
 * {@code /* *\/} comments, standard strings with doubled quotes, {@code E''} strings with backslash
 * escapes, {@code U&''}, {@code B''} and {@code X''} strings, dollar quotes with optional tags, quoted
 * identifiers with doubled quotes, and case folding of unquoted words.
 */
final class SqlLexer {
    private final String sql;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int position;
    private int line = 1;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /** The tokens of {@code sql}, comments and whitespace dropped; throws on an unterminated quote or comment. */
    static List<SqlToken> tokenize(String sql) {
        var lexer = new SqlLexer(sql);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (Character.isWhitespace(c)) {
                advance(1);
            } else if (startsWith("--")) {
                while (position < sql.length() && sql.charAt(position) != '\n') advance(1);
            } else if (startsWith("/*")) {
                blockComment();
            } else if (c == '\'') {
                quoted(position, 0, '\'', false, SqlToken.Kind.STRING);
            } else if ((c == 'e' || c == 'E') && charAt(position + 1) == '\'') {
                quoted(position, 1, '\'', true, SqlToken.Kind.STRING);
            } else if ("bBxXnN".indexOf(c) >= 0 && charAt(position + 1) == '\'') {
                quoted(position, 1, '\'', false, SqlToken.Kind.STRING);
            } else if ((c == 'u' || c == 'U') && charAt(position + 1) == '&' && (charAt(position + 2) == '\'' || charAt(position + 2) == '"')) {
                boolean identifier = charAt(position + 2) == '"';
                quoted(position, 2, identifier ? '"' : '\'', false, identifier ? SqlToken.Kind.QUOTED_IDENTIFIER : SqlToken.Kind.STRING);
            } else if (c == '"') {
                quoted(position, 0, '"', false, SqlToken.Kind.QUOTED_IDENTIFIER);
            } else if (c == '$' && dollarTagEnd(position) > 0) {
                dollarQuoted();
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(charAt(position + 1)))) {
                number();
            } else if (Character.isLetter(c) || c == '_' || c > 127) {
                word();
            } else {
                punctuation(c);
            }
        }
    }

    private void blockComment() {
        int startLine = line;
        int depth = 0;
        do {
            if (position >= sql.length()) throw new SqlSyntaxException(startLine, "the /* comment opened here is never closed");
            if (startsWith("/*")) { depth++; advance(2); }
            else if (startsWith("*/")) { depth--; advance(2); }
            else advance(1);
        } while (depth > 0);
    }

    private void quoted(int start, int prefixLength, char quote, boolean backslashEscapes, SqlToken.Kind kind) {
        int startLine = line;
        advance(prefixLength + 1);
        var value = new StringBuilder();
        while (true) {
            if (position >= sql.length()) {
                String what = kind == SqlToken.Kind.STRING ? "string literal" : "quoted identifier";
                throw new SqlSyntaxException(startLine, "the " + what + " opened here is never closed");
            }
            char c = sql.charAt(position);
            if (backslashEscapes && c == '\\' && position + 1 < sql.length()) {
                value.append(sql.charAt(position + 1));
                advance(2);
            } else if (c == quote && charAt(position + 1) == quote) {
                value.append(quote);
                advance(2);
            } else if (c == quote) {
                advance(1);
                break;
            } else {
                value.append(c);
                advance(1);
            }
        }
        tokens.add(new SqlToken(kind, value.toString(), startLine, start, position));
    }

    /** The end (exclusive) of a dollar-quote opener like {@code $$} or {@code $body$} at {@code start}, or -1. */
    private int dollarTagEnd(int start) {
        int i = start + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) return -1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) i++;
        return i < sql.length() && sql.charAt(i) == '$' ? i + 1 : -1;
    }

    private void dollarQuoted() {
        int start = position;
        int startLine = line;
        String tag = sql.substring(start, dollarTagEnd(start));
        int close = sql.indexOf(tag, start + tag.length());
        if (close < 0) throw new SqlSyntaxException(startLine, "the dollar quote " + tag + " opened here is never closed");
        advance(close + tag.length() - start);
        tokens.add(new SqlToken(SqlToken.Kind.STRING, sql.substring(start + tag.length(), close), startLine, start, position));
    }

    private void number() {
        int start = position;
        while (position < sql.length() && (Character.isLetterOrDigit(sql.charAt(position)) || sql.charAt(position) == '_'
                || (sql.charAt(position) == '.' && charAt(position + 1) != '.'))) advance(1);
        tokens.add(new SqlToken(SqlToken.Kind.NUMBER, sql.substring(start, position), line, start, position));
    }

    private void word() {
        int start = position;
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127)) break;
            advance(1);
        }
        tokens.add(new SqlToken(SqlToken.Kind.WORD, sql.substring(start, position).toLowerCase(java.util.Locale.ROOT), line, start, position));
    }

    private void punctuation(char c) {
        int start = position;
        SqlToken.Kind kind = switch (c) {
            case '(' -> SqlToken.Kind.LEFT_PAREN;
            case ')' -> SqlToken.Kind.RIGHT_PAREN;
            case ',' -> SqlToken.Kind.COMMA;
            case ';' -> SqlToken.Kind.SEMICOLON;
            case '.' -> SqlToken.Kind.DOT;
            default -> "+-*/<>=~!@#%^&|`?:".indexOf(c) >= 0 ? SqlToken.Kind.OPERATOR : SqlToken.Kind.OTHER;
        };
        advance(1);
        if (kind == SqlToken.Kind.OPERATOR) {
            while (position < sql.length() && "+-*/<>=~!@#%^&|`?:".indexOf(sql.charAt(position)) >= 0
                    && !startsWith("--") && !startsWith("/*")) advance(1);
        }
        tokens.add(new SqlToken(kind, sql.substring(start, position), line, start, position));
    }

    private boolean startsWith(String prefix) {
        return sql.startsWith(prefix, position);
    }

    private char charAt(int index) {
        return index < sql.length() ? sql.charAt(index) : '\0';
    }

    private void advance(int count) {
        for (int i = 0; i < count && position < sql.length(); i++) {
            if (sql.charAt(position) == '\n') line++;
            position++;
        }
    }
}
