package io.parametric.shared.protocol;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The method that implements a lambda or method reference, found by its class, name and
 * descriptor exactly as {@link java.lang.invoke.SerializedLambda} names it. Both sides use it:
 * {@link JobPayloads} to learn the declared parameter types of captured values and arguments, the
 * worker to invoke it. Private synthetic {@code lambda$...} methods are found too.
 *
 * <pre>{@code
 * LambdaMethod m = LambdaMethod.find(Example.class, "example", "(ILjava/lang/String;)I", MethodHandleInfo.REF_invokeStatic);
 * Object r = m.invoke(List.of(5, "job #5"));
 * }</pre>
 */
public final class LambdaMethod {

    private final Class<?> owner;
    private final Executable executable;
    private final int refKind;
    private final List<Type> parameterTypes;

    private LambdaMethod(Class<?> owner, Executable executable, int refKind) {
        this.owner = owner;
        this.executable = executable;
        this.refKind = refKind;
        List<Type> types = new ArrayList<>();
        if (hasReceiver()) {
            types.add(owner);
        }
        types.addAll(List.of(executable.getGenericParameterTypes()));
        this.parameterTypes = List.copyOf(types);
    }

    /**
     * Finds the implementing method.
     *
     * @param owner the implementing class
     * @param name the method name ({@code <init>} for a constructor reference)
     * @param descriptor the JVM method descriptor, e.g. {@code (ILjava/lang/String;)I}
     * @param refKind the {@link MethodHandleInfo} reference kind
     * @return the method
     * @throws IllegalArgumentException when no method of that name and descriptor exists, or the
     *     reference kind does not match it
     */
    public static LambdaMethod find(Class<?> owner, String name, String descriptor, int refKind) {
        if (name == null || descriptor == null) {
            throw new IllegalArgumentException("the lambda names no method or descriptor");
        }
        if ("<init>".equals(name)) {
            for (Constructor<?> c : owner.getDeclaredConstructors()) {
                if (descriptor(c.getParameterTypes(), void.class).equals(descriptor)) {
                    return new LambdaMethod(owner, c, MethodHandleInfo.REF_newInvokeSpecial);
                }
            }
        } else {
            for (Method m : owner.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && descriptor(m.getParameterTypes(), m.getReturnType()).equals(descriptor)) {
                    boolean isStatic = Modifier.isStatic(m.getModifiers());
                    if (isStatic != (refKind == MethodHandleInfo.REF_invokeStatic)) {
                        throw new IllegalArgumentException("method " + owner.getName() + "." + name + descriptor
                                + " is " + (isStatic ? "" : "not ") + "static but the job says "
                                + MethodHandleInfo.referenceKindToString(refKind));
                    }
                    return new LambdaMethod(owner, m, refKind);
                }
            }
        }
        throw new IllegalArgumentException(
                "class " + owner.getName() + " has no method " + name + descriptor);
    }

    private static String descriptor(Class<?>[] params, Class<?> returnType) {
        return MethodType.methodType(returnType, params).toMethodDescriptorString();
    }

    /** @return true when the first value is the receiver (an instance method) */
    public boolean hasReceiver() {
        return executable instanceof Method m && !Modifier.isStatic(m.getModifiers());
    }

    /** @return the class that declares the method */
    public Class<?> owner() {
        return owner;
    }

    /** @return the reference kind ({@link MethodHandleInfo}) */
    public int refKind() {
        return refKind;
    }

    /**
     * The declared types of the values the method takes, in order: the receiver first for an
     * instance method, then its parameters. A lambda's captured values come first, then the job's
     * arguments.
     *
     * @return the generic parameter types
     */
    public List<Type> parameterTypes() {
        return parameterTypes;
    }

    /**
     * Invokes the method.
     *
     * @param values the receiver (instance methods) and the arguments, already of the declared types
     * @return the return, null for a void method
     * @throws InvocationTargetException wrapping what the method threw
     * @throws IllegalAccessException when the method cannot be made accessible
     * @throws InstantiationException when a constructor reference names an abstract class
     */
    public Object invoke(List<Object> values)
            throws InvocationTargetException, IllegalAccessException, InstantiationException {
        if (values.size() != parameterTypes.size()) {
            throw new IllegalArgumentException("method takes " + parameterTypes.size() + " values, got " + values.size());
        }
        makeAccessible();
        Object[] all = values.toArray();
        if (executable instanceof Constructor<?> c) {
            return c.newInstance(all);
        }
        Method m = (Method) executable;
        if (hasReceiver()) {
            if (all[0] == null) {
                throw new IllegalArgumentException("the receiver of " + describe() + " is null");
            }
            Object[] rest = new Object[all.length - 1];
            System.arraycopy(all, 1, rest, 0, rest.length);
            return m.invoke(all[0], rest);
        }
        return m.invoke(null, all);
    }

    private void makeAccessible() {
        boolean open = Modifier.isPublic(executable.getModifiers()) && Modifier.isPublic(owner.getModifiers());
        if (!open) {
            // lambda$ bodies are private synthetic methods; the public ones need no help.
            executable.trySetAccessible();
        }
    }

    /** @return {@code owner.name(params)} for messages */
    public String describe() {
        return owner.getName() + "." + (executable instanceof Constructor ? "<init>" : executable.getName())
                + "(" + parameterTypes.stream().map(Type::getTypeName).reduce((a, b) -> a + ", " + b).orElse("") + ")";
    }
}
