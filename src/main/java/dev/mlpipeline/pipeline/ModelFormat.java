package dev.mlpipeline.pipeline;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import smile.classification.LogisticRegression;
import smile.util.IntSet;

/**
 * The model artifact format {@value #NAME}: a fitted pipeline as a versioned binary stream of its parameters, read
 * without Java deserialization (no class is instantiated by name: the reader builds the pipeline, preprocessor and
 * estimator through their constructors).
 *
 * <p>Layout (big-endian, as {@link DataOutputStream}; "varint" = unsigned LEB128, "str" = varint byte length and
 * UTF-8 bytes, "value" = a tag byte 0 null, 1 String (str), 2 Long, 3 Integer, 4 Double, 5 false, 6 true and the
 * value):
 * <ol>
 *   <li>magic {@code MLPB}, u16 format version (1);
 *   <li>model type (str), task (str, enum name), target column (str);
 *   <li>hyperparameters: varint n, n × (str name, value);
 *   <li>preprocessing spec: numeric imputation (str), numeric fill (value), categorical imputation (str), categorical
 *       fill (value), scaling (str), encoding (str) — enum names;
 *   <li>preprocessor: varint p; per feature name (str), type (str), varint m and m levels (str), numeric fill, centre,
 *       scale (doubles), categorical fill (value); then a byte 1 and p × (min, max, missing rate) doubles, or 0 when
 *       the pipeline has no recorded ranges;
 *   <li>labels: byte 0 (regression) or 1 and varint n, n values; sample rows: varint n, per row varint m and
 *       m × (str key, value);
 *   <li>estimator: a tag byte and its body — 1 logistic regression (byte 0 binomial / 1 multinomial, varint classes
 *       and their labels, log-likelihood, then the coefficient vector or matrix with its intercepts as Smile holds
 *       it, then the training means of the input columns as byte 1, varint n and n doubles, or byte 0), 2 linear
 *       (varint n, n varint columns, n weights, intercept, the training means of those columns likewise), 3 trees ({@link FlatTrees}: kind (str),
 *       the tree columns as varint count and per column varint start and varint size + 2, varint k, varint number of
 *       trees, byte 1 and one weight per tree or 0, intercept b, shrinkage, then each tree as below);
 *   <li>end: the magic again.
 * </ol>
 * A tree is varint n and its n nodes in preorder (node 0 the root; an internal node's true child follows it, its
 * false child follows the true child's subtree): tag byte 1 ordinal split (varint tree column, double threshold:
 * true when value &lt;= threshold), 2 nominal split (varint column, varint level: true when equal), 0 leaf —
 * classification: k varint class counts; regression: varint sample count and the output (double). Internal nodes'
 * sample counts are the sums of their children's and are not stored.
 *
 * <p>Sizes: a node takes 2–11 bytes, against about 35 in Java serialization of Smile's node objects.
 */
final class ModelFormat {

    /** Name stored next to the bytes. */
    static final String NAME = "mlpipeline-binary/v1";
    static final int VERSION = 1;
    private static final byte[] MAGIC = { 'M', 'L', 'P', 'B' };

    private static final int NULL = 0, STRING = 1, LONG = 2, INTEGER = 3, DOUBLE = 4, FALSE = 5, TRUE = 6;
    private static final int LOGISTIC = 1, LINEAR = 2, TREES = 3;
    private static final int LEAF = 0, ORDINAL = 1, NOMINAL = 2;

    private ModelFormat() {
    }

    /** @return whether the bytes start with this format's magic */
    static boolean recognises(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    // ---------------------------------------------------------------- write

    /**
     * @param pipeline a fitted pipeline whose estimator is {@link FlatTrees}, logistic or linear
     * @return its bytes
     * @throws IllegalArgumentException for an estimator of the legacy Smile-backed tree kinds or a value of a type
     *                                  the format has no tag for
     */
    static byte[] encode(FittedPipeline pipeline) {
        // Two passes, so that the artifact is held once at its exact size: a growing buffer would hold up to three
        // times a large forest's bytes at once (its last doubling, then the trimmed copy; issue 18).
        Counter counter = new Counter();
        write(pipeline, counter);
        if (counter.size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the model's artifact would take " + counter.size
                    + " bytes, more than one artifact may hold (2 GiB): fit fewer or smaller trees");
        }
        Filler filler = new Filler(new byte[(int) counter.size]);
        write(pipeline, filler);
        if (filler.at != filler.bytes.length) throw new IllegalStateException("artifact size changed between passes");
        return filler.bytes;
    }

    /** Counts the bytes written to it. */
    private static final class Counter extends OutputStream {
        long size;

        @Override
        public void write(int b) {
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            size += len;
        }
    }

    /** Writes into an array of the exact size. */
    private static final class Filler extends OutputStream {
        final byte[] bytes;
        int at;

        Filler(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(int b) {
            bytes[at++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, bytes, at, len);
            at += len;
        }
    }

    private static void write(FittedPipeline pipeline, OutputStream bytes) {
        try {
            Out out = new Out(new DataOutputStream(new BufferedOutputStream(bytes, 1 << 14)));
            out.data.write(MAGIC);
            out.data.writeShort(VERSION);
            out.str(pipeline.modelType());
            out.str(pipeline.task().name());
            out.str(pipeline.targetColumn());
            Map<String, Object> hyper = pipeline.hyperparameters();
            out.varint(hyper.size());
            for (var e : hyper.entrySet()) {
                out.str(e.getKey());
                out.value(e.getValue());
            }
            PreprocessingSpec spec = pipeline.preprocessing();
            out.str(spec.numericImputation().name());
            out.value(spec.numericFillValue());
            out.str(spec.categoricalImputation().name());
            out.value(spec.categoricalFillValue());
            out.str(spec.scaling().name());
            out.str(spec.encoding().name());
            preprocessor(out, pipeline.preprocessor());
            List<Object> labels = pipeline.labels();
            if (labels == null) {
                out.data.writeByte(0);
            } else {
                out.data.writeByte(1);
                out.varint(labels.size());
                for (Object l : labels) out.value(l);
            }
            out.varint(pipeline.sampleRows().size());
            for (Map<String, Object> row : pipeline.sampleRows()) {
                out.varint(row.size());
                for (var e : row.entrySet()) {
                    out.str(e.getKey());
                    out.value(e.getValue());
                }
            }
            estimator(out, pipeline.estimator());
            out.data.write(MAGIC);
            out.data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void preprocessor(Out out, Preprocessor pre) throws IOException {
        List<FeatureInfo> features = pre.features();
        out.varint(features.size());
        for (int j = 0; j < features.size(); j++) {
            FeatureInfo f = features.get(j);
            out.str(f.name());
            out.str(f.type().name());
            out.varint(f.categories().size());
            for (String level : f.categories()) out.str(level);
            out.data.writeDouble(pre.numericFills()[j]);
            out.data.writeDouble(pre.centers()[j]);
            out.data.writeDouble(pre.scales()[j]);
            out.value(pre.categoricalFills()[j]);
        }
        boolean ranges = pre.minimums() != null && pre.maximums() != null && pre.missingRates() != null;
        out.data.writeByte(ranges ? 1 : 0);
        if (ranges) {
            for (int j = 0; j < features.size(); j++) {
                out.data.writeDouble(pre.minimums()[j]);
                out.data.writeDouble(pre.maximums()[j]);
                out.data.writeDouble(pre.missingRates()[j]);
            }
        }
    }

    private static void estimator(Out out, Estimator estimator) throws IOException {
        switch (estimator) {
            case Estimator.Logistic(LogisticRegression model, double[] mean) -> {
                out.data.writeByte(LOGISTIC);
                int[] classes = model.classes();
                switch (model) {
                    case LogisticRegression.Binomial b -> {
                        out.data.writeByte(0);
                        ints(out, classes);
                        out.data.writeDouble(b.loglikelihood());
                        doubles(out, b.coefficients());
                    }
                    case LogisticRegression.Multinomial m -> {
                        out.data.writeByte(1);
                        ints(out, classes);
                        out.data.writeDouble(m.loglikelihood());
                        double[][] w = m.coefficients();
                        out.varint(w.length);
                        for (double[] row : w) doubles(out, row);
                    }
                    default -> throw new IllegalArgumentException("unknown logistic regression " + model.getClass());
                }
                optionalDoubles(out, mean);
            }
            case Estimator.Linear(int[] columns, double[] weights, double intercept, double[] mean) -> {
                out.data.writeByte(LINEAR);
                out.varint(columns.length);
                for (int c : columns) out.varint(c);
                for (double w : weights) out.data.writeDouble(w);
                out.data.writeDouble(intercept);
                optionalDoubles(out, mean);
            }
            case FlatTrees t -> {
                out.data.writeByte(TREES);
                out.str(t.kind().name());
                Estimators.TreeColumns tc = t.columns();
                out.varint(tc.count());
                for (int c = 0; c < tc.count(); c++) {
                    out.varint(tc.start()[c]);
                    out.varint(tc.size()[c] + 2);
                }
                out.varint(t.numClasses());
                out.varint(t.trees().length);
                double[] weights = t.weights();
                out.data.writeByte(weights == null ? 0 : 1);
                if (weights != null) for (double w : weights) out.data.writeDouble(w);
                out.data.writeDouble(t.intercept());
                out.data.writeDouble(t.shrinkage());
                boolean classification = t.kind() == FlatTrees.Kind.TREE_CLASSIFIER
                        || t.kind() == FlatTrees.Kind.FOREST_CLASSIFIER;
                for (FlatTrees.Tree tree : t.trees()) tree(out, tree, classification ? t.numClasses() : 0);
            }
            default -> throw new IllegalArgumentException("the " + NAME + " format has no encoding for "
                    + estimator.getClass().getSimpleName() + " (a Smile tree model of the Java-serialization format)");
        }
    }

    private static void tree(Out out, FlatTrees.Tree tree, int k) throws IOException {
        int n = tree.nodes();
        out.varint(n);
        for (int i = 0; i < n; i++) {
            int f = tree.feature[i];
            if (f < 0) {
                out.data.writeByte(LEAF);
                if (k > 0) {
                    for (int c = 0; c < k; c++) out.varint(tree.counts[i * k + c]);
                } else {
                    out.varint(tree.size[i]);
                    out.data.writeDouble(tree.value[i]);
                }
            } else if (tree.nominal[i]) {
                out.data.writeByte(NOMINAL);
                out.varint(f);
                out.varint((int) tree.split[i]);
            } else {
                out.data.writeByte(ORDINAL);
                out.varint(f);
                out.data.writeDouble(tree.split[i]);
            }
        }
    }

    private static void ints(Out out, int[] v) throws IOException {
        out.varint(v.length);
        for (int x : v) out.data.writeInt(x);
    }

    /** Byte 0 for null, or 1 and the array. */
    private static void optionalDoubles(Out out, double[] v) throws IOException {
        out.data.writeByte(v == null ? 0 : 1);
        if (v != null) doubles(out, v);
    }

    private static void doubles(Out out, double[] v) throws IOException {
        out.varint(v.length);
        for (double x : v) out.data.writeDouble(x);
    }

    private record Out(DataOutputStream data) {
        void varint(int v) throws IOException {
            if (v < 0) throw new IllegalArgumentException("negative count " + v);
            while ((v & ~0x7F) != 0) {
                data.writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            data.writeByte(v);
        }

        void str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            data.write(b);
        }

        void value(Object v) throws IOException {
            switch (v) {
                case null -> data.writeByte(NULL);
                case String s -> {
                    data.writeByte(STRING);
                    str(s);
                }
                case Long l -> {
                    data.writeByte(LONG);
                    data.writeLong(l);
                }
                case Integer i -> {
                    data.writeByte(INTEGER);
                    data.writeInt(i);
                }
                case Double d -> {
                    data.writeByte(DOUBLE);
                    data.writeDouble(d);
                }
                case Boolean b -> data.writeByte(b ? TRUE : FALSE);
                default -> throw new IllegalArgumentException("the " + NAME + " format cannot hold a value of type "
                        + v.getClass().getName());
            }
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads a pipeline. The caller has checked the SHA-256.
     *
     * @param bytes the artifact
     * @return the pipeline
     * @throws ArtifactIntegrityException when the bytes are not a well-formed stream of this format and version
     */
    static FittedPipeline decode(byte[] bytes) {
        try {
            return read(new In(ByteBuffer.wrap(bytes)));
        } catch (BufferUnderflowException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                | ClassCastException | NullPointerException e) {
            throw new ArtifactIntegrityException("model artifact could not be read as " + NAME + ": "
                    + (e instanceof BufferUnderflowException ? "the stream is truncated" : e.getMessage()), e);
        }
    }

    private static FittedPipeline read(In in) {
        in.magic();
        int version = Short.toUnsignedInt(in.buf.getShort());
        if (version != VERSION) {
            throw new IllegalArgumentException("the artifact is of format version " + version
                    + ", this service reads version " + VERSION + " (it was written by a newer service)");
        }
        String modelType = in.str();
        Task task = Task.valueOf(in.str());
        String target = in.str();
        int nHyper = in.count();
        Map<String, Object> hyper = new LinkedHashMap<>();
        for (int i = 0; i < nHyper; i++) hyper.put(in.str(), in.value());
        var ni = PreprocessingSpec.NumericImputation.valueOf(in.str());
        Double nFill = (Double) in.value();
        var ci = PreprocessingSpec.CategoricalImputation.valueOf(in.str());
        String cFill = (String) in.value();
        var scaling = PreprocessingSpec.Scaling.valueOf(in.str());
        var encoding = PreprocessingSpec.Encoding.valueOf(in.str());
        PreprocessingSpec spec = new PreprocessingSpec(ni, nFill, ci, cFill, scaling, encoding);
        Preprocessor pre = preprocessor(in);
        List<Object> labels = null;
        if (in.flag()) {
            int n = in.count();
            labels = new ArrayList<>(n);
            for (int i = 0; i < n; i++) labels.add(in.value());
        }
        int nRows = in.count();
        List<Map<String, Object>> samples = new ArrayList<>(nRows);
        for (int r = 0; r < nRows; r++) {
            int m = in.count();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) row.put(in.str(), in.value());
            samples.add(row);
        }
        Estimator estimator = estimator(in, hyper, labels == null ? 0 : labels.size(), pre.width());
        in.magic();
        if (in.buf.hasRemaining()) throw new IllegalArgumentException(in.buf.remaining() + " bytes after the end");
        return new FittedPipeline(modelType, task, target, hyper, spec, pre, estimator, labels, samples);
    }

    private static Preprocessor preprocessor(In in) {
        int p = in.count();
        List<FeatureInfo> features = new ArrayList<>(p);
        double[] numericFill = new double[p];
        double[] center = new double[p];
        double[] scale = new double[p];
        String[] categoricalFill = new String[p];
        for (int j = 0; j < p; j++) {
            String name = in.str();
            ColumnType type = ColumnType.valueOf(in.str());
            int m = in.count();
            List<String> levels = new ArrayList<>(m);
            for (int k = 0; k < m; k++) levels.add(in.str());
            features.add(new FeatureInfo(name, type, levels));
            numericFill[j] = in.buf.getDouble();
            center[j] = in.buf.getDouble();
            scale[j] = in.buf.getDouble();
            categoricalFill[j] = (String) in.value();
        }
        double[] min = null;
        double[] max = null;
        double[] missing = null;
        if (in.flag()) {
            min = new double[p];
            max = new double[p];
            missing = new double[p];
            for (int j = 0; j < p; j++) {
                min[j] = in.buf.getDouble();
                max[j] = in.buf.getDouble();
                missing[j] = in.buf.getDouble();
            }
        }
        return Preprocessor.restore(features, numericFill, categoricalFill, center, scale, min, max, missing);
    }

    private static Estimator estimator(In in, Map<String, Object> hyper, int numLabels, int width) {
        int tag = in.buf.get();
        switch (tag) {
            case LOGISTIC -> {
                boolean multinomial = in.flag();
                int[] classes = new int[in.count()];
                for (int i = 0; i < classes.length; i++) classes[i] = in.buf.getInt();
                double loglikelihood = in.buf.getDouble();
                // lambda only matters to Smile's online update(), which a pipeline never calls.
                double lambda = hyper.get("lambda") instanceof Number n ? n.doubleValue() : 0.0;
                LogisticRegression model;
                if (!multinomial) {
                    double[] w = in.doubles();
                    if (w.length != width + 1) throw new IllegalArgumentException("coefficients do not match the features");
                    model = new LogisticRegression.Binomial(w, loglikelihood, lambda, new IntSet(classes));
                } else {
                    double[][] w = new double[in.count()][];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = in.doubles();
                        if (w[i].length != width + 1) throw new IllegalArgumentException("coefficients do not match the features");
                    }
                    model = new LogisticRegression.Multinomial(w, loglikelihood, lambda, new IntSet(classes));
                }
                double[] mean = in.flag() ? in.doubles() : null;
                if (mean != null && mean.length != width) throw new IllegalArgumentException("means do not match the features");
                return new Estimator.Logistic(model, mean);
            }
            case LINEAR -> {
                int n = in.count();
                int[] columns = new int[n];
                for (int i = 0; i < n; i++) {
                    columns[i] = in.varint();
                    if (columns[i] >= width) throw new IllegalArgumentException("coefficient of a column beyond the features");
                }
                double[] weights = new double[n];
                for (int i = 0; i < n; i++) weights[i] = in.buf.getDouble();
                double intercept = in.buf.getDouble();
                double[] mean = in.flag() ? in.doubles() : null;
                if (mean != null && mean.length != n) throw new IllegalArgumentException("means do not match the coefficients");
                return new Estimator.Linear(columns, weights, intercept, mean);
            }
            case TREES -> {
                return trees(in, numLabels, width);
            }
            default -> throw new IllegalArgumentException("unknown estimator tag " + tag);
        }
    }

    private static FlatTrees trees(In in, int numLabels, int width) {
        FlatTrees.Kind kind = FlatTrees.Kind.valueOf(in.str());
        int count = in.count();
        int[] start = new int[count];
        int[] size = new int[count];
        for (int c = 0; c < count; c++) {
            start[c] = in.varint();
            size[c] = in.varint() - 2;
            if (size[c] < -2 || start[c] + Math.max(1, size[c]) > width) {
                throw new IllegalArgumentException("tree column beyond the features");
            }
        }
        Estimators.TreeColumns columns = new Estimators.TreeColumns(start, size);
        int k = in.varint();
        if (k != numLabels) throw new IllegalArgumentException("the model has " + k + " classes for " + numLabels + " labels");
        boolean classification = kind == FlatTrees.Kind.TREE_CLASSIFIER || kind == FlatTrees.Kind.FOREST_CLASSIFIER
                || kind == FlatTrees.Kind.BOOST_CLASSIFIER;
        if (classification && k < 2) throw new IllegalArgumentException("a classification model with fewer than 2 classes");
        int nTrees = in.count();
        if (nTrees < 1) throw new IllegalArgumentException("a tree model without trees");
        if (kind == FlatTrees.Kind.BOOST_CLASSIFIER && k > 2 && nTrees % k != 0) {
            throw new IllegalArgumentException("boosting with " + nTrees + " trees for " + k + " classes");
        }
        double[] weights = null;
        if (in.flag()) {
            if ((long) nTrees * 8 > in.buf.remaining()) throw new IllegalArgumentException("weights exceed the bytes left");
            weights = new double[nTrees];
            for (int i = 0; i < nTrees; i++) weights[i] = in.buf.getDouble();
        } else if (kind == FlatTrees.Kind.FOREST_CLASSIFIER) {
            throw new IllegalArgumentException("a forest classifier without tree weights");
        }
        double b = in.buf.getDouble();
        double shrinkage = in.buf.getDouble();
        int leafClasses = kind == FlatTrees.Kind.TREE_CLASSIFIER || kind == FlatTrees.Kind.FOREST_CLASSIFIER ? k : 0;
        FlatTrees.Tree[] trees = new FlatTrees.Tree[nTrees];
        for (int t = 0; t < nTrees; t++) trees[t] = tree(in, leafClasses, columns);
        return new FlatTrees(kind, columns, k, weights, b, shrinkage, trees);
    }

    /** Reads one tree (see the class comment), checking its shape and that splits name existing columns. */
    private static FlatTrees.Tree tree(In in, int k, Estimators.TreeColumns columns) {
        int n = in.count();
        if (n < 1) throw new IllegalArgumentException("a tree without nodes");
        int[] feature = new int[n];
        boolean[] nominal = new boolean[n];
        double[] split = new double[n];
        int[] right = new int[n];
        int[] size = k > 0 ? null : new int[n];
        double[] output = k > 0 ? null : new double[n];
        int[] counts = k > 0 ? new int[n * k] : null;
        // Internal nodes still waiting for their false child, innermost last.
        int[] open = new int[n];
        int depth = 0;
        boolean previousWasLeaf = false;
        for (int i = 0; i < n; i++) {
            if (i > 0 && previousWasLeaf) {
                if (depth == 0) throw new IllegalArgumentException("a node after the last leaf of a tree");
                right[open[--depth]] = i;
            }
            right[i] = -1;
            int tag = in.buf.get();
            switch (tag) {
                case LEAF -> {
                    feature[i] = -1;
                    if (k > 0) {
                        for (int c = 0; c < k; c++) counts[i * k + c] = in.varint();
                    } else {
                        size[i] = in.varint();
                        output[i] = in.buf.getDouble();
                    }
                    previousWasLeaf = true;
                }
                case ORDINAL, NOMINAL -> {
                    int f = in.varint();
                    if (f >= columns.count()) throw new IllegalArgumentException("split on tree column " + f + " of " + columns.count());
                    feature[i] = f;
                    if (tag == NOMINAL) {
                        nominal[i] = true;
                        split[i] = in.varint();
                    } else {
                        split[i] = in.buf.getDouble();
                    }
                    open[depth++] = i;
                    previousWasLeaf = false;
                }
                default -> throw new IllegalArgumentException("unknown node tag " + tag);
            }
        }
        if (depth != 0 || !previousWasLeaf) throw new IllegalArgumentException("a tree whose last split lacks a child");
        return k > 0 ? FlatTrees.Tree.classification(feature, nominal, split, right, k, counts)
                : FlatTrees.Tree.regression(feature, nominal, split, right, size, output);
    }

    /** Reader over the artifact; every read is bounds-checked by the buffer. */
    private static final class In {
        final ByteBuffer buf;

        In(ByteBuffer buf) {
            this.buf = buf;
        }

        void magic() {
            for (byte b : MAGIC) {
                if (buf.get() != b) throw new IllegalArgumentException("not a " + NAME + " stream (bad magic)");
            }
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = buf.get();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (v < 0) throw new IllegalArgumentException("count out of range");
                    return v;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        /** A count of things that each take at least one byte: never more than the bytes left. */
        int count() {
            int n = varint();
            if (n > buf.remaining()) throw new IllegalArgumentException("count " + n + " exceeds the bytes left");
            return n;
        }

        boolean flag() {
            int b = buf.get();
            if (b != 0 && b != 1) throw new IllegalArgumentException("bad flag " + b);
            return b == 1;
        }

        String str() {
            int n = count();
            String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.UTF_8);
            buf.position(buf.position() + n);
            return s;
        }

        double[] doubles() {
            int n = varint();
            if ((long) n * 8 > buf.remaining()) throw new IllegalArgumentException("array exceeds the bytes left");
            double[] v = new double[n];
            buf.asDoubleBuffer().get(v);
            buf.position(buf.position() + n * 8);
            return v;
        }

        Object value() {
            int tag = buf.get();
            return switch (tag) {
                case NULL -> null;
                case STRING -> str();
                case LONG -> buf.getLong();
                case INTEGER -> buf.getInt();
                case DOUBLE -> buf.getDouble();
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                default -> throw new IllegalArgumentException("unknown value tag " + tag);
            };
        }
    }
}
