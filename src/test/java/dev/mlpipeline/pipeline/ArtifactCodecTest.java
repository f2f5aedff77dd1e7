package dev.mlpipeline.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Serialization round trips, checksum and class allow-list (the allow-list guards the legacy format). */
class ArtifactCodecTest {

    /** One pipeline per (model type, task) with Smile estimators: what the legacy artifacts hold. */
    private static List<FittedPipeline> oneOfEach() {
        return Trainer.withSmileEstimators(ArtifactCodecTest::train);
    }

    private static List<FittedPipeline> train() {
        List<FittedPipeline> out = new ArrayList<>();
        for (ModelType m : ModelCatalog.all()) {
            if (!m.available()) continue;
            for (Task task : m.tasks()) {
                Map<String, Object> params = m.hyperparameters().stream().anyMatch(h -> h.name().equals("n_trees"))
                        ? Map.of("n_trees", 5) : Map.of();
                out.add(task == Task.CLASSIFICATION
                        ? TestData.train("iris", m.name(), task, "species", params).pipeline()
                        : TestData.train("titanic", m.name(), task, "Fare", params).pipeline());
            }
        }
        return out;
    }

    @Test
    void legacyRoundTripPredictsIdenticallyAndOnlyAllowListedClassesAppear() throws Exception {
        TreeSet<String> jdkClasses = new TreeSet<>();
        for (FittedPipeline p : oneOfEach()) {
            byte[] bytes = ArtifactCodec.serializeLegacy(p);
            String sha = ArtifactCodec.sha256(bytes);
            assertEquals(64, sha.length());
            FittedPipeline back = ArtifactCodec.deserialize(bytes, sha);
            List<Map<String, Object>> rows = p.sampleRows();
            assertEquals(p.predict(rows), back.predict(rows), p.modelType());
            assertEquals(p.features(), back.features());
            assertEquals(p.labels(), back.labels());
            System.out.printf("artifact %s/%s: %d bytes%n", p.modelType(), p.task().wireName(), bytes.length);
            // Record every class in the stream (discovery for the allow-list).
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                in.setObjectInputFilter(info -> {
                    Class<?> c = info.serialClass();
                    if (c != null) {
                        while (c.isArray()) c = c.getComponentType();
                        if (!c.isPrimitive() && !c.getName().startsWith("smile.")
                                && !c.getName().startsWith("dev.mlpipeline."))
                            jdkClasses.add(c.getName());
                    }
                    return java.io.ObjectInputFilter.Status.UNDECIDED;
                });
                in.readObject();
            }
        }
        System.out.println("JDK classes in artifacts: " + jdkClasses);
        for (String c : jdkClasses) assertTrue(ArtifactCodec.JDK_ALLOW.contains(c), c + " is not allow-listed");
    }

    @Test
    void tamperedBytesAreRefused() {
        FittedPipeline p = TestData.train("iris", "DecisionTree", Task.CLASSIFICATION, "species", Map.of()).pipeline();
        byte[] bytes = ArtifactCodec.serialize(p);
        assertTrue(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("MLPB"));
        String sha = ArtifactCodec.sha256(bytes);
        byte[] tampered = bytes.clone();
        tampered[tampered.length / 2] ^= 1;
        ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class,
                () -> ArtifactCodec.deserialize(tampered, sha));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(ArtifactIntegrityException.class, () -> ArtifactCodec.deserialize(bytes, "00"));
        FittedPipeline back = ArtifactCodec.deserialize(bytes, sha.toUpperCase());
        assertEquals(p.predict(p.sampleRows()), back.predict(p.sampleRows()));
    }

    @Test
    void classesOutsideTheAllowListAreRefused() throws Exception {
        for (Object evil : List.of(URI.create("http://example.invalid/").toURL(), new HashMap<>(Map.of("k",
                URI.create("http://example.invalid/").toURL())), new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", 1)))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                out.writeObject(evil);
            }
            byte[] bytes = b.toByteArray();
            ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class,
                    () -> ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes)));
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
        }
        // Allowed classes that are not a pipeline are refused too.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject("just a string");
        }
        byte[] bytes = b.toByteArray();
        assertThrows(ArtifactIntegrityException.class, () -> ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes)));
        byte[] garbage = { 1, 2, 3 };
        assertThrows(ArtifactIntegrityException.class, () -> ArtifactCodec.deserialize(garbage, ArtifactCodec.sha256(garbage)));
    }
}
