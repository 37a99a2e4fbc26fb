package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The statements that decide who may read and write what, and what a write does besides storing the row: REVOKE,
 * row-level security policies, publications, rewrite rules and dropped triggers. Each yields operations the
 * {@link RuleChecker} judges against {@link TableFacts}.
 */
final class AccessStatements {
    private AccessStatements() {}

    private static final Set<String> ROLE_LIST_END = Set.of("cascade", "restrict", "granted", "with");

    /**
     * GRANT ... TO and REVOKE [GRANT OPTION FOR] ... FROM: one operation per object, with the object's kind and the roles.
     * A membership (GRANT role TO role) has no ON; its object is {@code role:NAME}. {@code ALL ... IN SCHEMA s} is
     * {@code schema:s}.
     */
    static void privileges(SqlStatement statement, TokenCursor cursor, boolean grant, List<Operation> out) {
        // revoking only the right to grant onward leaves the role's own access as it was
        if (!grant && cursor.accept("grant", "option", "for")) return;
        List<String> privileges = new ArrayList<>();
        String preposition = grant ? "to" : "from";
        while (!cursor.atEnd() && !cursor.peek().isWord("on") && !cursor.peek().isWord(preposition)) {
            // a column list, as in REVOKE UPDATE (email) ON ..., narrows the privilege but is still one
            if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) {
                cursor.skipGroup();
                continue;
            }
            SqlToken token = cursor.next();
            if (token.isIdentifier() && !token.isWord("privileges")) privileges.add(token.value());
        }
        String kind = "table";
        List<String> objects = new ArrayList<>();
        if (!cursor.accept("on")) {
            for (String role : privileges) objects.add("role:" + role);
            kind = "role";
        } else if (cursor.accept("all") && cursor.peek(1).isWord("in")) {
            kind = cursor.next().value();
            cursor.accept("in", "schema");
            objects.add("schema:" + cursor.next().value());
        } else {
            if (cursor.acceptAny("table", "sequence", "function", "procedure", "schema", "type", "domain", "routine", "language")) {
                kind = cursor.tokens(-1).value();
            }
            while (!cursor.atEnd() && !cursor.peek().isWord(preposition)) {
                String name = cursor.qualifiedName();
                if (name.isEmpty()) cursor.next();
                else objects.add(name);
                if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) cursor.skipGroup();
            }
        }
        cursor.accept(preposition);
        List<String> args = new ArrayList<>(List.of(kind));
        while (!cursor.atEnd() && !(cursor.peek().kind() == SqlToken.Kind.WORD && ROLE_LIST_END.contains(cursor.peek().value()))) {
            SqlToken token = cursor.next();
            if (token.isIdentifier() && !token.isWord("group")) args.add(token.value());
        }
        String what = kind.equals("role") ? "" : String.join(" ", privileges).toUpperCase(java.util.Locale.ROOT);
        for (String object : objects) out.add(Operation.of(grant ? Operation.Kind.GRANT : Operation.Kind.REVOKE, object, "", what, statement, args));
    }

    /** ALTER DEFAULT PRIVILEGES ... GRANT ... TO roles: the roles get the privileges on every object created later. */
    static void defaultPrivileges(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        while (!cursor.atEnd() && !cursor.peek().isWord("grant") && !cursor.peek().isWord("revoke")) cursor.next();
        if (!cursor.accept("grant")) return;
        while (!cursor.atEnd() && !cursor.peek().isWord("to")) cursor.next();
        cursor.accept("to");
        List<String> args = new ArrayList<>(List.of("default"));
        while (!cursor.atEnd()) {
            SqlToken token = cursor.next();
            if (token.isIdentifier() && !token.isWord("with") && !token.isWord("grant") && !token.isWord("option")) args.add(token.value());
        }
        out.add(Operation.of(Operation.Kind.GRANT, "default:", "", "", statement, args));
    }

    /** CREATE POLICY, CREATE PUBLICATION and CREATE [OR REPLACE] RULE, from the word naming the kind. */
    static void create(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        if (cursor.accept("policy")) {
            String name = cursor.next().display();
            cursor.accept("on");
            String table = cursor.qualifiedName();
            boolean restrictive = cursor.accept("as", "restrictive");
            cursor.accept("as", "permissive");
            String command = cursor.accept("for") ? cursor.next().value() : "all";
            String using = "";
            String check = "";
            while (!cursor.atEnd()) {
                if (cursor.accept("using")) using = AlterTableParser.groupText(cursor).strip();
                else if (cursor.accept("with", "check")) check = AlterTableParser.groupText(cursor).strip();
                else cursor.next();
            }
            // USING serves as WITH CHECK too when there is none: a policy for ALL commands that is true both ways admits every row
            boolean admitsAll = command.equals("all") && Set.of("", "true").contains(using) && Set.of("", "true").contains(check)
                    && !(using.isEmpty() && check.isEmpty());
            out.add(Operation.of(Operation.Kind.CREATE_POLICY, table, "", name, statement,
                    List.of(restrictive ? "restrictive" : "", admitsAll ? "admits all" : "")));
        } else if (cursor.accept("publication")) {
            String name = cursor.next().display();
            publication(statement, name, "create", cursor, out);
        } else if (cursor.accept("rule")) {
            String name = cursor.next().display();
            cursor.accept("as");
            cursor.accept("on");
            String event = cursor.next().value();
            cursor.accept("to");
            String table = cursor.qualifiedName();
            boolean instead = cursor.restHasPair("do", "instead");
            out.add(Operation.of(Operation.Kind.CREATE_RULE, table, "", name, statement, List.of(instead ? "instead" : "", event)));
        }
    }

    /**
     * The tables of CREATE PUBLICATION ... FOR or ALTER PUBLICATION ... ADD/SET, each as {@code table|column list|filter words}
     * after two flags: whether UPDATE and DELETE are published, and FOR ALL TABLES.
     */
    static void publication(SqlStatement statement, String name, String verb, TokenCursor cursor, List<Operation> out) {
        boolean changes = true;
        boolean allTables = false;
        List<String> tables = new ArrayList<>();
        cursor.acceptAny("for", "add", "set");
        if (cursor.accept("all", "tables")) allTables = true;
        while (!cursor.atEnd()) {
            if (cursor.accept("with")) {
                for (TokenCursor option : cursor.groupItems()) {
                    if (option.accept("publish")) {
                        option.accept("=");
                        while (!option.atEnd() && option.peek().kind() != SqlToken.Kind.STRING) option.next();
                        String published = option.atEnd() ? "" : option.next().value().toLowerCase(java.util.Locale.ROOT);
                        changes = published.contains("update") || published.contains("delete");
                    }
                }
            } else if (cursor.accept("tables", "in", "schema")) {
                tables.add("schema " + cursor.next().display() + "||");
            } else if (cursor.accept("table") || cursor.peek().isIdentifier() && !cursor.peek().isWord("with")) {
                cursor.accept("only");
                String table = cursor.qualifiedName();
                if (table.isEmpty()) {
                    cursor.next();
                    continue;
                }
                if (cursor.peek().kind() == SqlToken.Kind.OPERATOR) cursor.next();
                List<String> columns = AlterTableParser.identifiers(cursor);
                String filter = cursor.accept("where") ? AlterTableParser.groupText(cursor) : "";
                tables.add(SchemaModel.bare(table) + "|" + String.join(",", columns) + "|" + filter);
            } else {
                cursor.next();
            }
        }
        List<String> args = new ArrayList<>(List.of(changes ? "changes" : "", allTables ? "all" : ""));
        args.addAll(tables);
        out.add(Operation.of(Operation.Kind.PUBLICATION, name, "", verb, statement, args));
    }

    /** ALTER PUBLICATION name ADD/SET/DROP ... or SET (publish = ...). */
    static void alterPublication(SqlStatement statement, String name, TokenCursor cursor, List<Operation> out) {
        if (cursor.peek().isWord("drop") || cursor.peek().isWord("owner") || cursor.peek().isWord("rename")) return;
        boolean set = cursor.peek().isWord("set");
        if (set && cursor.peek(1).kind() == SqlToken.Kind.LEFT_PAREN) {
            cursor.next();
            var withOptions = new TokenCursor(List.of(new SqlToken(SqlToken.Kind.WORD, "with", 0, 0, 0)));
            publication(statement, name, "options", join(withOptions, cursor), out);
            return;
        }
        publication(statement, name, set ? "set" : "add", cursor, out);
    }

    private static TokenCursor join(TokenCursor head, TokenCursor tail) {
        List<SqlToken> tokens = new ArrayList<>(head.rest());
        tokens.addAll(tail.rest());
        return new TokenCursor(tokens);
    }

    /** DROP TRIGGER / RULE / POLICY / PUBLICATION, from the word naming the kind. */
    static void drop(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        String kind = cursor.next().value();
        cursor.accept("if", "exists");
        if (kind.equals("publication")) {
            for (TokenCursor name : cursor.splitRestAtCommas()) {
                out.add(Operation.of(Operation.Kind.PUBLICATION, name.qualifiedName(), "", "drop", statement, List.of("", "")));
            }
            return;
        }
        String name = cursor.next().display();
        cursor.accept("on");
        String table = cursor.qualifiedName();
        Operation.Kind operation = switch (kind) {
            case "trigger" -> Operation.Kind.REMOVE_TRIGGER;
            case "rule" -> Operation.Kind.REMOVE_RULE;
            default -> Operation.Kind.DROP_POLICY;
        };
        out.add(Operation.of(operation, table, "", name, statement, List.of("drops")));
    }

    static boolean startsCreate(TokenCursor cursor) {
        return cursor.peek().isWord("policy") || cursor.peek().isWord("publication") || cursor.peek().isWord("rule");
    }

    static boolean startsDrop(TokenCursor cursor) {
        return cursor.peek().isWord("trigger") || cursor.peek().isWord("rule") || cursor.peek().isWord("policy")
                || cursor.peek().isWord("publication");
    }
}
