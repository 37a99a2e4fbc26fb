package dev.valence.runtime.engine;

/** One HTTP header as a val sends or receives it: the name (lower case on requests) and the value. */
public record Header(String name, String value) {}
