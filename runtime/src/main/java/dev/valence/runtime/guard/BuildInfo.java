package dev.valence.runtime.guard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build is, as generated at build time by {@code migrations/build-info.sh}: its code level
 * L (the highest {@code app} migration it was built with), its minimum M (the lowest schema version
 * its code can run on) and an id.
 */
public record BuildInfo(int codeLevel, int codeMinimum, String buildId) {
    public static final String RESOURCE = "valence/build.properties";

    public BuildInfo {
        if (codeMinimum < 0 || codeMinimum > codeLevel) {
            throw new IllegalArgumentException("code minimum must be from 0 to the code level " + codeLevel + ", got " + codeMinimum);
        }
    }

    /** The build info packaged with this build. */
    public static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: build with ./valence build");
            }
            var properties = new Properties();
            properties.load(in);
            return new BuildInfo(Integer.parseInt(properties.getProperty("code.level")),
                    Integer.parseInt(properties.getProperty("code.minimum")),
                    properties.getProperty("build.id", "unknown"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
    }
}
