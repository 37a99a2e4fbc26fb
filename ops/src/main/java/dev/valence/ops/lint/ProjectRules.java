package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Valence's expand/contract discipline over the statement rules' findings: an expand app migration
 * must not break the previous release (VL002), a contract one may (its breaking findings become
 * accepted information), and control may never break it (VL003). An undo script's breaking findings are
 * accepted too: removing what its migration added is what it is for.
 */
final class ProjectRules {
    private ProjectRules() {}

    static List<Finding> apply(MigrationFile file, Optional<Declaration> declaration, List<Finding> ruleFindings) {
        List<Finding> out = new ArrayList<>();
        for (Finding finding : ruleFindings) {
            if (!finding.rule().breaksPreviousRelease() || finding.severity() == Severity.INFO) {
                out.add(finding);
            } else if (file.isUndo() && file.place() == MigrationFile.Place.APP) {
                // undoing removes what the migration added, which newer code uses: that is the point of an undo, and
                // ops migrate --undo refuses it while a live instance's minimum needs the schema it removes
                out.add(finding.withSeverity(Severity.INFO, finding.message() + "; accepted: " + file.name() + " undoes app v"
                        + file.undoOf() + ", and ops migrate --undo refuses it while a live instance still needs app v" + file.undoOf()));
            } else if (file.place() == MigrationFile.Place.CONTROL) {
                out.add(finding);
                out.add(derived(Rule.CONTROL_BREAKS_PREVIOUS_RELEASE, finding, Math.max(file.version(), 0)));
            } else if (file.place() == MigrationFile.Place.APP && declaration.isPresent()) {
                Declaration declared = declaration.get();
                if (declared.kind().equals("contract")) {
                    out.add(finding.withSeverity(Severity.INFO, finding.message() + "; accepted: app v" + declared.version()
                            + " declares contract (code below level " + declared.minCodeLevel() + " breaks)"));
                } else {
                    out.add(finding);
                    out.add(derived(Rule.EXPAND_BREAKS_PREVIOUS_RELEASE, finding, declared.version()));
                }
            } else {
                out.add(finding);
            }
        }
        return out;
    }

    private static Finding derived(Rule rule, Finding cause, int version) {
        return new Finding(rule, rule.severity(), cause.file(), cause.line(), cause.excerpt(),
                rule.sentence(version, action(cause.message())), rule.fix());
    }

    /** "drops column app.vals.x, which the previous release ..." becomes "drops column app.vals.x". */
    static String action(String sentence) {
        int which = sentence.indexOf(", which ");
        int so = sentence.indexOf(", so ");
        int cut = which < 0 ? so : so < 0 ? which : Math.min(which, so);
        return cut < 0 ? sentence : sentence.substring(0, cut);
    }
}
