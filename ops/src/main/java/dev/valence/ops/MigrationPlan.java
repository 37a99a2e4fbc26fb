package dev.valence.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * What {@code migrate} would do: the files Flyway has not applied yet (control first, then app),
 * joined with what each app file declares, and which pending contract migrations live instances
 * still block.
 *
 * @param current each schema's applied version ("0" when nothing is applied)
 * @param pending control's pending migrations, then app's, in the order they would run
 * @param blocks pending contract migrations with the live instances running code below their floor
 */
record MigrationPlan(Map<String, String> current, List<Pending> pending, List<Block> blocks, int liveSeconds) {

    /** A migration file not applied yet; {@code declaration} is null for control (expand-only) and undeclared files. */
    record Pending(String schema, String version, String description, String script, Declaration declaration) {
        String name() {
            return schema + " v" + version;
        }
    }

    /** A contract migration that would break {@code below}, the live instances running code under its floor. */
    record Block(Pending migration, List<LiveInstance> below) {
        int floor() {
            return migration.declaration().minCodeLevel();
        }
    }

    static MigrationPlan read(DataSource dataSource, Connection connection, MigrationLocations locations, Instant now, int liveSeconds)
            throws SQLException {
        var current = new LinkedHashMap<String, String>();
        var pending = new ArrayList<Pending>();
        for (String schema : MigrationLocations.SCHEMAS) {
            var info = locations.configure(dataSource, schema).load().info();
            current.put(schema, info.current() == null || info.current().getVersion() == null ? "0" : info.current().getVersion().getVersion());
            for (MigrationInfo migration : info.pending()) {
                String version = migration.getVersion() == null ? "R" : migration.getVersion().getVersion();
                Declaration declaration = null;
                if (schema.equals(MigrationLocations.SCHEMAS.getLast())) {
                    String sql = locations.read(schema, migration.getScript());
                    declaration = sql == null ? null
                            : Declaration.in(sql, Integer.parseInt(version), migration.getScript()).orElse(null);
                }
                pending.add(new Pending(schema, version, migration.getDescription(), migration.getScript(), declaration));
            }
        }
        var live = LiveInstance.read(connection, now, liveSeconds);
        var blocks = new ArrayList<Block>();
        for (Pending migration : pending) {
            if (migration.declaration() == null || !migration.declaration().isContract()) continue;
            var below = live.stream().filter(i -> i.codeLevel() < migration.declaration().minCodeLevel()).toList();
            if (!below.isEmpty()) blocks.add(new Block(migration, below));
        }
        return new MigrationPlan(current, pending, blocks, liveSeconds);
    }

    /** Connects, reads the plan and closes; an unreachable database or unreadable history becomes an {@link OpsException}. */
    static MigrationPlan load(DatabaseOption database, DataSource dataSource, MigrationLocations locations, Clock clock, int liveSeconds) {
        try (Connection connection = database.connect(dataSource)) {
            return read(dataSource, connection, locations, DatabaseOption.now(connection, clock), liveSeconds);
        } catch (SQLException | FlywayException e) {
            throw database.unreachable(e);
        }
    }

    Optional<Block> firstBlock() {
        return blocks.stream().findFirst();
    }

    List<Pending> pendingOf(String schema) {
        return pending.stream().filter(p -> p.schema().equals(schema)).toList();
    }

    /** The pending app migrations that run before the first blocked one. */
    List<Pending> appBeforeFirstBlock() {
        var app = pendingOf(MigrationLocations.SCHEMAS.getLast());
        return firstBlock().map(b -> app.subList(0, app.indexOf(b.migration()))).orElse(app);
    }

    /**
     * "refused: app v2 is a contract migration that needs code level >= 2; live instances below it: ...
     * Deploy code of level 2 everywhere first, or pass --force."
     */
    static String refusal(Block block) {
        return "refused: " + block.migration().name() + " is a contract migration that needs code level >= " + block.floor()
                + "; live instances below it: " + describe(block.below()) + ". Deploy code of level " + block.floor()
                + " everywhere first, or pass --force.";
    }

    static String describe(List<LiveInstance> instances) {
        return String.join(", ", instances.stream().map(LiveInstance::describe).toList());
    }

    /** "contract, min code level 2", "expand, min code level 0" or "undeclared". */
    static String kindOf(Pending migration) {
        if (migration.declaration() == null) return migration.schema().equals("control") ? "control: expand-only" : "undeclared";
        return migration.declaration().kind() + ", min code level " + migration.declaration().minCodeLevel();
    }
}
