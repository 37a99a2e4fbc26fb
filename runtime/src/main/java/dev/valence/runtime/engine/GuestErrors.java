package dev.valence.runtime.engine;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/** What a val's error looks like to its owner: the guest's message, where in the val's code, the stack, secrets masked. */
final class GuestErrors {
    private GuestErrors() {}

    /** The guest's error: its message, the first line of the val's own code on its stack, the stack. */
    static Invocation.ValError describe(PolyglotException e, Source module) {
        int line = 0;
        int column = 0;
        var stack = new StringBuilder();
        for (var frame : e.getPolyglotStackTrace()) {
            if (!frame.isGuestFrame()) continue;
            SourceSection where = frame.getSourceLocation();
            if (where == null || where.getSource().getName().startsWith("valence:")) continue;
            if (line == 0 && where.getSource().getName().equals(module.getName())) {
                line = where.getStartLine();
                column = where.getStartColumn();
            }
            String function = frame.getRootName() == null || frame.getRootName().isEmpty() ? "<anonymous>" : frame.getRootName();
            stack.append("    at ").append(function).append(" (").append(where.getSource().getName()).append(':')
                    .append(where.getStartLine()).append(':').append(where.getStartColumn()).append(")\n");
        }
        if (line == 0 && e.getSourceLocation() != null && e.getSourceLocation().getSource().getName().equals(module.getName())) {
            line = e.getSourceLocation().getStartLine();
            column = e.getSourceLocation().getStartColumn();
        }
        String message = e.getMessage() == null ? "error" : e.getMessage();
        return new Invocation.ValError(message, line, column, stack.toString().stripTrailing());
    }

    /**
     * The error with the owner's env values replaced by their names. A schema run's error is not passed
     * here: it is the platform's sentence naming SQL objects, never values (and masking needs the
     * environment variables, which may be what failed).
     */
    static Invocation.ValError masked(OwnerModules modules, long ownerId, Invocation.ValError error) {
        if (error == null) return null;
        String stack = error.stack().isEmpty() ? "" : modules.maskSecrets(ownerId, error.stack());
        return new Invocation.ValError(modules.maskSecrets(ownerId, error.message()), error.line(), error.column(), stack);
    }
}
