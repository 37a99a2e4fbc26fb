package dev.valence.ops.lintreplay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The previous release's queries, run the way it runs them: each in its own transaction, rolled back so the
 * next sees the same rows. The answer of each (its rows as text, its update count, or its SQLSTATE and
 * message) is what "still works" is judged on: an error, or different rows, after the migration means the
 * previous release breaks.
 */
final class OldRelease {
    private OldRelease() {}

    /** Query name to answer, in order. */
    static Map<String, String> run(Connection connection, Map<String, String> queries) throws SQLException {
        var answers = new LinkedHashMap<String, String>();
        connection.setAutoCommit(false);
        try (var s = connection.createStatement()) {
            for (var query : queries.entrySet()) {
                answers.put(query.getKey(), answer(s, query.getValue()));
                connection.rollback();
            }
        } finally {
            connection.setAutoCommit(true);
        }
        return answers;
    }

    private static String answer(java.sql.Statement s, String sql) {
        try {
            if (!s.execute(sql)) {
                return "count " + s.getUpdateCount();
            }
            try (ResultSet rows = s.getResultSet()) {
                var text = new StringBuilder();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        text.append(i == 1 ? "" : " | ").append(rows.getString(i));
                    }
                    text.append('\n');
                }
                return text.isEmpty() ? "(no rows)" : text.toString().strip();
            }
        } catch (SQLException e) {
            return "ERROR " + e.getSQLState() + ": " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    static boolean failed(String answer) {
        return answer.startsWith("ERROR ");
    }

    /** Names the shared queries ({@code -- query: name} headers) and appends a case's own, numbered. */
    static Map<String, String> queries(String sharedFile, List<String> caseQueries, String caseName) {
        var queries = new LinkedHashMap<String, String>();
        String name = null;
        var body = new StringBuilder();
        for (String line : (sharedFile + "\n-- query: end").split("\n")) {
            if (line.startsWith("-- query: ")) {
                if (name != null) {
                    queries.put(name, SqlScript.statements(body.toString()).getFirst());
                }
                name = line.substring("-- query: ".length()).strip();
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        for (int i = 0; i < caseQueries.size(); i++) {
            queries.put(caseName + "#" + (i + 1), caseQueries.get(i));
        }
        return queries;
    }
}
