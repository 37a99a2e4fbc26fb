package dev.valence.ops;

import dev.valence.runtime.guard.BuildInfo;
import dev.valence.runtime.guard.SchemaProbe;
import dev.valence.runtime.guard.SchemaState;
import dev.valence.runtime.guard.Verdict;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops gate rollback --to BUILD|LEVEL}: could that build run on the schema as it is now? The
 * answer is the schema guard's own verdict, so the gate and the runtime can never disagree.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Answer whether a build can run on the schema as it is now, with the schema guard's reason.",
                "Exit 0 for yes, 1 for no, 3 when the build is unknown or the database cannot be read."})
final class GateRollbackCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    GateCommand gate;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;

    @Option(names = "--to", required = true, paramLabel = "BUILD|LEVEL",
            description = "A code level (a number), or a build id that has run here (its level is looked up in control.instances).")
    String to;

    @Option(names = "--minimum", paramLabel = "M",
            description = "The build's code minimum: the lowest schema it runs on (default: the build's recorded minimum, or the level).")
    Integer minimum;

    /** The build asked about: its level and minimum, and where they came from. */
    private record Target(String buildId, int level, int minimum, String origin) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var dataSource = database.dataSource();
        try (Connection connection = database.connect(dataSource)) {
            Target target = target(connection);
            if (target.minimum() < 0 || target.minimum() > target.level()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--minimum must be from 0 to the code level " + target.level() + ", got " + target.minimum());
            }
            SchemaState state = SchemaProbe.read(connection);
            Instant now = DatabaseOption.now(connection, gate.ops.clock());
            Verdict verdict = Verdict.of(new BuildInfo(target.level(), target.minimum(), target.buildId()), state, now);
            out.println(target.origin());
            out.println((verdict.compatible() ? "yes" : "no") + " (" + verdict.code() + "): " + verdict.message());
            out.flush();
            return verdict.compatible() ? ExitCodes.OK : ExitCodes.REFUSED;
        } catch (SQLException e) {
            throw database.unreachable(e);
        }
    }

    private Target target(Connection connection) throws SQLException {
        if (to.matches("\\d{1,9}")) {
            int level = Integer.parseInt(to);
            int min = minimum == null ? level : minimum;
            return new Target("level-" + level, level, min, "rollback to code level " + level + " (minimum " + min + "):");
        }
        try (var query = connection.prepareStatement("""
                SELECT code_level, code_minimum FROM control.instances WHERE build_id = ?
                ORDER BY last_seen_at DESC LIMIT 1""")) {
            query.setString(1, to);
            try (var rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new OpsException(ExitCodes.ENVIRONMENT, "build " + to + " is unknown: no instance in control.instances"
                            + " has run it (an instance's row goes when it stops cleanly); pass its code level instead: --to LEVEL");
                }
                int level = rows.getInt(1);
                int min = minimum == null ? rows.getInt(2) : minimum;
                return new Target(to, level, min, "rollback to build " + to + ": code level " + level + ", minimum " + min
                        + " (from control.instances):");
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // no control schema yet: nothing has ever run here
                throw new OpsException(ExitCodes.ENVIRONMENT, "build " + to + " is unknown: control.instances does not exist yet"
                        + " (run ops migrate); pass its code level instead: --to LEVEL", e);
            }
            throw e;
        }
    }
}
