package dev.valence.status.store;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What runs where during a deploy: live instances from their heartbeats, the app schema version and
 * floor, and the app migrations this build knows that the database has not applied yet.
 */
public final class DeployState {
    /** An instance is live when its heartbeat is this recent. */
    public static final long LIVE_SECONDS = 10;
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private final DataSource dataSource;

    public DeployState(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Instance(String id, String host, String buildId, int codeLevel, int codeMinimum, String verdict, String reason,
                           Instant startedAt, Instant lastSeenAt, boolean live) {}

    public record Migration(int version, String description) {}

    public record View(List<Instance> instances, int schemaVersion, int floor, int floorVersion, List<Migration> pending, Instant readAt) {
        public List<Instance> live() {
            return instances.stream().filter(Instance::live).toList();
        }

        /** Live instances run more than one build or code level: a deploy is in progress. */
        public boolean mixed() {
            return live().stream().map(i -> i.buildId() + "@" + i.codeLevel()).distinct().count() > 1;
        }

        public boolean anyIncompatible() {
            return live().stream().anyMatch(i -> !"compatible".equals(i.verdict()));
        }
    }

    public View read() {
        try (Connection c = dataSource.getConnection()) {
            var instances = new ArrayList<Instance>();
            try (var s = c.prepareStatement("""
                    SELECT instance_id, host, build_id, code_level, code_minimum, verdict, reason_code, started_at, last_seen_at,
                           last_seen_at > now() - make_interval(secs => ?) AS live
                    FROM control.instances ORDER BY code_level DESC, started_at""")) {
                s.setLong(1, LIVE_SECONDS);
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        instances.add(new Instance(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4), rows.getInt(5),
                                rows.getString(6), rows.getString(7), rows.getTimestamp(8).toInstant(), rows.getTimestamp(9).toInstant(),
                                rows.getBoolean(10)));
                    }
                }
            }
            var applied = new TreeSet<Integer>();
            try (var rows = c.createStatement().executeQuery("""
                    SELECT split_part(version, '.', 1)::int FROM app.flyway_schema_history
                    WHERE success AND version ~ '^[0-9]+(\\.[0-9]+)*$'""")) {
                while (rows.next()) applied.add(rows.getInt(1));
            } catch (SQLException noAppSchemaYet) {
                // 42P01: nothing applied yet; the same connection is still usable outside a transaction
            }
            int floor = 0;
            int floorVersion = 0;
            try (var rows = c.createStatement().executeQuery(
                    "SELECT min_code_level, version FROM control.schema_contract ORDER BY min_code_level DESC, version DESC LIMIT 1")) {
                if (rows.next() && rows.getInt(1) > 0) { // expand-only history has no floor and no floor version
                    floor = rows.getInt(1);
                    floorVersion = rows.getInt(2);
                }
            }
            var pending = knownMigrations().stream().filter(m -> !applied.contains(m.version())).toList();
            return new View(instances, applied.isEmpty() ? 0 : applied.last(), floor, floorVersion, pending, Instant.now());
        } catch (SQLException e) {
            throw new StatusStore.StoreFailure(e);
        }
    }

    /** The app migrations packaged with this build. */
    static List<Migration> knownMigrations() {
        var url = DeployState.class.getClassLoader().getResource("db/migration/app");
        if (url == null) return List.of();
        try {
            var uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (var fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(fs.getPath("db/migration/app"));
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    return list(FileSystems.getFileSystem(uri).getPath("db/migration/app"));
                }
            }
            return list(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            return List.of();
        }
    }

    private static List<Migration> list(Path dir) throws IOException {
        var found = new HashMap<Integer, String>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                var m = MIGRATION.matcher(f.getFileName().toString());
                if (m.matches()) found.put(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '));
            });
        }
        return found.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> new Migration(e.getKey(), e.getValue())).toList();
    }
}
