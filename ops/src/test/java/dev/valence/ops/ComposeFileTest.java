package dev.valence.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.foundation.testing.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile agree with the code (no Docker engine needed), and the
 * commands the images run start the same processes outside Docker.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static String dockerfile;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    }

    @Test
    void the_layout_is_postgres_a_migrate_job_two_runtimes_the_status_page_and_the_proxy() {
        assertEquals(List.of("postgres", "migrate", "status-page", "runtime-1", "runtime-2", "proxy"), List.copyOf(services.keySet()));
        assertEquals("postgres:17", services.get("postgres").get("image"));
        assertEquals(List.of("pgdata:/var/lib/postgresql/data"), services.get("postgres").get("volumes"));
        assertEquals(List.of("CMD-SHELL", "pg_isready -U valence -d valence"), map(services.get("postgres"), "healthcheck").get("test"));
        assertEquals(Set.of("pgdata", "valence-keys"), map(compose, "volumes").keySet());
        assertEquals(List.of("migrate"), services.get("migrate").get("command"));
        assertEquals("no", services.get("migrate").get("restart"));
    }

    @Test
    void every_built_service_names_an_existing_context_dockerfile_and_stage() {
        Set<String> stages = new TreeSet<>();
        Matcher from = Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$").matcher(dockerfile);
        while (from.find()) stages.add(from.group(1));
        for (var service : built().entrySet()) {
            var build = map(service.getValue(), "build");
            Path context = ROOT.resolve((String) build.get("context"));
            assertTrue(Files.isDirectory(context), service.getKey() + ": no build context " + context);
            assertTrue(Files.isRegularFile(context.resolve((String) build.get("dockerfile"))), service.getKey() + ": no " + build.get("dockerfile"));
            assertTrue(stages.contains((String) build.get("target")), service.getKey() + ": no stage " + build.get("target") + " in " + stages);
        }
        assertEquals(Set.of("migrate", "status-page", "runtime-1", "runtime-2"), built().keySet());
    }

    @Test
    void the_long_running_services_exit_on_out_of_memory_and_are_restarted() {
        for (String service : List.of("postgres", "status-page", "runtime-1", "runtime-2", "proxy")) {
            assertEquals("unless-stopped", services.get(service).get("restart"), service);
        }
        for (String stage : List.of("runtime", "status-page")) {
            String section = dockerfile.substring(dockerfile.indexOf("AS " + stage + "\n"));
            Matcher cmd = Pattern.compile("(?m)^CMD \\[\"java\", \"-XX:\\+ExitOnOutOfMemoryError\", ").matcher(section);
            assertTrue(cmd.find(), "the " + stage + " image's java exits on an OutOfMemoryError");
        }
    }

    @Test
    void every_image_is_pinned_to_a_tag_other_than_latest() {
        List<String> images = new ArrayList<>();
        services.values().stream().filter(s -> s.containsKey("image")).forEach(s -> images.add((String) s.get("image")));
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        while (from.find()) images.add(from.group(1));
        assertEquals(List.of("postgres:17", "nginx:1.28.0", "node:22.12.0-bookworm-slim", "eclipse-temurin:25-jdk-noble", "eclipse-temurin:25-jdk-noble",
                "eclipse-temurin:25-jre-noble", "eclipse-temurin:25-jre-noble"), images);
        for (String image : images) assertTrue(image.matches("[a-z0-9./-]+:[0-9][\\w.-]*"), image + " is not pinned to a version tag");
    }

    @Test
    void every_environment_variable_of_a_built_service_is_one_the_code_reads() throws IOException {
        Set<String> read = new TreeSet<>(dev.valence.runtime.Config.names());
        Matcher status = Pattern.compile("env\\.(?:get|getOrDefault)\\(\"([A-Z_]+)\"").matcher(
                Files.readString(ROOT.resolve("status-page/src/main/java/dev/valence/status/Main.java")));
        while (status.find()) read.add(status.group(1));
        assertTrue(read.containsAll(Set.of("DATABASE_URL", "PORT", "STATUS_PORT", "MIGRATE_ON_START", "EMBED_STATUS_PAGE", "BIND_HOST",
                "STATUS_PAGE_URL", "INSTANCE_ID")), "the names read from the sources: " + read);
        for (var service : built().entrySet()) {
            for (String name : env(service.getKey()).keySet()) {
                assertTrue(read.contains(name), service.getKey() + " sets " + name + ", which no code reads (read: " + read + ")");
            }
        }
        for (String runtime : List.of("runtime-1", "runtime-2")) {
            var env = env(runtime);
            assertEquals("false", env.get("MIGRATE_ON_START"), runtime);
            assertEquals("false", env.get("EMBED_STATUS_PAGE"), runtime);
            assertEquals("0.0.0.0", env.get("BIND_HOST"), runtime);
            assertEquals(runtime, env.get("INSTANCE_ID"));
            // replicas of one database seal env values with one key: a file on a volume they share
            assertEquals("/var/lib/valence/keys/secret.key", env.get("VALENCE_SECRET_KEY_FILE"), runtime);
        }
    }

    @Test
    void every_database_url_reaches_the_postgres_service_with_its_credentials() {
        var postgres = map(services.get("postgres"), "environment");
        String expected = "postgres://" + postgres.get("POSTGRES_USER") + ":" + postgres.get("POSTGRES_PASSWORD") + "@postgres:5432/"
                + postgres.get("POSTGRES_DB");
        for (String service : built().keySet()) assertEquals(expected, env(service).get("DATABASE_URL"), service);
    }

    @Test
    void published_ports_lead_to_the_port_each_process_listens_on_and_the_status_page_url_matches() throws IOException {
        String nginx = Files.readString(ROOT.resolve("ops/proxy/nginx.conf"));
        Matcher listen = Pattern.compile("(?m)^\\s*listen (\\d+);").matcher(nginx);
        assertTrue(listen.find(), "nginx.conf listens on a port");
        Map<String, String> listens = Map.of("proxy", listen.group(1), "status-page", env("status-page").get("STATUS_PORT"));
        Set<String> hostPorts = new TreeSet<>();
        for (var entry : listens.entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> ports = (List<String>) services.get(entry.getKey()).get("ports");
            assertEquals(1, ports.size(), entry.getKey());
            String[] hostAndContainer = ports.getFirst().split(":");
            assertEquals(entry.getValue(), hostAndContainer[1], entry.getKey() + " publishes " + ports.getFirst());
            assertTrue(hostPorts.add(hostAndContainer[0]), "host port " + hostAndContainer[0] + " is published twice");
        }
        assertEquals(Set.of("8080", "8081"), hostPorts);
        // the runtimes are reached through the proxy only, which is what lets them trust its forwarding headers
        for (String runtime : List.of("runtime-1", "runtime-2")) assertEquals(null, services.get(runtime).get("ports"), runtime + " publishes no port");
        for (String service : List.of("runtime-1", "runtime-2", "status-page")) {
            assertEquals("http://localhost:8081/", env(service).get("STATUS_PAGE_URL"), service);
        }
        assertTrue(dockerfile.contains("EXPOSE 8080") && dockerfile.contains("EXPOSE 8081"));
    }

    @Test
    void the_runtimes_are_given_longer_to_stop_than_their_drain_may_take() {
        for (String runtime : List.of("runtime-1", "runtime-2")) {
            String period = String.valueOf(services.get(runtime).get("stop_grace_period"));
            assertTrue(period.matches("\\d+s"), runtime + "'s stop_grace_period is " + period);
            var config = dev.valence.runtime.Config.fromEnv(env(runtime));
            long drainMs = config.shutdownDelayMs() + config.shutdownGraceMs();
            assertTrue(Long.parseLong(period.replace("s", "")) * 1000 >= drainMs + 10_000,
                    runtime + " may be killed " + period + " after SIGTERM, before its drain of " + drainMs + " ms and the stop after it");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_proxy_runs_the_shipped_nginx_conf_in_front_of_both_runtimes_which_trust_its_fixed_address() throws IOException {
        var proxy = services.get("proxy");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : (List<Object>) proxy.get("volumes")) {
            String[] parts = ((String) volume).split(":");
            assertTrue(Files.isRegularFile(ROOT.resolve(parts[0])), "the proxy mounts a missing file " + parts[0]);
            assertEquals("ro", parts[2], parts[0] + " is mounted read-only");
            mounts.put(parts[1], parts[0]);
        }
        assertEquals(Map.of("/etc/nginx/valence/nginx.conf", "./ops/proxy/nginx.conf",
                "/etc/nginx/valence/valence-edge.conf", "./ops/proxy/compose-edge.conf",
                "/etc/nginx/valence/valence-runtimes.conf", "./ops/proxy/compose-runtimes.conf"), mounts);
        assertEquals(List.of("nginx", "-p", "/tmp/nginx/", "-c", "/etc/nginx/valence/nginx.conf", "-g", "daemon off;"), proxy.get("command"));
        assertEquals(List.of("/tmp/nginx"), proxy.get("tmpfs"));

        // every runtime is in the ring, at the port it listens on
        String ring = Files.readString(ROOT.resolve("ops/proxy/compose-runtimes.conf"));
        for (String runtime : List.of("runtime-1", "runtime-2")) {
            assertTrue(ring.contains("server " + runtime + ":" + env(runtime).get("PORT") + " "), runtime + " is in " + ring);
        }
        // the proxy's fixed address lies in the network's subnet and is the one address the runtimes trust
        String address = (String) map(map(proxy, "networks"), "default").get("ipv4_address");
        var subnet = (String) ((List<Map<String, Object>>) map(map(map(compose, "networks"), "default"), "ipam").get("config")).getFirst().get("subnet");
        assertTrue(subnet.equals("172.28.0.0/24") && address.startsWith("172.28.0."), address + " in " + subnet);
        for (String runtime : List.of("runtime-1", "runtime-2")) {
            assertEquals(address, env(runtime).get("TRUSTED_PROXIES"), runtime);
            var config = dev.valence.runtime.Config.fromEnv(env(runtime));
            assertTrue(config.edge().trustedProxies().trusts(address), runtime + " trusts the proxy at " + address);
            assertFalse(config.edge().trustedProxies().trusts("172.28.0.1"), runtime + " trusts nobody else, the network's gateway included");
        }
    }

    @Test
    void depends_on_names_existing_services_and_waits_for_health_and_the_migration() {
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put("migrate", Map.of("postgres", "service_healthy"));
        expected.put("status-page", Map.of("postgres", "service_healthy", "migrate", "service_completed_successfully"));
        Map<String, String> runtime = Map.of("postgres", "service_healthy", "migrate", "service_completed_successfully", "status-page", "service_started");
        expected.put("runtime-1", runtime);
        expected.put("runtime-2", runtime);
        expected.put("proxy", Map.of("runtime-1", "service_started", "runtime-2", "service_started"));
        for (var service : services.entrySet()) {
            Map<String, String> actual = new HashMap<>();
            var dependsOn = service.getValue().containsKey("depends_on") ? map(service.getValue(), "depends_on") : Map.<String, Object>of();
            dependsOn.forEach((target, how) -> {
                assertTrue(services.containsKey(target), service.getKey() + " depends on a missing service " + target);
                actual.put(target, (String) ((Map<?, ?>) how).get("condition"));
            });
            assertEquals(expected.getOrDefault(service.getKey(), Map.of()), actual, service.getKey());
        }
    }

    @Test
    void the_runtime_and_status_page_commands_of_the_images_serve_readiness_and_status_outside_docker() throws Exception {
        try (var postgres = EmbeddedPostgres.builder().start()) {
            try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres")); var s = c.createStatement()) {
                s.execute("CREATE DATABASE valence");
            }
            // what the migrate job does (ops migrate is written on another branch): both schemas, control first
            var dataSource = postgres.getDatabase("postgres", "valence");
            for (String schema : List.of("control", "app")) {
                Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema).createSchemas(true)
                        .table("flyway_schema_history")
                        .locations("filesystem:" + ROOT.resolve("migrations/src/main/resources/db/migration/" + schema)).load().migrate();
            }
            String databaseUrl = "postgres://postgres@localhost:" + postgres.getPort() + "/valence";
            int runtimePort = Ports.free();
            int statusPort = Ports.free();
            Process runtime = start("runtime", "runtime-1", Map.of("DATABASE_URL", databaseUrl, "PORT", Integer.toString(runtimePort)));
            Process statusPage = start("status-page", "status-page", Map.of("DATABASE_URL", databaseUrl, "STATUS_PORT", Integer.toString(statusPort)));
            try {
                var ready = awaitOk("http://127.0.0.1:" + runtimePort + "/readyz", runtime);
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"status\":\"ready\"") && ready.body().contains("\"verdict\":\"compatible\""), ready.body());
                var status = awaitOk("http://127.0.0.1:" + statusPort + "/api/v2/status.json", statusPage);
                assertEquals(200, status.statusCode(), status.body());
                assertTrue(status.body().startsWith("{\"page\":{") && status.body().contains("\"status\":{"), status.body());
            } finally {
                runtime.destroy();
                statusPage.destroy();
                runtime.waitFor();
                statusPage.waitFor();
            }
        }
    }

    /** Starts the image's CMD with the paths it copies mapped back to the build's outputs, and the service's environment. */
    private static Process start(String stage, String service, Map<String, String> overrides) throws IOException {
        String section = dockerfile.substring(dockerfile.indexOf("AS " + stage + "\n"));
        int next = section.indexOf("\nFROM ");
        section = next < 0 ? section : section.substring(0, next);
        Matcher cmd = Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(section);
        assertTrue(cmd.find(), "stage " + stage + " has an exec-form CMD");
        List<String> command = new ArrayList<>();
        Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(cmd.group(1));
        while (arg.find()) command.add(arg.group(1));
        Matcher copy = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$").matcher(section);
        Map<String, String> copied = new LinkedHashMap<>();
        while (copy.find()) copied.put(copy.group(2), ROOT.resolve(copy.group(1)).toString());
        for (int i = 0; i < command.size(); i++) {
            String part = command.get(i);
            for (var entry : copied.entrySet()) part = part.replace(entry.getKey(), entry.getValue());
            command.set(i, part);
        }
        assertEquals("java", command.getFirst());
        command.set(0, ProcessHandle.current().info().command().orElseThrow());
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("valence-compose-" + service, ".log").toFile());
        builder.environment().putAll(env(service));
        builder.environment().putAll(overrides);
        Path dataDir = Files.createTempDirectory("valence-compose-data");
        builder.environment().put("VALENCE_DATA_DIR", dataDir.toString());
        // the replicas' shared key volume, here a file of this run's own
        if (builder.environment().containsKey("VALENCE_SECRET_KEY_FILE")) {
            builder.environment().put("VALENCE_SECRET_KEY_FILE", dataDir.resolve("secret.key").toString());
        }
        return builder.start();
    }

    private static HttpResponse<String> awaitOk(String url, Process process) throws Exception {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                last = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) return last;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer 200 within 120 s (alive: " + process.isAlive() + ", last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()) + ")");
    }

    private static Map<String, Map<String, Object>> built() {
        Map<String, Map<String, Object>> built = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (service.containsKey("build")) built.put(name, service);
        });
        return built;
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(services.get(service), "environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, ?> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
