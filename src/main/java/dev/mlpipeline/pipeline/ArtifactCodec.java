package dev.mlpipeline.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Turns a {@link FittedPipeline} into bytes and back.
 *
 * <p>Artifacts are written in format {@value #FORMAT} ({@link ModelFormat}: the pipeline's parameters and flat tree
 * arrays in a versioned binary layout, read without Java deserialization). Artifacts stored before it, in format
 * {@value #LEGACY_FORMAT} (plain Java serialization of the pipeline object), keep loading as they are, without a
 * migration: {@link #deserialize} recognises either by its first bytes. The legacy path verifies the SHA-256 of the
 * bytes first and then deserializes through an {@link ObjectInputFilter} allow-list, so such an artifact can only
 * instantiate Smile classes ({@code smile.**}), this package's classes, and a short list of JDK value and collection
 * classes; any other class (and any graph over the size limits) is refused with {@link ArtifactIntegrityException}.
 */
public final class ArtifactCodec {

    /** Identifies the encoding of artifacts written now; store it next to the bytes. */
    public static final String FORMAT = ModelFormat.NAME;

    /** The encoding of artifacts written before {@link #FORMAT}: Java serialization, still read. */
    public static final String LEGACY_FORMAT = "java-serialization/v1";

    /** Maximum nesting depth of the object graph (deep unpruned trees nest a few levels per node). */
    static final long MAX_DEPTH = 20_000;
    /** Maximum number of object references. */
    static final long MAX_REFS = 50_000_000;
    /** Maximum stream size. */
    static final long MAX_BYTES = 1L << 30;
    /** Maximum array length. */
    static final long MAX_ARRAY = 200_000_000;

    /**
     * JDK classes the graph of every model type needs (found by serializing each model type and listing the
     * classes in the stream; see the tests). Arrays of these and of primitives are allowed too. Public for the
     * native image's serialization registration, which must cover them.
     */
    public static final Set<String> JDK_ALLOW = Set.of(
            // values: label lists, hyperparameter maps, sample rows, enums, boxed numbers inside Smile schemas
            "java.lang.Object", "java.lang.String", "java.lang.Number", "java.lang.Boolean", "java.lang.Integer",
            "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte", "java.lang.Enum",
            // collections written by List.copyOf / Map.copyOf / Collections.unmodifiableMap / HashMap / ArrayList
            "java.util.ArrayList", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.Map$Entry",
            "java.util.CollSer", "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
            "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Set12",
            "java.util.ImmutableCollections$MapN", "java.util.ImmutableCollections$Map1",
            "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList");

    private ArtifactCodec() {
    }

    /**
     * @param pipeline a fitted pipeline
     * @return its bytes in {@link #FORMAT}
     * @throws IllegalArgumentException when the pipeline holds a Smile tree model (one read from a
     *                                  {@link #LEGACY_FORMAT} artifact), which only the legacy format holds
     */
    public static byte[] serialize(FittedPipeline pipeline) {
        return ModelFormat.encode(pipeline);
    }

    /**
     * Writes the earlier format, for compatibility tests and tooling: the service itself writes {@link #FORMAT}.
     *
     * @param pipeline a pipeline whose estimator is serializable (trained under {@link Trainer#withSmileEstimators})
     * @return its Java serialization ({@link #LEGACY_FORMAT})
     */
    public static byte[] serializeLegacy(FittedPipeline pipeline) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(pipeline);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the pipeline: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes any bytes
     * @return their SHA-256 as 64 lowercase hex digits
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Checks that the bytes hash to the recorded checksum.
     *
     * @throws ArtifactIntegrityException when they do not
     */
    public static void verify(byte[] bytes, String expectedSha256) {
        String actual = sha256(bytes);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256.trim())) {
            throw new ArtifactIntegrityException("model artifact checksum mismatch: expected sha256 " + expectedSha256
                    + " but the stored bytes hash to " + actual + "; the artifact is corrupt or was modified, "
                    + "retrain the model");
        }
    }

    /**
     * Verifies and loads an artifact.
     *
     * @param bytes          an artifact in {@link #FORMAT} or {@link #LEGACY_FORMAT}
     * @param expectedSha256 the checksum recorded when the artifact was stored (hex, case-insensitive)
     * @return the pipeline
     * @throws ArtifactIntegrityException on a checksum mismatch, an unknown or newer format, a refused class, a
     *                                    limit breach or a corrupt stream
     */
    public static FittedPipeline deserialize(byte[] bytes, String expectedSha256) {
        verify(bytes, expectedSha256);
        if (ModelFormat.recognises(bytes)) return ModelFormat.decode(bytes);
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0xAC || (bytes[1] & 0xFF) != 0xED) {
            throw new ArtifactIntegrityException("model artifact is in no format this service reads (neither " + FORMAT
                    + " nor " + LEGACY_FORMAT + ")");
        }
        Filter filter = new Filter();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            Object o = in.readObject();
            if (!(o instanceof FittedPipeline p)) {
                throw new ArtifactIntegrityException("model artifact does not hold a fitted pipeline");
            }
            return p;
        } catch (InvalidClassException e) {
            throw new ArtifactIntegrityException("model artifact refused: "
                    + (filter.rejected != null ? filter.rejected : e.getMessage())
                    + " (only Smile, pipeline and basic JDK classes may appear in " + LEGACY_FORMAT + " artifacts)", e);
        } catch (IOException | ClassNotFoundException | ClassCastException | IllegalStateException e) {
            // The cause (kept for the log) names the Java exception; the message users read does not.
            throw new ArtifactIntegrityException("model artifact could not be read as " + LEGACY_FORMAT
                    + ": the stream is corrupt, truncated or from an incompatible version of the service", e);
        }
    }

    /** Allow-list and limits; remembers why it rejected, for the error message. One instance per stream. */
    private static final class Filter implements ObjectInputFilter {
        String rejected;

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFS || info.streamBytes() > MAX_BYTES
                    || info.arrayLength() > MAX_ARRAY) {
                rejected = "the object graph exceeds the size limits (depth " + info.depth() + ", references "
                        + info.references() + ", bytes " + info.streamBytes() + ", array length " + info.arrayLength() + ")";
                return Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) return Status.UNDECIDED;
            if (allowed(c)) return Status.ALLOWED;
            rejected = "it holds an object of a type that model artifacts may not contain";
            return Status.REJECTED;
        }
    }

    static boolean allowed(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        if (c.isPrimitive()) return true;
        String name = c.getName();
        return name.startsWith("smile.") || name.startsWith("dev.mlpipeline.pipeline.") || JDK_ALLOW.contains(name);
    }
}
