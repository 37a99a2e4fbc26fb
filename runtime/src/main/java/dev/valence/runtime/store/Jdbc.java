package dev.valence.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The few JDBC shapes every repository here uses: query a list, query one, update. */
final class Jdbc {
    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
        return withConnection(connection -> {
            try (var statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (var rows = statement.executeQuery()) {
                    var result = new ArrayList<T>();
                    while (rows.next()) result.add(mapper.map(rows));
                    return result;
                }
            }
        });
    }

    <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) {
        var rows = list(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    int update(String sql, Binder binder) {
        return withConnection(connection -> {
            try (var statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    <T> T withConnection(Work<T> work) {
        try (var connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }
}
