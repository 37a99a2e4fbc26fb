package dev.valence.runtime.triggers;

import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.store.TriggerResultStore;
import java.time.Duration;

/** What the HTTP layer needs of the non-HTTP triggers: the runner, the held-work queue, the ledger, the cron rules. */
public record Triggers(TriggerRunner runner, HeldWork heldWork, TriggerResultStore results, Duration minimumCronInterval) {}
