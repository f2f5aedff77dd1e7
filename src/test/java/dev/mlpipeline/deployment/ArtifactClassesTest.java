package dev.mlpipeline.deployment;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.CancellationToken;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.pipeline.PreprocessingSpec;
import dev.mlpipeline.pipeline.ProgressListener;
import dev.mlpipeline.pipeline.Table;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.Trainer;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class in the artifacts of every (model type, task) is registered for serialization by {@link ArtifactClasses}.
 * (That the registration covers every class an artifact can hold, not only these, is checked statically by
 * {@code NativeImageGuardTest}.)
 */
class ArtifactClassesTest {

    private static Set<String> registered() {
        return new TreeSet<>(List.of(ArtifactClasses.class.getAnnotation(RegisterForReflection.class).classNames()));
    }

    @Test
    void everyClassInTheArtifactsOfEveryModelTypeIsRegistered() throws Exception {
        Set<String> registered = registered();
        Set<String> seen = new TreeSet<>();
        // Only legacy artifacts (java-serialization/v1) are Java-deserialized: pipelines with Smile estimators.
        for (FittedPipeline p : Trainer.withSmileEstimators(ArtifactClassesTest::oneOfEach)) {
            byte[] bytes = ArtifactCodec.serializeLegacy(p);
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                in.setObjectInputFilter(info -> {
                    if (info.serialClass() != null) seen.add(info.serialClass().getName());
                    return ObjectInputFilter.Status.UNDECIDED;
                });
                in.readObject();
            }
        }
        Set<String> missing = new TreeSet<>(seen);
        missing.removeAll(registered);
        assertTrue(missing.isEmpty(), "classes in artifacts but not registered: " + missing);
        assertTrue(seen.size() > 20, seen.toString());
    }

    /** A small mixed dataset: one pipeline per (model type, task). */
    private static List<FittedPipeline> oneOfEach() {
        List<String> columns = List.of("x", "colour", "flag", "label", "amount");
        List<String[]> rows = new ArrayList<>();
        String[] colours = { "red", "green", "blue" };
        for (int i = 0; i < 60; i++) {
            rows.add(new String[]{ Double.toString(i * 0.37 % 5), colours[i % 3], i % 4 == 0 ? "" : Integer.toString(i % 2), i % 3 == 0 ? "a" : i % 3 == 1 ? "b"
                    : "c", Double.toString(i * 1.5 + (i % 3) * 4) });
        }
        Table table = new Table(columns, rows);
        Map<String, ColumnType> types = Map.of("x", ColumnType.NUMERIC, "colour", ColumnType.CATEGORICAL,
                "flag", ColumnType.NUMERIC, "label", ColumnType.CATEGORICAL, "amount", ColumnType.NUMERIC);
        List<FittedPipeline> out = new ArrayList<>();
        for (ModelType m : ModelCatalog.all()) {
            for (Task task : m.tasks()) {
                Map<String, Object> params = m.hyperparameters().stream().anyMatch(h -> h.name().equals("n_trees"))
                        ? Map.of("n_trees", 3) : Map.of();
                TrainingSpec spec = new TrainingSpec(m.name(), task, task == Task.CLASSIFICATION ? "label" : "amount",
                        List.of(), m.validate(params), PreprocessingSpec.defaults(), 0.2, 42L);
                out.add(Trainer.train(table, types, spec, ProgressListener.NONE, CancellationToken.NONE).pipeline());
            }
        }
        assertEquals(10, out.size()); // 7 model types, 3 of them for both tasks
        return out;
    }
}
