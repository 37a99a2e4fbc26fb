package dev.valence.runtime.store;

import java.sql.SQLException;

/** A database failure, keeping the SQLSTATE so callers can tell a conflict from a lost connection. */
public final class StoreException extends RuntimeException {
    private final String sqlState;

    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }

    /**
     * A missing column, table, function or type (42703, 42P01, 42883, 42704), or a lost connection
     * (class 08, or none at all): signs that the schema changed under this code or the database went away.
     */
    public boolean isSchemaOrConnectionProblem() {
        return switch (sqlState) {
            case "42703", "42P01", "42883", "42704" -> true;
            // no SQLSTATE: the failure is the client's, not the server's; HikariCP's proxy for a connection it
            // closed after the server died throws "Connection is closed" without one
            case "" -> true;
            default -> sqlState.startsWith("08") || getCause() instanceof java.sql.SQLTransientConnectionException;
        };
    }

    /** 23514: a CHECK constraint refused the row. */
    public boolean isCheckViolation() {
        return "23514".equals(sqlState);
    }

    /** 23505: a unique constraint refused the row. */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState);
    }
}
