/**
 * Val execution with GraalJS: one shared {@link org.graalvm.polyglot.Engine}, parsed sources cached
 * per version, contexts pooled per val version and used by one thread at a time, wall-clock limits,
 * and run records written off the request path. What a val can see lives in the JavaScript prelude
 * ({@code dev/valence/runtime/js/prelude.js}); this package only runs it, through one typed bridge
 * ({@code ValContext}). Per-call state lives in a {@code CallScope} reached through the context, never
 * the thread; limits live in {@code InvocationLimits}.
 */
package dev.valence.runtime.engine;
