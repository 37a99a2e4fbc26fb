package dev.valence.ops.compat;

import dev.valence.ops.Declaration;

import dev.valence.ops.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops compat-test --base REF}: the N-1 test. Builds REF in a temporary worktree, migrates a fresh
 * database with the working tree's migrations, and runs REF's own test suite against it without
 * migrating. When the new migrations hold a declared contract that REF's code level is below, REF is
 * expected to refuse the schema instead: its guard must say {@code schema_too_new}.
 */
@Command(name = "compat-test", mixinStandardHelpOptions = true,
        description = {"The N-1 test: run the previous release's own tests against a database migrated with the current migrations.",
                "Exit 0: REF works on the new schema, or refuses it as a declared contract migration says it must.",
                "Exit 1: REF's tests failed (each failing test is listed), or REF's guard accepted a schema it cannot run on.",
                "Exit 3: the checkout, the build, the database or the test run itself failed.",
                "REF's tests use the migrated database only from the commit that taught TestDatabase VALENCE_TEST_DATABASE_URL on."})
public final class CompatTestCommand implements Callable<Integer> {
    private static final Pattern CLASS_DONE = Pattern.compile("Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+).* -+ in (\\S+)");

    @Spec
    CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "REF", description = "The previous release: a commit, tag or branch.")
    String base;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository (default: the one around the current directory).")
    Path repo;

    @Option(names = "--database", paramLabel = "URL",
            description = "An empty PostgreSQL database (postgres://...) whose user may create databases; default: an embedded PostgreSQL.")
    String database;

    @Option(names = "--migrations", paramLabel = "DIR", defaultValue = "migrations/src/main/resources/db/migration",
            description = "The migrations, with control/ and app/ below, relative to the repository (default: ${DEFAULT-VALUE}).")
    Path migrations;

    @Option(names = "--guard-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long REF's runtime may take to judge the schema (default: ${DEFAULT-VALUE}).")
    int guardTimeoutSeconds;

    @Option(names = "--keep", description = "Keep the temporary worktree (and its build and test reports) for a look afterwards.")
    boolean keep;

    private PrintWriter out;
    private long startNs;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        startNs = System.nanoTime();
        Path root;
        try {
            root = repo != null ? repo.toAbsolutePath().normalize() : Path.of(capture(Path.of("."), "git", "rev-parse", "--show-toplevel").strip());
        } catch (EnvironmentFailure e) {
            return environment("not inside a git repository (" + e.getMessage() + "); pass --repo DIR");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return environment("interrupted");
        }
        Path migrationsDir = root.resolve(migrations);
        if (!Files.isDirectory(migrationsDir.resolve("app")) || !Files.isDirectory(migrationsDir.resolve("control"))) {
            return environment("no migrations at " + migrationsDir + " (it needs control/ and app/); pass --migrations DIR");
        }
        Path checkout;
        try {
            checkout = Files.createTempDirectory("valence-compat-");
            Files.delete(checkout); // git worktree add makes it
        } catch (IOException e) {
            return environment("could not make a temporary directory: " + e.getMessage());
        }
        try {
            return run(root, migrationsDir, checkout);
        } catch (EnvironmentFailure e) {
            return environment(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return environment("interrupted");
        } finally {
            if (keep) out.println("kept the worktree at " + checkout);
            else removeWorktree(root, checkout);
            out.flush();
        }
    }

    private int run(Path root, Path migrationsDir, Path checkout) throws EnvironmentFailure, InterruptedException {
        String sha = capture(root, "git", "rev-parse", "--verify", "--short", base + "^{commit}").strip();
        step(1, "checking out " + base + " (" + sha + ") into " + checkout);
        capture(root, "git", "worktree", "add", "--detach", checkout.toString(), sha);

        boolean ownScript = Files.isExecutable(checkout.resolve("valence"));
        step(2, "building " + base + (ownScript ? " with its ./valence build" : " with mvn -B -q -DskipTests package"));
        exec(checkout, Map.of(), "build of " + base, ownScript ? List.of("./valence", "build") : List.of("mvn", "-B", "-q", "-DskipTests", "package"));
        int refLevel = refCodeLevel(checkout, migrationsDir);

        List<Declaration> declarations;
        try {
            declarations = Declaration.readAll(migrationsDir.resolve("app"));
        } catch (IOException e) {
            throw new EnvironmentFailure("could not read the migrations in " + migrationsDir.resolve("app") + ": " + e.getMessage());
        }
        Optional<Declaration> breaking = declarations.stream().filter(d -> d.breaks(refLevel)).findFirst();

        step(3, "migrating a fresh database with the current migrations (" + migrationsDir + ")");
        try (CompatDatabase db = database == null ? CompatDatabase.embedded() : CompatDatabase.external(database)) {
            String reached;
            try {
                reached = db.migrate(migrationsDir);
            } catch (RuntimeException e) {
                throw new EnvironmentFailure("the current migrations do not apply to a fresh database: " + e.getMessage());
            }
            out.println("      migrated to " + reached + "; " + base + " is code level " + refLevel);
            if (breaking.isPresent()) return expectRefusal(checkout, db.url(), breaking.get(), refLevel);
            return runSuite(checkout, db.url());
        } catch (IOException | java.sql.SQLException | IllegalArgumentException e) {
            throw new EnvironmentFailure("could not start the database: " + e.getMessage());
        }
    }

    /** REF's code is below a declared contract: REF must refuse the schema rather than run on it. */
    private int expectRefusal(Path checkout, String databaseUrl, Declaration contract, int refLevel) throws EnvironmentFailure, InterruptedException {
        String expectation = contract.label() + " is a contract migration needing code level >= " + contract.minCodeLevel()
                + " (" + contract.file() + ")";
        if (RefRuntime.present(checkout)) {
            step(4, "expecting " + base + "'s schema guard to refuse the schema: " + expectation);
            RefRuntime.Answer answer;
            try {
                answer = RefRuntime.ask(checkout, databaseUrl, Duration.ofSeconds(guardTimeoutSeconds), checkout.resolve("compat-runtime.log"));
            } catch (IOException e) {
                throw new EnvironmentFailure("could not start " + base + "'s runtime: " + e.getMessage());
            }
            if (answer.verdict().equals("schema_too_new")) {
                return done(ExitCodes.OK, "expected: " + expectation + "; " + base + " (level " + refLevel
                        + ") reports schema_too_new as it should (" + answer.message() + ")");
            }
            return done(ExitCodes.REFUSED, "FAILED: " + expectation + ", but " + base + " (level " + refLevel + ") reports "
                    + answer.verdict() + " (" + answer.message() + "): its guard would let it run on a schema it cannot use");
        }
        step(4, "running " + base + "'s tests, expected to fail: " + expectation + " (" + base + " has no runtime whose guard could be asked)");
        TestReport report = suite(checkout, databaseUrl);
        if (report.failures().isEmpty()) {
            return done(ExitCodes.OK, "passed: " + base + "'s " + report.tests() + " tests pass although " + expectation
                    + "; the declaration is stricter than " + base + " needs");
        }
        report.failures().forEach(f -> out.println("      failed as expected: " + f));
        return done(ExitCodes.OK, "expected: " + base + "'s tests failed (" + report.failures().size() + " of " + report.tests()
                + ") because " + expectation + " and " + base + " is level " + refLevel);
    }

    private int runSuite(Path checkout, String databaseUrl) throws EnvironmentFailure, InterruptedException {
        step(4, "running " + base + "'s tests against the migrated database (VALENCE_TEST_DATABASE_URL, no migrating)");
        TestReport report = suite(checkout, databaseUrl);
        if (report.green()) {
            return done(ExitCodes.OK, "passed: " + base + "'s " + report.tests() + " tests pass on the new schema");
        }
        report.failures().forEach(f -> out.println("      FAILED " + f));
        return done(ExitCodes.REFUSED, "FAILED: " + report.failures().size() + " of " + report.tests() + " of " + base
                + "'s tests fail on the new schema: the migrations break the release that is running now");
    }

    /** Runs REF's suite with the migrated database, streaming each test class as it finishes; reads surefire's reports. */
    private TestReport suite(Path checkout, String databaseUrl) throws EnvironmentFailure, InterruptedException {
        var command = new ArrayList<>(List.of("mvn", "-B", "-Dstyle.color=never", "-Dmaven.test.failure.ignore=true", "test"));
        int status = exec(checkout, Map.of("VALENCE_TEST_DATABASE_URL", databaseUrl), null, command);
        TestReport report;
        try {
            report = TestReport.read(checkout);
        } catch (IOException e) {
            throw new EnvironmentFailure(e.getMessage());
        }
        if (status != 0 || report.tests() == 0) {
            throw new EnvironmentFailure("the test run of " + base + " did not complete (mvn exited with " + status + ", "
                    + report.tests() + " test results found); rerun with --keep and look at the output above");
        }
        return report;
    }

    private int refCodeLevel(Path checkout, Path migrationsDir) throws EnvironmentFailure {
        Path built = checkout.resolve("migrations/target/classes/valence/build.properties");
        try {
            if (Files.isRegularFile(built)) {
                var properties = new java.util.Properties();
                try (var in = Files.newInputStream(built)) {
                    properties.load(in);
                }
                return Integer.parseInt(properties.getProperty("code.level"));
            }
            return Declaration.highestVersion(checkout.resolve(migrations).resolve("app"));
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentFailure("could not tell " + base + "'s code level: " + e.getMessage());
        }
    }

    private void step(int n, String what) {
        out.printf("[%d/4] %s ... (%s)%n", n, what, elapsed());
        out.flush();
    }

    private int done(int exit, String verdict) {
        out.println(verdict);
        out.println("compat-test took " + elapsed());
        return exit;
    }

    private int environment(String problem) {
        out.println("compat-test could not run: " + problem);
        out.println("compat-test took " + elapsed());
        return ExitCodes.ENVIRONMENT;
    }

    private String elapsed() {
        return String.format("%.1f s", (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * Runs a command in {@code dir}. With {@code failure} set, a non-zero status is an environment failure
     * showing the command's output; without, the output is streamed as test classes finish and the status returned.
     */
    private int exec(Path dir, Map<String, String> env, String failure, List<String> command) throws EnvironmentFailure, InterruptedException {
        long stepNs = System.nanoTime();
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().remove("DATABASE_URL");
        var tail = new java.util.ArrayDeque<String>();
        int status;
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (tail.size() == 40) tail.removeFirst();
                    tail.addLast(line);
                    var done = CLASS_DONE.matcher(line);
                    if (failure == null && done.find()) {
                        int failed = Integer.parseInt(done.group(2)) + Integer.parseInt(done.group(3));
                        out.printf("      %s %s: %s tests%s%n", failed == 0 ? "ok  " : "FAIL", done.group(5), done.group(1),
                                failed == 0 ? "" : ", " + failed + " failed");
                        out.flush();
                    }
                }
            }
            status = process.waitFor();
        } catch (IOException e) {
            throw new EnvironmentFailure("could not run " + String.join(" ", command) + " in " + dir + ": " + e.getMessage());
        }
        out.printf("      %s finished in %.1f s (exit %d)%n", String.join(" ", command), (System.nanoTime() - stepNs) / 1e9, status);
        if (failure != null && status != 0) {
            tail.forEach(line -> out.println("      | " + line));
            throw new EnvironmentFailure("the " + failure + " failed (" + String.join(" ", command) + " exited with " + status + ")");
        }
        return status;
    }

    private static String capture(Path dir, String... command) throws EnvironmentFailure, InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) throw new EnvironmentFailure(String.join(" ", command) + ": " + output.strip());
            return output;
        } catch (IOException e) {
            throw new EnvironmentFailure(String.join(" ", command) + ": " + e.getMessage());
        }
    }

    private void removeWorktree(Path root, Path checkout) {
        try {
            if (Files.exists(checkout)) capture(root, "git", "worktree", "remove", "--force", checkout.toString());
        } catch (EnvironmentFailure e) {
            out.println("could not remove the temporary worktree " + checkout + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The checkout, the build, the database or the test run failed: not a verdict about compatibility. */
    static final class EnvironmentFailure extends Exception {
        EnvironmentFailure(String message) {
            super(message);
        }
    }
}
