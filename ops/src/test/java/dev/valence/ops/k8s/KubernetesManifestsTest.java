package dev.valence.ops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.valence.ops.Ops;
import dev.valence.runtime.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * ops/k8s without a cluster: each overlay rendered by kubectl's kustomize (the current one and the v2.0.3
 * of kubectl 1.20), every object parsed into fabric8's typed model with no field left over, the
 * CloudNativePG resources validated against the operator's own schema, and the manifests checked against
 * the code they run: labels and selectors, probe paths and ports, environment variables, images and
 * commands, secrets, the drain's timing and the proxy's configuration.
 */
class KubernetesManifestsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path K8S = ROOT.resolve("ops/k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Secrets each overlay expects to exist without rendering them: the operator's and CloudNativePG's (README). */
    private static final Map<String, Set<String>> MADE_OUTSIDE = Map.of(
            "dev", Set.of(),
            "production", Set.of("valence-secrets", "valence-db-app", "valence-backup-s3", "valence-vals-tls", "valence-api-tls", "valence-status-tls"));
    /** Read by the JVM itself rather than by Valence's configuration. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private static final Map<String, List<HasMetadata>> rendered = new HashMap<>();
    private static final Map<String, List<HasMetadata>> renderedBy120 = new HashMap<>();

    static Stream<String> overlays() {
        return Stream.of("dev", "production");
    }

    @BeforeAll
    static void render() throws Exception {
        Kubectl current = Kubectl.onPath();
        Kubectl old = Kubectl.debian120();
        for (String overlay : overlays().toList()) {
            rendered.put(overlay, parse(current.kustomize(K8S.resolve("overlays").resolve(overlay))));
            renderedBy120.put(overlay, parse(old.kustomize(K8S.resolve("overlays").resolve(overlay))));
        }
    }

    private static List<HasMetadata> parse(String yaml) {
        var objects = new ArrayList<HasMetadata>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document == null) continue;
            KubernetesResource resource = SERIALIZATION.unmarshal(SERIALIZATION.asJson(document), KubernetesResource.class);
            objects.add(assertInstanceOf(HasMetadata.class, resource, "a Kubernetes object: " + document));
        }
        return objects;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void both_kustomize_releases_render_the_same_objects(String overlay) {
        assertEquals(names(rendered.get(overlay)), names(renderedBy120.get(overlay)));
        assertTrue(names(rendered.get(overlay)).containsAll(Set.of("Deployment/valence-runtime", "Deployment/valence-status-page",
                "Deployment/valence-proxy", "Job/valence-migrate", "Service/valence-runtime", "Service/valence-runtime-pods",
                "Service/valence-proxy", "Service/valence-status-page", "PodDisruptionBudget/valence-runtime",
                "HorizontalPodAutoscaler/valence-runtime", "Ingress/valence", "NetworkPolicy/valence-default-deny", "ConfigMap/valence-proxy")),
                names(rendered.get(overlay)).toString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_object_parses_into_its_typed_model_with_no_unknown_field(String overlay) throws Exception {
        for (var objects : List.of(rendered.get(overlay), renderedBy120.get(overlay))) {
            for (HasMetadata object : objects) {
                String name = object.getKind() + "/" + object.getMetadata().getName();
                if (!(object instanceof io.fabric8.kubernetes.api.model.Namespace)) {
                    assertEquals("valence", object.getMetadata().getNamespace(), name + " is in the valence namespace");
                }
                if (object.getApiVersion().startsWith("postgresql.cnpg.io/")) continue; // checked against its CRD below
                assertFalse(object instanceof GenericKubernetesResource, name + " has no typed model: is its apiVersion " + object.getApiVersion() + " right?");
                var leftOver = new ArrayList<String>();
                collectUnknownFields(object, name, leftOver);
                assertEquals(List.of(), leftOver, "fields the model does not know (misspelt or misplaced)");
            }
        }
    }

    /** Walks the model's getters; every model object keeps fields it does not know in its additionalProperties. */
    private static void collectUnknownFields(Object value, String path, List<String> leftOver) throws Exception {
        switch (value) {
            case null -> { }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) collectUnknownFields(list.get(i), path + "[" + i + "]", leftOver);
            }
            case Map<?, ?> map -> {
                for (var entry : map.entrySet()) collectUnknownFields(entry.getValue(), path + "." + entry.getKey(), leftOver);
            }
            default -> {
                if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) return;
                for (Method getter : value.getClass().getMethods()) {
                    if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                            || getter.getName().equals("getClass")) continue;
                    Object field = getter.invoke(value);
                    if (getter.getName().equals("getAdditionalProperties")) {
                        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) leftOver.add(path + ": " + extra.keySet());
                    } else {
                        collectUnknownFields(field, path + "." + getter.getName().substring(3), leftOver);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void the_cloudnative_pg_resources_follow_the_operators_schema_and_a_misspelt_field_would_not() throws Exception {
        Path crds = Path.of("src/test/resources/k8s/cloudnative-pg");
        var production = rendered.get("production");
        var clusters = production.stream().filter(o -> o.getKind().equals("Cluster")).toList();
        assertEquals(1, clusters.size());
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(closed(openApiSchema(crds.resolve("postgresql.cnpg.io_clusters.yaml"))));
        JsonNode cluster = JSON.valueToTree(clusters.getFirst());
        assertEquals(Set.of(), schema.validate(cluster).stream().map(ValidationMessage::getMessage).collect(java.util.stream.Collectors.toSet()));
        // the check is not empty-handed: one misspelt and one mistyped field are refused
        var wrong = ((ObjectNode) cluster.deepCopy());
        ((ObjectNode) wrong.get("spec")).put("instancez", 3);
        ((ObjectNode) wrong.get("spec")).put("instances", "three");
        assertEquals(2, schema.validate(wrong).size(), schema.validate(wrong).toString());

        var spec = cluster.get("spec");
        assertTrue(spec.get("instances").asInt() >= 3, "a primary and at least two replicas");
        assertTrue(spec.at("/backup/barmanObjectStore/destinationPath").asText().startsWith("s3://"), "backups go to object storage");
        var scheduled = production.stream().filter(o -> o.getKind().equals("ScheduledBackup")).toList();
        assertEquals(1, scheduled.size());
        var backupSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(closed(openApiSchema(crds.resolve("postgresql.cnpg.io_scheduledbackups.yaml"))));
        JsonNode backup = JSON.valueToTree(scheduled.getFirst());
        assertEquals(Set.of(), backupSchema.validate(backup).stream().map(ValidationMessage::getMessage).collect(java.util.stream.Collectors.toSet()));
        assertEquals(clusters.getFirst().getMetadata().getName(), backup.at("/spec/cluster/name").asText(), "the nightly backup is the Cluster's");
    }

    /** The CRD's openAPIV3Schema for version v1. */
    private static JsonNode openApiSchema(Path crd) throws Exception {
        Map<String, Object> definition = new Yaml().load(Files.readString(crd));
        JsonNode versions = JSON.valueToTree(definition).at("/spec/versions");
        for (JsonNode version : versions) {
            if (version.get("name").asText().equals("v1")) return version.at("/schema/openAPIV3Schema");
        }
        throw new AssertionError("no v1 in " + crd);
    }

    /** As the API server's strict field validation does: an object's unknown fields are errors, not pruned. */
    private static JsonNode closed(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("x-kubernetes-preserve-unknown-fields") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(KubernetesManifestsTest::closed);
        } else if (schema != null && schema.isArray()) {
            schema.forEach(KubernetesManifestsTest::closed);
        }
        return schema;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void selectors_match_labels_and_every_reference_names_something_rendered(String overlay) {
        var objects = rendered.get(overlay);
        Map<String, Map<String, String>> podLabels = new LinkedHashMap<>();
        for (var deployment : of(objects, Deployment.class)) {
            var labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()), deployment.getMetadata().getName());
            podLabels.put("Deployment/" + deployment.getMetadata().getName(), labels);
        }
        for (var job : of(objects, Job.class)) podLabels.put("Job/" + job.getMetadata().getName(), job.getSpec().getTemplate().getMetadata().getLabels());
        for (var service : of(objects, Service.class)) {
            var selected = selected(podLabels, service.getSpec().getSelector());
            assertEquals(1, selected.size(), "Service " + service.getMetadata().getName() + " selects " + selected);
            var containerPorts = template(objects, selected.getFirst()).getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts().stream()).map(p -> p.getName()).toList();
            for (var port : service.getSpec().getPorts()) {
                assertTrue(containerPorts.contains(port.getTargetPort().getStrVal()), service.getMetadata().getName() + " targets " + port.getTargetPort());
            }
        }
        for (var budget : of(objects, PodDisruptionBudget.class)) {
            assertEquals(1, selected(podLabels, budget.getSpec().getSelector().getMatchLabels()).size(), budget.getMetadata().getName());
        }
        for (var policy : of(objects, NetworkPolicy.class)) {
            var selector = policy.getSpec().getPodSelector().getMatchLabels();
            if (selector == null || selector.isEmpty() || selector.containsKey("cnpg.io/cluster")) continue; // all pods / the operator's
            assertFalse(selected(podLabels, selector).isEmpty(), "NetworkPolicy " + policy.getMetadata().getName() + " selects no pod");
        }
        for (var autoscaler : of(objects, HorizontalPodAutoscaler.class)) {
            var target = autoscaler.getSpec().getScaleTargetRef();
            assertTrue(podLabels.containsKey(target.getKind() + "/" + target.getName()), "HPA target " + target);
            assertTrue(autoscaler.getSpec().getMinReplicas() >= 2, "the autoscaler keeps two replicas at least: " + autoscaler.getSpec().getMinReplicas());
        }
        var services = of(objects, Service.class).stream().collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        for (var ingress : of(objects, Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    var backend = path.getBackend().getService();
                    assertTrue(services.containsKey(backend.getName()), rule.getHost() + " goes to a missing Service " + backend.getName());
                    assertTrue(services.get(backend.getName()).getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(backend.getPort().getName())),
                            rule.getHost() + " goes to a missing port " + backend.getPort().getName());
                    assertEquals(rule.getHost().startsWith("status.") ? "valence-status-page" : "valence-proxy", backend.getName(), rule.getHost());
                }
            }
            var hosts = ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList();
            assertEquals(1, hosts.stream().filter(h -> h.startsWith("*.")).count(), "one wildcard host for the vals, apart from the others: " + hosts);
        }
        // every Secret and ConfigMap used is rendered, or made outside by the operator or CloudNativePG
        var secrets = of(objects, Secret.class).stream().collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        var configMaps = of(objects, ConfigMap.class).stream().map(c -> c.getMetadata().getName()).toList();
        for (var entry : podLabels.keySet()) {
            var pod = template(objects, entry).getSpec();
            for (var container : pod.getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null) continue;
                    var ref = env.getValueFrom().getSecretKeyRef();
                    if (MADE_OUTSIDE.get(overlay).contains(ref.getName())) continue;
                    assertTrue(secrets.containsKey(ref.getName()), entry + " " + env.getName() + " needs the Secret " + ref.getName());
                    assertTrue(secrets.get(ref.getName()).getStringData().containsKey(ref.getKey()), entry + " needs " + ref.getName() + "/" + ref.getKey());
                }
            }
            for (var volume : pod.getVolumes()) {
                if (volume.getConfigMap() != null) assertTrue(configMaps.contains(volume.getConfigMap().getName()), entry + " mounts " + volume.getConfigMap().getName());
            }
        }
        for (var ingress : of(objects, Ingress.class)) {
            for (var tls : ingress.getSpec().getTls()) {
                assertTrue(secrets.containsKey(tls.getSecretName()) || MADE_OUTSIDE.get(overlay).contains(tls.getSecretName()), tls.getSecretName());
            }
        }
    }

    /**
     * `kubectl apply` sets every field a manifest names: a Deployment that names {@code replicas} while an
     * autoscaler scales it is shrunk back to that number by every apply (Kubernetes' HPA documentation, "Migrating
     * Deployments and StatefulSets to horizontal autoscaling"), so the autoscaler alone says how many there are.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void a_deployment_an_autoscaler_scales_leaves_its_replica_count_to_it(String overlay) {
        var objects = rendered.get(overlay);
        var autoscaled = of(objects, HorizontalPodAutoscaler.class).stream()
                .map(a -> a.getSpec().getScaleTargetRef().getName()).toList();
        assertFalse(autoscaled.isEmpty(), "the runtime has an autoscaler");
        for (var deployment : of(objects, Deployment.class)) {
            if (!autoscaled.contains(deployment.getMetadata().getName())) continue;
            assertEquals(null, deployment.getSpec().getReplicas(), "Deployment/" + deployment.getMetadata().getName()
                    + " names replicas, which every kubectl apply would reset under its autoscaler");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probes_ask_the_servers_real_paths_on_the_ports_they_listen_on(String overlay) throws Exception {
        var objects = rendered.get(overlay);
        String runtimeRoutes = Files.readString(ROOT.resolve("runtime/src/main/java/dev/valence/runtime/http/RuntimeServer.java"));
        String statusRoutes = Files.readString(ROOT.resolve("status-page/src/main/java/dev/valence/status/http/StatusServer.java"));

        Container runtime = container(objects, "Deployment/valence-runtime");
        int runtimePort = Config.fromEnv(literalEnv(runtime)).port();
        assertEquals(runtimePort, port(runtime, "http"), "the runtime listens on PORT");
        assertEquals("/healthz", runtime.getStartupProbe().getHttpGet().getPath());
        assertEquals("/readyz", runtime.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", runtime.getLivenessProbe().getHttpGet().getPath());
        for (Probe probe : List.of(runtime.getStartupProbe(), runtime.getReadinessProbe(), runtime.getLivenessProbe())) {
            assertTrue(runtimeRoutes.contains("router.get(\"" + probe.getHttpGet().getPath() + "\")"), probe.getHttpGet().getPath() + " is in the route table");
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
        }

        Container status = container(objects, "Deployment/valence-status-page");
        assertEquals(Integer.parseInt(literalEnv(status).get("STATUS_PORT")), port(status, "http"), "the status page listens on STATUS_PORT");
        for (Probe probe : List.of(status.getReadinessProbe(), status.getLivenessProbe())) {
            assertTrue(statusRoutes.contains("read(router, \"" + probe.getHttpGet().getPath() + "\""), probe.getHttpGet().getPath() + " is in the status page's routes");
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_environment_variable_is_one_the_process_reads(String overlay) throws Exception {
        var objects = rendered.get(overlay);
        Set<String> runtimeNames = configNames();
        assertTrue(runtimeNames.containsAll(Set.of("DATABASE_URL", "DATABASE_DIRECT_URL", "TRUSTED_PROXIES", "SHUTDOWN_DELAY_MS", "VALENCE_SECRET_KEY")),
                runtimeNames.toString());
        for (String name : envNames(container(objects, "Deployment/valence-runtime"))) {
            assertTrue(runtimeNames.contains(name) || JVM_VARIABLES.contains(name), "the runtime is given " + name + ", which Config does not read");
        }
        Set<String> statusNames = new TreeSet<>();
        Matcher status = Pattern.compile("env\\.(?:get|getOrDefault)\\(\"([A-Z_]+)\"").matcher(
                Files.readString(ROOT.resolve("status-page/src/main/java/dev/valence/status/Main.java")));
        while (status.find()) statusNames.add(status.group(1));
        for (String name : envNames(container(objects, "Deployment/valence-status-page"))) {
            assertTrue(statusNames.contains(name), "the status page is given " + name + ", which it does not read (it reads " + statusNames + ")");
        }
        var migrate = Ops.commandLine().getSubcommands().get("migrate").getCommandSpec();
        // the defaults as written in the annotations, before picocli puts this machine's environment in
        migrate.interpolateVariables(false);
        Set<String> opsNames = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{env:([A-Z_]+)}").matcher("");
        for (var option : migrate.options()) {
            if (option.defaultValue() != null) variable.reset(option.defaultValue()).results().forEach(m -> opsNames.add(m.group(1)));
        }
        for (String name : envNames(container(objects, "Job/valence-migrate"))) {
            assertTrue(opsNames.contains(name), "ops migrate is given " + name + ", which none of its options defaults to (" + opsNames + ")");
        }
        var runtimeEnv = container(objects, "Deployment/valence-runtime").getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
        assertNotEquals("", Objects.requireNonNullElse(runtimeEnv.get("TRUSTED_PROXIES").getValue(), ""), "the runtimes behind the proxy trust it");
        assertEquals("false", runtimeEnv.get("MIGRATE_ON_START").getValue(), "the migrate Job changes the schema, not the runtimes");
        assertEquals("false", runtimeEnv.get("EMBED_STATUS_PAGE").getValue(), "the status page is its own Deployment");
        assertEquals("metadata.name", runtimeEnv.get("INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath(), "heartbeats name the pod");
    }

    /** Every name Config reads, found by reading a configuration from an environment that remembers what was asked. */
    private static Set<String> configNames() {
        Set<String> asked = new TreeSet<>();
        Config.fromEnv(new HashMap<>() {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return null;
            }

            @Override
            public String getOrDefault(Object key, String fallback) {
                asked.add((String) key);
                return fallback;
            }
        });
        return asked;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_image_is_a_stage_of_the_dockerfile_run_with_its_own_command(String overlay) throws Exception {
        var objects = rendered.get(overlay);
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Set<String> stages = new TreeSet<>();
        Matcher from = Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$").matcher(dockerfile);
        while (from.find()) stages.add(from.group(1));
        Map<String, String> stageOf = Map.of("Deployment/valence-runtime", "runtime", "Deployment/valence-status-page", "status-page", "Job/valence-migrate", "ops");
        for (var entry : stageOf.entrySet()) {
            Container container = container(objects, entry.getKey());
            String image = container.getImage();
            assertTrue(image.matches("[a-z0-9./-]+:[0-9a-z][\\w.-]*") && !image.endsWith(":latest"), image + " is pinned to a tag");
            String repository = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':')).replaceFirst("^valence-", "");
            assertEquals(entry.getValue(), repository, entry.getKey() + " runs " + image);
            assertTrue(stages.contains(repository), "the Dockerfile has a stage " + repository + ": " + stages);
            assertEquals(List.of(), container.getCommand(), entry.getKey() + " keeps the image's entrypoint");
        }
        String ops = dockerfile.substring(dockerfile.indexOf("AS ops\n"));
        assertTrue(ops.contains("\"" + Ops.class.getName() + "\"]"), "the ops image's entrypoint runs " + Ops.class.getName());
        var job = container(objects, "Job/valence-migrate");
        assertEquals(List.of("migrate"), job.getArgs());
        assertTrue(Ops.commandLine().getSubcommands().containsKey(job.getArgs().getFirst()), "ops has the subcommand " + job.getArgs());
        String runtime = dockerfile.substring(dockerfile.indexOf("AS runtime\n"));
        assertTrue(runtime.contains("\"" + dev.valence.runtime.Main.class.getName() + "\"]"), "the runtime image runs " + dev.valence.runtime.Main.class.getName());
        for (String image : List.of(container(objects, "Deployment/valence-proxy").getImage())) {
            assertTrue(image.matches("nginx:1\\.(2[89]|[3-9][0-9])\\.\\d+"), image + ": nginx 1.27.3 or newer resolves the runtimes again as pods change");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void the_runtime_is_given_longer_to_stop_than_its_pre_stop_and_drain_take_and_runs_locked_down(String overlay) {
        var objects = rendered.get(overlay);
        var pod = template(objects, "Deployment/valence-runtime").getSpec();
        Container runtime = container(objects, "Deployment/valence-runtime");
        var config = Config.fromEnv(literalEnv(runtime));
        List<String> preStop = runtime.getLifecycle().getPreStop().getExec().getCommand();
        assertEquals("sleep", preStop.getFirst());
        long needMs = Long.parseLong(preStop.get(1)) * 1000 + config.shutdownDelayMs() + config.shutdownGraceMs() + 10_000;
        assertTrue(pod.getTerminationGracePeriodSeconds() * 1000 >= needMs,
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " covers preStop, delay, grace and 10 s: " + needMs + " ms");
        // readiness fails (and the pod leaves the Service) before the port stops serving
        var readiness = runtime.getReadinessProbe();
        assertTrue(readiness.getPeriodSeconds() * readiness.getFailureThreshold() * 1000L < config.shutdownDelayMs() + Long.parseLong(preStop.get(1)) * 1000);
        for (String name : List.of("Deployment/valence-runtime", "Deployment/valence-status-page", "Deployment/valence-proxy", "Job/valence-migrate")) {
            var spec = template(objects, name).getSpec();
            assertTrue(spec.getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
            for (Container container : spec.getContainers()) {
                assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem(), name + " has a read-only root filesystem");
                assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation(), name);
                var writable = container.getVolumeMounts().stream().map(m -> m.getMountPath()).toList();
                assertTrue(writable.contains("/tmp") || writable.contains("/tmp/nginx"), name + " has a writable /tmp: " + writable);
            }
        }
        assertTrue(runtime.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(config.dataDir().toString())), "VALENCE_DATA_DIR is writable");
        assertEquals(0, pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().getFirst()
                .getPodAffinityTerm().getTopologyKey().compareTo("kubernetes.io/hostname"), "replicas spread over nodes");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void the_proxy_runs_the_same_nginx_conf_as_docker_compose(String overlay) throws Exception {
        var objects = rendered.get(overlay);
        String shipped = Files.readString(ROOT.resolve("ops/proxy/nginx.conf"));
        var configMap = of(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().startsWith("valence-proxy")).findFirst().orElseThrow();
        assertEquals(shipped, configMap.getData().get("nginx.conf"));
        assertEquals(Set.of("nginx.conf", "valence-edge.conf", "valence-runtimes.conf"), configMap.getData().keySet());
        assertTrue(shipped.contains("hash $val_key consistent;"), "one val, one replica");
        assertTrue(configMap.getData().get("valence-runtimes.conf").contains("valence-runtime-pods.valence.svc.cluster.local:8080 resolve"),
                "the ring follows the ready runtime pods");
        Container proxy = container(objects, "Deployment/valence-proxy");
        assertEquals("/etc/nginx/valence", proxy.getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst().orElseThrow().getMountPath());

        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        @SuppressWarnings("unchecked")
        var composeProxy = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("proxy");
        assertEquals(proxy.getCommand(), composeProxy.get("command"), "compose starts nginx the same way");
        assertEquals(proxy.getImage(), composeProxy.get("image"));
        assertTrue(((List<?>) composeProxy.get("volumes")).contains("./ops/proxy/nginx.conf:/etc/nginx/valence/nginx.conf:ro"));
    }

    private static Set<String> names(List<HasMetadata> objects) {
        // a generated ConfigMap's name ends in a hash of its content, which the two releases compute apart
        return objects.stream().map(o -> o.getKind() + "/" + (o instanceof ConfigMap ? o.getMetadata().getName().replaceFirst("-[a-z0-9]{10}$", "")
                : o.getMetadata().getName())).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<String> selected(Map<String, Map<String, String>> podLabels, Map<String, String> selector) {
        return podLabels.entrySet().stream().filter(e -> e.getValue().entrySet().containsAll(selector.entrySet())).map(Map.Entry::getKey).toList();
    }

    private static PodTemplateSpec template(List<HasMetadata> objects, String kindAndName) {
        String name = kindAndName.substring(kindAndName.indexOf('/') + 1);
        if (kindAndName.startsWith("Job/")) {
            return of(objects, Job.class).stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst().orElseThrow().getSpec().getTemplate();
        }
        return of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kindAndName)).getSpec().getTemplate();
    }

    private static Container container(List<HasMetadata> objects, String kindAndName) {
        var containers = template(objects, kindAndName).getSpec().getContainers();
        assertEquals(1, containers.size(), kindAndName);
        return containers.getFirst();
    }

    private static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow().getContainerPort();
    }

    private static List<String> envNames(Container container) {
        return container.getEnv().stream().map(EnvVar::getName).toList();
    }

    /** The variables given as plain values (secrets and pod fields are not known before the pod runs). */
    private static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) if (var.getValue() != null) env.put(var.getName(), var.getValue());
        return env;
    }
}
