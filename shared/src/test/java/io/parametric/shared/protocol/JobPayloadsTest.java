package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.Job;
import io.parametric.shared.JobContext;
import io.parametric.shared.ProcessError;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobPayloadsTest {

    interface Call0<R> extends Serializable {
        R call() throws Exception;
    }

    interface Call1<A, R> extends Serializable {
        R call(A a) throws Exception;
    }

    interface Call2<A, B, R> extends Serializable {
        R call(A a, B b) throws Exception;
    }

    record Point(int x, int y) {}

    record Resize(String file, int width, List<Point> marks) implements Job<String> {
        @Override
        public String run(JobContext ctx) {
            return file + "@" + width;
        }
    }

    record Holder(Object thing) implements Job<Object> {
        @Override
        public Object run(JobContext ctx) {
            return thing;
        }
    }

    static int example(int n, String label) {
        return n + label.length();
    }

    private static ProcessError.Reason reasonOf(Throwable e) {
        return ((ProcessError) e).reason();
    }

    @Test
    void methodReferenceTravelsAsClassMethodDescriptorAndFingerprint() {
        JobPayload p = JobPayloads.lambda((Call2<Integer, String, Integer>) JobPayloadsTest::example, List.of(5, "job #5"));
        assertThat(p.form()).isEqualTo(JobPayload.LAMBDA);
        assertThat(p.className()).isEqualTo(JobPayloadsTest.class.getName());
        assertThat(p.method()).isEqualTo("example");
        assertThat(p.descriptor()).isEqualTo("(ILjava/lang/String;)I");
        assertThat(p.refKind()).isEqualTo(MethodHandleInfo.REF_invokeStatic);
        assertThat(p.fingerprint()).isEqualTo(ClassFingerprint.of(JobPayloadsTest.class));
        assertThat(p.captured()).isEmpty();
        assertThat(p.args()).extracting(Object::toString).containsExactly("5", "\"job #5\"");
        assertThat(p.id()).isNull();
        assertThat(p.manager()).isNull();
    }

    @Test
    void capturedValuesTravelAsJsonAndTheLambdaBodyCanBeInvokedFromThePayload() throws Exception {
        int base = 40;
        List<String> names = List.of("a", "b");
        JobPayload p = JobPayloads.lambda((Call1<Integer, Integer>) n -> base + n + names.size(), List.of(2));
        assertThat(p.method()).startsWith("lambda$");
        assertThat(p.captured()).extracting(Object::toString).containsExactly("40", "[\"a\",\"b\"]");

        LambdaMethod m = LambdaMethod.find(Class.forName(p.className()), p.method(), p.descriptor(), p.refKind());
        List<Object> values = new ArrayList<>();
        List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>(p.captured());
        all.addAll(p.args());
        for (int i = 0; i < all.size(); i++) {
            values.add(Json.convertArgument(all.get(i), m.parameterTypes().get(i)));
        }
        assertThat(m.invoke(values)).isEqualTo(44);
    }

    /** @return a lambda of one class, whatever {@code base} is: each call captures its own value */
    private static Call1<Integer, Integer> adding(int base) {
        return n -> base + n;
    }

    @Test
    void eachInstanceOfOneLambdaClassCarriesItsOwnCapturedValuesThoughItsShapeIsReadOnce() {
        Call1<Integer, Integer> one = adding(1);
        Call1<Integer, Integer> two = adding(2);
        assertThat(one.getClass()).isSameAs(two.getClass());
        JobPayload first = JobPayloads.lambda(one, List.of(10));
        JobPayload second = JobPayloads.lambda(two, List.of(20));
        assertThat(first.captured()).extracting(Object::toString).containsExactly("1");
        assertThat(second.captured()).extracting(Object::toString).containsExactly("2");
        assertThat(second.args()).extracting(Object::toString).containsExactly("20");
        assertThat(second.method()).isEqualTo(first.method());
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).isEqualTo(ClassFingerprint.of(JobPayloadsTest.class));
        assertThat(JobPayloads.instantiatedMethodType(two)).isEqualTo("(Ljava/lang/Integer;)Ljava/lang/Integer;");
    }

    @Test
    void capturedValueThatDoesNotReadBackIsRefusedByName() {
        Object opaque = new Object();
        assertThatThrownBy(() -> JobPayloads.lambda((Call0<Object>) () -> opaque.hashCode(), List.of()))
                .isInstanceOf(ProcessError.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ProcessError.Reason.BAD_PAYLOAD))
                .hasMessageContaining("captured value #1")
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void capturedJdkObjectWithoutValueEqualityIsRefusedEvenWhenItsJsonMatches() {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger(3);
        assertThatThrownBy(() -> JobPayloads.lambda((Call0<Integer>) () -> counter.incrementAndGet(), List.of()))
                .isInstanceOf(ProcessError.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ProcessError.Reason.BAD_PAYLOAD))
                .hasMessageContaining("AtomicInteger");
    }

    @Test
    void capturedStringBuilderIsRefusedNamingWhyNotShowingTwoEqualValues() {
        StringBuilder text = new StringBuilder("abc");
        assertThatThrownBy(() -> JobPayloads.lambda((Call0<Integer>) () -> text.length(), List.of()))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("captured value #1")
                .hasMessageContaining("java.lang.StringBuilder, which has no value equality")
                .hasMessageContaining("pass its value instead")
                .hasMessageNotContaining("reads back as");
    }

    @Test
    void argumentMustReadBackAsTheDeclaredType() {
        assertThatThrownBy(() -> JobPayloads.lambda((Call1<Object, Object>) x -> x, List.of(5L)))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("argument #1")
                .hasMessageContaining("java.lang.Long");
        assertThat(JobPayloads.lambda((Call1<Object, Object>) x -> x, List.of(5)).args()).hasSize(1);
        assertThat(JobPayloads.lambda((Call1<Long, Object>) x -> x, List.of(5L)).args()).hasSize(1);
    }

    @Test
    void wrongArgumentCountIsRefused() {
        assertThatThrownBy(() -> JobPayloads.lambda((Call2<Integer, String, Integer>) JobPayloadsTest::example, List.of(5)))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("takes 2 argument(s) but the job has 1");
    }

    @Test
    void nonLambdaSerializableIsRefused() {
        Call0<Integer> notALambda = new Call0<>() {
            @Override
            public Integer call() {
                return 1;
            }
        };
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> JobPayloads.lambda(notALambda, List.of()))
                    .isInstanceOf(ProcessError.class)
                    .hasMessageContaining("not a serializable lambda");
        }
    }

    @Test
    void recordTravelsAsClassNameAndComponents() {
        JobPayload p = JobPayloads.record(new Resize("cat.png", 640, List.of(new Point(1, 2))));
        assertThat(p.form()).isEqualTo(JobPayload.RECORD);
        assertThat(p.className()).isEqualTo(Resize.class.getName());
        assertThat(p.value().toString()).isEqualTo("{\"file\":\"cat.png\",\"width\":640,\"marks\":[{\"x\":1,\"y\":2}]}");
        assertThat(Json.convertArgument(p.value(), Resize.class)).isEqualTo(new Resize("cat.png", 640, List.of(new Point(1, 2))));
    }

    @Test
    void recordComponentThatDoesNotReadBackIsRefusedByName() {
        assertThatThrownBy(() -> JobPayloads.record(new Holder(new Object())))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("component 'thing'");
    }

    @Test
    void lambdaJobIsRefusedAsRecord() {
        Job<Integer> lambda = ctx -> 1;
        assertThatThrownBy(() -> JobPayloads.record(lambda))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("record implementing Job");
    }

    @Test
    void typedJobCarriesNameAndArguments() {
        JobPayload p = JobPayloads.type("resize", List.of("cat.png", 640, Map.of("k", 1), new Point(3, 4)));
        assertThat(p.form()).isEqualTo(JobPayload.TYPE);
        assertThat(p.type()).isEqualTo("resize");
        assertThat(p.args()).extracting(Object::toString)
                .containsExactly("\"cat.png\"", "640", "{\"k\":1}", "{\"x\":3,\"y\":4}");
    }

    @Test
    void typedJobArgumentThatCannotTravelIsRefused() {
        assertThatThrownBy(() -> JobPayloads.type("resize", List.of("ok", new Object())))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("argument #2 of job type 'resize'");
        assertThatThrownBy(() -> JobPayloads.type(" ", List.of())).isInstanceOf(ProcessError.class);
    }

    @Test
    void strictConversionRefusesAnArgumentOfAnotherKind() {
        assertThatThrownBy(() -> Json.convertArgument(Json.tree("5"), int.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.convertArgument(Json.tree(2.5), long.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.convertArgument(Json.tree(5), String.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.convertArgument(null, int.class)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Json.convertArgument(Json.tree(5), double.class)).isEqualTo(5.0);
    }
}
