package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * k-fold cross-validation of one training configuration on the training split of a dataset, the scoring unit of
 * hyperparameter tuning.
 *
 * <p>The training split is exactly the one {@link Trainer#train} uses for the same spec (same seed, same rows), so
 * the held-out test split is never seen during tuning. In every fold the whole pipeline — imputation statistics,
 * one-hot levels, scaler and model — is fitted on the fold's training rows only and scored on its validation rows.
 *
 * <p>Folds are not scikit-learn's exact assignment (which depends on NumPy's shuffling of each class), but follow the
 * same recipe: shuffled, stratified by class for classification, fold sizes differing by at most one.
 *
 * <p>All methods are stateless and thread-safe: concurrent calls may share the same {@link Table} (which is only
 * read). Results are deterministic given the spec's seed, whatever the thread.
 */
public final class CrossValidator {

    /** Smallest accepted number of folds. */
    public static final int MIN_FOLDS = 2;
    /** Largest accepted number of folds. */
    public static final int MAX_FOLDS = 20;

    private CrossValidator() {
    }

    /**
     * Receives each fitted fold (test hook, e.g. to check that preprocessing saw only the fold's training rows).
     */
    @FunctionalInterface
    interface FoldObserver {
        /**
         * Called after each fold was fitted and scored, on the calling thread.
         *
         * @param prepared       the prepared request (row positions below index its cells and targets)
         * @param fold           fold index
         * @param trainRows      rows the fold's pipeline was fitted on
         * @param validationRows rows it was scored on
         * @param pipeline       the fold's fitted pipeline
         * @param score          its score on the validation rows
         */
        void onFold(Trainer.Prepared prepared, int fold, int[] trainRows, int[] validationRows, FittedPipeline pipeline,
                double score);
    }

    /**
     * Stratified k-fold assignment. Rows are grouped by label (labels in ascending order), each group is shuffled with
     * the seed and dealt round-robin into the folds, the dealing position carrying over from one class to the next.
     * So every class with at least {@code k} rows appears in every fold, a class's count differs by at most one
     * between folds, and so do the fold sizes.
     *
     * @param labels class of each row (any int values)
     * @param k      number of folds, 2 ≤ k ≤ labels.length
     * @param seed   shuffling seed
     * @return for each fold, its validation row positions in ascending order; together they partition
     * {@code 0..labels.length-1}
     * @throws IllegalArgumentException when k is out of range
     */
    public static int[][] stratifiedKFold(int[] labels, int k, long seed) {
        checkK(labels.length, k);
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) folds.add(new ArrayList<>());
        int next = 0;
        for (List<Integer> members : byClass.values()) {
            int[] rows = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(rows, rng);
            for (int row : rows) {
                folds.get(next).add(row);
                next = (next + 1) % k;
            }
        }
        int[][] out = new int[k][];
        for (int f = 0; f < k; f++) {
            out[f] = folds.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    /**
     * Shuffled k-fold assignment: a seeded permutation of the rows cut into k consecutive parts, the first
     * {@code n % k} of them one row larger.
     *
     * @param n    number of rows
     * @param k    number of folds, 2 ≤ k ≤ n
     * @param seed shuffling seed
     * @return for each fold, its validation row positions in ascending order; together they partition {@code 0..n-1}
     * @throws IllegalArgumentException when k is out of range
     */
    public static int[][] kFold(int n, int k, long seed) {
        checkK(n, k);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        shuffle(perm, new SplittableRandom(seed));
        int[][] out = new int[k][];
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            out[f] = Arrays.copyOfRange(perm, start, start + size);
            Arrays.sort(out[f]);
            start += size;
        }
        return out;
    }

    private static void checkK(int n, int k) {
        if (k < 2 || k > n) throw new IllegalArgumentException("need 2 <= k <= " + n + " folds, got " + k);
    }

    /** Fisher-Yates shuffle. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Checks a fold count against a request and its data, without training.
     *
     * @param table the dataset
     * @param types column types of the dataset
     * @param spec  the training request (its split decides the training rows)
     * @param folds requested number of folds
     * @throws PipelineValidationException on {@code cv_folds} when folds is outside [{@value #MIN_FOLDS},
     *                                     {@value #MAX_FOLDS}], exceeds the number of training rows, or (classification)
     *                                     exceeds the row count of the smallest class in the training split; or as
     *                                     {@link Trainer#validate} for an invalid request
     */
    public static void validateFolds(Table table, Map<String, ColumnType> types, TrainingSpec spec, int folds) {
        checkFoldRange(folds);
        Trainer.Prepared p = Trainer.prepare(table, types, spec);
        Splits.TrainTest split = p.split(spec.testSize(), spec.randomSeed());
        Trainer.checkSplit(split.train().length, split.test().length);
        checkFolds(p, split.train(), folds);
    }

    private static void checkFoldRange(int folds) {
        if (folds < MIN_FOLDS || folds > MAX_FOLDS) {
            throw new PipelineValidationException("cv_folds", "cv_folds must be between " + MIN_FOLDS + " and "
                    + MAX_FOLDS + ", got " + folds);
        }
    }

    private static void checkFolds(Trainer.Prepared p, int[] train, int folds) {
        if (train.length < folds) {
            throw new PipelineValidationException("cv_folds", "the training split has only " + train.length
                    + " row(s), fewer than cv_folds = " + folds);
        }
        if (p.task() == Task.CLASSIFICATION) {
            int[] counts = new int[p.labels().size()];
            for (int r : train) counts[p.yClass()[r]]++;
            int smallest = 0;
            for (int c = 1; c < counts.length; c++) if (counts[c] < counts[smallest]) smallest = c;
            if (counts[smallest] < folds) {
                throw new PipelineValidationException("cv_folds", "class '" + p.labels().get(smallest)
                        + "' has only " + counts[smallest] + " row(s) in the training split, fewer than cv_folds = "
                        + folds + "; lower cv_folds to at most " + counts[smallest] + " so every fold holds every class");
            }
        }
    }

    /**
     * Cross-validates one configuration on the training split.
     *
     * <p>The rows, split and folds are derived from {@code spec} (its seed seeds the split, the folds and the model),
     * so the result is deterministic. Folds run one after another on the calling thread. Smile's random forest builds
     * its trees with a parallel stream, i.e. on the {@link java.util.concurrent.ForkJoinPool} the call runs in: the
     * common pool, unless this method is called from a task of another pool (a pool of parallelism 1 makes the fit
     * single-threaded). Results do not depend on the pool, because every tree has its own seed.
     *
     * @param table   the dataset (only read; may be shared by concurrent calls)
     * @param types   column types of the dataset
     * @param spec    the request; {@code spec.hyperparameters()} are the configuration to score (validated again,
     *                idempotently, with the model defaults filled in)
     * @param folds   number of folds ({@value #MIN_FOLDS}..{@value #MAX_FOLDS})
     * @param scoring a name from {@link Metrics#CLASSIFICATION_SCORINGS} or {@link Metrics#REGRESSION_SCORINGS}
     *                matching the task, larger is better; classification {@code f1}, {@code precision},
     *                {@code recall} are macro averages, {@code roc_auc} is of class index 1 for binary targets and
     *                the macro one-vs-rest average for multiclass ones
     * @param cancel  polled between folds and between trees / iterations (null = never cancelled)
     * @return the score of each fold, in fold order
     * @throws PipelineValidationException as {@link #validateFolds}, and on {@code scoring} for a scoring that does
     *                                     not apply to the task
     * @throws ModelUnavailableException   when the model cannot run on this machine
     * @throws TrainingCancelledException  when {@code cancel} fired
     */
    public static double[] crossValidate(Table table, Map<String, ColumnType> types, TrainingSpec spec, int folds,
            String scoring, CancellationToken cancel) {
        return crossValidate(table, types, spec, folds, scoring, cancel, null);
    }

    /**
     * {@link #crossValidate(Table, Map, TrainingSpec, int, String, CancellationToken)} reporting each fold.
     *
     * @param table    the dataset
     * @param types    column types of the dataset
     * @param spec     the request
     * @param folds    number of folds
     * @param scoring  scoring name
     * @param cancel   cancellation (null = never)
     * @param observer receives each fitted fold (null = none)
     * @return the score of each fold, in fold order
     */
    static double[] crossValidate(Table table, Map<String, ColumnType> types, TrainingSpec spec, int folds,
            String scoring, CancellationToken cancel, FoldObserver observer) {
        CancellationToken ct = cancel == null ? CancellationToken.NONE : cancel;
        Folds f = folds(table, types, spec, folds, scoring);
        double[] scores = new double[folds];
        for (int k = 0; k < folds; k++) {
            if (ct.isCancelled()) throw new TrainingCancelledException();
            FittedPipeline pipeline = foldFit(f.prepared(), f.fit()[k], spec.randomSeed(), ct);
            scores[k] = Trainer.score(f.prepared(), pipeline, f.validation()[k], scoring);
            if (observer != null) observer.onFold(f.prepared(), k, f.fit()[k], f.validation()[k], pipeline, scores[k]);
        }
        if (ct.isCancelled()) throw new TrainingCancelledException();
        return scores;
    }

    /**
     * Whether the folds' random forests are grown by the binned learner ({@link HistogramForest}) whatever their
     * size; true unless bound otherwise (benchmarks and tests bind false to compare with Smile's exact learner).
     *
     * <p>Why: a tuning grid's time is its fold fits (85% of it Smile growing trees, see docs/benchmarks.md,
     * "Tuning"), and Smile's CART re-partitions every column's sort order at every split, a cost proportional to
     * the fold, not to the node. The binned learner finds a split from per-bin counts of the node's own rows. On the
     * BASELINE datasets its fold scores are within a few thousandths of Smile's (docs/benchmarks.md), so it ranks
     * the configurations alike; {@link #refit} grows the model of the best configuration with the same learner.
     */
    static final ScopedValue<Boolean> BINNED_FOLDS = ScopedValue.newInstance();

    /**
     * Refits a configuration chosen by cross-validation on the whole training split, with the learner its folds were
     * scored with: {@link Trainer#train} with RandomForest grown by the binned learner (unless {@link #BINNED_FOLDS}
     * is bound to false), so that the model a tuning job registers is the model its best CV score describes.
     *
     * @param table    the dataset (only read)
     * @param types    column types of the dataset
     * @param spec     the configuration to refit
     * @param progress receives progress (null = none)
     * @param cancel   cancellation (null = never)
     * @return as {@link Trainer#train}
     * @throws PipelineValidationException as {@link Trainer#train}
     * @throws TrainingCancelledException  when {@code cancel} fired
     */
    public static TrainingResult refit(Table table, Map<String, ColumnType> types, TrainingSpec spec,
            ProgressListener progress, CancellationToken cancel) {
        return ScopedValue.where(Estimators.BINNED_FOREST, BINNED_FOLDS.orElse(true))
                .call(() -> Trainer.train(table, types, spec, progress, cancel));
    }

    /** Fits one fold's pipeline, its forest binned unless {@link #BINNED_FOLDS} is bound to false. */
    private static FittedPipeline foldFit(Trainer.Prepared p, int[] rows, long seed, CancellationToken ct) {
        return ScopedValue.where(Estimators.BINNED_FOREST, BINNED_FOLDS.orElse(true))
                .call(() -> Trainer.fit(p, rows, seed, ProgressListener.NONE, ct));
    }

    /** The prepared request and, per fold, the rows its pipeline is fitted on and those it is scored on. */
    private record Folds(Trainer.Prepared prepared, int[][] fit, int[][] validation) {
    }

    private static Folds folds(Table table, Map<String, ColumnType> types, TrainingSpec spec, int folds, String scoring) {
        checkFoldRange(folds);
        Trainer.Prepared p = Trainer.prepare(table, types, spec);
        Metrics.checkScoring(scoring, p.task());
        Splits.TrainTest split = p.split(spec.testSize(), spec.randomSeed());
        Trainer.checkSplit(split.train().length, split.test().length);
        int[] train = split.train();
        checkFolds(p, train, folds);

        int[][] validation;
        if (p.task() == Task.CLASSIFICATION) {
            int[] y = new int[train.length];
            for (int i = 0; i < train.length; i++) y[i] = p.yClass()[train[i]];
            validation = stratifiedKFold(y, folds, spec.randomSeed());
        } else {
            validation = kFold(train.length, folds, spec.randomSeed());
        }
        int[][] fitRows = new int[folds][];
        int[][] valRows = new int[folds][];
        for (int f = 0; f < folds; f++) {
            boolean[] inValidation = new boolean[train.length];
            for (int pos : validation[f]) inValidation[pos] = true;
            fitRows[f] = new int[train.length - validation[f].length];
            valRows[f] = new int[validation[f].length];
            int a = 0;
            int b = 0;
            // Positions in split order, so the fold-train rows keep the training split's (seeded) order.
            for (int pos = 0; pos < train.length; pos++) {
                if (inValidation[pos]) valRows[f][b++] = train[pos];
                else
                    fitRows[f][a++] = train[pos];
            }
        }
        return new Folds(p, fitRows, valRows);
    }

    /** The hyperparameter whose values {@link #crossValidateTreeCounts} shares one fit between. */
    public static final String TREE_COUNT = "n_trees";

    /**
     * Whether configurations of this model type that differ only in {@value #TREE_COUNT} can be cross-validated
     * together by {@link #crossValidateTreeCounts}: true for RandomForest, whose trees are each fitted on their own
     * seed (tree i gets the i-th draw of the spec's seed sequence, whatever the number of trees), so that the first
     * k trees of a forest are exactly the forest of k trees.
     *
     * @param modelType a catalog name
     * @return true when the tree counts of a search can share their fits
     */
    public static boolean sharesTreeCounts(String modelType) {
        return SHARING_MODEL_TYPE.equals(modelType);
    }

    /** The model type whose tree counts {@link #crossValidateTreeCounts} shares one fit between. */
    public static final String SHARING_MODEL_TYPE = ModelCatalog.RANDOM_FOREST;

    /**
     * Cross-validates configurations that differ only in {@value #TREE_COUNT}, at the cost of the largest: in each
     * fold the forest of the largest count is fitted once, then scored with its first k trees for every count k.
     * The scores are those {@link #crossValidate(Table, Map, TrainingSpec, int, String, CancellationToken)} gives
     * each count on its own, to the last bit (see {@link #sharesTreeCounts}); a model type that does not share
     * its fits is cross-validated count by count.
     *
     * @param table      the dataset (only read)
     * @param types      column types of the dataset
     * @param spec       the configuration; its {@value #TREE_COUNT} is ignored
     * @param treeCounts the tree counts to score, each at least 1, in any order, repeats allowed
     * @param folds      number of folds ({@value #MIN_FOLDS}..{@value #MAX_FOLDS})
     * @param scoring    as for {@link #crossValidate(Table, Map, TrainingSpec, int, String, CancellationToken)}
     * @param cancel     polled between folds and between trees (null = never cancelled)
     * @return {@code scores[c][f]}: the score of {@code treeCounts[c]} trees on fold f
     * @throws PipelineValidationException as {@link #validateFolds}, and on {@code scoring}
     * @throws TrainingCancelledException  when {@code cancel} fired
     */
    public static double[][] crossValidateTreeCounts(Table table, Map<String, ColumnType> types, TrainingSpec spec,
            int[] treeCounts, int folds, String scoring, CancellationToken cancel) {
        CancellationToken ct = cancel == null ? CancellationToken.NONE : cancel;
        double[][] scores = new double[treeCounts.length][];
        if (!sharesTreeCounts(spec.modelType())) {
            for (int c = 0; c < treeCounts.length; c++) {
                scores[c] = crossValidate(table, types, withTreeCount(spec, treeCounts[c]), folds, scoring, ct);
            }
            return scores;
        }
        int most = Arrays.stream(treeCounts).max().orElseThrow();
        TrainingSpec largest = withTreeCount(spec, most);
        Folds f = folds(table, types, largest, folds, scoring);
        for (int c = 0; c < treeCounts.length; c++) scores[c] = new double[folds];
        for (int k = 0; k < folds; k++) {
            if (ct.isCancelled()) throw new TrainingCancelledException();
            FittedPipeline pipeline = foldFit(f.prepared(), f.fit()[k], spec.randomSeed(), ct);
            for (int c = 0; c < treeCounts.length; c++) {
                FittedPipeline scored = treeCounts[c] == most ? pipeline : firstTrees(pipeline, treeCounts[c]);
                if (scored == null) { // not a forest we can cut: fit this count on its own
                    scored = foldFit(Trainer.prepare(table, types, withTreeCount(spec, treeCounts[c])), f.fit()[k],
                            spec.randomSeed(), ct);
                }
                scores[c][k] = Trainer.score(f.prepared(), scored, f.validation()[k], scoring);
            }
        }
        if (ct.isCancelled()) throw new TrainingCancelledException();
        return scores;
    }

    private static TrainingSpec withTreeCount(TrainingSpec s, int trees) {
        Map<String, Object> hyperparameters = new java.util.LinkedHashMap<>(s.hyperparameters());
        hyperparameters.put(TREE_COUNT, trees);
        return new TrainingSpec(s.modelType(), s.task(), s.targetColumn(), s.featureColumns(), hyperparameters,
                s.preprocessing(), s.testSize(), s.randomSeed());
    }

    /** The pipeline with the first {@code trees} trees of its Smile random forest, or null when it holds none. */
    static FittedPipeline firstTrees(FittedPipeline pipeline, int trees) {
        Estimator cut;
        if (pipeline.estimator() instanceof FlatTrees flat) {
            // Every forest is held as FlatTrees after its fit (Estimators.fit), Smile's and the binned one alike.
            cut = flat.firstTrees(trees);
            if (cut == null) return null;
            return new FittedPipeline(pipeline.modelType(), pipeline.task(), pipeline.targetColumn(),
                    pipeline.hyperparameters(), pipeline.preprocessing(), pipeline.preprocessor(), cut, pipeline.labels(),
                    pipeline.sampleRows());
        }
        // Not RandomForest.trim: it keeps the k trees of highest out-of-bag accuracy (and sorts the forest's own
        // array to find them), not the first k.
        if (pipeline.estimator() instanceof Estimator.TreeClassifier c
                && c.model() instanceof smile.classification.RandomForest forest) {
            var first = new smile.classification.RandomForest(forest.formula(), forest.numClasses(),
                    Arrays.copyOf(forest.models(), trees), forest.metrics(), forest.importance(),
                    new smile.util.IntSet(forest.classes()));
            cut = new Estimator.TreeClassifier(first, c.schema(), c.columns());
        } else if (pipeline.estimator() instanceof Estimator.TreeRegressor r
                && r.model() instanceof smile.regression.RandomForest forest) {
            var first = new smile.regression.RandomForest(forest.formula(), Arrays.copyOf(forest.models(), trees),
                    forest.metrics(), forest.importance());
            cut = new Estimator.TreeRegressor(first, r.schema(), r.columns());
        } else {
            return null;
        }
        return new FittedPipeline(pipeline.modelType(), pipeline.task(), pipeline.targetColumn(), pipeline.hyperparameters(),
                pipeline.preprocessing(), pipeline.preprocessor(), cut, pipeline.labels(), pipeline.sampleRows());
    }
}
