package dev.valence.ops.lint;

import dev.valence.ops.ExitCodes;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./valence ops lint explain VL101}: what a rule guards against, and the safe way instead. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Explain a lint rule and its fix.")
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CODE", description = "A rule code, such as VL101.")
    String code;

    @Override
    public Integer call() {
        var rule = Rule.byCode(code);
        if (rule.isEmpty()) {
            String codes = Arrays.stream(Rule.values()).map(Rule::code).collect(Collectors.joining(", "));
            spec.commandLine().getErr().println("explain: no rule has the code '" + code + "'; the codes are " + codes);
            return ExitCodes.USAGE;
        }
        Rule r = rule.get();
        var out = spec.commandLine().getOut();
        out.println(r.code() + " (" + r.severity().displayName() + ", "
                + (r.breaksPreviousRelease() ? "breaks the previous release" : "does not break the previous release") + ", "
                + (r.locksHeavily() ? "locks heavily" : "does not lock heavily") + ")");
        out.println(r.explanation());
        out.println("fix: " + r.fix());
        out.flush();
        return ExitCodes.OK;
    }
}
