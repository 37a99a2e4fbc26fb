package dev.valence.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Vals and their immutable versions. Saving code always inserts the next version number. */
public final class ValStore {
    private static final String VAL_COLUMNS = """
            v.id, v.owner_id, u.name AS owner, v.name, v.type, v.privacy, v.schedule, v.latest_version,
            v.created_at, v.updated_at""";
    private final Jdbc jdbc;

    public ValStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A val together with the code of its latest version: what serving a request needs. */
    public record Deployed(Val val, String code) {}

    /** Creates a val with version 1; empty when the owner already has a val of that name. */
    public Optional<Val> create(long ownerId, String name, Val.Type type, Val.Privacy privacy, String schedule, String code) {
        try {
            return Optional.of(jdbc.inTransaction(connection -> {
                long id;
                try (var insert = connection.prepareStatement("""
                        INSERT INTO app.vals (owner_id, name, type, privacy, schedule, latest_version)
                        VALUES (?, ?, ?, ?, ?, 1) RETURNING id""")) {
                    insert.setLong(1, ownerId);
                    insert.setString(2, name);
                    insert.setString(3, type.wire());
                    insert.setString(4, privacy.wire());
                    setNullable(insert, 5, schedule);
                    try (var rows = insert.executeQuery()) {
                        rows.next();
                        id = rows.getLong(1);
                    }
                }
                insertVersion(connection, id, 1, code);
                return id;
            })).flatMap(this::byId);
        } catch (StoreException e) {
            if (e.isUniqueViolation()) return Optional.empty();
            throw e;
        }
    }

    /**
     * Saves new code as the next version, optionally changing privacy and schedule; the row lock on
     * the val serialises concurrent saves so version numbers never collide.
     */
    public Optional<Val> saveVersion(long valId, String code, Val.Privacy privacy, String schedule) {
        boolean found = jdbc.inTransaction(connection -> {
            int version;
            try (var update = connection.prepareStatement("""
                    UPDATE app.vals SET latest_version = latest_version + 1, updated_at = now(),
                           privacy = coalesce(?, privacy), schedule = coalesce(?, schedule)
                    WHERE id = ? RETURNING latest_version""")) {
                setNullable(update, 1, privacy == null ? null : privacy.wire());
                setNullable(update, 2, schedule);
                update.setLong(3, valId);
                try (var rows = update.executeQuery()) {
                    if (!rows.next()) return false;
                    version = rows.getInt(1);
                }
            }
            insertVersion(connection, valId, version, code);
            return true;
        });
        return found ? byId(valId) : Optional.empty();
    }

    public Optional<Val> byId(long id) {
        return jdbc.one("SELECT " + VAL_COLUMNS + " FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE v.id = ?",
                s -> s.setLong(1, id), ValStore::map);
    }

    public Optional<Val> find(String owner, String name) {
        return jdbc.one("SELECT " + VAL_COLUMNS + " FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE u.name = ? AND v.name = ?",
                s -> {
                    s.setString(1, owner);
                    s.setString(2, name);
                }, ValStore::map);
    }

    /** The val and its latest code in one round trip. */
    public Optional<Deployed> findDeployed(String owner, String name) {
        return jdbc.one("SELECT " + VAL_COLUMNS + """
                , vv.code FROM app.vals v JOIN app.users u ON u.id = v.owner_id
                JOIN app.val_versions vv ON vv.val_id = v.id AND vv.version = v.latest_version
                WHERE u.name = ? AND v.name = ?""",
                s -> {
                    s.setString(1, owner);
                    s.setString(2, name);
                }, row -> new Deployed(map(row), row.getString("code")));
    }

    public List<Val> listByOwner(long ownerId) {
        return jdbc.list("SELECT " + VAL_COLUMNS + " FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE v.owner_id = ? ORDER BY v.name",
                s -> s.setLong(1, ownerId), ValStore::map);
    }

    /** Every val of one type, of every owner (the cron scheduler keeps its tasks in step with these). */
    public List<Val> listByType(Val.Type type) {
        return jdbc.list("SELECT " + VAL_COLUMNS + " FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE v.type = ? ORDER BY v.id",
                s -> s.setString(1, type.wire()), ValStore::map);
    }

    /** The val with this id and the code of its latest version. */
    public Optional<Deployed> deployedById(long valId) {
        return jdbc.one("SELECT " + VAL_COLUMNS + """
                , vv.code FROM app.vals v JOIN app.users u ON u.id = v.owner_id
                JOIN app.val_versions vv ON vv.val_id = v.id AND vv.version = v.latest_version
                WHERE v.id = ?""",
                s -> s.setLong(1, valId), row -> new Deployed(map(row), row.getString("code")));
    }

    public List<ValVersion> versions(long valId) {
        return jdbc.list("SELECT val_id, version, '' AS code, created_at FROM app.val_versions WHERE val_id = ? ORDER BY version DESC",
                s -> s.setLong(1, valId), ValStore::mapVersion);
    }

    public Optional<ValVersion> version(long valId, int version) {
        return jdbc.one("SELECT val_id, version, code, created_at FROM app.val_versions WHERE val_id = ? AND version = ?",
                s -> {
                    s.setLong(1, valId);
                    s.setInt(2, version);
                }, ValStore::mapVersion);
    }

    public boolean delete(long valId) {
        return jdbc.update("DELETE FROM app.vals WHERE id = ?", s -> s.setLong(1, valId)) == 1;
    }

    private static void insertVersion(java.sql.Connection connection, long valId, int version, String code) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO app.val_versions (val_id, version, code) VALUES (?, ?, ?)")) {
            insert.setLong(1, valId);
            insert.setInt(2, version);
            insert.setString(3, code);
            insert.executeUpdate();
        }
    }

    private static void setNullable(java.sql.PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) statement.setNull(index, Types.VARCHAR);
        else statement.setString(index, value);
    }

    static Val map(ResultSet r) throws SQLException {
        return new Val(r.getLong("id"), r.getLong("owner_id"), r.getString("owner"), r.getString("name"),
                Val.Type.fromWire(r.getString("type")), Val.Privacy.fromWire(r.getString("privacy")),
                r.getString("schedule"), r.getInt("latest_version"),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant());
    }

    private static ValVersion mapVersion(ResultSet r) throws SQLException {
        return new ValVersion(r.getLong("val_id"), r.getInt("version"), r.getString("code"), r.getTimestamp("created_at").toInstant());
    }
}
