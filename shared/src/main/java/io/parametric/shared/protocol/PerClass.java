package io.parametric.shared.protocol;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A value kept per class and worked out from the first instance asked about: what a
 * {@link ClassValue} cannot do alone, since it sees only the class (a lambda's
 * {@code SerializedLambda} needs an instance). A failure to work it out is not kept: the next
 * instance tries again. Two threads asking at once may both work it out; either result is kept.
 *
 * <pre>{@code
 * PerClass<Serializable, String> names = new PerClass<>(fn -> slowName(fn));
 * String name = names.get(lambda);   // slowName runs once per lambda class
 * }</pre>
 *
 * @param <I> the instances
 * @param <T> the value
 */
public final class PerClass<I, T> {

    private final Function<? super I, ? extends T> compute;
    private final ClassValue<AtomicReference<T>> values = new ClassValue<>() {
        @Override
        protected AtomicReference<T> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    /** @param compute works the value out from an instance */
    public PerClass(Function<? super I, ? extends T> compute) {
        this.compute = compute;
    }

    /**
     * @param instance an instance
     * @return the value of its class, worked out from {@code instance} the first time
     */
    public T get(I instance) {
        AtomicReference<T> known = values.get(instance.getClass());
        T value = known.get();
        if (value == null) {
            value = compute.apply(instance);
            known.set(value);
        }
        return value;
    }
}
