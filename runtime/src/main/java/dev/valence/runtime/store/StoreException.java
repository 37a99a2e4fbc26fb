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

    /** 23505: a unique constraint refused the row. */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState);
    }
}
