package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaults_work_on_one_machine() {
        Config config = Config.fromEnv(Map.of());
        assertEquals(Optional.empty(), config.databaseUrl());
        assertEquals(8080, config.port());
        assertEquals("127.0.0.1", config.bindHost());
        assertEquals(10_000, config.valTimeoutMs());
        assertEquals(10 * 1024 * 1024, config.maxBodyBytes());
        assertEquals(Path.of(System.getProperty("user.home"), ".valence"), config.dataDir(), "without HOME");
        assertEquals(Path.of("/home/ada/.valence"), Config.fromEnv(Map.of("HOME", "/home/ada")).dataDir());
        assertEquals(Optional.empty(), config.publicUrl());
        assertEquals(60_000, config.embeddedPostgresDownLimitMs());
    }

    @Test
    void messages_name_the_database_by_host_and_port() {
        assertEquals("db.example:6543", DatabaseUrl.parse("postgres://u:p@db.example:6543/valence?sslmode=require").hostAndPort());
        assertEquals("db.example:5432", DatabaseUrl.parse("postgres://db.example/valence").hostAndPort());
        assertEquals("h:5432", DatabaseUrl.parse("jdbc:postgresql://h/x?user=u&password=secret").hostAndPort());
        assertEquals("[::1]:5433", DatabaseUrl.parse("jdbc:postgresql://[::1]:5433/x").hostAndPort());
        assertEquals("[::1]:5432", DatabaseUrl.parse("jdbc:postgresql://[::1]/x").hostAndPort());
    }

    @Test
    void every_bad_value_is_named_with_its_rule() {
        var e = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnv(Map.of("PORT", "eighty", "VAL_TIMEOUT_MS", "5", "RECORD_RUNS", "maybe")));
        assertEquals("""
                Invalid configuration:
                  - PORT must be a whole number, got 'eighty'
                  - VAL_TIMEOUT_MS must be between 10 and 900000, got 5
                  - RECORD_RUNS must be true or false, got 'maybe'""", e.getMessage());
    }

    @Test
    void database_urls_in_libpq_form_become_jdbc() {
        var url = DatabaseUrl.parse("postgres://val%40ence:p%2Fss@db.example:6543/valence?sslmode=require");
        assertEquals("jdbc:postgresql://db.example:6543/valence?sslmode=require", url.jdbcUrl());
        assertEquals("val@ence", url.user());
        assertEquals("p/ss", url.password());
        assertEquals("jdbc:postgresql://h/x", DatabaseUrl.parse("jdbc:postgresql://h/x").jdbcUrl());
        var bad = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mysql://u:secret@h/db"));
        assertTrue(bad.getMessage().contains("mysql://u:***@h/db"), bad.getMessage());
    }

    @Test
    void the_status_page_url_defaults_to_this_machine_at_the_status_port_actually_bound() {
        Config config = Config.fromEnv(Map.of("STATUS_PORT", "0"));
        assertEquals("http://localhost:43121/", config.statusPageUrlFor(43121));
        assertEquals("https://status.example.com/",
                Config.fromEnv(Map.of("STATUS_PAGE_URL", "https://status.example.com")).statusPageUrlFor(43121));
        assertEquals(10_000, config.shutdownGraceMs());
        assertEquals(5_000, config.shutdownDelayMs());
    }

    @Test
    void a_public_url_without_a_status_page_url_stops_start_up_with_a_sentence_naming_both() {
        var e = assertThrows(Config.InvalidConfigException.class, () -> Config.fromEnv(Map.of("PUBLIC_URL", "https://vals.example.com/")));
        assertEquals("""
                Invalid configuration:
                  - PUBLIC_URL is set (https://vals.example.com) but STATUS_PAGE_URL is not: set STATUS_PAGE_URL to the status page's \
                public address (for example https://status.example.com/), the page the 503s link to""", e.getMessage());
        assertEquals("https://status.example.com/", Config.fromEnv(Map.of("PUBLIC_URL", "https://vals.example.com",
                "STATUS_PAGE_URL", "https://status.example.com/")).statusPageUrlFor(8081));
    }

    @Test
    void the_names_a_deployment_may_set_are_exactly_the_configuration_table_of_the_readme() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
        Set<String> documented = new TreeSet<>();
        var row = Pattern.compile("(?m)^\\| `([A-Z_]+)`").matcher(table);
        while (row.find()) documented.add(row.group(1));
        // the run script reads these two itself; the benchmark's unguarded route is not for deployments
        documented.removeAll(Set.of("VALENCE_JAVA_OPTS", "VALENCE_RUN_CLASSPATH"));
        Set<String> read = new TreeSet<>(Config.names());
        read.remove("BENCH_UNGUARDED_ROUTE");
        assertEquals(documented, read);
        assertEquals(List.of("PORT", "BIND_HOST", "VAL_TIMEOUT_MS", "VALENCE_DATA_DIR"), Config.names().subList(0, 4));
        assertEquals(Config.names().size(), Set.copyOf(Config.names()).size(), "no name twice: " + Config.names());
    }

    @Test
    void the_npm_registry_defaults_to_the_public_one_and_must_be_an_http_url() {
        Config config = Config.fromEnv(Map.of());
        assertEquals("https://registry.npmjs.org", config.npmRegistryUrl());
        assertEquals(300, config.npmMetadataTtlS());
        assertEquals("https://npm.example.com/registry",
                Config.fromEnv(Map.of("NPM_REGISTRY_URL", "https://npm.example.com/registry/")).npmRegistryUrl());
        var e = assertThrows(Config.InvalidConfigException.class,
                () -> Config.fromEnv(Map.of("NPM_REGISTRY_URL", "registry.example.com", "NPM_METADATA_TTL_S", "-1")));
        assertEquals("""
                Invalid configuration:
                  - NPM_METADATA_TTL_S must be between 0 and 86400, got -1
                  - NPM_REGISTRY_URL must be an http:// or https:// URL, got 'registry.example.com'""", e.getMessage());
    }
}
