package io.parametric.manager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.manager.Fn;
import io.parametric.shared.ProcessError;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class LambdaReturnTypeTest {

    @Test
    void theInstantiatedReturnTypeOfALambdaIsItsResultClass() {
        assertThat(LambdaReturnType.of((Callable<Long> & Serializable) () -> 42L)).isEqualTo(Long.class);
        assertThat(LambdaReturnType.of((Fn.Call1<Integer, String>) x -> "#" + x)).isEqualTo(String.class);
        assertThat(LambdaReturnType.of((Fn.Call1<String, Integer>) String::length)).isEqualTo(Integer.class);
        assertThat(LambdaReturnType.of((Callable<List<Long>> & Serializable) () -> List.of(1L))).isEqualTo(List.class);
    }

    @Test
    void voidAndObjectReturnsKeepTheNaturalForm() {
        assertThat(LambdaReturnType.of((Runnable & Serializable) () -> {})).isEqualTo(Object.class);
        assertThat(LambdaReturnType.of((Callable<Object> & Serializable) () -> 1)).isEqualTo(Object.class);
    }

    @Test
    void descriptorsMapToBoxedOrLoadedClasses() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(LambdaReturnType.ofDescriptor("J", loader)).isEqualTo(Long.class);
        assertThat(LambdaReturnType.ofDescriptor("Z", loader)).isEqualTo(Boolean.class);
        assertThat(LambdaReturnType.ofDescriptor("V", loader)).isEqualTo(Object.class);
        assertThat(LambdaReturnType.ofDescriptor("[I", loader)).isEqualTo(int[].class);
        assertThat(LambdaReturnType.ofDescriptor("Ljava/lang/String;", loader)).isEqualTo(String.class);
        assertThat(LambdaReturnType.ofDescriptor("Lno/such/Type;", loader)).isEqualTo(Object.class);
    }

    @Test
    void aPlainObjectIsNotALambda() {
        assertThatThrownBy(() -> LambdaReturnType.of("not a lambda")).isInstanceOf(ProcessError.class)
                .hasMessageContaining("not a serializable lambda");
    }
}
