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
            v.created_at, v.updated_at, v.public_errors""";
    private final Jdbc jdbc;

    public ValStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** An owner's name and one of their val's names. */
    public record Named(String owner, String name) {}

    /** Every val's owner and name, for start-up's check of names made under older rules. */
    public List<Named> allNames() {
        return jdbc.list("SELECT u.name AS owner, v.name FROM app.vals v JOIN app.users u ON u.id = v.owner_id ORDER BY u.name, v.name",
                s -> {}, row -> new Named(row.getString("owner"), row.getString("name")));
    }

    /** A val together with the code of its latest version: what serving a request needs. */
    public record Deployed(Val val, String code) {}

    /** Creates a val with version 1; empty when the owner already has a val of that name. */
    public Optional<Val> create(long ownerId, String name, Val.Type type, Val.Privacy privacy, String schedule, String code) {
        return create(ownerId, name, type, privacy, schedule, new Code(code, null, null));
    }

    /**
     * What one version stores: the source as the author wrote it, the JavaScript compiled from it and
     * the module specifiers that JavaScript imports (both null when saved without compiling).
     */
    public record Code(String source, String compiled, List<String> imports) {}

    /**
     * What else a save writes about the version, in the version's own transaction: a runtime that learns of the
     * version (its commit notifies every instance) finds these rows with it, never a moment later.
     */
    @FunctionalInterface
    public interface VersionWrites {
        VersionWrites NONE = (connection, valId, version) -> {};

        void write(java.sql.Connection connection, long valId, int version) throws SQLException;
    }

    /** Creates a val with version 1; empty when the owner already has a val of that name. */
    public Optional<Val> create(long ownerId, String name, Val.Type type, Val.Privacy privacy, String schedule, Code code) {
        return create(ownerId, name, type, privacy, schedule, code, VersionWrites.NONE);
    }

    /** Creates a val with version 1 and what {@code alongside} writes about it, in one transaction; empty when the name is taken. */
    public Optional<Val> create(long ownerId, String name, Val.Type type, Val.Privacy privacy, String schedule, Code code,
                                VersionWrites alongside) {
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
                alongside.write(connection, id, 1);
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
        return saveVersion(valId, new Code(code, null, null), privacy, schedule);
    }

    /** Saves new code (source, compiled JavaScript, imports) as the next version; see the other overload. */
    public Optional<Val> saveVersion(long valId, Code code, Val.Privacy privacy, String schedule) {
        return switch (saveVersionIf(valId, code, privacy, null, schedule, null)) {
            case Conditional.Saved saved -> Optional.of(saved.val());
            case Conditional.Stale stale -> throw new IllegalStateException("an unconditional save cannot be stale");
            case Conditional.Unscheduled unscheduled -> throw new IllegalStateException("a save that keeps the type keeps the schedule");
            case Conditional.Missing missing -> Optional.empty();
        };
    }

    /** What a save made on a condition found: the saved val, a newer version than expected, or no val at all. */
    public sealed interface Conditional {
        record Saved(Val val) implements Conditional {}
        /** Another save came first: the val is at {@code currentVersion}, which was not among those expected. */
        record Stale(int currentVersion) implements Conditional {}
        record Missing() implements Conditional {}
        /**
         * The save would have made a cron val without a schedule: it asked for type cron keeping the
         * schedule, but the val stopped being a cron val (and lost its schedule) since it was read.
         */
        record Unscheduled() implements Conditional {}
    }

    /**
     * Saves new code as the next version only while the val's latest version is one of {@code expected}
     * (null: whatever it is), an HTTP If-Match. The condition is part of the UPDATE that takes the row lock,
     * so a save that committed meanwhile is seen: two writers expecting the same version never both win.
     * A null {@code privacy}, {@code type} or {@code schedule} keeps what the val has; a val whose type
     * ends up other than cron loses its schedule in the same statement (app.vals checks that only cron
     * vals have one).
     */
    public Conditional saveVersionIf(long valId, Code code, Val.Privacy privacy, Val.Type type, String schedule,
                                     java.util.Collection<Integer> expected) {
        return saveVersionIf(valId, code, privacy, type, schedule, expected, VersionWrites.NONE);
    }

    /** {@link #saveVersionIf(long, Code, Val.Privacy, Val.Type, String, java.util.Collection)}, with what {@code alongside} writes in the same transaction. */
    public Conditional saveVersionIf(long valId, Code code, Val.Privacy privacy, Val.Type type, String schedule,
                                     java.util.Collection<Integer> expected, VersionWrites alongside) {
        Conditional result;
        try {
            result = jdbc.inTransaction(connection -> {
                int version;
                // the right-hand sides read the row as it was: "type" in the CASE is the old type
                try (var update = connection.prepareStatement("""
                        UPDATE app.vals SET latest_version = latest_version + 1, updated_at = now(),
                               privacy = coalesce(?, privacy), type = coalesce(?, type),
                               schedule = CASE WHEN coalesce(?, type) = 'cron' THEN coalesce(?, schedule) END
                        WHERE id = ? AND (?::int[] IS NULL OR latest_version = ANY (?::int[])) RETURNING latest_version""")) {
                    setNullable(update, 1, privacy == null ? null : privacy.wire());
                    setNullable(update, 2, type == null ? null : type.wire());
                    setNullable(update, 3, type == null ? null : type.wire());
                    setNullable(update, 4, schedule);
                    update.setLong(5, valId);
                    java.sql.Array versions = expected == null ? null : connection.createArrayOf("integer", expected.toArray());
                    for (int index : new int[] {6, 7}) {
                        if (versions == null) update.setNull(index, Types.ARRAY);
                        else update.setArray(index, versions);
                    }
                    try (var rows = update.executeQuery()) {
                        if (!rows.next()) return current(connection, valId);
                        version = rows.getInt(1);
                    }
                }
                insertVersion(connection, valId, version, code);
                alongside.write(connection, valId, version);
                return null;
            });
        } catch (StoreException e) {
            if (e.isCheckViolation()) return new Conditional.Unscheduled();
            throw e;
        }
        if (result != null) return result;
        return byId(valId).<Conditional>map(Conditional.Saved::new).orElseGet(Conditional.Missing::new);
    }

    /** Why a conditional UPDATE changed nothing: the val moved on, or it is gone. */
    private static Conditional current(java.sql.Connection connection, long valId) throws SQLException {
        try (var select = connection.prepareStatement("SELECT latest_version FROM app.vals WHERE id = ?")) {
            select.setLong(1, valId);
            try (var rows = select.executeQuery()) {
                return rows.next() ? new Conditional.Stale(rows.getInt(1)) : new Conditional.Missing();
            }
        }
    }

    /** Sets what strangers see of the val's errors (null: the operator's default); empty when the val is gone. */
    public Optional<Val> setPublicErrors(long valId, Val.ErrorDetail publicErrors) {
        int changed = jdbc.update("UPDATE app.vals SET public_errors = ?, updated_at = now() WHERE id = ?", s -> {
            setNullable(s, 1, publicErrors == null ? null : publicErrors.wire());
            s.setLong(2, valId);
        });
        return changed == 0 ? Optional.empty() : byId(valId);
    }

    /** Who owns a val and who may see it. */
    public record Ownership(long ownerId, Val.Privacy privacy) {}

    /**
     * The owner and privacy of a val, read with only the columns every schema level has: asked while the
     * schema is incompatible, before a request is held for the val.
     */
    public Optional<Ownership> ownership(String owner, String name) {
        return jdbc.one("SELECT v.owner_id, v.privacy FROM app.vals v JOIN app.users u ON u.id = v.owner_id WHERE u.name = ? AND v.name = ?",
                s -> {
                    s.setString(1, owner);
                    s.setString(2, name);
                }, r -> new Ownership(r.getLong(1), Val.Privacy.fromWire(r.getString(2))));
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

    /** The val and its latest code (the JavaScript it runs) in one round trip. */
    public Optional<Deployed> findDeployed(String owner, String name) {
        return jdbc.one("SELECT " + VAL_COLUMNS + """
                , coalesce(vv.compiled, vv.code) AS code FROM app.vals v JOIN app.users u ON u.id = v.owner_id
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

    /** The val with this id and the code of its latest version (the JavaScript it runs). */
    public Optional<Deployed> deployedById(long valId) {
        return jdbc.one("SELECT " + VAL_COLUMNS + """
                , coalesce(vv.compiled, vv.code) AS code FROM app.vals v JOIN app.users u ON u.id = v.owner_id
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

    /**
     * One version of a val as an import sees it: who owns it, who may see it, the JavaScript it runs
     * and what that imports ({@code imports} is null for versions saved before compiling existed).
     */
    public record Module(long valId, long ownerId, String owner, String name, Val.Privacy privacy, int version,
                         int latestVersion, String code, List<String> imports) {}

    /** The given version of owner/name, or its latest when {@code version} is 0; empty when either is missing. */
    public Optional<Module> module(String owner, String name, int version) {
        return jdbc.one("""
                SELECT v.id, v.owner_id, u.name AS owner, v.name, v.privacy, vv.version, v.latest_version,
                       coalesce(vv.compiled, vv.code) AS code, vv.imports
                FROM app.vals v JOIN app.users u ON u.id = v.owner_id
                JOIN app.val_versions vv ON vv.val_id = v.id AND vv.version = CASE WHEN ? = 0 THEN v.latest_version ELSE ? END
                WHERE u.name = ? AND v.name = ?""",
                s -> {
                    s.setInt(1, version);
                    s.setInt(2, version);
                    s.setString(3, owner);
                    s.setString(4, name);
                }, ValStore::mapModule);
    }

    /** The imports of one version (null when it was saved before compiling existed); empty when there is no such version. */
    public Optional<List<String>> imports(long valId, int version) {
        record Imports(List<String> list) {}
        return jdbc.one("SELECT imports FROM app.val_versions WHERE val_id = ? AND version = ?", s -> {
            s.setLong(1, valId);
            s.setInt(2, version);
        }, r -> new Imports(stringList(r.getArray("imports")))).map(Imports::list);
    }

    /** The latest version number of each of the given vals that still exists. */
    public java.util.Map<Long, Integer> latestVersions(java.util.Collection<Long> valIds) {
        var result = new java.util.HashMap<Long, Integer>();
        if (valIds.isEmpty()) return result;
        jdbc.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT id, latest_version FROM app.vals WHERE id = ANY (?)")) {
                select.setArray(1, connection.createArrayOf("bigint", valIds.toArray()));
                try (var rows = select.executeQuery()) {
                    while (rows.next()) result.put(rows.getLong(1), rows.getInt(2));
                }
            }
            return null;
        });
        return result;
    }

    private static void insertVersion(java.sql.Connection connection, long valId, int version, Code code) throws SQLException {
        try (var insert = connection.prepareStatement(
                "INSERT INTO app.val_versions (val_id, version, code, compiled, imports) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, valId);
            insert.setInt(2, version);
            insert.setString(3, code.source());
            setNullable(insert, 4, code.compiled());
            if (code.imports() == null) insert.setNull(5, Types.ARRAY);
            else insert.setArray(5, connection.createArrayOf("text", code.imports().toArray()));
            insert.executeUpdate();
        }
    }

    private static List<String> stringList(java.sql.Array array) throws SQLException {
        if (array == null) return null;
        return List.of((String[]) array.getArray());
    }

    private static Module mapModule(ResultSet r) throws SQLException {
        return new Module(r.getLong("id"), r.getLong("owner_id"), r.getString("owner"), r.getString("name"),
                Val.Privacy.fromWire(r.getString("privacy")), r.getInt("version"), r.getInt("latest_version"),
                r.getString("code"), stringList(r.getArray("imports")));
    }

    private static void setNullable(java.sql.PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) statement.setNull(index, Types.VARCHAR);
        else statement.setString(index, value);
    }

    static Val map(ResultSet r) throws SQLException {
        return new Val(r.getLong("id"), r.getLong("owner_id"), r.getString("owner"), r.getString("name"),
                Val.Type.fromWire(r.getString("type")), Val.Privacy.fromWire(r.getString("privacy")),
                r.getString("schedule"), r.getInt("latest_version"),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant(),
                r.getString("public_errors") == null ? null : Val.ErrorDetail.fromWire(r.getString("public_errors")));
    }

    private static ValVersion mapVersion(ResultSet r) throws SQLException {
        return new ValVersion(r.getLong("val_id"), r.getInt("version"), r.getString("code"), r.getTimestamp("created_at").toInstant());
    }
}
