package dev.valence.runtime.engine;

import dev.valence.runtime.engine.modules.ModuleGraph;
import dev.valence.runtime.store.Val;

/**
 * What a val gets from its owner and from other vals: its resolved imports, the owner functions of
 * its contexts (std/blob, env, std/email) and the masking of the owner's secrets in what it leaves
 * behind. {@link #NONE} is the do-nothing twin (no imports, no owner functions, nothing to mask), so
 * the runner never asks whether there are any.
 */
public interface OwnerModules {
    /** The imports of {@code val}'s latest version (whose JavaScript is {@code code}), resolved now. */
    ModuleGraph resolve(Val val, String code);

    /** Whether the version should be loaded afresh (an import taken at "latest" moved on). */
    boolean stale(ModuleGraph graph);

    /** The sandbox of one context of {@code val}. */
    JsEngine.Sandbox sandbox(Val val, ModuleGraph graph);

    /** {@code text} with the owner's environment values replaced by their names. */
    String maskSecrets(long ownerId, String text);

    /** No imports, no owner functions, no secrets. */
    OwnerModules NONE = new OwnerModules() {
        @Override
        public ModuleGraph resolve(Val val, String code) {
            return ModuleGraph.none();
        }

        @Override
        public boolean stale(ModuleGraph graph) {
            return false;
        }

        @Override
        public JsEngine.Sandbox sandbox(Val val, ModuleGraph graph) {
            return JsEngine.Sandbox.CLOSED;
        }

        @Override
        public String maskSecrets(long ownerId, String text) {
            return text;
        }
    };
}
