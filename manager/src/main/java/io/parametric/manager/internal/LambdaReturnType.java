package io.parametric.manager.internal;

import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.PerClass;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.Map;

/**
 * The return type a serializable lambda was instantiated with, as the compiler recorded it in
 * its {@link SerializedLambda}: a {@code (Callable<Long> & Serializable) () -> 42} returns
 * {@code Long}, so its result, read back from JSON as an {@code Integer}, is converted to
 * {@code Long}. Primitives come back boxed; {@code void} and types this JVM cannot load as
 * {@code Object} (the natural JSON form). Worked out once per lambda class.
 */
public final class LambdaReturnType {

    private static final Map<Character, Class<?>> BOXES = Map.of(
            'Z', Boolean.class, 'B', Byte.class, 'C', Character.class, 'S', Short.class,
            'I', Integer.class, 'J', Long.class, 'F', Float.class, 'D', Double.class);

    /** Each lambda class's return type, from its first instance. */
    private static final PerClass<Serializable, Class<?>> RETURN_TYPES = new PerClass<>(LambdaReturnType::read);

    private LambdaReturnType() {}

    /**
     * @param fn a serializable lambda or method reference
     * @return the class of its instantiated return type
     * @throws io.parametric.shared.ProcessError BAD_PAYLOAD when {@code fn} is not a serializable lambda
     */
    public static Class<?> of(Serializable fn) {
        return RETURN_TYPES.get(fn);
    }

    private static Class<?> read(Serializable fn) {
        String signature = JobPayloads.instantiatedMethodType(fn);
        ClassLoader loader = fn.getClass().getClassLoader();
        return ofDescriptor(signature.substring(signature.indexOf(')') + 1),
                loader != null ? loader : ClassLoader.getSystemClassLoader());
    }

    /**
     * @param descriptor a JVM field descriptor ({@code J}, {@code Ljava/lang/Long;}, {@code [I}) or {@code V}
     * @param loader where to load a named class
     * @return its class, primitives boxed; Object for void or a class that does not load
     */
    static Class<?> ofDescriptor(String descriptor, ClassLoader loader) {
        if (descriptor.length() == 1) {
            return BOXES.getOrDefault(descriptor.charAt(0), Object.class);
        }
        String name = descriptor.startsWith("L") ? descriptor.substring(1, descriptor.length() - 1) : descriptor;
        try {
            return Class.forName(name.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Object.class;
        }
    }
}
