package dev.mlpipeline.pipeline;

import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scores within 0.02 of the scikit-learn reference in BASELINE.md, with default hyperparameters. */
class BaselineTest {

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({ "customers, LogisticRegression, Churn, 0.8055", "customers, RandomForest, Churn, 0.7779", "titanic, LogisticRegression, Survived, 0.8045", "titanic, RandomForest, Survived, 0.8156", "iris, LogisticRegression, species, 0.9333", "iris, RandomForest, species, 0.9000", "adult, LogisticRegression, income, 0.8555", "adult, RandomForest, income, 0.8575",
    })
    void classificationAccuracy(String dataset, String model, String target, double sklearn) {
        TrainingResult r = TestData.train(dataset, model, Task.CLASSIFICATION, target, Map.of());
        double accuracy = r.metrics().get("accuracy");
        if (model.equals("RandomForest") && r.testRows() < 500) {
            // On tiny test splits (titanic 179 rows, iris 30) one forest's accuracy swings by a few rows with the
            // forest seed (scikit-learn's own does too), so compare the mean over five forest seeds on the same
            // seed-42 split. The tolerance is 0.02 or one test row, whichever is larger (iris: 1 row = 0.033).
            accuracy = meanOverForestSeeds(dataset, target);
        }
        double tolerance = Math.max(0.02, 1.0 / r.testRows() + 1e-9);
        assertEquals(sklearn, accuracy, tolerance, dataset + " " + model);
    }

    private static double meanOverForestSeeds(String dataset, String target) {
        TestData.Loaded d = TestData.load(dataset);
        Trainer.Prepared p = Trainer.prepare(d.table(), d.types(),
                TestData.spec("RandomForest", Task.CLASSIFICATION, target, Map.of()));
        Splits.TrainTest split = p.split(0.2, 42);
        double sum = 0;
        StringBuilder each = new StringBuilder();
        for (long seed = 42; seed < 47; seed++) {
            FittedPipeline f = Trainer.fit(p, split.train(), seed, ProgressListener.NONE, CancellationToken.NONE);
            double a = Trainer.evaluate(p, f, split.test()).get("accuracy");
            each.append(String.format(" %.4f", a));
            sum += a;
        }
        System.out.printf("%-20s RandomForest accuracy for forest seeds 42..46:%s, mean %.4f%n", dataset, each, sum / 5);
        return sum / 5;
    }

    @ParameterizedTest(name = "{0} on california_housing")
    @CsvSource({ "LinearRegression, 0.6252", "Ridge, 0.6254", "RandomForest, 0.8172",
    })
    void regressionR2(String model, double sklearn) {
        ModelType type = ModelCatalog.find(model).orElseThrow();
        Assumptions.assumeTrue(type.available(), type.detail());
        TrainingResult r = TestData.train("california_housing", model, Task.REGRESSION, "median_house_value", Map.of());
        assertEquals(sklearn, r.metrics().get("r2"), 0.02, model);
    }
}
