package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.worker.testjobs.Jobs;
import java.lang.invoke.MethodHandleInfo;
import org.junit.jupiter.api.Test;

class LambdaTargetsTest {

    private static final String JOBS = "io/parametric/worker/testjobs/Jobs";

    @Test
    void listsTheLambdasAndMethodReferencesAClassWritesAndNothingElse() {
        assertThat(LambdaTargets.of(Jobs.class))
                .contains(new LambdaTargets.Target(MethodHandleInfo.REF_invokeStatic, JOBS, "secret", "(Ljava/lang/String;)Ljava/lang/String;"))
                .contains(new LambdaTargets.Target(MethodHandleInfo.REF_invokeStatic, JOBS, "example", "(ILjava/lang/String;)I"))
                .anyMatch(t -> t.name().startsWith("lambda$adder$"))
                .noneMatch(t -> t.name().equals("exampleRef") || t.name().equals("secretRef"));
    }

    @Test
    void aClassWithoutSerializableLambdasListsNone() {
        assertThat(LambdaTargets.of(Allowlist.class)).isEmpty();
        assertThat(LambdaTargets.of(String.class)).isEmpty();
    }
}
