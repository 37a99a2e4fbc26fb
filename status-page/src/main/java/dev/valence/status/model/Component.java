package dev.valence.status.model;

import dev.valence.status.ComponentStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A component or a group of components ({@code group} true, {@code children} their ids in order). */
public record Component(
        String id,
        String pageId,
        String name,
        String description,
        ComponentStatus status,
        int position,
        String groupId,
        boolean group,
        boolean showcase,
        boolean onlyShowIfDegraded,
        LocalDate startDate,
        String automationKey,
        Instant createdAt,
        Instant updatedAt,
        List<String> children) {}
