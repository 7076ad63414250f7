package io.parametric.shared.protocol;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * What every instance of one serializable lambda class has in common, worked out from its first
 * instance and kept for the class ({@link PerClass}): its {@code writeReplace} method, made
 * accessible once, the parts of its {@link SerializedLambda} that are the same for every instance
 * (all but the captured values), its implementing method found by reflection, and that class's
 * fingerprint. A job of a lambda that captures nothing then costs no reflection at all; one that
 * captures reads only its captured values.
 *
 * @param writeReplace the lambda class's {@code writeReplace}, accessible
 * @param implClass the implementing class's binary name ({@code a.b.C$D})
 * @param implMethodName the implementing method's name
 * @param implMethodSignature its descriptor
 * @param implMethodKind its method handle kind
 * @param method the implementing method
 * @param fingerprint the implementing class's fingerprint ({@link ClassFingerprint})
 * @param capturingClass the binary name of the class the lambda was written in
 * @param instantiatedMethodType the descriptor the lambda was instantiated with
 * @param capturedArgCount how many values each instance captures
 */
record LambdaShape(Method writeReplace, String implClass, String implMethodName, String implMethodSignature,
                   int implMethodKind, LambdaMethod method, String fingerprint, String capturingClass,
                   String instantiatedMethodType, int capturedArgCount) {

    private static final PerClass<Serializable, LambdaShape> SHAPES = new PerClass<>(LambdaShape::read);

    /**
     * @param fn a lambda
     * @return the shape of its class, worked out from {@code fn} the first time
     * @throws ProcessError BAD_PAYLOAD when {@code fn} is not a serializable lambda, or its
     *     implementing method cannot be resolved or its class fingerprinted (not kept: the next
     *     call tries again)
     */
    static LambdaShape of(Serializable fn) {
        return SHAPES.get(fn);
    }

    /**
     * @param fn an instance of this shape's class
     * @return its captured values, in order
     */
    Object[] captured(Serializable fn) {
        if (capturedArgCount == 0) {
            return new Object[0];
        }
        SerializedLambda sl = serializedLambda(writeReplace, fn);
        Object[] values = new Object[sl.getCapturedArgCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = sl.getCapturedArg(i);
        }
        return values;
    }

    private static LambdaShape read(Serializable fn) {
        Method writeReplace;
        try {
            writeReplace = fn.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw notALambda(fn);
        }
        SerializedLambda sl = serializedLambda(writeReplace, fn);
        String className = sl.getImplClass().replace('/', '.');
        LambdaMethod method;
        String fingerprint;
        try {
            ClassLoader l = fn.getClass().getClassLoader();
            Class<?> implClass = Class.forName(className, false, l != null ? l : ClassLoader.getSystemClassLoader());
            method = LambdaMethod.find(implClass, sl.getImplMethodName(), sl.getImplMethodSignature(), sl.getImplMethodKind());
            fingerprint = ClassFingerprint.of(implClass);
        } catch (ClassNotFoundException | IllegalArgumentException | LinkageError e) {
            throw new ProcessError(Reason.BAD_PAYLOAD, "job cannot travel: the lambda's implementing method " + className
                    + "." + sl.getImplMethodName() + " cannot be resolved (" + e.getMessage()
                    + "); use a lambda or method reference of a named class", e);
        }
        return new LambdaShape(writeReplace, className, sl.getImplMethodName(), sl.getImplMethodSignature(),
                sl.getImplMethodKind(), method, fingerprint, sl.getCapturingClass().replace('/', '.'),
                sl.getInstantiatedMethodType(), sl.getCapturedArgCount());
    }

    private static SerializedLambda serializedLambda(Method writeReplace, Serializable fn) {
        try {
            if (writeReplace.invoke(fn) instanceof SerializedLambda sl) {
                return sl;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a serializable lambda
        }
        throw notALambda(fn);
    }

    private static ProcessError notALambda(Object fn) {
        return new ProcessError(Reason.BAD_PAYLOAD, "job cannot travel: " + fn.getClass().getName()
                + " is not a serializable lambda or method reference; pass a lambda or method reference of an Fn"
                + " interface, or write the job as a record implementing Job<R>");
    }
}
