package dev.mlpipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewMultiArrayInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.NewReferenceArrayInstruction;
import java.lang.classfile.instruction.TypeCheckInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A method-level call graph over bytecode (JDK 25 ClassFile API), by rapid type analysis: a virtual call reaches the
 * implementations in the classes that reachable code instantiates. It approximates the points-to analysis of
 * native-image from above (anything native-image can reach, this reaches too), within these limits:
 * <ul>
 *   <li>only classes accepted by {@code scanned} are read; others (the JDK, Quarkus, Vert.x …) are opaque. An
 *       instantiated scanned class's methods that override a method of an opaque supertype are roots (the opaque
 *       code may call them back), as are the private serialization hooks of serializable ones;</li>
 *   <li>lambdas and method references reach their target method; reflection, {@code ServiceLoader} and JNI are not
 *       followed.</li>
 * </ul>
 * Class names are internal names ({@code smile/math/MathEx}).
 */
final class CallGraph {

    /** A method, by the class named at the call site (resolved to its declaring class when reached). */
    record MethodRef(String owner, String name, String desc) {
        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name + desc;
        }
    }

    private record Site(String owner, String name, String desc) {
    }

    private final ClassLoader loader;
    private final Predicate<String> scanned;
    private final Map<String, Optional<ClassModel>> models = new HashMap<>();
    private final Map<String, Set<String>> supertypes = new HashMap<>();
    private final Set<MethodRef> reached = new LinkedHashSet<>();
    private final Map<MethodRef, MethodRef> reachedFrom = new HashMap<>();
    private final Deque<MethodRef> work = new ArrayDeque<>();
    private final Set<String> instantiated = new HashSet<>();
    private final Set<String> initialized = new LinkedHashSet<>();
    private final Set<Site> sites = new HashSet<>();
    /** Every class named by an instruction of a reached method, with the first such method. */
    private final Map<String, MethodRef> referenced = new LinkedHashMap<>();
    private final Set<String> missing = new HashSet<>();

    CallGraph(ClassLoader loader, Predicate<String> scanned) {
        this.loader = loader;
        this.scanned = scanned;
    }

    // ------------------------------------------------------------------ roots

    /** Every method of the class is a root, and the class counts as instantiated (CDI, Jackson, deserialization). */
    void addClass(String cls) {
        Optional<ClassModel> m = model(cls);
        if (m.isEmpty()) return;
        instantiate(cls, null);
        for (MethodModel method : m.get().methods()) {
            reach(new MethodRef(cls, method.methodName().stringValue(), method.methodType().stringValue()), null);
        }
    }

    /** The class may be created without a constructor call of ours (Java deserialization). */
    void addInstantiated(String cls, MethodRef from) {
        instantiate(cls, from);
    }

    /** Runs the analysis to its fixed point. */
    CallGraph solve() {
        while (!work.isEmpty()) scan(work.poll());
        return this;
    }

    // ------------------------------------------------------------------ results

    Set<MethodRef> reached() {
        return reached;
    }

    /** Classes that reached code creates with {@code new} (or that were declared instantiable). */
    Set<String> instantiated() {
        return instantiated;
    }

    /** Classes whose initializer can run: the targets of static calls, static field accesses and {@code new}. */
    Set<String> initialized() {
        return initialized;
    }

    /** Classes named by reached code, with the method that first named each. */
    Map<String, MethodRef> referenced() {
        return referenced;
    }

    /** Classes named by reached code but absent from the class path (optional dependencies). */
    Set<String> missing() {
        return missing;
    }

    /** The chain of callers from a root to {@code m}, root first. */
    List<MethodRef> pathTo(MethodRef m) {
        List<MethodRef> path = new ArrayList<>();
        for (MethodRef at = m; at != null && path.size() < 200; at = reachedFrom.get(at)) path.addFirst(at);
        return path;
    }

    // ------------------------------------------------------------------ analysis

    private void reach(MethodRef m, MethodRef from) {
        MethodRef resolved = resolve(m);
        if (resolved == null || !reached.add(resolved)) return;
        if (from != null) reachedFrom.put(resolved, from);
        work.add(resolved);
    }

    /** The declaring class of the method (superclasses, then interfaces), or null when opaque or absent. */
    private MethodRef resolve(MethodRef m) {
        Deque<String> todo = new ArrayDeque<>(List.of(m.owner()));
        Set<String> seen = new HashSet<>();
        List<String> interfaces = new ArrayList<>();
        // superclass chain first (JVMS 5.4.3.3), then superinterfaces for default methods
        for (String c = m.owner(); c != null;) {
            Optional<ClassModel> cm = model(c);
            if (cm.isEmpty()) return null;
            if (declares(cm.get(), m.name(), m.desc())) return new MethodRef(c, m.name(), m.desc());
            for (ClassEntry i : cm.get().interfaces()) interfaces.add(i.asInternalName());
            c = cm.get().superclass().map(ClassEntry::asInternalName).orElse(null);
        }
        todo.clear();
        todo.addAll(interfaces);
        while (!todo.isEmpty()) {
            String i = todo.poll();
            if (!seen.add(i)) continue;
            Optional<ClassModel> cm = model(i);
            if (cm.isEmpty()) continue;
            if (declares(cm.get(), m.name(), m.desc())) return new MethodRef(i, m.name(), m.desc());
            for (ClassEntry s : cm.get().interfaces()) todo.add(s.asInternalName());
        }
        return null;
    }

    private static boolean declares(ClassModel cm, String name, String desc) {
        for (MethodModel mm : cm.methods()) {
            if (mm.methodName().equalsString(name) && mm.methodType().equalsString(desc)) return true;
        }
        return false;
    }

    private void scan(MethodRef m) {
        ClassModel cm = model(m.owner()).orElseThrow();
        MethodModel method = null;
        for (MethodModel mm : cm.methods()) {
            if (mm.methodName().equalsString(m.name()) && mm.methodType().equalsString(m.desc())) method = mm;
        }
        if (method == null) return;
        Optional<CodeModel> code = method.code();
        if (code.isEmpty()) return;
        for (CodeElement e : code.get()) {
            switch (e) {
                case InvokeInstruction i -> {
                    String owner = i.owner().asInternalName();
                    note(owner, m);
                    MethodRef target = new MethodRef(owner, i.name().stringValue(), i.type().stringValue());
                    switch (i.opcode()) {
                        case INVOKESTATIC -> {
                            initialize(owner, m);
                            reach(target, m);
                        }
                        case INVOKESPECIAL -> reach(target, m);
                        default -> virtualCall(target, m);
                    }
                }
                case FieldInstruction f -> {
                    note(f.owner().asInternalName(), m);
                    if (f.opcode() == Opcode.GETSTATIC || f.opcode() == Opcode.PUTSTATIC) initialize(f.owner().asInternalName(), m);
                }
                case NewObjectInstruction n -> {
                    note(n.className().asInternalName(), m);
                    instantiate(n.className().asInternalName(), m);
                }
                case TypeCheckInstruction t -> note(t.type().asInternalName(), m);
                case NewReferenceArrayInstruction a -> note(a.componentType().asInternalName(), m);
                case NewMultiArrayInstruction a -> note(a.arrayType().asInternalName(), m);
                case ConstantInstruction c -> {
                    if (c.constantValue() instanceof ClassDesc d) note(d, m);
                }
                case InvokeDynamicInstruction d -> {
                    for (ConstantDesc arg : d.bootstrapArgs()) {
                        if (arg instanceof DirectMethodHandleDesc h) handle(h, m);
                    }
                }
                default -> {
                }
            }
        }
    }

    private void handle(DirectMethodHandleDesc h, MethodRef from) {
        String owner = internalName(h.owner());
        note(owner, from);
        MethodRef target = new MethodRef(owner, h.methodName(), h.lookupDescriptor());
        switch (h.kind()) {
            case STATIC, INTERFACE_STATIC -> {
                initialize(owner, from);
                reach(target, from);
            }
            case CONSTRUCTOR -> {
                instantiate(owner, from);
                reach(target, from);
            }
            case VIRTUAL, INTERFACE_VIRTUAL -> virtualCall(target, from);
            case SPECIAL, INTERFACE_SPECIAL -> reach(target, from);
            default -> initialize(owner, from); // field getters and setters
        }
    }

    private void virtualCall(MethodRef target, MethodRef from) {
        reach(target, from);
        if (!sites.add(new Site(target.owner(), target.name(), target.desc()))) return;
        for (String c : List.copyOf(instantiated)) {
            if (supertypes(c).contains(target.owner())) reach(new MethodRef(c, target.name(), target.desc()), from);
        }
    }

    private void instantiate(String cls, MethodRef from) {
        initialize(cls, from);
        if (!scanned.test(cls) || !instantiated.add(cls)) return;
        Set<String> supers = supertypes(cls);
        for (Site s : List.copyOf(sites)) {
            if (supers.contains(s.owner())) reach(new MethodRef(cls, s.name(), s.desc()), from);
        }
        // Opaque code (the JDK, frameworks) may call back any method it knows from an opaque supertype.
        for (String s : supers) {
            if (scanned.test(s)) continue;
            for (String[] sig : opaqueMethods(s)) reach(new MethodRef(cls, sig[0], sig[1]), from);
        }
        if (supers.contains("java/io/Serializable")) {
            for (String[] hook : new String[][]{ { "readObject", "(Ljava/io/ObjectInputStream;)V" }, { "readResolve", "()Ljava/lang/Object;" }, { "readObjectNoData", "()V" }, { "writeObject", "(Ljava/io/ObjectOutputStream;)V" }, { "writeReplace", "()Ljava/lang/Object;" } }) {
                reach(new MethodRef(cls, hook[0], hook[1]), from);
            }
        }
    }

    private void initialize(String cls, MethodRef from) {
        if (!scanned.test(cls) || model(cls).isEmpty() || !initialized.add(cls)) return;
        reach(new MethodRef(cls, "<clinit>", "()V"), from);
        model(cls).orElseThrow().superclass().ifPresent(s -> initialize(s.asInternalName(), from));
    }

    private void note(String cls, MethodRef from) {
        while (cls.startsWith("[")) cls = cls.substring(1);
        if (cls.startsWith("L") && cls.endsWith(";")) cls = cls.substring(1, cls.length() - 1);
        referenced.putIfAbsent(cls, from);
        if (scanned.test(cls) && model(cls).isEmpty()) missing.add(cls);
    }

    private void note(ClassDesc d, MethodRef from) {
        while (d.isArray()) d = d.componentType();
        if (d.isClassOrInterface()) note(internalName(d), from);
    }

    private static String internalName(ClassDesc d) {
        String s = d.descriptorString();
        return s.substring(1, s.length() - 1);
    }

    // ------------------------------------------------------------------ class hierarchy

    /** The class itself and all its superclasses and superinterfaces. */
    Set<String> supertypes(String cls) {
        Set<String> cached = supertypes.get(cls);
        if (cached != null) return cached;
        Set<String> out = new LinkedHashSet<>();
        out.add(cls);
        Optional<ClassModel> cm = model(cls);
        if (cm.isPresent()) {
            cm.get().superclass().ifPresent(s -> out.addAll(supertypes(s.asInternalName())));
            for (ClassEntry i : cm.get().interfaces()) out.addAll(supertypes(i.asInternalName()));
        } else if (!scanned.test(cls)) {
            Class<?> c = opaque(cls);
            if (c != null) {
                if (c.getSuperclass() != null) out.addAll(supertypes(internal(c.getSuperclass())));
                for (Class<?> i : c.getInterfaces()) out.addAll(supertypes(internal(i)));
            }
        }
        supertypes.put(cls, out);
        return out;
    }

    private final Map<String, List<String[]>> opaqueMethods = new HashMap<>();

    /** Public and protected instance methods of an opaque class, as {name, descriptor}. */
    private List<String[]> opaqueMethods(String cls) {
        return opaqueMethods.computeIfAbsent(cls, k -> {
            Class<?> c = opaque(k);
            if (c == null) return List.of();
            List<String[]> out = new ArrayList<>();
            Collection<Method> methods = new ArrayList<>(List.of(c.getMethods()));
            try {
                methods.addAll(List.of(c.getDeclaredMethods()));
            } catch (LinkageError | SecurityException ignored) {
                // partial view is enough
            }
            for (Method m : methods) {
                int mod = m.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isPrivate(mod)) continue;
                out.add(new String[]{ m.getName(), MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString() });
            }
            return out;
        });
    }

    private Class<?> opaque(String cls) {
        try {
            return Class.forName(cls.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    private Optional<ClassModel> model(String cls) {
        if (!scanned.test(cls)) return Optional.empty();
        return models.computeIfAbsent(cls, k -> {
            try (InputStream in = loader.getResourceAsStream(k + ".class")) {
                if (in == null) return Optional.empty();
                return Optional.of(ClassFile.of().parse(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
