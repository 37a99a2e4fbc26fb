/**
 * The operator CLI ({@code ./valence ops ...}): one command with subcommands, {@code --help} on each,
 * stable exit codes ({@link dev.valence.ops.ExitCodes}). Findings and verdicts pair a stable code with
 * a sentence, for people and for scripts.
 */
package dev.valence.ops;
