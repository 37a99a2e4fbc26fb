package dev.valence.runtime.triggers;

import dev.valence.runtime.guard.HeldWork;
import dev.valence.runtime.store.RunNotices;
import dev.valence.runtime.store.TriggerResultStore;
import java.time.Duration;

/**
 * What the HTTP layer needs of the non-HTTP triggers and of runs: the runner, the held-work queue,
 * the ledger, the cron rules, and the run notices that carry other instances' runs to the log tail.
 */
public record Triggers(TriggerRunner runner, HeldWork heldWork, TriggerResultStore results, Duration minimumCronInterval,
                       RunNotices runNotices, RunNotices.Connector noticeConnector) {}
