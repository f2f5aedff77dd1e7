package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Deterministic (seeded) train/test splits over row positions {@code 0..n-1}. */
final class Splits {

    private Splits() {
    }

    /** Row positions of a split. */
    record TrainTest(int[] train, int[] test) {
    }

    /**
     * Train/test split, identical to scikit-learn's {@code train_test_split(test_size=testSize,
     * random_state=seed, stratify=y if classification)} for seeds in [0, 2^32) (NumPy's legacy MT19937 is
     * reproduced by {@link NumpyRandom}; larger seeds use their low 32 bits). The test part has
     * {@code ceil(n * testSize)} rows and the training part {@code floor(n * (1 - testSize))}. Classification is
     * stratified with scikit-learn's StratifiedShuffleSplit allocation; a class with a single row always goes to
     * training, so every class is learnt.
     *
     * @param n        number of rows
     * @param classes  class index per row (stratification) or null
     * @param k        number of classes (ignored when classes is null)
     * @param testSize fraction in (0, 1)
     * @param seed     random seed
     * @return the split, both parts in scikit-learn's order
     */
    static TrainTest trainTest(int n, int[] classes, int k, double testSize, long seed) {
        NumpyRandom rng = new NumpyRandom(seed);
        int nTest = (int) Math.ceil(testSize * n);
        int nTrain = (int) Math.floor((1.0 - testSize) * n);
        if (nTrain + nTest > n) nTrain = n - nTest;
        if (classes == null) {
            int[] perm = rng.permutation(n);
            return new TrainTest(Arrays.copyOfRange(perm, nTest, nTest + nTrain), Arrays.copyOfRange(perm, 0, nTest));
        }
        int[] counts = new int[k];
        for (int c : classes) counts[c]++;
        int[][] members = new int[k][];
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) members[c] = new int[counts[c]];
        for (int i = 0; i < n; i++) members[classes[i]][fill[classes[i]]++] = i;

        int[] trainPerClass = approximateMode(counts, nTrain, rng);
        int[] remaining = new int[k];
        for (int c = 0; c < k; c++) remaining[c] = counts[c] - trainPerClass[c];
        int[] testPerClass = approximateMode(remaining, nTest, rng);
        // Never leave a class out of training (scikit-learn would refuse such data instead).
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0 && trainPerClass[c] == 0) {
                trainPerClass[c] = 1;
                testPerClass[c] = Math.min(testPerClass[c], counts[c] - 1);
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int[] perm = rng.permutation(counts[c]);
            for (int i = 0; i < trainPerClass[c]; i++) train.add(members[c][perm[i]]);
            for (int i = trainPerClass[c]; i < trainPerClass[c] + testPerClass[c]; i++) test.add(members[c][perm[i]]);
        }
        int[] trainArr = toArray(train);
        int[] testArr = toArray(test);
        rng.shuffle(trainArr);
        rng.shuffle(testArr);
        return new TrainTest(trainArr, testArr);
    }

    /** scikit-learn's {@code _approximate_mode}: per-class draws proportional to counts, ties broken randomly. */
    private static int[] approximateMode(int[] counts, int draws, NumpyRandom rng) {
        int k = counts.length;
        long total = 0;
        for (int c : counts) total += c;
        double[] continuous = new double[k];
        int[] floored = new int[k];
        double flooredSum = 0;
        for (int c = 0; c < k; c++) {
            continuous[c] = total == 0 ? 0 : (double) counts[c] / total * draws;
            floored[c] = (int) Math.floor(continuous[c]);
            flooredSum += floored[c];
        }
        int need = (int) (draws - flooredSum);
        if (need > 0) {
            double[] remainder = new double[k];
            for (int c = 0; c < k; c++) remainder[c] = continuous[c] - floored[c];
            double[] values = Arrays.stream(remainder).distinct().sorted().toArray();
            for (int v = values.length - 1; v >= 0 && need > 0; v--) {
                List<Integer> inds = new ArrayList<>();
                for (int c = 0; c < k; c++) if (remainder[c] == values[v]) inds.add(c);
                int addNow = Math.min(inds.size(), need);
                // rng.choice(inds, addNow, replace=False) == inds[permutation(len(inds))[:addNow]]
                int[] perm = rng.permutation(inds.size());
                for (int i = 0; i < addNow; i++) floored[inds.get(perm[i])]++;
                need -= addNow;
            }
        }
        return floored;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
