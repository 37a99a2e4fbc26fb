package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The statements about objects other than tables and indexes (views, functions, triggers, sequences, types,
 * domains) and the maintenance commands that rebuild a table or an index (REINDEX, CLUSTER, VACUUM FULL,
 * REFRESH MATERIALIZED VIEW).
 */
final class ObjectStatements {
    private ObjectStatements() {}

    /** CREATE [OR REPLACE] of everything but tables and indexes, from just after CREATE [OR REPLACE]. */
    static void create(SqlStatement statement, TokenCursor cursor, boolean replace, List<Operation> out) {
        cursor.acceptAny("recursive", "temp", "temporary");
        boolean materialized = cursor.accept("materialized");
        if (cursor.accept("view")) {
            cursor.accept("if", "not", "exists");
            String name = cursor.qualifiedName();
            if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) cursor.skipGroup();
            List<Operation> options = new ArrayList<>();
            while (!cursor.atEnd() && !cursor.peek().isWord("as")) {
                if (cursor.accept("with") && cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) viewOptions(statement, name, cursor, options);
                else cursor.next();
            }
            cursor.accept("as");
            out.add(Operation.of(Operation.Kind.CREATE_VIEW, name, "", replace ? "replace" : "", statement,
                    List.of(materialized ? "materialized" : "", render(cursor))));
            // judged after the view is recorded: on a view this file creates they are exempt, on a replaced one they count
            out.addAll(options);
        } else if (cursor.peek().isWord("function") || cursor.peek().isWord("procedure")) {
            cursor.next();
            function(statement, cursor, replace, out);
        } else if (cursor.accept("constraint", "trigger") || cursor.accept("trigger")) {
            trigger(statement, cursor, out);
        } else if (cursor.accept("domain")) {
            String name = cursor.qualifiedName();
            cursor.accept("as");
            String base = cursor.next().value();
            boolean constrained = cursor.restHasWord("check") || cursor.restHasPair("not", "null");
            out.add(Operation.of(Operation.Kind.CREATE_DOMAIN, name, "", base, statement, List.of(constrained ? "constrained" : "")));
            out.add(Operation.of(Operation.Kind.CREATES_TABLE, name, "", "domain", statement));
        } else if (cursor.peek().isWord("sequence") || cursor.peek().isWord("type") || cursor.peek().isWord("schema")) {
            String kind = cursor.next().value();
            cursor.accept("if", "not", "exists");
            out.add(Operation.of(Operation.Kind.CREATES_TABLE, cursor.qualifiedName(), "", kind, statement));
        }
    }

    /** Words that begin a type of several words, so a second word after them is not the type after an argument's name. */
    private static final Set<String> MULTIWORD_TYPES = Set.of("double", "character", "char", "bit", "time", "timestamp", "interval",
            "national", "varying");
    private static final java.util.Map<String, String> TYPE_ALIASES = java.util.Map.of("int", "integer", "int4", "integer",
            "int8", "bigint", "int2", "smallint", "bool", "boolean", "float8", "double precision", "float4", "real", "decimal",
            "numeric", "varchar", "character varying");

    /**
     * The input argument types of a function's parameter list, as PostgreSQL identifies the function by them: modes
     * (IN, INOUT, VARIADIC), names and type modifiers left out, OUT arguments skipped; "=" follows a type whose argument
     * has a default.
     */
    static String argumentTypes(TokenCursor cursor) {
        List<String> types = new ArrayList<>();
        for (TokenCursor item : cursor.groupItems()) {
            if (item.accept("out")) continue;
            item.acceptAny("in", "inout", "variadic");
            List<SqlToken> tokens = new ArrayList<>();
            while (!item.atEnd() && !item.peek().isWord("default")
                    && !(item.peek().kind() == SqlToken.Kind.OPERATOR && item.peek().value().equals("="))) {
                if (item.peek().kind() == SqlToken.Kind.LEFT_PAREN) item.skipGroup();
                else tokens.add(item.next());
            }
            boolean defaulted = !item.atEnd();
            if (tokens.size() >= 2 && tokens.get(0).isIdentifier() && tokens.get(1).isIdentifier()
                    && !(tokens.get(0).kind() == SqlToken.Kind.WORD && MULTIWORD_TYPES.contains(tokens.get(0).value()))) {
                tokens.removeFirst();
            }
            var type = new StringBuilder();
            for (SqlToken token : tokens) ColumnDefinition.appendRendered(type, token);
            String written = SchemaModel.bare(type.toString());
            types.add(TYPE_ALIASES.getOrDefault(written, written) + (defaulted ? "=" : ""));
        }
        return String.join(",", types);
    }

    private static void function(SqlStatement statement, TokenCursor cursor, boolean replace, List<Operation> out) {
        String name = cursor.qualifiedName();
        String arguments = argumentTypes(cursor);
        String language = "sql";
        char volatility = 'v';
        String body = "";
        var returns = new StringBuilder();
        boolean simple = true;
        while (!cursor.atEnd()) {
            if (cursor.accept("returns")) {
                while (!cursor.atEnd() && cursor.peek().kind() != SqlToken.Kind.STRING && !cursor.peek().isWord("language")
                        && !cursor.peek().isWord("as") && !cursor.peek().isWord("immutable") && !cursor.peek().isWord("stable")
                        && !cursor.peek().isWord("volatile")) ColumnDefinition.appendRendered(returns, cursor.next());
            } else if (cursor.accept("language")) {
                language = cursor.next().value();
            } else if (cursor.accept("immutable")) {
                volatility = 'i';
            } else if (cursor.accept("stable")) {
                volatility = 's';
            } else if (cursor.accept("security", "definer") || cursor.accept("set")) {
                simple = false;
            } else if (cursor.accept("as")) {
                if (cursor.peek().kind() == SqlToken.Kind.STRING) body = cursor.next().value();
            } else {
                cursor.next();
            }
        }
        out.add(Operation.of(Operation.Kind.CREATE_FUNCTION, name, "", replace ? "replace" : "", statement,
                List.of(simple ? language : "not inlinable", String.valueOf(volatility), body, returns.toString(), arguments)));
    }

    private static void trigger(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        String trigger = cursor.next().display();
        String timing = cursor.next().value();
        while (!cursor.atEnd() && !cursor.peek().isWord("on")) cursor.next();
        cursor.accept("on");
        String table = cursor.qualifiedName();
        boolean row = cursor.restHasPair("each", "row") || cursor.restHasPair("for", "row");
        String function = "";
        while (!cursor.atEnd()) {
            if (cursor.accept("execute")) {
                cursor.acceptAny("function", "procedure");
                function = cursor.qualifiedName();
            } else {
                cursor.next();
            }
        }
        out.add(Operation.of(Operation.Kind.CREATE_TRIGGER, table, "", function, statement, List.of(timing, row ? "row" : "", trigger)));
    }

    /** ALTER of views, sequences, functions, types, indexes and domains, from just after ALTER. */
    static void alter(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        String kind = cursor.accept("materialized", "view") ? "materialized view" : cursor.next().value();
        cursor.accept("if", "exists");
        String name = cursor.qualifiedName();
        if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) cursor.skipGroup();
        if (cursor.accept("owner", "to")) {
            out.add(Operation.of(Operation.Kind.OWNER_CHANGE, name, "", cursor.next().display(), statement, List.of(kind)));
            return;
        }
        switch (kind) {
            case "publication" -> AccessStatements.alterPublication(statement, name, cursor, out);
            case "policy" -> {
                cursor.accept("on");
                String table = cursor.qualifiedName();
                if (!cursor.peek().isWord("rename")) {
                    out.add(Operation.of(Operation.Kind.DROP_POLICY, table, "", name, statement, List.of("alters")));
                }
            }
            case "extension" -> {
                if (cursor.accept("set", "schema")) {
                    out.add(Operation.of(Operation.Kind.RENAME_OBJECT, name, "", cursor.next().display() + "." + SchemaModel.bare(name),
                            statement, List.of(kind)));
                }
            }
            default -> { }
        }
        if ((kind.equals("function") || kind.equals("procedure") || kind.equals("routine")) && !cursor.peek().isWord("rename")
                && !cursor.peek().isWord("owner") && !(cursor.peek().isWord("set") && cursor.peek(1).isWord("schema"))) {
            List<String> changes = functionChanges(cursor);
            if (!changes.isEmpty()) out.add(Operation.of(Operation.Kind.FUNCTION_CHANGE, name, "", String.join(", ", changes), statement));
            return;
        }
        if (kind.equals("sequence") && !cursor.peek().isWord("rename") && !cursor.peek().isWord("set")) {
            List<String> risks = SequenceOptions.risks(cursor);
            if (!risks.isEmpty()) out.add(Operation.of(Operation.Kind.SEQUENCE_CHANGE, name, "", String.join(", ", risks), statement));
            return;
        }
        if (kind.endsWith("view") && cursor.peek().isWord("set") && cursor.peek(1).kind() == SqlToken.Kind.LEFT_PAREN) {
            cursor.next();
            viewOptions(statement, name, cursor, out);
            return;
        }
        switch (kind) {
            case "view", "materialized view", "sequence", "function", "procedure", "type", "schema" -> {
                if (cursor.accept("rename", "to")) {
                    out.add(Operation.of(Operation.Kind.RENAME_OBJECT, name, "", cursor.next().display(), statement, List.of(kind)));
                } else if (kind.endsWith("view") && cursor.accept("rename")) {
                    cursor.accept("column");
                    String column = cursor.next().display();
                    cursor.accept("to");
                    out.add(Operation.of(Operation.Kind.RENAME_COLUMN, name, column, cursor.next().display(), statement));
                } else if (cursor.accept("set", "schema")) {
                    out.add(Operation.of(Operation.Kind.RENAME_OBJECT, name, "", cursor.next().display() + "." + SchemaModel.bare(name),
                            statement, List.of(kind)));
                } else if (kind.equals("type") && cursor.accept("rename", "attribute")) {
                    // a composite type's attributes are read by name ((col).attr), like a table's columns
                    String attribute = cursor.next().display();
                    cursor.accept("to");
                    out.add(Operation.of(Operation.Kind.RENAME_COLUMN, name, attribute, cursor.next().display(), statement));
                } else if (kind.equals("type") && cursor.accept("drop", "attribute")) {
                    cursor.accept("if", "exists");
                    out.add(Operation.of(Operation.Kind.DROP_COLUMN, name, cursor.next().display(), "", statement));
                } else if (kind.equals("type") && cursor.accept("rename", "value")) {
                    String oldValue = "'" + cursor.next().value() + "'";
                    cursor.accept("to");
                    out.add(Operation.of(Operation.Kind.RENAME_ENUM_VALUE, name, oldValue, "'" + cursor.next().value() + "'", statement));
                }
            }
            case "index" -> {
                if (cursor.accept("rename", "to")) out.add(Operation.of(Operation.Kind.RENAME_INDEX, name, "", cursor.next().display(), statement));
                else if (cursor.accept("set", "tablespace")) out.add(Operation.of(Operation.Kind.REBUILD, name, "", "moves (SET TABLESPACE) index", statement));
            }
            case "domain" -> {
                // a domain's name is rarely in a query (columns follow it by oid), so its rename is left alone
                if (cursor.accept("set", "not", "null")) {
                    out.add(Operation.of(Operation.Kind.DOMAIN_ADD_CHECK, name, "", "", statement, List.of("")));
                } else if (cursor.accept("add")) {
                    if (cursor.accept("constraint")) cursor.next();
                    out.add(Operation.of(Operation.Kind.DOMAIN_ADD_CHECK, name, "", "", statement,
                            List.of(cursor.restHasPair("not", "valid") ? "not valid" : "")));
                }
            }
            default -> { }
        }
    }

    /**
     * The actions of ALTER FUNCTION that change what a call returns or may do: STRICT (NULL in, NULL out without running),
     * CALLED ON NULL INPUT (runs on NULL where it answered NULL), SECURITY DEFINER / INVOKER (whose privileges the body
     * runs with) and SET / RESET of a setting such as search_path (how its names resolve). Volatility, cost, rows,
     * parallel safety and LEAKPROOF change plans, not answers.
     */
    private static List<String> functionChanges(TokenCursor cursor) {
        List<String> changes = new ArrayList<>();
        while (!cursor.atEnd()) {
            if (cursor.accept("strict") || cursor.accept("returns", "null", "on", "null", "input")) changes.add("STRICT");
            else if (cursor.accept("called", "on", "null", "input")) changes.add("CALLED ON NULL INPUT");
            else if (cursor.accept("external")) continue;
            else if (cursor.accept("security")) changes.add("SECURITY " + cursor.next().value().toUpperCase(java.util.Locale.ROOT));
            else if (cursor.peek().isWord("set") || cursor.peek().isWord("reset")) {
                changes.add(cursor.next().value().toUpperCase(java.util.Locale.ROOT) + " " + cursor.next().value());
            } else cursor.next();
        }
        return changes;
    }

    /** ALTER VIEW ... SET (check_option = ..., security_invoker = ...): the options that change what old statements may do. */
    private static void viewOptions(SqlStatement statement, String view, TokenCursor cursor, List<Operation> out) {
        for (TokenCursor option : cursor.groupItems()) {
            String key = option.next().value();
            var value = new StringBuilder();
            while (!option.atEnd()) value.append(option.next().value().toLowerCase(java.util.Locale.ROOT));
            String set = value.toString().replace("=", "");
            boolean on = set.isEmpty() || Set.of("true", "on", "1", "yes").contains(set);
            if (key.equals("check_option")) {
                out.add(Operation.of(Operation.Kind.VIEW_OPTION, view, "", "check_option",
                        statement, List.of("the previous release's INSERTs and UPDATEs through it fail for rows outside its WHERE")));
            } else if (key.equals("security_invoker") && on) {
                out.add(Operation.of(Operation.Kind.VIEW_OPTION, view, "", "security_invoker",
                        statement, List.of("the previous release's reads through it need privileges (and pass row security) on its tables as the caller")));
            }
        }
    }

    /** REINDEX, CLUSTER, VACUUM FULL and REFRESH MATERIALIZED VIEW without CONCURRENTLY rebuild under a blocking lock. */
    static void maintenance(SqlStatement statement, TokenCursor cursor, List<Operation> out) {
        if (cursor.accept("reindex")) {
            // since PostgreSQL 14 CONCURRENTLY may also be written among the parenthesised options
            if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN && groupHasWord(cursor, "concurrently")) return;
            String what = cursor.next().value();
            if (cursor.accept("concurrently")) return;
            out.add(Operation.of(Operation.Kind.REBUILD, cursor.qualifiedName(), "", "reindexes " + what, statement));
        } else if (cursor.accept("cluster")) {
            if (cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN) cursor.skipGroup();
            cursor.accept("verbose");
            String table = cursor.qualifiedName();
            out.add(Operation.of(Operation.Kind.REBUILD, table.isEmpty() ? "every clustered table" : table, "", "clusters", statement));
        } else if (cursor.accept("vacuum")) {
            boolean full = cursor.peek().kind() == SqlToken.Kind.LEFT_PAREN ? groupHasWord(cursor, "full") : cursor.accept("full");
            while (!cursor.atEnd() && !cursor.peek().isIdentifier()) cursor.next();
            while (cursor.acceptAny("freeze", "verbose", "analyze")) { }
            if (full) out.add(Operation.of(Operation.Kind.REBUILD, cursor.qualifiedName(), "", "runs VACUUM FULL on", statement));
        } else if (cursor.accept("refresh", "materialized", "view")) {
            if (cursor.accept("concurrently")) return;
            out.add(Operation.of(Operation.Kind.REBUILD, cursor.qualifiedName(), "", "refreshes materialized view", statement));
        }
    }

    private static boolean groupHasWord(TokenCursor cursor, String word) {
        boolean found = false;
        for (TokenCursor item : cursor.groupItems()) {
            if (item.peek().isWord(word) && !item.peek(1).isWord("false") && !item.peek(1).isWord("off")) found = true;
        }
        return found;
    }

    /** The rest of the statement rendered as text, for comparing a view's new query with its old one. */
    static String render(TokenCursor cursor) {
        var text = new StringBuilder();
        List<SqlToken> rest = new ArrayList<>(cursor.rest());
        for (SqlToken token : rest) ColumnDefinition.appendRendered(text, token);
        return text.toString();
    }
}
