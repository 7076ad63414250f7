package io.parametric.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JDK methods a job may name as a method reference ({@code Math::max},
 * {@code String::length}, {@code Integer::sum} ...): a short list of pure functions of
 * {@code Math}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean} and
 * {@code String}, each identified by class, name and descriptor. No other member of
 * {@code java.*}, {@code javax.*}, {@code jdk.*}, {@code sun.*} or {@code com.sun.*} ever runs as
 * a job (no I/O, reflection, processes, class loading or {@code System}). They are checked by
 * name, not by a fingerprint of the JDK's bytecode, so a manager and a worker on different JDK
 * builds agree.
 */
final class JdkFunctions {

    private static final Set<String> ALLOWED = build();

    private JdkFunctions() {}

    /**
     * @param className a binary class name
     * @return true when the class belongs to the JDK (or to its internals)
     */
    static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /**
     * @param className the implementing class, e.g. {@code java.lang.Math}
     * @param name the method name
     * @param descriptor its JVM descriptor, e.g. {@code (II)I}
     * @return true when a job may call it
     */
    static boolean allows(String className, String name, String descriptor) {
        return ALLOWED.contains(className.replace('.', '/') + "." + name + descriptor);
    }

    /** @return the list, {@code java/lang/Math.max(II)I} style, for the documentation and tests */
    static Set<String> all() {
        return ALLOWED;
    }

    private static Set<String> build() {
        List<String> all = new ArrayList<>();
        String math = "java/lang/Math.";
        for (String n : List.of("max", "min")) {
            all.addAll(List.of(math + n + "(II)I", math + n + "(JJ)J", math + n + "(DD)D", math + n + "(FF)F"));
        }
        all.addAll(List.of(math + "abs(I)I", math + "abs(J)J", math + "abs(D)D", math + "abs(F)F"));
        for (String n : List.of("addExact", "subtractExact", "multiplyExact", "floorDiv", "floorMod")) {
            all.addAll(List.of(math + n + "(II)I", math + n + "(JJ)J"));
        }
        for (String n : List.of("sqrt", "cbrt", "exp", "log", "log10", "sin", "cos", "tan", "floor", "ceil", "rint", "signum")) {
            all.add(math + n + "(D)D");
        }
        for (String n : List.of("pow", "hypot", "atan2")) {
            all.add(math + n + "(DD)D");
        }
        all.addAll(List.of(math + "round(D)J", math + "round(F)I", math + "toIntExact(J)I"));
        boxed(all, "java/lang/Integer", "I", "parseInt");
        boxed(all, "java/lang/Long", "J", "parseLong");
        boxed(all, "java/lang/Double", "D", "parseDouble");
        all.addAll(List.of("java/lang/Integer.bitCount(I)I", "java/lang/Long.bitCount(J)I", "java/lang/Double.isNaN(D)Z"));
        String bool = "java/lang/Boolean.";
        all.addAll(List.of(bool + "logicalAnd(ZZ)Z", bool + "logicalOr(ZZ)Z", bool + "logicalXor(ZZ)Z",
                bool + "parseBoolean(Ljava/lang/String;)Z"));
        String s = "java/lang/String.";
        String str = "Ljava/lang/String;";
        all.addAll(List.of(s + "length()I", s + "isEmpty()Z", s + "isBlank()Z", s + "trim()" + str, s + "strip()" + str,
                s + "toUpperCase()" + str, s + "toLowerCase()" + str, s + "concat(" + str + ")" + str,
                s + "contains(Ljava/lang/CharSequence;)Z", s + "startsWith(" + str + ")Z", s + "endsWith(" + str + ")Z",
                s + "repeat(I)" + str, s + "compareTo(" + str + ")I", s + "equals(Ljava/lang/Object;)Z",
                s + "valueOf(Ljava/lang/Object;)" + str));
        return Set.copyOf(all);
    }

    /** sum, max, min, compare, parse, valueOf and toString of a boxed number type. */
    private static void boxed(List<String> all, String type, String primitive, String parse) {
        String p = primitive;
        all.addAll(List.of(type + ".sum(" + p + p + ")" + p, type + ".max(" + p + p + ")" + p, type + ".min(" + p + p + ")" + p,
                type + ".compare(" + p + p + ")I", type + "." + parse + "(Ljava/lang/String;)" + p,
                type + ".valueOf(" + p + ")L" + type + ";", type + ".toString(" + p + ")Ljava/lang/String;"));
    }
}
