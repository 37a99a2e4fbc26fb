package dev.valence.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.ExitCodes;
import dev.valence.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The command's checks that run before anything is started. */
class BenchCommandTest {
    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        var line = Ops.commandLine();
        var err = new StringWriter();
        line.setErr(new PrintWriter(err));
        line.setOut(new PrintWriter(new StringWriter()));
        return new Run(line.execute(args), err.toString());
    }

    @Test
    void unknownScenarioIsAUsageError() {
        var r = run("bench", "--scenarios", "trivial,nope");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("Unknown scenario 'nope'. Known: trivial, realistic, fib, guard, recording, cold-start, memory, startup, variant, soak."), r.err());
    }

    @Test
    void anUnknownVariantValIsAUsageError() {
        var r = run("bench", "--scenarios", "variant", "--variant-vals", "trivial,hello");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("Unknown val 'hello' for --variant-vals. Known: trivial, realistic, fib."), r.err());
    }

    @Test
    void roundsMustBePositive() {
        var r = run("bench", "--rounds", "0");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("--rounds, --duration, --rate, --connections and --cold-saves must be at least 1"), r.err());
    }

    @Test
    void aDurationThatIsNoLengthOfTimeIsAUsageError() {
        var r = run("bench", "--scenarios", "soak", "--duration", "10 minutes");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("--duration '10 minutes' is not a length of time: write 8, 90s, 10m or 2h."), r.err());
    }

    @Test
    void durationsAreReadInSecondsMinutesOrHours() {
        var command = new BenchCommand();
        assertEquals(8, command.seconds("8"));
        assertEquals(90, command.seconds("90s"));
        assertEquals(600, command.seconds("10m"));
        assertEquals(7200, command.seconds("2h"));
    }

    @Test
    void aSoakRateOfZeroIsAUsageError() {
        var r = run("bench", "--scenarios", "soak", "--rate", "0");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("--rounds, --duration, --rate, --connections and --cold-saves must be at least 1"), r.err());
    }

    @Test
    void anUnbuiltCheckoutIsNamed() throws Exception {
        var empty = Files.createTempDirectory("valence-bench-test");
        var r = run("bench", "--repo", empty.toString(), "--scenarios", "trivial");
        assertEquals(ExitCodes.ENVIRONMENT, r.exit());
        assertTrue(r.err().contains("error: no built runtime under " + empty.toAbsolutePath() + "/runtime/target: run ./valence build first."), r.err());
    }
}
