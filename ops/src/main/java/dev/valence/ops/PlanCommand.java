package dev.valence.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops plan}: what {@code migrate} would run, and what would stop it. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what migrate would run: pending control then app migrations, each app one with its"
                + " expand/contract declaration, and the live instances that block a pending contract migration.",
                "Exit 0 when migrate would apply everything, 1 when something blocks, 3 when the database cannot be read."})
final class PlanCommand implements Callable<Integer> {
    enum Format { text, json }

    @CommandLine.ParentCommand
    Ops ops;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    DatabaseOption database;
    @Mixin
    MigrationLocations locations;

    @Option(names = "--live-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "An instance counts as running when its heartbeat is at most this old (default: ${DEFAULT-VALUE}).")
    int liveSeconds;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        var plan = MigrationPlan.load(database, database.dataSource(), locations, ops.clock(), liveSeconds);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) out.println(json(plan).encodePrettily());
        else text(plan, out);
        out.flush();
        return plan.blocks().isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    private static void text(MigrationPlan plan, PrintWriter out) {
        String at = "control is at v" + plan.current().get("control") + ", app at v" + plan.current().get("app");
        if (plan.pending().isEmpty()) {
            out.println("Nothing pending: " + at + ".");
            return;
        }
        out.println("Pending migrations (" + at + "):");
        int width = plan.pending().stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (var p : plan.pending()) {
            out.println("  " + pad(p.name(), width) + "  " + p.description() + " (" + MigrationPlan.kindOf(p) + ")");
        }
        var first = plan.firstBlock();
        if (first.isEmpty()) {
            out.println("Nothing blocks: no live instance (heartbeat within " + plan.liveSeconds()
                    + " s) runs code below a pending contract migration's floor; migrate would apply all " + plan.pending().size() + ".");
            return;
        }
        out.println("Blocked:");
        for (var block : plan.blocks()) {
            out.println("  " + block.migration().name() + " (contract, needs code level >= " + block.floor() + "): "
                    + MigrationPlan.describe(block.below()));
        }
        int runs = plan.pendingOf("control").size() + plan.appBeforeFirstBlock().size();
        out.println("migrate would apply " + runs + " of " + plan.pending().size() + " and stop before "
                + first.get().migration().name() + "; deploy code of level " + first.get().floor() + " everywhere first, or pass --force.");
    }

    static JsonObject json(MigrationPlan plan) {
        var pending = new JsonArray();
        for (var p : plan.pending()) {
            var entry = new JsonObject().put("schema", p.schema()).put("version", p.version())
                    .put("description", p.description()).put("script", p.script());
            if (p.declaration() != null) {
                entry.put("kind", p.declaration().kind()).put("min_code_level", p.declaration().minCodeLevel());
            } else {
                entry.put("kind", p.schema().equals("control") ? "expand" : "undeclared");
            }
            pending.add(entry);
        }
        var blocked = new JsonArray();
        for (var block : plan.blocks()) {
            var instances = new JsonArray();
            block.below().forEach(i -> instances.add(new JsonObject().put("id", i.id()).put("host", i.host()).put("build", i.buildId())
                    .put("code_level", i.codeLevel()).put("code_minimum", i.codeMinimum()).put("seen_seconds_ago", i.secondsAgo())));
            blocked.add(new JsonObject().put("schema", block.migration().schema()).put("version", block.migration().version())
                    .put("min_code_level", block.floor()).put("instances", instances)
                    .put("message", MigrationPlan.refusal(block)));
        }
        var wouldApply = new JsonArray();
        plan.pendingOf("control").forEach(p -> wouldApply.add(p.name()));
        plan.appBeforeFirstBlock().forEach(p -> wouldApply.add(p.name()));
        return new JsonObject().put("current", new JsonObject().put("control", plan.current().get("control")).put("app", plan.current().get("app")))
                .put("live_seconds", plan.liveSeconds()).put("pending", pending).put("blocked", blocked).put("would_apply", wouldApply);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
