package dev.valence.ops;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * {@code ops migrate --undo VERSION}: the way back from the latest app migration. It runs the undo
 * script the migration shipped ({@code U<version>__<description>.sql} beside {@code V<version>__<description>.sql},
 * Flyway Teams' naming) and deletes the migration's {@code control.schema_contract} row and its Flyway history
 * row in the same transaction, so the schema guard's verdict follows the database at the commit (the triggers
 * on both tables notify every runtime). Undoing by hand leaves one of the three behind.
 */
final class UndoMigration {
    private static final String APP = MigrationLocations.SCHEMAS.getLast();

    /** What reading the database and the files found: a target, or the sentence refusing it. */
    private sealed interface Reading permits Target, Refusal {}

    /** What the undo would do, read before anything changes. */
    private record Target(int version, String label, String script, String undoScript, String undoSql, int schemaAfter, int floorAfter)
            implements Reading {}

    private record Refusal(String sentence) implements Reading {}

    private final DatabaseOption database;
    private final DataSource dataSource;
    private final MigrationLocations locations;
    private final Clock clock;
    private final int liveSeconds;

    UndoMigration(DatabaseOption database, DataSource dataSource, MigrationLocations locations, Clock clock, int liveSeconds) {
        this.database = database;
        this.dataSource = dataSource;
        this.locations = locations;
        this.clock = clock;
        this.liveSeconds = liveSeconds;
    }

    /** Undoes app {@code version}; refusals go to {@code err} and exit 1 with nothing changed. */
    int undo(int version, boolean force, LockRetry retry, PrintWriter out, PrintWriter err) throws InterruptedException {
        Target target;
        List<LiveInstance> needing;
        try (Connection connection = database.connect(dataSource)) {
            switch (read(connection, version)) {
                case Refusal refusal -> {
                    err.println("refused: " + refusal.sentence() + "; nothing was changed.");
                    err.flush();
                    return ExitCodes.REFUSED;
                }
                case Target found -> target = found;
            }
            needing = LiveInstance.read(connection, DatabaseOption.now(connection, clock), liveSeconds).stream()
                    .filter(i -> i.codeMinimum() > target.schemaAfter()).toList();
        } catch (SQLException | FlywayException e) {
            throw database.unreachable(e);
        }
        String leaves = "undoing app v" + version + " would leave the schema at app v" + target.schemaAfter()
                + ", below the minimum of live instances: " + describe(needing) + ".";
        if (!needing.isEmpty() && !force) {
            err.println("refused: " + leaves + " They would answer 503 (schema_too_old). Deploy code whose minimum is at most "
                    + target.schemaAfter() + " everywhere first, or pass --force; nothing was changed.");
            err.flush();
            return ExitCodes.REFUSED;
        }
        if (!needing.isEmpty()) {
            err.println("WARNING: --force: " + leaves.replace("would leave", "leaves") + " They will answer 503 until code whose"
                    + " minimum is at most " + target.schemaAfter() + " replaces them.");
            err.flush();
        }
        try {
            retry.run("undoing app v" + version, () -> apply(target));
        } catch (Overtaken e) {
            err.println("refused: " + e.getMessage() + "; nothing was changed.");
            err.flush();
            return ExitCodes.REFUSED;
        }
        out.println("undone " + target.label() + ": ran " + target.undoScript() + ", removed its control.schema_contract row and its"
                + " history row in one transaction; app is now at v" + target.schemaAfter() + " (floor " + target.floorAfter() + ").");
        if (locations.read(APP, target.script()) != null) {
            out.println("app v" + version + " is pending again while " + fileName(target.script()) + " stays in the migrations:"
                    + " remove it from the release, or ops migrate applies it again.");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Reading read(Connection connection, int version) throws SQLException {
        var applied = locations.configure(dataSource, APP).load().info().applied();
        for (MigrationInfo m : applied) {
            if (m.getState().isFailed()) {
                return new Refusal("app v" + m.getVersion() + " failed and is half applied; repair the history (flyway repair) before undoing anything");
            }
        }
        List<MigrationInfo> versioned = java.util.Arrays.stream(applied).filter(m -> m.getVersion() != null)
                .sorted(Comparator.comparing(MigrationInfo::getVersion)).toList();
        int latest = versioned.isEmpty() ? 0 : major(versioned.getLast());
        MigrationInfo mine = versioned.stream().filter(m -> major(m) == version).findFirst().orElse(null);
        if (mine == null) return new Refusal("app v" + version + " is not applied (app is at v" + latest + ")");
        if (version != latest) {
            return new Refusal("app v" + version + " is not the latest applied app migration (app v" + latest + " is); undo app v"
                    + latest + " first, newest first");
        }
        String label = "app v" + version + " (" + contractDescription(connection, version, mine.getDescription()) + ")";
        String undoScript = undoScriptOf(mine.getScript());
        String undoSql = locations.read(APP, undoScript);
        if (undoSql == null) {
            return new Refusal(label + " has no undo script: ship the SQL that reverses it as " + fileName(undoScript) + " beside "
                    + fileName(mine.getScript()) + ", or restore the database from a backup");
        }
        int schemaAfter = versioned.size() < 2 ? 0 : major(versioned.get(versioned.size() - 2));
        return new Target(version, label, mine.getScript(), fileName(undoScript), undoSql, schemaAfter, floorWithout(connection, version));
    }

    /** In one transaction: the undo script, then the contract row and the history row it leaves behind otherwise. */
    private void apply(Target target) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var script = connection.createStatement();
                 var contract = connection.prepareStatement("DELETE FROM control.schema_contract WHERE version = ?");
                 var history = connection.prepareStatement("DELETE FROM app.flyway_schema_history WHERE version = ?")) {
                // a migration applied since the target was read (ops migrate or Flyway elsewhere, which write the history in
                // their own transaction) would be left on top of an undone one: wait for any such writer, then look again
                script.execute("LOCK TABLE app.flyway_schema_history IN SHARE ROW EXCLUSIVE MODE");
                String latest = latestApplied(connection);
                if (!String.valueOf(target.version()).equals(latest)) throw new Overtaken(target, latest);
                try {
                    script.execute(target.undoSql());
                } catch (SQLException e) {
                    throw new ScriptFailed(target, e);
                }
                contract.setInt(1, target.version());
                contract.executeUpdate();
                history.setString(1, String.valueOf(target.version()));
                history.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String latestApplied(Connection connection) throws SQLException {
        try (var latest = connection.createStatement();
             var rows = latest.executeQuery("SELECT version FROM app.flyway_schema_history WHERE success AND version IS NOT NULL"
                     + " ORDER BY installed_rank DESC LIMIT 1")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** Another migration was applied between reading the target and taking the history's lock. */
    static final class Overtaken extends RuntimeException {
        Overtaken(Target target, String latest) {
            super("app v" + latest + " was applied while the undo of app v" + target.version() + " was getting ready (another"
                    + " ops migrate or Flyway ran meanwhile); undo app v" + latest + " first, newest first");
        }
    }

    /** A failing undo script, worded for the operator once the transaction is rolled back. */
    static final class ScriptFailed extends SQLException {
        ScriptFailed(Target target, SQLException cause) {
            super("undoing app v" + target.version() + " failed in " + target.undoScript() + " and was rolled back, nothing was changed: "
                    + cause.getMessage() + "; fix the undo script or the database and run ops migrate --undo " + target.version() + " again",
                    cause.getSQLState(), cause);
        }
    }

    private static String contractDescription(Connection connection, int version, String fallback) throws SQLException {
        try (var query = connection.prepareStatement("SELECT description FROM control.schema_contract WHERE version = ?")) {
            query.setInt(1, version);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : fallback;
            }
        }
    }

    private static int floorWithout(Connection connection, int version) throws SQLException {
        try (var query = connection.prepareStatement("SELECT coalesce(max(min_code_level), 0) FROM control.schema_contract WHERE version <> ?")) {
            query.setInt(1, version);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static int major(MigrationInfo m) {
        return Integer.parseInt(m.getVersion().getVersion().split("\\.")[0]);
    }

    /** "sub/V900__x.sql" becomes "sub/U900__x.sql": the undo script sits beside its migration with the same name after the prefix. */
    static String undoScriptOf(String script) {
        int slash = script.lastIndexOf('/');
        return script.substring(0, slash + 1) + "U" + script.substring(slash + 2);
    }

    private static String fileName(String script) {
        return script.substring(script.lastIndexOf('/') + 1);
    }

    /** "runtime-a (host x, build abc, level 2, minimum 2, seen 1 s ago), ..." */
    private static String describe(List<LiveInstance> instances) {
        return String.join(", ", instances.stream().map(i -> i.id() + " (host " + i.host() + ", build " + i.buildId() + ", level "
                + i.codeLevel() + ", minimum " + i.codeMinimum() + ", seen " + i.secondsAgo() + " s ago)").toList());
    }
}
