package dev.mlpipeline.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, predictions: values mapped onto training levels by value, never guessed; per-row reports of
 * missing features and unseen values; NaN and Infinity; the input schema recorded at fit time.
 */
class PredictionContractTest {

    /**
     * 60 rows: {@code is_member} True/False (as pandas writes booleans) decides the label, {@code plan} is
     * yes/no noise, {@code zone} holds numeric-looking levels, {@code zip} codes with a leading zero,
     * {@code spend} numbers with two missing.
     */
    private static FittedPipeline membership() {
        List<String> columns = List.of("is_member", "plan", "zone", "zip", "spend", "label");
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean member = i % 2 == 0;
            rows.add(new String[]{ member ? "True" : "False", i % 3 == 0 ? "yes" : "no", String.valueOf(1 + i % 3), i % 4 == 0 ? "02134"
                    : "10001", i == 5 || i == 7 ? null : String.valueOf(10 + i), member ? "stays" : "leaves" });
        }
        Map<String, ColumnType> types = new HashMap<>();
        for (String c : columns) types.put(c, ColumnType.CATEGORICAL);
        types.put("spend", ColumnType.NUMERIC);
        TrainingSpec spec = new TrainingSpec("DecisionTree", Task.CLASSIFICATION, "label", null, Map.of(), null, 0.25, 7);
        return Trainer.train(new Table(columns, rows), types, spec, null, null).pipeline();
    }

    private static final FittedPipeline MEMBERSHIP = membership();

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) row.put((String) keyValues[i], keyValues[i + 1]);
        return row;
    }

    private static Map<String, Object> full(String key, Object value) {
        Map<String, Object> row = row("is_member", "True", "plan", "yes", "zone", "1", "zip", "10001", "spend", 30);
        row.put(key, value);
        return row;
    }

    @Test
    void jsonBooleansMatchTrueFalseLevelsInAnyLetterCase() {
        Prediction p = MEMBERSHIP.predict(List.of(full("is_member", false), full("is_member", "False"),
                full("is_member", true), full("is_member", "True"), full("is_member", "FALSE")));
        assertEquals(List.of("leaves", "leaves", "stays", "stays", "leaves"), p.predictions());
        assertEquals(p.probabilities().get(0), p.probabilities().get(1), "false is the level False");
        p.unseenCategories().forEach(u -> assertEquals(Map.of(), u));
        p.missingColumns().forEach(m -> assertEquals(List.of(), m));
    }

    @Test
    void yesNoLevelsDoNotMatchBooleans() {
        Prediction p = MEMBERSHIP.predict(List.of(full("plan", true), full("plan", false), full("plan", "yes"),
                full("plan", 1)));
        assertEquals(Map.of("plan", true), p.unseenCategories().get(0));
        assertEquals(Map.of("plan", false), p.unseenCategories().get(1));
        assertEquals(Map.of(), p.unseenCategories().get(2));
        assertEquals(Map.of("plan", 1), p.unseenCategories().get(3));
    }

    @Test
    void numbersMatchNumericLevelsByValueButNeverCodesWithLeadingZeros() {
        Prediction p = MEMBERSHIP.predict(List.of(full("zone", 2), full("zone", 2.0), full("zone", "2.0"),
                full("zone", new BigDecimal("3.00")), full("zone", 4), full("zip", 2134), full("zip", "02134")));
        assertEquals(Map.of(), p.unseenCategories().get(0));
        assertEquals(Map.of(), p.unseenCategories().get(1));
        assertEquals(Map.of(), p.unseenCategories().get(2));
        assertEquals(Map.of(), p.unseenCategories().get(3));
        assertEquals(Map.of("zone", 4), p.unseenCategories().get(4));
        assertEquals(Map.of("zip", 2134), p.unseenCategories().get(5), "2134 is not the code 02134");
        assertEquals(Map.of(), p.unseenCategories().get(6));
    }

    @Test
    void levelMatcherNeverPicksBetweenTwoCandidates() {
        LevelMatcher m = LevelMatcher.of(List.of("1", "1.0", "true", "True"));
        assertEquals("1", m.match("1"));
        assertNull(m.match(1), "1 and 1.0 are both the number 1");
        assertNull(m.match(true), "true and True are both the boolean true");
        assertEquals("True", m.match("True"));
    }

    @Test
    void partialAndEmptyRowsReportTheirMissingFeatures() {
        Prediction p = MEMBERSHIP.predict(List.of(row("is_member", "True"), row("pclass", 3), row()));
        assertEquals(List.of("plan", "zone", "zip", "spend"), p.missingColumns().get(0));
        assertEquals(List.of("is_member", "plan", "zone", "zip", "spend"), p.missingColumns().get(1));
        assertEquals(List.of("is_member", "plan", "zone", "zip", "spend"), p.missingColumns().get(2));
        assertEquals(List.of("pclass"), MEMBERSHIP.unknownColumns(List.of(row("pclass", 3))));
    }

    @Test
    void nanIsMissingAndInfinityIsRefusedNamingTheField() {
        Prediction p = MEMBERSHIP.predict(List.of(full("spend", Double.NaN), full("spend", "NaN"),
                full("is_member", Double.NaN), full("spend", " ")));
        assertEquals(List.of("spend"), p.missingColumns().get(0));
        assertEquals(List.of("spend"), p.missingColumns().get(1));
        assertEquals(List.of("is_member"), p.missingColumns().get(2));
        assertEquals(List.of("spend"), p.missingColumns().get(3));
        InvalidRowException e = assertThrows(InvalidRowException.class,
                () -> MEMBERSHIP.predict(List.of(full("spend", 1), full("spend", Double.NEGATIVE_INFINITY))));
        assertEquals(1, e.rowIndex());
        assertEquals("spend", e.field());
        assertEquals("zone", assertThrows(InvalidRowException.class,
                () -> MEMBERSHIP.predict(List.of(full("zone", Double.POSITIVE_INFINITY)))).field());
    }

    @Test
    void inputSchemaHoldsLevelsRangesAndMissingRates() {
        Map<String, FeatureSchema> schema = new HashMap<>();
        MEMBERSHIP.inputSchema().forEach(f -> schema.put(f.name(), f));
        assertEquals(List.of("False", "True"), schema.get("is_member").levels());
        assertEquals(ColumnType.CATEGORICAL, schema.get("is_member").type());
        assertEquals(0.0, schema.get("is_member").missingRate());
        FeatureSchema spend = schema.get("spend");
        assertEquals(ColumnType.NUMERIC, spend.type());
        assertEquals(List.of(), spend.levels());
        assertTrue(spend.min() >= 10 && spend.max() <= 69 && spend.min() < spend.max(), spend.toString());
        assertTrue(spend.missingRate() >= 0 && spend.missingRate() <= 2 / 45.0 + 1e-12, spend.toString());
        assertTrue(spend.imputedWith() instanceof Double);
    }

    @Test
    void artifactsFittedBeforeTheSchemaStillLoadAndPredict() throws IOException {
        // Written by this pipeline as of commit 649e8e8 (before ranges and missing rates were recorded):
        // DecisionTree(max_depth=3) on samples/titanic.csv, seed 42.
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/artifacts/titanic-decisiontree-before-schema.bin")) {
            bytes = in.readAllBytes();
        }
        FittedPipeline old = ArtifactCodec.deserialize(bytes,
                "39194656cbb8603ffe9057c85faa066a02bc036be8a0901446f2b3c3ce78a3a5");
        Prediction p = old.predict(List.of(row("Pclass", 3, "Sex", "male", "Age", 22, "SibSp", 1, "Parch", 0,
                "Fare", 7.25, "Embarked", "S"), row("Pclass", 1, "Sex", "female")));
        assertEquals(0L, p.predictions().get(0));
        assertEquals(0.8363228699551569, p.probabilities().get(0).get("0"), 1e-12);
        assertEquals(List.of("Age", "SibSp", "Parch", "Fare", "Embarked"), p.missingColumns().get(1));
        FeatureSchema age = old.inputSchema().stream().filter(f -> f.name().equals("Age")).findFirst().orElseThrow();
        assertNull(age.min(), "not recorded then");
        assertNull(age.missingRate(), "not recorded then");
        assertEquals(List.of("female", "male"),
                old.inputSchema().stream().filter(f -> f.name().equals("Sex")).findFirst().orElseThrow().levels());
    }
}
