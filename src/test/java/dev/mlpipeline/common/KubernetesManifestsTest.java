package dev.mlpipeline.common;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed Kubernetes manifests (the API/worker split in {@code deploy/kubernetes/}, with and
 * without KEDA) can be applied and re-applied across versions and run the service safely. No
 * cluster is needed: the YAML is parsed and every property is asserted. {@link KubernetesManifestsIT}
 * checks the manifest that {@code package} generates the same way.
 */
class KubernetesManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path DEPLOY = Path.of("deploy", "kubernetes");
    static final String VERSION_LABEL = "app.kubernetes.io/version";

    // ---- reading manifests

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> documents(Path file) throws IOException {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            values.forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            });
            return docs;
        }
    }

    /**
     * The resources of a kustomization, read the way {@code kubectl kustomize} builds them for the parts
     * these manifests use: {@code resources} (files and directories, recursively) and {@code images}.
     * Patches are asserted separately ({@link #theKedaOverlayHandsTheWorkerCountToKeda()}), and compared
     * with kubectl's own rendering where kubectl is installed.
     */
    static List<JsonNode> kustomize(Path dir) throws IOException {
        JsonNode k = documents(dir.resolve("kustomization.yaml")).getFirst();
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            assertTrue(Files.exists(path), dir + " lists a missing resource: " + entry.asText());
            resources.addAll(Files.isDirectory(path) ? kustomize(path) : documents(path));
        }
        for (JsonNode image : k.path("images")) {
            String reference = image.path("newName").asText(image.path("name").asText())
                    + (image.has("newTag") ? ":" + image.path("newTag").asText() : "");
            for (JsonNode resource : resources) {
                for (JsonNode container : resource.path("spec").path("template").path("spec").path("containers")) {
                    if (container.path("image").asText().equals(image.path("name").asText())) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) container).put("image", reference);
                    }
                }
            }
        }
        return resources;
    }

    static JsonNode find(List<JsonNode> resources, String kind, String name) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText()) && name.equals(r.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names(resources)));
    }

    static List<JsonNode> ofKind(List<JsonNode> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
    }

    static List<String> names(List<JsonNode> resources) {
        return resources.stream().map(r -> r.path("kind").asText() + "/" + r.path("metadata").path("name").asText()).toList();
    }

    static Map<String, String> labels(JsonNode labels) {
        return YAML.convertValue(labels, YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    /** Whether a matchLabels selector selects pods with these labels. */
    static boolean selects(JsonNode matchLabels, Map<String, String> podLabels) {
        Map<String, String> selector = labels(matchLabels);
        return !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }

    static Map<String, String> podLabels(JsonNode deployment) {
        return labels(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "one container in " + deployment.path("metadata").path("name"));
        return containers.get(0);
    }

    static Optional<String> env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).map(e -> e.path("value").asText()).findFirst();
    }

    /** A Kubernetes CPU quantity in cores ("2", "1.5", "500m"). */
    static BigDecimal cores(JsonNode quantity) {
        String q = quantity.asText();
        assertFalse(q.isBlank(), "a CPU quantity");
        return q.endsWith("m") ? new BigDecimal(q.substring(0, q.length() - 1)).movePointLeft(3) : new BigDecimal(q);
    }

    /** The project version, from the pom. */
    static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>model-registry</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find());
        return m.group(1);
    }

    /** The JVM image that the README builds and every manifest runs. */
    static String readmeImage() throws IOException {
        Matcher m = Pattern.compile("docker build -f src/main/docker/Dockerfile\\.jvm -t (\\S+) \\.")
                .matcher(Files.readString(Path.of("README.md")));
        assertTrue(m.find(), "the README builds the JVM image");
        return m.group(1);
    }

    static String withoutDockerHub(String image) {
        return image.replaceFirst("^docker\\.io/", "");
    }

    static Duration property(String key) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(\\d+)s$").matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        assertTrue(m.find(), key + " in application.properties");
        return Duration.ofSeconds(Long.parseLong(m.group(1)));
    }

    // ---- the properties every Deployment of the service must have

    /** Everything a Deployment of this service needs to be applied again, upgraded, drained and run safely. */
    static void assertOperable(JsonNode deployment) throws IOException {
        String name = deployment.path("metadata").path("name").asText();
        JsonNode spec = deployment.path("spec");
        JsonNode pod = spec.path("template").path("spec");
        JsonNode container = container(deployment);
        Map<String, String> podLabels = podLabels(deployment);

        // Selectors are immutable: a version in them makes `kubectl apply` of the next version fail.
        JsonNode selector = spec.path("selector").path("matchLabels");
        assertFalse(selector.has(VERSION_LABEL), name + ": selector without the version label: " + selector);
        assertTrue(selects(selector, podLabels), name + ": the selector matches its own pods");

        // Non-root, RuntimeDefault seccomp, read-only root filesystem, no capabilities, no escalation.
        JsonNode podSecurity = pod.path("securityContext");
        JsonNode security = container.path("securityContext");
        assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), name + ": pod runAsNonRoot");
        assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText(), name + ": pod seccomp");
        assertTrue(security.path("runAsNonRoot").asBoolean(true), name + ": the container does not override runAsNonRoot");
        assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asText("RuntimeDefault"), name + ": container seccomp");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name + ": readOnlyRootFilesystem");
        assertEquals("false", security.path("allowPrivilegeEscalation").asText(), name + ": allowPrivilegeEscalation");
        assertTrue(StreamSupport.stream(security.path("capabilities").path("drop").spliterator(), false).anyMatch(c -> c.asText().equals("ALL")),
                name + ": all capabilities dropped");
        assertTrue(security.path("capabilities").path("add").isMissingNode(), name + ": no capability added");

        // Temporary files (uploads, JVM perf data) on an emptyDir at /tmp.
        String tmpVolume = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(m -> "/tmp".equals(m.path("mountPath").asText())).map(m -> m.path("name").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": a volume mounted at /tmp"));
        assertTrue(StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .anyMatch(v -> tmpVolume.equals(v.path("name").asText()) && v.has("emptyDir")), name + ": /tmp is an emptyDir");

        // Spread over nodes and zones, counting this Deployment's pods.
        List<String> topologyKeys = new ArrayList<>();
        for (JsonNode constraint : pod.path("topologySpreadConstraints")) {
            assertTrue(selects(constraint.path("labelSelector").path("matchLabels"), podLabels), name + ": spread counts its own pods");
            assertFalse(constraint.path("labelSelector").path("matchLabels").has(VERSION_LABEL));
            topologyKeys.add(constraint.path("topologyKey").asText());
        }
        assertTrue(topologyKeys.containsAll(List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone")), name + ": spread " + topologyKeys);

        // preStop drain: endpoints are removed before the server stops, all within the grace period.
        JsonNode preStop = container.path("lifecycle").path("preStop").path("exec").path("command");
        assertEquals("sleep", preStop.path(0).asText(), name + ": preStop sleeps");
        long drain = preStop.path(1).asLong();
        assertTrue(drain >= 5, name + ": preStop sleeps at least 5 s");
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        long shutdown = property("quarkus.shutdown.timeout").toSeconds();
        assertTrue(grace >= drain + shutdown, name + ": grace period " + grace + " s covers the drain " + drain + " s + shutdown " + shutdown + " s");

        // Probes on the health endpoints; a startup window of at least 120 s.
        JsonNode startup = container.path("startupProbe");
        assertEquals("/q/health/started", startup.path("httpGet").path("path").asText(), name + ": startup probe");
        long window = startup.path("initialDelaySeconds").asLong(0)
                + startup.path("failureThreshold").asLong(3) * startup.path("periodSeconds").asLong(10);
        assertTrue(window >= 120, name + ": startup window " + window + " s");
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(), name + ": liveness probe");
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), name + ": readiness probe");

        // CPU requests and limits. The fit workers default to the CPUs the JVM sees, which is the CPU
        // limit (Runtime.availableProcessors() follows the cgroup quota, rounded up): so
        // mlpipeline.jobs.workers must stay unset for the limit to size them.
        JsonNode resources = container.path("resources");
        BigDecimal request = cores(resources.path("requests").path("cpu"));
        BigDecimal limit = cores(resources.path("limits").path("cpu"));
        assertTrue(request.signum() > 0 && limit.compareTo(request) >= 0, name + ": CPU request " + request + " <= limit " + limit);
        assertTrue(limit.stripTrailingZeros().scale() <= 0, name + ": a whole number of CPUs as the limit sizes the workers: " + limit);
        assertNotNull(resources.path("limits").path("memory").textValue(), name + ": a memory limit");
        assertTrue(env(container, "MLPIPELINE_JOBS_WORKERS").isEmpty(), name + ": workers sized from the CPU limit");

        // The image the README builds; the datasource from the documented Secret.
        assertEquals(withoutDockerHub(readmeImage()), withoutDockerHub(container.path("image").asText()), name + ": image");
        assertTrue(StreamSupport.stream(container.path("envFrom").spliterator(), false)
                .anyMatch(e -> "model-registry-db".equals(e.path("secretRef").path("name").asText())), name + ": datasource Secret");
        // The bootstrap admin token (issue 12) from its own Secret, never a literal value.
        JsonNode bootstrap = StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> "MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN".equals(e.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN"));
        assertTrue(bootstrap.path("value").isMissingNode(), name + ": the bootstrap token is not a literal");
        assertEquals("model-registry-security", bootstrap.path("valueFrom").path("secretKeyRef").path("name").asText(), name + ": bootstrap Secret");
        assertEquals("bootstrap-token", bootstrap.path("valueFrom").path("secretKeyRef").path("key").asText(), name + ": bootstrap Secret key");
    }

    /** A PodDisruptionBudget and a CPU HorizontalPodAutoscaler for this Deployment. */
    static void assertDisruptionBudgetAndCpuAutoscaler(List<JsonNode> resources, JsonNode deployment) {
        String name = deployment.path("metadata").path("name").asText();
        Map<String, String> podLabels = podLabels(deployment);
        List<JsonNode> budgets = ofKind(resources, "PodDisruptionBudget").stream()
                .filter(p -> selects(p.path("spec").path("selector").path("matchLabels"), podLabels)).toList();
        assertEquals(1, budgets.size(), name + ": one PodDisruptionBudget for its pods");
        JsonNode budget = budgets.getFirst();
        assertEquals("policy/v1", budget.path("apiVersion").asText());
        assertTrue(budget.path("spec").has("maxUnavailable") || budget.path("spec").has("minAvailable"), name + ": budget");

        JsonNode hpa = ofKind(resources, "HorizontalPodAutoscaler").stream()
                .filter(h -> name.equals(h.path("spec").path("scaleTargetRef").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": a HorizontalPodAutoscaler"));
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
        assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
        assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 2, name + ": at least 2 replicas, so one can be disrupted");
        assertTrue(hpa.path("spec").path("maxReplicas").asInt() > hpa.path("spec").path("minReplicas").asInt());
        assertTrue(StreamSupport.stream(hpa.path("spec").path("metrics").spliterator(), false)
                .anyMatch(m -> "cpu".equals(m.path("resource").path("name").asText())
                        && "Utilization".equals(m.path("resource").path("target").path("type").asText())),
                name + ": scaled on CPU utilization");
        JsonNode replicas = deployment.path("spec").path("replicas");
        assertTrue(replicas.isMissingNode() || replicas.asInt() == hpa.path("spec").path("minReplicas").asInt(),
                name + ": replicas absent (the HPA owns them) or equal to the HPA's minimum");
    }

    // ---- the committed API/worker split

    @Test
    void theBaseSplitsApiAndWorkers() throws IOException {
        List<JsonNode> resources = kustomize(DEPLOY.resolve("base"));
        JsonNode api = find(resources, "Deployment", "model-registry-api");
        JsonNode worker = find(resources, "Deployment", "model-registry-worker");
        assertOperable(api);
        assertOperable(worker);
        assertDisruptionBudgetAndCpuAutoscaler(resources, api);

        // API replicas never claim jobs; workers do.
        assertEquals(Optional.of("false"), env(container(api), "MLPIPELINE_JOBS_ENABLED"));
        assertEquals("true", env(container(worker), "MLPIPELINE_JOBS_ENABLED").orElse("true"));
        // The HPA owns the API's replica count: `kubectl apply` must not reset it.
        assertTrue(api.path("spec").path("replicas").isMissingNode(), "no replicas on the autoscaled API Deployment");

        // Two Deployments whose selectors overlap would fight over pods; the Service reaches the API only.
        assertFalse(selects(api.path("spec").path("selector").path("matchLabels"), podLabels(worker)));
        assertFalse(selects(worker.path("spec").path("selector").path("matchLabels"), podLabels(api)));
        JsonNode service = find(resources, "Service", "model-registry");
        assertFalse(service.path("spec").path("selector").has(VERSION_LABEL));
        assertTrue(selects(service.path("spec").path("selector"), podLabels(api)), "the Service selects the API pods");
        assertFalse(selects(service.path("spec").path("selector"), podLabels(worker)), "the Service does not select workers");

        // Workers get a disruption budget too (a drain takes one at a time).
        assertTrue(ofKind(resources, "PodDisruptionBudget").stream()
                .anyMatch(p -> selects(p.path("spec").path("selector").path("matchLabels"), podLabels(worker))));
        // The committed image tag is this version.
        assertTrue(readmeImage().endsWith(":" + projectVersion()), "README builds the image tagged with the version: " + readmeImage());
    }

    @Test
    void theKedaOverlayScalesWorkersWithTheQueue() throws IOException {
        Path overlay = DEPLOY.resolve("overlays").resolve("keda");
        List<JsonNode> resources = kustomize(overlay);
        JsonNode worker = find(resources, "Deployment", "model-registry-worker");
        assertOperable(worker);
        assertOperable(find(resources, "Deployment", "model-registry-api"));

        JsonNode scaled = find(resources, "ScaledObject", "model-registry-worker");
        assertEquals("keda.sh/v1alpha1", scaled.path("apiVersion").asText());
        JsonNode target = scaled.path("spec").path("scaleTargetRef");
        assertEquals("model-registry-worker", target.path("name").asText());
        assertEquals("Deployment", target.path("kind").asText("Deployment"));
        assertTrue(scaled.path("spec").path("maxReplicaCount").asInt() > scaled.path("spec").path("minReplicaCount").asInt());

        JsonNode trigger = scaled.path("spec").path("triggers").path(0);
        assertEquals("postgresql", trigger.path("type").asText());
        String query = trigger.path("metadata").path("query").asText();
        for (String part : List.of("training_job", "tuning_job", "'PENDING'")) {
            assertTrue(query.contains(part), "the query counts " + part + ": " + query);
        }
        // One queued job per fit worker of a pod: the target is the worker pod's CPU limit.
        BigDecimal perPod = cores(container(worker).path("resources").path("limits").path("cpu"));
        assertEquals(0, new BigDecimal(trigger.path("metadata").path("targetQueryValue").asText()).compareTo(perPod),
                "targetQueryValue = fit workers per pod = its CPU limit");
        // Credentials from a TriggerAuthentication that reads the service's own Secret.
        JsonNode auth = find(resources, "TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());
        List<String> parameters = new ArrayList<>();
        for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
            assertEquals("model-registry-db", ref.path("name").asText());
            parameters.add(ref.path("parameter").asText());
        }
        assertTrue(parameters.containsAll(List.of("userName", "password")), parameters.toString());
        for (String key : List.of("host", "port", "dbName", "sslmode")) {
            assertTrue(trigger.path("metadata").has(key) || parameters.contains(key), "the scaler's " + key);
        }
    }

    @Test
    void theKedaOverlayHandsTheWorkerCountToKeda() throws IOException {
        JsonNode k = documents(DEPLOY.resolve("overlays/keda/kustomization.yaml")).getFirst();
        JsonNode patch = StreamSupport.stream(k.path("patches").spliterator(), false)
                .filter(p -> "model-registry-worker".equals(p.path("target").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("a patch of the worker Deployment"));
        JsonNode ops = YAML.readTree(patch.path("patch").asText());
        assertEquals("remove", ops.path(0).path("op").asText());
        assertEquals("/spec/replicas", ops.path(0).path("path").asText());
    }

    /** kubectl's own kustomize renders the same resources (where kubectl is installed). */
    @Test
    void kubectlRendersTheSameResources() throws Exception {
        Optional<Path> kubectl = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(File.pathSeparator)))
                .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed");
        for (Path dir : List.of(DEPLOY.resolve("base"), DEPLOY.resolve("overlays/keda"))) {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, out);
            List<JsonNode> rendered = new ArrayList<>();
            try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
                values.forEachRemaining(rendered::add);
            }
            List<JsonNode> ours = kustomize(dir);
            assertEquals(names(ours).stream().sorted().toList(), names(rendered).stream().sorted().toList(), dir.toString());
            for (JsonNode deployment : ofKind(rendered, "Deployment")) {
                assertOperable(deployment);
            }
            if (dir.endsWith("keda")) {
                assertTrue(find(rendered, "Deployment", "model-registry-worker").path("spec").path("replicas").isMissingNode(),
                        "KEDA owns the worker count");
            }
        }
    }

    @Test
    void theReadmeShowsHowToApplyTheSplitAndKeda() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("kubectl apply -k deploy/kubernetes/base"), "README: the split without KEDA");
        assertTrue(readme.contains("kubectl apply -k deploy/kubernetes/overlays/keda"), "README: the split with KEDA");
        assertTrue(readme.contains("kubectl apply -f target/kubernetes/kubernetes.yml"), "README: the generated manifest");
    }
}
