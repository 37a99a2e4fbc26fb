package dev.valence.foundation.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads {@code control.audit_log}. A change is recorded right after it succeeded, outside its
 * transaction: when the row cannot be written the change stands and the entry goes to the log at ERROR
 * (so it is never lost silently), because refusing a change that already happened would only confuse.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    public static final int MAX_PAGE = 1000;

    /** What a reader filters on; null fields match everything. {@code beforeId} is the cursor (entries with a smaller id). */
    public record Query(String actor, String action, String target, Instant since, Instant before, Long beforeId, int limit) {}

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records one change; never throws (see the class comment). */
    public void record(String actor, AuditEntry.ActorKind kind, String action, String target, String address, String detail) {
        try (var c = dataSource.getConnection();
             var insert = c.prepareStatement("INSERT INTO control.audit_log (actor, actor_kind, action, target, address, detail)"
                     + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, clean(actor, 300));
            insert.setString(2, kind.wire());
            insert.setString(3, clean(action, 100));
            insert.setString(4, clean(target == null ? "" : target, 500));
            insert.setString(5, address == null ? null : clean(address, 100));
            insert.setString(6, detail == null ? null : clean(detail, 2000));
            insert.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            log.error("The audit log could not record: {} {} by {} '{}' from {} ({}); the change itself was made", action, target,
                    kind.wire(), actor, address, detail, e);
        }
    }

    /** Newest first. */
    public List<AuditEntry> list(Query query) {
        var sql = new StringBuilder("SELECT id, at, actor, actor_kind, action, target, address, detail FROM control.audit_log WHERE true");
        var params = new ArrayList<Object>();
        if (query.actor() != null) { sql.append(" AND actor = ?"); params.add(query.actor()); }
        if (query.action() != null) {
            // 'val' matches every val.* action, 'val.create' just that one
            if (query.action().contains(".")) { sql.append(" AND action = ?"); params.add(query.action()); }
            else { sql.append(" AND action LIKE ?"); params.add(query.action() + ".%"); }
        }
        if (query.target() != null) { sql.append(" AND target = ?"); params.add(query.target()); }
        if (query.since() != null) { sql.append(" AND at >= ?"); params.add(Timestamp.from(query.since())); }
        if (query.before() != null) { sql.append(" AND at < ?"); params.add(Timestamp.from(query.before())); }
        if (query.beforeId() != null) { sql.append(" AND id < ?"); params.add(query.beforeId()); }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(Math.min(query.limit(), MAX_PAGE + 1));
        try (var c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) select.setObject(i + 1, params.get(i));
            var entries = new ArrayList<AuditEntry>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                            AuditEntry.ActorKind.fromWire(rows.getString(4)), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new AuditReadFailure(e);
        }
    }

    /** The log could not be read (the database is unreachable or the table is missing). */
    public static final class AuditReadFailure extends RuntimeException {
        AuditReadFailure(SQLException cause) {
            super("the audit log could not be read: " + cause.getMessage(), cause);
        }

        public SQLException sqlCause() {
            return (SQLException) getCause();
        }
    }

    /** PostgreSQL refuses U+0000 in text (it would lose the row); over-long values are cut to the column's limit. */
    private static String clean(String text, int maxChars) {
        String clean = text.replace('\u0000', '\uFFFD');
        return clean.length() > maxChars ? clean.substring(0, maxChars) : clean;
    }
}
