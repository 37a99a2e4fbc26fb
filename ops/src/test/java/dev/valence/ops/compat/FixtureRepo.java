package dev.valence.ops.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small but real project in a temporary git repository: one Maven module whose JUnit test writes and
 * reads {@code app.items} (including its {@code legacy} column) through {@code VALENCE_TEST_DATABASE_URL},
 * and migrations laid out like Valence's ({@code migrations/src/main/resources/db/migration/{control,app}}).
 * Commit 1 is the release that is running; commit 2 adds one app migration.
 */
final class FixtureRepo {
    static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>fixture</groupId>
              <artifactId>items</artifactId>
              <version>1</version>
              <properties>
                <maven.compiler.release>25</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>6.1.3</version><scope>test</scope>
                </dependency>
                <dependency>
                  <groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.14</version><scope>test</scope>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.16.0</version></plugin>
                  <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.6.1</version></plugin>
                  <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                </plugins>
              </build>
            </project>
            """;

    static final String ITEMS_TEST = """
            package fixture;

            import static org.junit.jupiter.api.Assertions.assertEquals;

            import java.net.URI;
            import java.sql.DriverManager;
            import org.junit.jupiter.api.Test;

            class ItemsTest {
                @Test
                void an_item_keeps_its_legacy_flag() throws Exception {
                    URI url = URI.create(System.getenv("VALENCE_TEST_DATABASE_URL"));
                    String jdbc = "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath();
                    try (var c = DriverManager.getConnection(jdbc, url.getUserInfo(), "")) {
                        c.createStatement().execute("INSERT INTO app.items (name, legacy) VALUES ('a', 'old')");
                        var rows = c.createStatement().executeQuery("SELECT legacy FROM app.items WHERE name = 'a'");
                        rows.next();
                        assertEquals("old", rows.getString(1));
                    }
                }
            }
            """;

    static final String CONTROL_V1 = """
            CREATE TABLE control.schema_contract (
              version int PRIMARY KEY, kind text NOT NULL, min_code_level int NOT NULL, description text NOT NULL);
            """;

    static final String APP_V1 = """
            CREATE TABLE app.items (id serial PRIMARY KEY, name text NOT NULL, legacy text);
            INSERT INTO control.schema_contract (version, kind, min_code_level, description)
            VALUES (1, 'expand', 0, 'items');
            """;

    static final String ADD_COLUMN = """
            ALTER TABLE app.items ADD COLUMN note text;
            INSERT INTO control.schema_contract (version, kind, min_code_level, description)
            VALUES (2, 'expand', 0, 'add items.note');
            """;

    static final String DROP_COLUMN_DECLARED = """
            ALTER TABLE app.items DROP COLUMN legacy;
            INSERT INTO control.schema_contract (version, kind, min_code_level, description)
            VALUES (2, 'contract', 2, 'drop items.legacy');
            """;

    static final String DROP_COLUMN_UNDECLARED = """
            ALTER TABLE app.items DROP COLUMN legacy;
            INSERT INTO control.schema_contract (version, kind, min_code_level, description)
            VALUES (2, 'expand', 0, 'drop items.legacy');
            """;

    private FixtureRepo() {}

    /** A repository with commit 1 (V1 and the test) and commit 2 adding {@code app/V2__change.sql} with {@code v2}. */
    static Path withSecondMigration(String v2) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("valence-compat-fixture-");
        write(dir, "pom.xml", POM);
        write(dir, "src/test/java/fixture/ItemsTest.java", ITEMS_TEST);
        write(dir, "migrations/src/main/resources/db/migration/control/V1__schema_contract.sql", CONTROL_V1);
        write(dir, "migrations/src/main/resources/db/migration/app/V1__items.sql", APP_V1);
        write(dir, ".gitignore", "target/\n");
        git(dir, "init", "-q", "-b", "main");
        git(dir, "add", ".");
        git(dir, "commit", "-q", "-m", "items");
        write(dir, "migrations/src/main/resources/db/migration/app/V2__change.sql", v2);
        git(dir, "add", ".");
        git(dir, "commit", "-q", "-m", "change items");
        return dir;
    }

    private static void write(Path dir, String file, String text) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(java.util.List.of("git", "-c", "user.name=fixture", "-c", "user.email=fixture@example.com"));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
    }
}
