package dev.valence.ops;

import dev.valence.runtime.db.DatabaseUrl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir DIR}: the embedded PostgreSQL of a data folder, for the commands that also work on
 * the embedded default (backup, restore). Without it, {@code --database}/{@code DATABASE_URL} when set,
 * else {@code $VALENCE_DATA_DIR} or {@code ~/.valence}: the same choice the runtime makes.
 */
final class DataDirOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The embedded PostgreSQL's data folder (VALENCE_DATA_DIR), used instead of --database: the server a runtime"
                    + " runs there, or one started for this command (default when neither --database nor DATABASE_URL is set:"
                    + " $VALENCE_DATA_DIR, else ~/.valence).")
    Path dataDir;

    /** Where the command reads or writes: closed after it (stopping an embedded server started for it). */
    interface Target extends AutoCloseable {
        Connection connect();

        DataSource dataSource();

        String description();

        @Override
        void close();
    }

    Target open(DatabaseOption database, boolean create) {
        if (dataDir == null && database.url != null && !database.url.isBlank()) {
            DataSource ds = database.dataSource();
            return new Target() {
                public Connection connect() {
                    return database.connect(ds);
                }

                public DataSource dataSource() {
                    return ds;
                }

                public String description() {
                    return DatabaseUrl.redact(database.url);
                }

                public void close() {}
            };
        }
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        var embedded = EmbeddedDatabase.open(dir, create);
        return new Target() {
            public Connection connect() {
                try {
                    return embedded.dataSource().getConnection();
                } catch (SQLException e) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, "cannot use " + embedded.description() + ": " + e.getMessage(), e);
                }
            }

            public DataSource dataSource() {
                return embedded.dataSource();
            }

            public String description() {
                return embedded.description();
            }

            public void close() {
                embedded.close();
            }
        };
    }

    Path dataDirOrDefault() {
        return dataDir != null ? dataDir : defaultDataDir();
    }

    private static Path defaultDataDir() {
        String fromEnv = System.getenv("VALENCE_DATA_DIR");
        return fromEnv == null || fromEnv.isBlank() ? Path.of(System.getProperty("user.home"), ".valence") : Path.of(fromEnv);
    }
}
