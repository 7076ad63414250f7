package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.JobPayloads;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import io.parametric.worker.outside.Outside;
import io.parametric.worker.testjobs.Calls;
import io.parametric.worker.testjobs.Jobs;
import java.lang.invoke.MethodHandleInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRunnerTest {

    private final JobRunner runner = new JobRunner(
            Allowlist.of(List.of("io.parametric.worker.testjobs", JobRunnerTest.class.getName())));
    private final MemoryContext ctx = new MemoryContext();

    private Outcome run(JobPayload p) {
        return runner.run(p.placed("j1", "m1"), ctx, 7, 1);
    }

    private static JobPayload withArgs(JobPayload p, List<JsonNode> args) {
        return new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), p.className(), p.method(),
                p.descriptor(), p.refKind(), p.fingerprint(), p.captured(), args, p.value(), p.timeoutMs(),
                p.retries(), p.maxDeliveries(), p.pinned(), p.capturing());
    }

    /** The payload of {@code p} naming another implementing method and capturing class, as a forger would write it. */
    private static JobPayload naming(JobPayload p, Class<?> owner, String method, String descriptor, int refKind,
                                     Class<?> capturing, List<JsonNode> captured) {
        return new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), owner.getName(), method, descriptor, refKind,
                io.parametric.shared.protocol.ClassFingerprint.of(owner), captured, p.args(), p.value(), p.timeoutMs(),
                p.retries(), p.maxDeliveries(), p.pinned(), capturing.getName());
    }

    @Test
    void jobWhoseClassTheWorkerCannotLoadFailsNamingItAndPpJobsAndIsRecorded() {
        List<String> recorded = new ArrayList<>();
        JobRunner recording = new JobRunner(Allowlist.of(List.of("io.parametric.worker.testjobs")),
                JobRunner.class.getClassLoader(), (pid, className) -> recorded.add(pid + " " + className));
        JobPayload p = JobPayloads.lambda((Calls.Call2<Integer, String, Integer>) Jobs::example, List.of(1, "ab"));
        JobPayload elsewhere = new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(),
                "io.parametric.worker.testjobs.NotOnThisWorker", p.method(), p.descriptor(), p.refKind(), p.fingerprint(),
                p.captured(), p.args(), p.value(), p.timeoutMs(), p.retries(), p.maxDeliveries(), p.pinned());

        Outcome o = recording.run(elsewhere.placed("j1", "m1"), ctx, 7, 1);

        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("needs class io.parametric.worker.testjobs.NotOnThisWorker")
                .contains("PP_JOBS");
        assertThat(recorded).containsExactly("7 io.parametric.worker.testjobs.NotOnThisWorker");
    }

    @Test
    void theClassAJobsClassRefersToIsTheOneNamed() {
        assertThat(JobRunner.missingClassName(new NoClassDefFoundError("io/parametric/manager/Worker")))
                .isEqualTo("io.parametric.manager.Worker");
        assertThat(JobRunner.missingClassName(new IllegalStateException(new ClassNotFoundException("a.B")))).isEqualTo("a.B");
        assertThat(JobRunner.missingClassName(new NoClassDefFoundError("Could not initialize class a.B"))).isNull();
    }

    @Test
    void registeredTypeRunsWithConvertedArguments() {
        Outcome o = run(JobPayloads.type("add", List.of(2, 3)));
        assertThat(o.ok()).isTrue();
        assertThat(o.value().asInt()).isEqualTo(5);
        assertThat(o.jobId()).isEqualTo("j1");
        assertThat(o.pid()).isEqualTo(7);
    }

    @Test
    void unknownTypeFailsListingTheWorkersTypes() {
        Outcome o = run(JobPayloads.type("nope", List.of()));
        assertThat(o.reason()).isEqualTo("UNKNOWN_JOB_TYPE");
        assertThat(o.message()).contains("'nope'").contains("add").contains("echo");
    }

    @Test
    void wrongArgumentCountOrTypeIsBadPayload() {
        assertThat(run(JobPayloads.type("add", List.of(2))).reason()).isEqualTo("BAD_PAYLOAD");
        Outcome wrongType = run(JobPayloads.type("add", List.of(2, "three")));
        assertThat(wrongType.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(wrongType.message()).contains("argument #2");
        assertThat(run(JobPayloads.type("add", List.of(2, 3.5))).reason()).isEqualTo("BAD_PAYLOAD");
    }

    @Test
    void untypedHandlerGetsNaturalArguments() {
        JobRegistry.register("natural", (c, args) -> List.of(args).toString());
        try {
            Outcome o = run(JobPayloads.type("natural", List.of(1, "a", List.of(2))));
            assertThat(o.value().asText()).isEqualTo("[1, a, [2]]");
        } finally {
            JobRegistry.unregister("natural");
        }
    }

    @Test
    void methodReferenceRunsWithItsArguments() {
        Outcome o = run(JobPayloads.lambda((Calls.Call2<Integer, String, Integer>) Jobs::example, List.of(5, "job #5")));
        assertThat(o.ok()).isTrue();
        assertThat(o.value().asInt()).isEqualTo(56);
    }

    @Test
    void privateMethodReferenceAndCapturingLambdaRun() {
        assertThat(run(JobPayloads.lambda(Jobs.secretRef(), List.of("x"))).value().asText()).isEqualTo("secret:x");
        assertThat(run(JobPayloads.lambda(Jobs.adder(40, List.of(1, 2)), List.of(3))).value().asInt()).isEqualTo(46);
    }

    @Test
    void jdkMethodReferenceRunsOnlyFromTheListOfPureFunctionsWhateverTheJdkBuild() {
        JobPayload max = JobPayloads.lambda((Calls.Call2<Integer, Integer, Integer>) Math::max, List.of(3, 7));
        assertThat(max.className()).isEqualTo("java.lang.Math");
        assertThat(run(max).value().asInt()).isEqualTo(7);
        JobPayload otherJdkBuild = naming(max, Math.class, "max", "(II)I", MethodHandleInfo.REF_invokeStatic,
                JobRunnerTest.class, max.captured());
        otherJdkBuild = new JobPayload(otherJdkBuild.v(), otherJdkBuild.id(), otherJdkBuild.manager(), otherJdkBuild.form(),
                null, otherJdkBuild.className(), otherJdkBuild.method(), otherJdkBuild.descriptor(), otherJdkBuild.refKind(),
                "f".repeat(64), otherJdkBuild.captured(), otherJdkBuild.args(), null, null, 0, 3, false, otherJdkBuild.capturing());
        assertThat(run(otherJdkBuild).value().asInt()).as("a JDK function is named, not fingerprinted").isEqualTo(7);
        JobPayload concat = JobPayloads.lambda((Calls.Call1<String, String>) "ab"::concat, List.of("cd"));
        assertThat(run(concat).value().asText()).isEqualTo("abcd");
        JobPayload env = JobPayloads.lambda((Calls.Call1<String, String>) System::getenv, List.of("PATH"));
        Outcome refused = new JobRunner(Allowlist.inProcess()).run(env.placed("j", "m"), ctx, 7, 1);
        assertThat(refused.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.message()).contains("java.lang.System.getenv").contains("pure functions");
    }

    @Test
    void onlyTheCapturingClassesOwnSerializableLambdaTargetsRun() {
        JobPayload ref = JobPayloads.lambda((Calls.Call2<Integer, String, Integer>) Jobs::example, List.of(5, "x"));
        // Jobs.exampleRef is a public static method of an admitted class, but no lambda names it.
        Outcome notListed = run(naming(ref, Jobs.class, "exampleRef", "()Lio/parametric/worker/testjobs/Calls$Call2;",
                ref.refKind(), Jobs.class, List.of()));
        assertThat(notListed.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(notListed.message()).contains("does not declare as a serializable lambda");
        // Jobs::secret is written in Jobs, not here: naming this class as the capturer does not help.
        JobPayload secret = JobPayloads.lambda(Jobs.secretRef(), List.of("x"));
        assertThat(run(naming(secret, Jobs.class, "secret", secret.descriptor(), secret.refKind(), JobRunnerTest.class,
                List.of())).reason()).isEqualTo("NOT_ALLOWED");
        assertThat(run(secret).value().asText()).as("the same reference, from where it was written").isEqualTo("secret:x");
    }

    @Test
    void mainAndRegisteredTypesRunMethodNeverRunAsLambdas() {
        JobPayload any = JobPayloads.lambda(Jobs.nothing(), List.of());
        Outcome main = run(naming(any, Jobs.class, "main", "([Ljava/lang/String;)V", MethodHandleInfo.REF_invokeStatic,
                Jobs.class, List.of()));
        assertThat(main.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(main.message()).contains("main method never runs");
        // A registered type's run on a receiver built from {}, skipping its argument checks.
        Outcome typeRun = run(naming(any, io.parametric.worker.testjobs.TestTypes.Add.class, "run",
                "(Lio/parametric/shared/JobContext;[Ljava/lang/Object;)Ljava/lang/Object;", MethodHandleInfo.REF_invokeVirtual,
                io.parametric.worker.testjobs.TestTypes.Add.class, List.of(Json.tree(java.util.Map.of()), Json.tree(null))));
        assertThat(typeRun.reason()).isEqualTo("NOT_ALLOWED");
    }

    @Test
    void voidLambdaReturnsNull() {
        Outcome o = run(JobPayloads.lambda(Jobs.nothing(), List.of()));
        assertThat(o.ok()).isTrue();
        assertThat(o.value() == null || o.value().isNull()).isTrue();
    }

    @Test
    void lambdaWhoseClassDiffersIsRefused() {
        JobPayload p = JobPayloads.lambda(Jobs.secretRef(), List.of("x"));
        JobPayload other = new JobPayload(p.v(), p.id(), p.manager(), p.form(), p.type(), p.className(), p.method(),
                p.descriptor(), p.refKind(), "0".repeat(64), p.captured(), p.args(), p.value(), p.timeoutMs(),
                p.retries(), p.maxDeliveries(), p.pinned(), p.capturing());
        Outcome o = run(other);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("differs from the manager's");
    }

    @Test
    void aLambdaThatPassedItsChecksIsCheckedAgainWhenAJobNamesItWithAnotherCapturingClassOrFingerprint() {
        JobPayload secret = JobPayloads.lambda(Jobs.secretRef(), List.of("x"));
        assertThat(run(secret).value().asText()).isEqualTo("secret:x");

        Outcome capturedElsewhere = run(naming(secret, Jobs.class, "secret", secret.descriptor(), secret.refKind(),
                JobRunnerTest.class, List.of()));
        JobPayload otherBuild = new JobPayload(secret.v(), secret.id(), secret.manager(), secret.form(), secret.type(),
                secret.className(), secret.method(), secret.descriptor(), secret.refKind(), "0".repeat(64), secret.captured(),
                secret.args(), secret.value(), secret.timeoutMs(), secret.retries(), secret.maxDeliveries(), secret.pinned(),
                secret.capturing());

        assertThat(capturedElsewhere.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(run(otherBuild).reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(run(secret).value().asText()).as("the checked one still runs").isEqualTo("secret:x");
    }

    @Test
    void lambdaWithWrongArgumentTypeIsRefused() {
        JobPayload p = JobPayloads.lambda((Calls.Call2<Integer, String, Integer>) Jobs::example, List.of(5, "x"));
        List<JsonNode> swapped = new ArrayList<>(List.of(Json.tree("five"), Json.tree("x")));
        Outcome o = run(withArgs(p, swapped));
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("argument #1");
        assertThat(run(withArgs(p, List.of(Json.tree(5)))).reason()).isEqualTo("BAD_PAYLOAD");
    }

    @Test
    void classesOutsideTheAllowlistAreNotAllowed() {
        assertThat(run(JobPayloads.record(new Outside.Escape("x"))).reason()).isEqualTo("NOT_ALLOWED");
        Outcome o = run(JobPayloads.lambda(Outside.lambda(), List.of()));
        assertThat(o.reason()).isEqualTo("NOT_ALLOWED");
        assertThat(o.message()).contains(Outside.class.getName()).contains("--allow");
        JobRunner open = new JobRunner(Allowlist.inProcess());
        assertThat(open.run(JobPayloads.record(new Outside.Escape("x")).placed("j", "m"), ctx, 7, 1).value().asText())
                .isEqualTo("escaped x");
    }

    @Test
    void recordIsRebuiltAndRun() {
        assertThat(run(JobPayloads.record(new Jobs.Square(7))).value().asInt()).isEqualTo(49);
        assertThat(run(JobPayloads.record(new Jobs.Sum(List.of(new Jobs.Square(1), new Jobs.Square(2))))).value().asInt())
                .isEqualTo(3);
    }

    @Test
    void recordClassThatIsNotAJobRecordOrNotFoundIsRefused() {
        JobRunner open = new JobRunner(Allowlist.inProcess());
        JobPayload notJob = new JobPayload(1, "j", "m", JobPayload.RECORD, null, "java.lang.String", null, null, null,
                null, null, null, Json.tree("x"), null, 0, 3, false);
        assertThat(open.run(notJob, ctx, 7, 1).reason()).isEqualTo("NOT_ALLOWED");
        JobPayload registeredType = new JobPayload(1, "j", "m", JobPayload.RECORD, null,
                io.parametric.worker.testjobs.TestTypes.Add.class.getName(), null, null, null, null, null, null,
                Json.tree(java.util.Map.of()), null, 0, 3, false);
        assertThat(open.run(registeredType, ctx, 7, 1).reason()).isEqualTo("NOT_ALLOWED");
        JobPayload missing = new JobPayload(1, "j", "m", JobPayload.RECORD, null, "io.parametric.worker.testjobs.Gone",
                null, null, null, null, null, null, Json.tree(1), null, 0, 3, false);
        Outcome o = runner.run(missing, ctx, 7, 1);
        assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(o.message()).contains("needs class io.parametric.worker.testjobs.Gone").contains("PP_JOBS (--jobs)");
    }

    @Test
    void jobThatThrowsFailsWithClassMessageAndStack() {
        Outcome o = run(JobPayloads.lambda(Jobs.thrower(), List.of()));
        assertThat(o.reason()).isEqualTo("JOB_FAILED");
        assertThat(o.errorClass()).isEqualTo(UnsupportedOperationException.class.getName());
        assertThat(o.message()).isEqualTo("thrown on purpose");
        assertThat(o.stackTrace()).contains("Jobs.lambda$thrower");
        Outcome typed = run(JobPayloads.type("fail", List.of("boom")));
        assertThat(typed.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(typed.message()).isEqualTo("boom");
    }

    @Test
    void contextIsBoundWhileTheJobRunsOnly() {
        ctx.put("greeting", "hi");
        Outcome o = run(JobPayloads.type("context", List.of()));
        assertThat(o.value().get("greeting").asText()).isEqualTo("hi");
        assertThat(o.value().get("counter").asLong()).isEqualTo(5);
        assertThat(ctx.progress).isEqualTo(0.5);
        org.assertj.core.api.Assertions.assertThatThrownBy(JobContext::current).isInstanceOf(IllegalStateException.class);
    }
}
