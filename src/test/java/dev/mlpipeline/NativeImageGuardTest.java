package dev.mlpipeline;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.FittedPipeline;
import io.quarkus.runtime.annotations.RegisterForReflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a native-image 25 build of the application needs, checked on the JVM (no GraalVM exists on these machines):
 * <ol>
 *   <li>no application code path reaches Smile's BLAS/LAPACK bindings ({@code smile.linalg.blas},
 *       {@code smile.linalg.lapack}) or any foreign-function downcall ({@code java.lang.foreign.Linker});</li>
 *   <li>no class the native build initializes at build time (Quarkus initializes every class at build time except
 *       those given to {@code --initialize-at-run-time}) holds a random generator in a static field, and initializing
 *       them does not initialize a class registered for run time;</li>
 *   <li>the classes registered for serialization ({@code deployment.ArtifactClasses}) are exactly those a stored
 *       model artifact can hold.</li>
 * </ol>
 * Reachability is a method-level call graph over the bytecode ({@link CallGraph}) from every method of every
 * application class, plus the objects Java deserialization can create.
 */
class NativeImageGuardTest {

    /** Where the call graph reads code; everything else (the JDK, Quarkus, Vert.x …) is opaque. */
    private static boolean scanned(String internalName) {
        return (internalName.startsWith("dev/mlpipeline/") && !internalName.startsWith("dev/mlpipeline/common/embedded/"))
                || internalName.startsWith("smile/") || internalName.startsWith("org/ejml/");
    }

    private static final Path CLASSES = classesDir();
    private static CallGraph graph;

    private static Path classesDir() {
        try {
            return Path.of(FittedPipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Internal names of the application's own classes (target/classes, without the JVM-only embedded database). */
    static List<String> applicationClasses() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/mlpipeline"))) {
            return files.map(f -> CLASSES.relativize(f).toString().replace(File.separatorChar, '/'))
                    .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - 6))
                    .filter(NativeImageGuardTest::scanned)
                    .sorted().toList();
        }
    }

    /** The classes registered for serialization, as JVM names. */
    static Set<String> serializationRegistrations() throws ClassNotFoundException {
        Class<?> c = Class.forName("dev.mlpipeline.deployment.ArtifactClasses");
        RegisterForReflection r = c.getAnnotation(RegisterForReflection.class);
        assertTrue(r.serialization(), "ArtifactClasses registers for serialization");
        return new TreeSet<>(List.of(r.classNames()));
    }

    /** Call graph of the application, with every registered serializable class instantiable (deserialization). */
    private static synchronized CallGraph graph() throws Exception {
        if (graph != null) return graph;
        CallGraph g = new CallGraph(NativeImageGuardTest.class.getClassLoader(), NativeImageGuardTest::scanned);
        for (String c : applicationClasses()) g.addClass(c);
        CallGraph.MethodRef deserialize = new CallGraph.MethodRef("dev/mlpipeline/pipeline/ArtifactCodec", "deserialize",
                "([BLjava/lang/String;)Ldev/mlpipeline/pipeline/FittedPipeline;");
        for (String c : serializationRegistrations()) {
            if (!c.startsWith("[")) g.addInstantiated(c.replace('.', '/'), deserialize);
        }
        long t0 = System.nanoTime();
        graph = g.solve();
        System.out.printf("call graph: %d methods reached, %d classes initialized, %d classes named, in %.1f s%n",
                g.reached().size(), g.initialized().size(), g.referenced().size(), (System.nanoTime() - t0) / 1e9);
        return graph;
    }

    // ------------------------------------------------------------------ 1. BLAS, LAPACK, FFM

    @Test
    void noApplicationPathReachesBlasLapackOrForeignDowncalls() throws Exception {
        CallGraph g = graph();
        Map<String, CallGraph.MethodRef> bad = new TreeMap<>();
        Set<String> linalg = new TreeSet<>();
        g.referenced().forEach((cls, from) -> {
            if (cls.startsWith("smile/linalg/blas/") || cls.startsWith("smile/linalg/lapack/")
                    || cls.equals("java/lang/foreign/Linker") || cls.equals("java/lang/foreign/SymbolLookup")) {
                bad.put(cls, from);
            }
            if (cls.startsWith("smile/linalg/") || cls.startsWith("smile/tensor/")) linalg.add(cls);
        });
        System.out.println("smile.linalg / smile.tensor classes named by reachable code: " + linalg);
        System.out.println("scanned classes absent from the class path (optional dependencies): " + new TreeSet<>(g.missing()));
        if (!bad.isEmpty()) {
            StringBuilder why = new StringBuilder();
            bad.forEach((cls, from) -> why.append("\n").append(cls).append(" named by ").append(from)
                    .append("\n  reached through ").append(String.join("\n    -> ",
                            g.pathTo(from).stream().map(Object::toString).toList())));
            fail("reachable from the application:" + why);
        }
        // the analysis does see the model code: fits and predicts of every family are reached
        for (String expected : List.of("smile/classification/RandomForest", "smile/regression/GradientTreeBoost",
                "smile/classification/LogisticRegression$Binomial", "org/ejml/dense/row/CommonOps_DDRM",
                "dev/mlpipeline/pipeline/LeastSquares")) {
            assertTrue(g.referenced().containsKey(expected), expected + " should be reachable");
        }
    }

    @Test
    void theAnalysisSeesSmilesOwnLeastSquaresReachLapack() {
        // The call path a real native-image analysis stopped on: Smile's RidgeRegression / OLS / LASSO fits.
        for (String cls : List.of("smile/regression/RidgeRegression", "smile/regression/OLS", "smile/regression/LASSO")) {
            CallGraph g = new CallGraph(NativeImageGuardTest.class.getClassLoader(), NativeImageGuardTest::scanned);
            g.addClass(cls);
            g.solve();
            assertTrue(g.referenced().keySet().stream().anyMatch(c -> c.startsWith("smile/linalg/lapack/")
                    || c.startsWith("smile/linalg/blas/")), cls + " should reach BLAS/LAPACK");
        }
    }

    // ------------------------------------------------------------------ 2. build-time class initialization

    /** Classes and packages given to {@code --initialize-at-run-time} in application.properties. */
    static Set<String> runtimeInitialized() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(CLASSES.resolve("application.properties"))) {
            p.load(r);
        }
        String args = p.getProperty("quarkus.native.additional-build-args", "");
        Set<String> out = new TreeSet<>();
        // a list property: elements separated by unescaped commas, "\," is a comma inside an element
        for (String arg : args.split("(?<!\\\\),")) {
            arg = arg.replace("\\,", ",").trim();
            if (arg.startsWith("--initialize-at-run-time=")) {
                out.addAll(Arrays.asList(arg.substring("--initialize-at-run-time=".length()).split(",")));
            }
        }
        return out;
    }

    private static boolean atRunTime(String className, Set<String> runtime) {
        for (String r : runtime) {
            if (className.equals(r) || className.startsWith(r + ".") || className.startsWith(r + "$")) return true;
        }
        return false;
    }

    @Test
    void noBuildTimeInitializedClassHoldsARandomGenerator() throws Exception {
        Set<String> runtime = runtimeInitialized();
        assertTrue(runtime.contains("smile.math.MathEx"), "MathEx (a SecureRandom in its initializer) at run time: " + runtime);
        assertTrue(runtime.contains("dev.mlpipeline.common.Ids$Generator"), runtime.toString());
        CallGraph g = graph();
        Set<String> candidates = new TreeSet<>();
        for (String c : applicationClasses()) candidates.add(c.replace('/', '.'));
        for (String c : g.referenced().keySet()) {
            if (scanned(c) && !g.missing().contains(c)) candidates.add(c.replace('/', '.'));
        }
        candidates.removeIf(c -> c.startsWith("smile.linalg.") || atRunTime(c, runtime));
        try (InitializationLoader loader = new InitializationLoader(runtime)) {
            List<String> randoms = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (String name : candidates) {
                Class<?> c;
                try {
                    c = Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    failed.add(name + " (" + e + ")");
                    continue;
                }
                for (Field f : staticFields(c)) {
                    Object v;
                    try {
                        f.setAccessible(true);
                        v = f.get(null);
                    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                        continue;
                    }
                    if (isRandom(v)) randoms.add(name + "." + f.getName() + " = " + v.getClass().getName());
                }
            }
            System.out.printf("initialized %d classes as the native build would (at build time); %d could not be "
                    + "initialized on the JVM either: %s%n", candidates.size(), failed.size(), failed);
            assertTrue(candidates.size() > 300, "the scan initialized " + candidates.size() + " classes");
            assertEquals(List.of(), randoms, "random generators created at build time would be frozen into the image "
                    + "with one seed: move them to a class initialized at run time");
            assertEquals(Set.of(), loader.initializedAtBuildTime(), "classes registered for run-time initialization "
                    + "were initialized by a build-time class initializer (native-image fails on this)");
        }
    }

    private static List<Field> staticFields(Class<?> c) {
        try {
            return Arrays.stream(c.getDeclaredFields()).filter(f -> Modifier.isStatic(f.getModifiers())).toList();
        } catch (LinkageError e) {
            return List.of();
        }
    }

    /** JDK generators (Random, SecureRandom, SplittableRandom, …) and Smile's own. */
    private static boolean isRandom(Object v) {
        if (v == null) return false;
        if (v instanceof RandomGenerator) return true;
        for (Class<?> c = v.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("smile.math.Random")) return true;
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("smile.math.random.RandomNumberGenerator")) return true;
            }
        }
        return false;
    }

    /**
     * Loads the application and its libraries in isolation from this test JVM (whose other tests have already
     * initialized Smile), parent-last over the test class path. Classes registered for run-time initialization get a
     * first instruction in their initializer that records that it ran.
     */
    private static final class InitializationLoader extends URLClassLoader {
        private static final String MARK = "native-guard.initialized.";
        private final Set<String> runtime;
        private final Set<String> instrumented = new HashSet<>();

        InitializationLoader(Set<String> runtime) throws IOException {
            super("native-build-time", classPath(), ClassLoader.getPlatformClassLoader());
            this.runtime = runtime;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!atRunTime(name, runtime)) return super.findClass(name);
            try (InputStream in = getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) throw new ClassNotFoundException(name);
                byte[] bytes = recordInitialization(name, in.readAllBytes());
                instrumented.add(name);
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        private byte[] recordInitialization(String name, byte[] bytes) {
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(this))));
            ClassModel model = cf.parse(bytes);
            boolean hasInitializer = model.methods().stream().anyMatch(m -> m.methodName().equalsString("<clinit>"));
            if (!hasInitializer) return bytes; // nothing runs: initializing it anywhere is harmless
            CodeTransform mark = new CodeTransform() {
                @Override
                public void atStart(CodeBuilder b) {
                    b.ldc(MARK + name).ldc("true").invokestatic(ClassDesc.of("java.lang.System"), "setProperty",
                            MethodTypeDesc.of(ConstantDescs.CD_String, ConstantDescs.CD_String, ConstantDescs.CD_String))
                            .pop();
                }

                @Override
                public void accept(CodeBuilder b, CodeElement e) {
                    b.with(e);
                }
            };
            return cf.transformClass(model, ClassTransform.transformingMethodBodies(
                    m -> m.methodName().equalsString("<clinit>"), mark));
        }

        /** Run-time classes whose initializer ran while build-time classes were initialized. */
        Set<String> initializedAtBuildTime() {
            Set<String> out = new TreeSet<>();
            for (String name : instrumented) if (System.getProperty(MARK + name) != null) out.add(name);
            return out;
        }

        @Override
        public void close() throws IOException {
            for (String name : instrumented) System.clearProperty(MARK + name);
            super.close();
        }

        private static URL[] classPath() throws IOException {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                urls.add(p.toUri().toURL());
                if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                    // a manifest-only jar (surefire's booter) lists the real class path
                    try (JarFile jar = new JarFile(p.toFile())) {
                        Manifest m = jar.getManifest();
                        String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                        if (cp != null) {
                            for (String u : cp.trim().split("\\s+")) urls.add(p.toUri().resolve(u).toURL());
                        }
                    }
                }
            }
            return urls.toArray(new URL[0]);
        }
    }

    // ------------------------------------------------------------------ 3. serialization registration

    /**
     * The classes an artifact can hold: starting from {@link FittedPipeline}, the declared field types of each
     * serializable class (type arguments and array components included) of a Smile or pipeline type, narrowed to
     * the concrete classes of that type that reachable code instantiates; with their serializable superclasses, the
     * array types of those fields, and the JDK classes of the artifact allow-list (what fields of JDK types such as
     * {@code Object} or {@code List} can hold: the deserialization filter refuses anything else), and arrays of them.
     */
    @Test
    void serializationRegistrationIsWhatArtifactsCanHold() throws Exception {
        CallGraph g = new CallGraph(NativeImageGuardTest.class.getClassLoader(), NativeImageGuardTest::scanned);
        for (String c : applicationClasses()) g.addClass(c);
        g.solve();
        Set<Class<?>> instantiable = new LinkedHashSet<>();
        for (String c : g.instantiated()) {
            try {
                Class<?> k = Class.forName(c.replace('/', '.'), false, getClass().getClassLoader());
                if (Serializable.class.isAssignableFrom(k) && !k.isInterface() && !Modifier.isAbstract(k.getModifiers())) {
                    instantiable.add(k);
                }
            } catch (ClassNotFoundException | LinkageError ignored) {
                // absent optional dependency
            }
        }
        Set<String> closure = new TreeSet<>(ArtifactCodec.JDK_ALLOW);
        // the filter also lets arrays of those through, and the JDK's serial forms write some (CollSer: Map.Entry[])
        for (String jdk : ArtifactCodec.JDK_ALLOW) closure.add("[L" + jdk + ";");
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(FittedPipeline.class));
        Set<Class<?>> done = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!done.add(c)) continue;
            for (Class<?> k = c; k != null && Serializable.class.isAssignableFrom(k) && ours(k); k = k.getSuperclass()) {
                closure.add(k.getName());
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) continue;
                    List<Class<?>> types = new ArrayList<>();
                    raw(f.getGenericType(), types);
                    for (Class<?> t : types) {
                        Class<?> e = t;
                        for (; e.isArray(); e = e.getComponentType()) closure.add(e.getName());
                        // Fields of JDK types (Object, Number, List …) hold JDK values: the allow-list covers them.
                        if (e.isPrimitive() || !ours(e)) continue;
                        for (Class<?> s : instantiable) if (e.isAssignableFrom(s)) todo.add(s);
                    }
                }
            }
        }
        closure.removeIf(n -> n.startsWith("java.") && !n.startsWith("[") && !ArtifactCodec.JDK_ALLOW.contains(n));
        Set<String> registered = serializationRegistrations();
        Set<String> missing = new TreeSet<>(closure);
        missing.removeAll(registered);
        Set<String> extra = new TreeSet<>(registered);
        extra.removeAll(closure);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder paste = new StringBuilder();
            for (String c : closure) paste.append("        \"").append(c).append("\",\n");
            System.out.println("ArtifactClasses should list:\n" + paste);
            fail("ArtifactClasses misses " + missing + " and lists classes no artifact can hold: " + extra);
        }
        for (String name : registered) Class.forName(name, false, getClass().getClassLoader());
    }

    private static boolean ours(Class<?> c) {
        return c.getName().startsWith("smile.") || c.getName().startsWith("dev.mlpipeline.pipeline.");
    }

    private static void raw(Type t, List<Class<?>> out) {
        switch (t) {
            case Class<?> c -> out.add(c);
            case ParameterizedType p -> {
                raw(p.getRawType(), out);
                for (Type a : p.getActualTypeArguments()) raw(a, out);
            }
            case GenericArrayType a -> {
                List<Class<?>> component = new ArrayList<>();
                raw(a.getGenericComponentType(), component);
                for (Class<?> c : component) out.add(c.arrayType());
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) raw(b, out);
            }
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) raw(b, out);
            }
            default -> {
            }
        }
    }
}
