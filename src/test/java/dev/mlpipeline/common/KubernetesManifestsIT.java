package dev.mlpipeline.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest that {@code package} generates ({@code target/kubernetes/kubernetes.yml}, from the
 * {@code quarkus.kubernetes.*} properties merged with {@code src/main/kubernetes/kubernetes.yml}) has
 * every property the committed ones have. Runs in {@code verify}, after the manifest is written; the
 * inherited tests check the committed manifests again.
 */
class KubernetesManifestsIT extends KubernetesManifestsTest {

    static final Path GENERATED = Path.of("target", "kubernetes", "kubernetes.yml");

    @Test
    void theGeneratedDeploymentIsOperable() throws IOException {
        assertTrue(Files.exists(GENERATED), "package writes " + GENERATED);
        List<JsonNode> resources = documents(GENERATED);
        JsonNode deployment = find(resources, "Deployment", "model-registry");
        assertOperable(deployment);
        assertDisruptionBudgetAndCpuAutoscaler(resources, deployment);
        JsonNode service = find(resources, "Service", "model-registry");
        assertFalse(service.path("spec").path("selector").has(VERSION_LABEL), "Service selector without the version");
        assertTrue(selects(service.path("spec").path("selector"), podLabels(deployment)), "the Service selects the pods");
        // One Deployment that serves the API and runs jobs.
        assertTrue(env(container(deployment), "MLPIPELINE_JOBS_ENABLED").orElse("true").equals("true"));
        assertEquals(List.of("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"),
                resources.stream().map(r -> r.path("kind").asText()).sorted().toList());
    }

    /**
     * Applying the next version changes the image and nothing that Kubernetes refuses to change: no
     * build timestamp (which would also restart every pod on a mere re-apply) and the version only in
     * the image tag (not in any label, let alone a selector).
     */
    @Test
    void theNextVersionChangesOnlyTheImage() throws IOException {
        String text = Files.readString(GENERATED);
        assertFalse(text.contains("build-timestamp"), "no build timestamp");
        String version = projectVersion();
        long occurrences = Pattern.compile(Pattern.quote(version)).matcher(text).results().count();
        assertEquals(1, occurrences, "the version " + version + " appears once, in the image tag");
        assertTrue(text.contains("image: " + "docker.io/" + readmeImage()) || text.contains("image: " + readmeImage()));
    }
}
