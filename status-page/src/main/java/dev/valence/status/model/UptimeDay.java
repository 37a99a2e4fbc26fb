package dev.valence.status.model;

import dev.valence.status.ComponentStatus;
import java.time.LocalDate;

/** One day of a component's uptime bar: the share of the day it was operational, and its worst status. */
public record UptimeDay(LocalDate day, double operationalShare, ComponentStatus worst, long outageSeconds) {}
