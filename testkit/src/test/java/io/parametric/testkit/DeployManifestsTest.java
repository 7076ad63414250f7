package io.parametric.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.parametric.shared.protocol.FleetKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the deployment files offline, the way a schema validator would plus what matters to a
 * fleet: every manifest parses and names its kind, the worker's shutdown timeout fits in every
 * grace period, KEDA watches the backlog key the protocol really uses, Redis keeps its data and
 * never evicts queued jobs.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of(System.getProperty("pp.deployDir", "../deploy"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** {@code redis-sentinel://<sentinels>/<master>}. */
    private static final Pattern SENTINEL_URL = Pattern.compile("^redis-sentinel://([^/]+)/([^/]+)$");

    /** Docker's stop timeout when neither the run nor compose sets one. */
    private static final Duration DOCKER_DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void everyKubernetesManifestParsesWithAKnownKindAndAName() throws IOException {
        Map<String, String> apiVersionOfKind = Map.of(
                "Namespace", "v1",
                "Service", "v1",
                "StatefulSet", "apps/v1",
                "Deployment", "apps/v1",
                "PodDisruptionBudget", "policy/v1",
                "ScaledObject", "keda.sh/v1alpha1");
        List<JsonNode> docs = k8sObjects();
        assertThat(docs).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            assertThat(apiVersionOfKind).as("kind of %s", doc).containsKey(kind);
            assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", kind).isEqualTo(apiVersionOfKind.get(kind));
            assertThat(doc.at("/metadata/name").asText()).as("name of a %s", kind).isNotBlank();
            if (!kind.equals("Namespace")) {
                assertThat(doc.at("/metadata/namespace").asText()).as("namespace of %s", kind).isEqualTo("parametric");
            }
        }
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        JsonNode kustomization = YAML.readTree(DEPLOY.resolve("k8s/kustomization.yaml").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            List<String> manifests = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    @Test
    void workerDeploymentGivesTheShutdownTimeoutLessThanTheGracePeriod() throws IOException {
        JsonNode pod = one("Deployment", "parametric-worker").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Duration shutdown = duration(env(container, "PP_SHUTDOWN_TIMEOUT"));
        Duration grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong());
        // The worker needs time after the running job to hand queued jobs back and deregister.
        assertThat(grace).isGreaterThanOrEqualTo(shutdown.plusSeconds(10));
    }

    @Test
    void workerDeploymentHasProbesResourcesAndANonRootUser() throws IOException {
        JsonNode deployment = one("Deployment", "parametric-worker");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/exec/command/0").asText()).as(probe)
                    .isEqualTo("/opt/parametric/bin/pp-probe");
            assertThat(container.at("/" + probe + "/exec/command/1").asText()).as(probe).isEqualTo("live");
        }
        // Readiness (only) from the metrics endpoint's /ready, which Prometheus scrapes through the pod annotations.
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("metrics");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("metrics");
        String metricsPort = container.at("/ports/0/containerPort").asText();
        assertThat(env(container, "PP_METRICS_PORT")).isEqualTo(metricsPort);
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(metricsPort);
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
        assertThat(container.at("/resources/requests/cpu").asText()).isNotBlank();
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asLong()).isEqualTo(10001);
        assertThat(env(container, "PP_REDIS_URL")).startsWith("redis://redis.parametric.svc");
        assertThat(env(container, "PP_FLEET")).isNotBlank();
        // A read-only root needs writable mounts where the JVM and the liveness file write.
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).contains("/tmp", "/opt/parametric/run");
        deployment.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
                assertThat(deployment.at("/spec/template/metadata/labels").path(label.getKey()))
                        .as("pod label %s", label.getKey()).isEqualTo(label.getValue()));
    }

    @Test
    void disruptionBudgetSelectsTheWorkerPods() throws IOException {
        JsonNode deployment = one("Deployment", "parametric-worker");
        JsonNode pdb = one("PodDisruptionBudget", "parametric-worker");
        assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(pdb.at("/spec/maxUnavailable").isMissingNode() && pdb.at("/spec/minAvailable").isMissingNode())
                .as("the budget sets maxUnavailable or minAvailable").isFalse();
    }

    @Test
    void scaledObjectWatchesTheFleetBacklogOfTheWorkersItScales() throws IOException {
        JsonNode deployment = one("Deployment", "parametric-worker");
        JsonNode scaled = one("ScaledObject", "parametric-worker");
        String fleet = env(deployment.at("/spec/template/spec/containers/0"), "PP_FLEET");
        assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo("parametric-worker");
        assertThat(scaled.at("/spec/minReplicaCount").asInt()).isZero();
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isPositive();
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("redis");
        assertThat(trigger.at("/metadata/listName").asText()).isEqualTo(new FleetKeys(fleet).backlog());
        assertThat(Integer.parseInt(trigger.at("/metadata/listLength").asText())).isPositive();
        // The scaler and the workers must read the same Redis.
        String workerRedis = env(deployment.at("/spec/template/spec/containers/0"), "PP_REDIS_URL");
        assertThat(workerRedis).isEqualTo("redis://" + trigger.at("/metadata/address").asText());
    }

    @Test
    void redisStatefulSetKeepsAnAppendOnlyFileAndNeverEvicts() throws IOException {
        JsonNode redis = one("StatefulSet", "redis");
        JsonNode service = one("Service", "redis");
        assertThat(redis.at("/spec/serviceName").asText()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(service.at("/spec/selector")).isEqualTo(redis.at("/spec/selector/matchLabels"));
        JsonNode container = redis.at("/spec/template/spec/containers/0");
        assertPinned(container.path("image").asText());
        String args = String.join(" ", texts(container.path("args")));
        assertThat(args).contains("--appendonly yes", "--maxmemory-policy noeviction");
        assertThat(redis.at("/spec/volumeClaimTemplates/0/metadata/name").asText())
                .isEqualTo(container.at("/volumeMounts/0/name").asText());
    }

    @Test
    void composeRunsAPinnedDurableRedisAndAScalableWorker() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("docker-compose.yml").toFile());
        JsonNode redis = compose.at("/services/redis");
        assertPinned(defaultOf(redis.path("image").asText()));
        String command = String.join(" ", texts(redis.path("command")));
        assertThat(command).contains("--appendonly yes", "--maxmemory-policy noeviction");

        JsonNode worker = compose.at("/services/worker");
        // --scale worker=N fails with a fixed container name or a fixed host port; the metrics port
        // is mapped to a free host port per replica.
        assertScalesAndStopsGracefully(worker);
        assertThat(texts(worker.path("ports"))).containsExactly(worker.at("/environment/PP_METRICS_PORT").asText());
        assertThat(defaultOf(worker.at("/environment/PP_REDIS_URL").asText())).isEqualTo("redis://redis:6379");
        assertThat(worker.at("/build/dockerfile").asText()).isEqualTo("deploy/Dockerfile");
    }

    @Test
    void sentinelVariantPointsWorkersAndKedaAtTheSameSentinelsAndMaster() throws IOException {
        Path dir = DEPLOY.resolve("k8s-sentinel");
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(texts(kustomization.path("resources"))).containsExactly("../k8s", "redis-sentinel.yaml");
        JsonNode worker = YAML.readTree(dir.resolve("worker-sentinel.yaml").toFile()).at("/spec/template/spec/containers/0");
        String url = env(worker, "PP_REDIS_URL");
        assertThat(env(worker, "PP_DURABILITY")).isEqualTo("replicated");
        Matcher sentinelUrl = SENTINEL_URL.matcher(url);
        assertThat(sentinelUrl.matches()).as(url).isTrue();
        JsonNode trigger = YAML.readTree(dir.resolve("scaledobject-sentinel.yaml").toFile()).at("/0/value/0");
        assertThat(trigger.path("type").asText()).isEqualTo("redis-sentinel");
        assertThat(trigger.at("/metadata/addresses").asText()).isEqualTo(sentinelUrl.group(1));
        assertThat(trigger.at("/metadata/sentinelMaster").asText()).isEqualTo(sentinelUrl.group(2));
        String fleet = env(one("Deployment", "parametric-worker").at("/spec/template/spec/containers/0"), "PP_FLEET");
        assertThat(trigger.at("/metadata/listName").asText()).isEqualTo(new FleetKeys(fleet).backlog());

        List<JsonNode> group = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(dir.resolve("redis-sentinel.yaml").toFile())) {
            YAML.readValues(parser, JsonNode.class).readAll().forEach(group::add);
        }
        JsonNode scripts = group.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(scripts.at("/data/redis-node.sh").asText()).contains("--appendonly yes", "--maxmemory-policy noeviction");
        assertThat(scripts.at("/data/sentinel.sh").asText()).contains("sentinel monitor " + sentinelUrl.group(2) + " ");
        for (String host : sentinelUrl.group(1).split(",")) {
            // redis-sentinel-<n>.<service>.parametric.svc...: a pod of the sentinels' StatefulSet
            String[] parts = host.split("\\.");
            JsonNode sentinels = group.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")
                    && parts[0].startsWith(d.at("/metadata/name").asText() + "-")).findFirst().orElseThrow();
            assertThat(sentinels.at("/spec/serviceName").asText()).isEqualTo(parts[1]);
            assertThat(Integer.parseInt(parts[0].substring(parts[0].lastIndexOf('-') + 1)))
                    .isLessThan(sentinels.at("/spec/replicas").asInt());
        }
    }

    @Test
    void composeSentinelVariantRunsDurableNodesAndWorkersThatFollowTheSentinels() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("docker-compose.sentinel.yml").toFile());
        JsonNode services = compose.path("services");
        for (String node : List.of("redis-master", "redis-replica")) {
            String command = String.join(" ", texts(services.at("/" + node + "/command")));
            assertThat(command).as(node).contains("--appendonly yes", "--maxmemory-policy noeviction");
        }
        assertThat(String.join(" ", texts(services.at("/redis-replica/command")))).contains("--replicaof redis-master 6379");
        JsonNode worker = services.path("worker");
        String url = worker.at("/environment/PP_REDIS_URL").asText();
        Matcher sentinelUrl = SENTINEL_URL.matcher(url);
        assertThat(sentinelUrl.matches()).as(url).isTrue();
        // The sentinel services share one definition (x-sentinel, merged with <<: *sentinel).
        assertThat(String.join(" ", texts(compose.at("/x-sentinel/command"))))
                .contains("sentinel monitor " + sentinelUrl.group(2) + " redis-master 6379 2");
        assertEveryServiceMerges("docker-compose.sentinel.yml", sentinelUrl.group(1), "sentinel");
        assertThat(worker.at("/environment/PP_DURABILITY").asText()).isEqualTo("replicated");
        assertScalesAndStopsGracefully(worker);
    }

    @Test
    void clusterVariantShardsTheFleetAndScalesOnTheSumOfEveryShardsBacklog() throws IOException {
        Path dir = DEPLOY.resolve("k8s-cluster");
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(texts(kustomization.path("resources"))).containsExactly("../k8s", "redis-cluster.yaml");
        JsonNode worker = YAML.readTree(dir.resolve("worker-cluster.yaml").toFile()).at("/spec/template/spec/containers/0");
        Matcher clusterUrl = Pattern.compile("^redis-cluster://([^/]+)$").matcher(env(worker, "PP_REDIS_URL"));
        assertThat(clusterUrl.matches()).as(env(worker, "PP_REDIS_URL")).isTrue();
        int shards = Integer.parseInt(env(worker, "PP_SHARDS"));
        assertThat(shards).isGreaterThan(1);
        String fleet = env(one("Deployment", "parametric-worker").at("/spec/template/spec/containers/0"), "PP_FLEET");

        JsonNode patch = YAML.readTree(dir.resolve("scaledobject-cluster.yaml").toFile());
        JsonNode triggers = patch.at("/0/value");
        assertThat(triggers).as("one trigger per shard").hasSize(shards);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            JsonNode trigger = triggers.get(k);
            assertThat(trigger.path("type").asText()).isEqualTo("redis-cluster");
            assertThat(trigger.at("/metadata/addresses").asText()).isEqualTo(clusterUrl.group(1));
            assertThat(trigger.at("/metadata/listName").asText()).as("backlog of shard %d", k)
                    .isEqualTo(FleetKeys.shard(fleet, k).backlog());
            names.add(trigger.path("name").asText());
        }
        assertThat(patch.at("/1/path").asText()).isEqualTo("/spec/advanced/scalingModifiers");
        JsonNode modifiers = patch.at("/1/value");
        assertThat(modifiers.path("formula").asText().replace(" ", "")).isEqualTo(String.join("+", names));
        assertThat(Integer.parseInt(modifiers.path("target").asText())).isPositive();

        List<JsonNode> nodes = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(dir.resolve("redis-cluster.yaml").toFile())) {
            YAML.readValues(parser, JsonNode.class).readAll().forEach(nodes::add);
        }
        JsonNode redis = nodes.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        JsonNode service = nodes.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
        assertThat(redis.at("/spec/serviceName").asText()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(redis.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2 * shards);
        assertPinned(redis.at("/spec/template/spec/containers/0/image").asText());
        assertThat(String.join(" ", texts(redis.at("/spec/template/spec/containers/0/args"))))
                .contains("--appendonly yes", "--maxmemory-policy noeviction", "--cluster-enabled yes");
        for (String host : clusterUrl.group(1).split(",")) {
            // redis-cluster-<n>.<service>.parametric.svc...:6379: a pod of the cluster's StatefulSet
            String[] parts = host.split("\\.");
            assertThat(parts[0]).startsWith(redis.at("/metadata/name").asText() + "-");
            assertThat(parts[1]).isEqualTo(service.at("/metadata/name").asText());
        }
        JsonNode create = nodes.stream().filter(d -> d.path("kind").asText().equals("Job")).findFirst().orElseThrow();
        assertThat(String.join(" ", texts(create.at("/spec/template/spec/containers/0/args"))))
                .contains("--cluster create", "--cluster-replicas 1");
    }

    @Test
    void composeClusterVariantRunsDurableClusterNodesAndShardedWorkers() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("docker-compose.cluster.yml").toFile());
        assertThat(String.join(" ", texts(compose.at("/x-redis-node/command"))))
                .contains("--appendonly yes", "--maxmemory-policy noeviction", "--cluster-enabled yes");
        JsonNode worker = compose.at("/services/worker");
        Matcher clusterUrl = Pattern.compile("^redis-cluster://([^/]+)$").matcher(worker.at("/environment/PP_REDIS_URL").asText());
        assertThat(clusterUrl.matches()).isTrue();
        assertEveryServiceMerges("docker-compose.cluster.yml", clusterUrl.group(1), "redis-node");
        assertThat(Integer.parseInt(defaultOf(worker.at("/environment/PP_SHARDS").asText()))).isGreaterThan(1);
        assertThat(worker.at("/depends_on/cluster-create/condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(String.join(" ", texts(compose.at("/services/cluster-create/command")))).contains("--cluster create");
        assertScalesAndStopsGracefully(worker);
    }

    @Test
    void dockerfileRunsTheJarAsANonRootUserWithAReadinessHealthCheckAndNoRedisDefault() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher base = Pattern.compile("(?m)^ARG BASE_IMAGE=(\\S+)$").matcher(dockerfile);
        assertThat(base.find()).as("ARG BASE_IMAGE with a default").isTrue();
        assertPinned(base.group(1));
        assertThat(dockerfile).containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$");
        assertThat(dockerfile).doesNotContainPattern("(?m)^FROM .*\\n(?s:.*)^FROM ");
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE 9404$").containsPattern("(?m)^\\s+PP_METRICS_PORT=9404$");
        assertThat(dockerfile).containsPattern("(?m)^USER pp:pp$");
        assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"java\".*\"-jar\", \"/opt/parametric/parametric-worker.jar\"]$");
        assertThat(dockerfile).containsPattern("(?m)^STOPSIGNAL SIGTERM$");
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\\\\\n\\s+CMD \\[\"/opt/parametric/bin/pp-probe\", \"ready\"]$");
        assertThat(dockerfile).doesNotContainPattern("(?m)^\\s*PP_REDIS_URL=");
        Matcher shutdown = Pattern.compile("PP_SHUTDOWN_TIMEOUT=(\\S+)").matcher(dockerfile);
        assertThat(shutdown.find()).isTrue();
        assertThat(duration(shutdown.group(1))).isLessThan(DOCKER_DEFAULT_STOP_TIMEOUT);
        assertThat(Files.isExecutable(DEPLOY.resolve("docker/pp-probe"))).isTrue();
    }

    /**
     * A compose worker service that {@code --scale worker=N} can run (no fixed container name)
     * and that Docker stops no sooner than the worker's own shutdown timeout plus 10 s.
     */
    private static void assertScalesAndStopsGracefully(JsonNode worker) {
        // --scale worker=N fails with a fixed container name.
        assertThat(worker.has("container_name")).isFalse();
        Duration shutdown = duration(worker.at("/environment/PP_SHUTDOWN_TIMEOUT").asText());
        assertThat(duration(worker.path("stop_grace_period").asText())).isGreaterThanOrEqualTo(shutdown.plusSeconds(10));
    }

    /** Every service a Redis URL names ({@code host:port,...}) is defined by merging the compose anchor. */
    private static void assertEveryServiceMerges(String composeFile, String hostPorts, String anchor) throws IOException {
        String file = Files.readString(DEPLOY.resolve(composeFile));
        for (String hostPort : hostPorts.split(",")) {
            String service = hostPort.substring(0, hostPort.indexOf(':'));
            assertThat(file).as("service %s", service).containsPattern("(?m)^  " + service + ":\\n    <<: \\*" + anchor + "$");
        }
    }

    private static void assertPinned(String image) {
        assertThat(image).as("image %s has a tag", image).contains(":");
        String tag = image.substring(image.lastIndexOf(':') + 1);
        assertThat(tag).as("tag of %s", image).isNotIn("latest", "7", "17", "stable").containsPattern("\\d+\\.\\d+");
    }

    /** The default of a compose variable such as {@code ${PP_REDIS_IMAGE:-redis:7.4.2}}. */
    private static String defaultOf(String value) {
        Matcher m = Pattern.compile("^\\$\\{[A-Z_]+:-(.+)}$").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no env " + name);
    }

    private static JsonNode one(String kind, String name) throws IOException {
        return k8sObjects().stream()
                .filter(d -> d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElse(MissingNode.getInstance());
    }

    private static List<JsonNode> k8sObjects() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream()
                            .filter(d -> d != null && !d.isNull() && !d.isEmpty())
                            .forEach(docs::add);
                }
            }
        }
        return docs;
    }

    /** Reads 25s, 2m, 500ms or ISO-8601 like the worker does. */
    private static Duration duration(String text) {
        Matcher m = Pattern.compile("^(\\d+)(ms|s|m|h)$").matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(text.trim());
    }
}
