package dev.valence.ops.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the rows of the database the migration will run on say, where the migration files can only guess: whether any
 * row violates a new CHECK, NOT NULL or narrower type, how many rows an UPDATE's or DELETE's WHERE matches, whether a
 * table holds any row, how far a sequence has counted. Each question runs in its own READ ONLY transaction with a
 * {@value #TIMEOUT_MS} ms statement_timeout and is rolled back, so the migration's own expressions (a CHECK, a WHERE)
 * can be evaluated without writing anything; a scan of every row is asked only of tables of at most
 * {@value #SCAN_ROWS_AT_MOST} rows. A question the database cannot answer (an object the migration itself creates, a
 * timeout, a missing privilege) has no answer, and the finding it could have settled stays.
 */
final class LiveRows {
    /** Tables above this many rows are not scanned for a violating row: the answer would cost a scan of the table. */
    static final long SCAN_ROWS_AT_MOST = 1_000_000;
    static final int TIMEOUT_MS = 2_000;

    private final Connection connection;
    private final LiveCatalog catalog;

    /** An answer about rows, or why there is none ({@code skipped}, for the finding's sentence). */
    record Answer(Optional<Boolean> found, String skipped) {
        static Answer of(boolean found) {
            return new Answer(Optional.of(found), "");
        }

        static Answer none(String why) {
            return new Answer(Optional.empty(), why);
        }
    }

    /** A sequence's state ({@code pg_sequences}); {@code lastValue} empty before its first nextval. */
    record SequenceState(String name, OptionalLong lastValue, long startValue, long maxValue, long increment) {
        /** How many numbers it has handed out so far. */
        long used() {
            return lastValue.isEmpty() ? 0 : (lastValue.getAsLong() - startValue) / increment + 1;
        }
    }

    LiveRows(Connection connection, LiveCatalog catalog) {
        this.connection = connection;
        this.catalog = catalog;
    }

    /** Does any row of {@code table} satisfy {@code condition} (SQL over the table's columns)? Scans at most SCAN_ROWS_AT_MOST rows. */
    Answer anyRow(String table, String condition) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return Answer.none("");
        OptionalLong rows = catalog.rows(table);
        if (rows.isPresent() && rows.getAsLong() > SCAN_ROWS_AT_MOST) {
            return Answer.none("not checked against its rows: " + SchemaModel.bare(table) + " holds about " + rows.getAsLong()
                    + " rows, more than the " + SCAN_ROWS_AT_MOST + " ops lint scans");
        }
        return ask("SELECT EXISTS (SELECT 1 FROM " + qualified.get() + " WHERE " + condition + ")", table);
    }

    /** Is {@code condition}, which reads no table, true? */
    Answer holds(String condition) {
        return ask("SELECT EXISTS (SELECT 1 WHERE " + condition + ")", "");
    }

    /** Does {@code table} hold any row at all? Reads at most one. */
    Answer hasRows(String table) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return Answer.none("");
        return ask("SELECT EXISTS (SELECT 1 FROM " + qualified.get() + ")", table);
    }

    /**
     * How many rows {@code FROM table alias [, from] WHERE where} matches, counted up to {@code limit + 1}; empty when
     * the database cannot say.
     */
    OptionalLong countUpTo(String table, String alias, String from, String where, long limit) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return OptionalLong.empty();
        String sql = "SELECT count(*) FROM (SELECT 1 FROM " + qualified.get() + (alias.isEmpty() ? "" : " " + alias)
                + (from.isEmpty() ? "" : ", " + from) + " WHERE " + where + " LIMIT " + (limit + 1) + ") matched";
        try {
            return readOnly(sql, List.of(), rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty());
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    /** The largest value of a whole-number column, or empty (no rows, another type, no answer). */
    OptionalLong max(String table, String column) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return OptionalLong.empty();
        try {
            return readOnly("SELECT max(" + LiveCatalog.quote(column) + ")::numeric::text FROM " + qualified.get(), List.of(), rows -> {
                String value = rows.next() ? rows.getString(1) : null;
                return value == null || !value.matches("-?\\d+") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
            });
        } catch (SQLException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The sequence {@code name} (bare or qualified), or the one an identity or serial column {@code table.column} draws from. */
    Optional<SequenceState> sequence(String table, String column) {
        try {
            String name = column.isEmpty() ? SchemaModel.bare(table)
                    : readOnly("SELECT pg_get_serial_sequence(?, ?)", List.of(catalog.qualified(table).orElse(table), column),
                            rows -> rows.next() ? rows.getString(1) : null);
            if (name == null) return Optional.empty();
            String bare = SchemaModel.bare(name).replace("\"", "");
            return readOnly("SELECT last_value, start_value, max_value, increment_by FROM pg_sequences WHERE sequencename = ?",
                    List.of(bare), rows -> {
                        if (!rows.next()) return Optional.<SequenceState>empty();
                        long last = rows.getLong(1);
                        OptionalLong lastValue = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(last);
                        return Optional.of(new SequenceState(bare, lastValue, rows.getLong(2), rows.getLong(3), rows.getLong(4)));
                    });
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The columns ({@code table.column}) whose default draws from sequence {@code name}, or that own it (identity, serial):
     * where the numbers it hands out end up. Empty when none does, so code names it itself.
     */
    List<String> sequenceColumns(String name) {
        String sql = """
                SELECT c.relname || '.' || a.attname FROM pg_depend d
                  JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                  JOIN pg_class c ON c.oid = ad.adrelid
                  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                 WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = (SELECT oid FROM pg_class WHERE relname = ? AND relkind = 'S' LIMIT 1)
                UNION
                SELECT c.relname || '.' || a.attname FROM pg_depend d
                  JOIN pg_class c ON c.oid = d.refobjid
                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
                   AND d.objid = (SELECT oid FROM pg_class WHERE relname = ? AND relkind = 'S' LIMIT 1)""";
        try {
            return readOnly(sql, List.of(SchemaModel.bare(name), SchemaModel.bare(name)), rows -> {
                List<String> columns = new ArrayList<>();
                while (rows.next()) columns.add(rows.getString(1));
                return columns;
            });
        } catch (SQLException e) {
            return List.of();
        }
    }

    /**
     * The column's type as the database has it ({@code format_type}: {@code character varying(20)}, {@code numeric(10,2)}),
     * for a table the migrations do not describe (made with LIKE, or before the migrations began).
     */
    Optional<String> columnType(String table, String column) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return Optional.empty();
        try {
            return readOnly("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?"
                    + " AND NOT attisdropped", List.of(qualified.get(), column), rows -> rows.next()
                    ? Optional.of(rows.getString(1).replace("character varying", "varchar")) : Optional.<String>empty());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * True if PostgreSQL's cast from one type to the other is binary coercible ({@code pg_cast.castmethod = 'b'}): the
     * stored bytes are reused, so ALTER COLUMN TYPE without a length limit rewrites nothing.
     */
    boolean binaryCoercible(String from, String to) {
        try {
            return readOnly("SELECT EXISTS (SELECT 1 FROM pg_cast WHERE castsource = ?::regtype AND casttarget = ?::regtype AND castmethod = 'b')",
                    List.of(from, to), rows -> rows.next() && rows.getBoolean(1));
        } catch (SQLException e) {
            return false;
        }
    }

    /** True if some index of the table has the column in its key (or cannot be read): such an index is rebuilt by a type change. */
    boolean indexed(String table, String column) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return true;
        try {
            return readOnly("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                    + " WHERE i.indrelid = ?::regclass AND a.attname = ?)", List.of(qualified.get(), column), rows -> !rows.next() || rows.getBoolean(1));
        } catch (SQLException e) {
            return true;
        }
    }

    /** True if the database's column is NOT NULL, or a validated CHECK (column IS NOT NULL) proves it. */
    boolean provenNotNull(String table, String column) {
        Optional<String> qualified = catalog.qualified(table);
        if (qualified.isEmpty()) return false;
        String sql = """
                SELECT a.attnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.contype = 'c'
                    AND c.convalidated AND regexp_replace(pg_get_constraintdef(c.oid), '[()" ]', '', 'g') = 'CHECK' || a.attname || 'ISNOTNULL')
                FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attname = ? AND NOT a.attisdropped""";
        try {
            return readOnly(sql, List.of(qualified.get(), column), rows -> rows.next() && rows.getBoolean(1));
        } catch (SQLException e) {
            return false;
        }
    }

    private Answer ask(String sql, String table) {
        try {
            return readOnly(sql, List.of(), rows -> Answer.of(rows.next() && rows.getBoolean(1)));
        } catch (SQLException e) {
            String why = "57014".equals(e.getSQLState()) ? "not checked against its rows: the check of " + SchemaModel.bare(table)
                    + " took more than " + TIMEOUT_MS + " ms" : "";
            return Answer.none(why);
        }
    }

    private interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs one query in a READ ONLY transaction under the statement timeout, and rolls it back. */
    private <T> T readOnly(String sql, List<String> parameters, Reader<T> reader) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (var settings = connection.createStatement()) {
                settings.execute("SET TRANSACTION READ ONLY");
                settings.execute("SET LOCAL statement_timeout = " + TIMEOUT_MS);
            }
            if (parameters.isEmpty()) {
                // a plain statement: the migration's expressions may hold ? operators (jsonb), which are no placeholders
                try (var statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                    return reader.read(rows);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) statement.setString(i + 1, parameters.get(i));
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows);
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }
}
