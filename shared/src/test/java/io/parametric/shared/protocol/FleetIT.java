package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.redis.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protocol 2 through {@link Fleet}, on a real Redis: placement, take, finish, cancel, re-homing, signed entries. */
class FleetIT {

    private TestFleet t;
    private Fleet fleet;

    @BeforeEach
    void connect() {
        t = new TestFleet("fleet");
        fleet = t.fleet;
    }

    @AfterEach
    void disconnect() {
        t.close();
    }

    @Test
    void pidsAreNeverReusedAndARegisteredWorkerIsOpen() {
        long a = t.register();
        long b = t.register();

        assertThat(b).isGreaterThan(a);
        assertThat(fleet.livePids()).containsExactly(a, b);
        assertThat(fleet.workerInfo(a)).containsEntry("name", "w-" + a).containsEntry("state", "idle")
                .containsEntry("proto", "2");
        assertThat(t.redis.lrange(t.keys.openWorkers())).containsExactly(Long.toString(a), Long.toString(b));
        assertThat(t.redis.get(t.keys.protocolVersion())).isEqualTo("2");
    }

    @Test
    void placedJobIsTakenAndFinishedWithTheManagerNotified() {
        long pid = t.register();
        JobPayload job = t.job();
        String id = t.placeOn(pid, job).get(0);
        assertThat(fleet.job(id)).contains(JobRecord.QUEUED);

        Fleet.TakenJob taken = t.takeOne(pid, id);

        assertThat(taken.attempt()).isEqualTo(1);
        assertThat(fleet.decode(taken)).isEqualTo(job.checked());
        assertThat(t.record(id)).extracting(JobRecord::state, JobRecord::pid, JobRecord::deliveries)
                .containsExactly("running", pid, 1L);
        Fleet.Finish finish = fleet.finish(pid, TestFleet.unread(Outcome.success(id, pid, Json.tree(55), 1)), 1);
        assertThat(finish.codes()).containsExactly(ScriptCode.OK);
        assertThat(finish.next().jobs()).isEmpty();
        assertThat(t.completions()).singleElement().satisfies(o -> {
            assertThat(o.ok()).isTrue();
            assertThat(o.value().asInt()).isEqualTo(55);
        });
        assertThat(t.record(id).state()).isEqualTo("done");
        assertThat(fleet.readOutcome(t.record(id).outcome()).value().asInt()).isEqualTo(55);
        assertThat(t.redis.hget(t.keys.jobs(), id)).as("the entry leaves with the outcome").isNull();
        assertThat(t.redis.lrange(t.keys.inFlight(pid))).isEmpty();
        assertThat(t.redis.lrange(t.keys.openWorkers())).containsExactly(Long.toString(pid));
        assertThat(fleet.workerInfo(pid)).containsEntry("state", "idle").containsEntry("done", "1");
    }

    @Test
    void aLoneJobForAnIdleWorkerThatTakesHandOversIsStartedAndTravelsInItsWakeUp() throws Exception {
        long handing = fleet.newPid();
        fleet.register(handing, Map.of("name", "w-" + handing, "types", ",echo,", "handover", "1"));
        long plain = t.register();
        List<String> heard = new CopyOnWriteArrayList<>();
        Subscription subscription = new Subscription((c, m) -> heard.add(c + "|" + m), () -> heard.add("subscribed"));
        Thread listener = new Thread(() -> t.redis.listen(subscription,
                List.of(t.keys.signals(handing), t.keys.signals(plain))));
        listener.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("subscribed"));
            JobPayload first = t.job();
            List<String> ids = new ArrayList<>(t.placeOn(handing, first));
            ids.add(t.placeOn(handing, t.job()).get(0));
            String other = t.placeOn(plain, t.job()).get(0);

            assertThat(t.redis.lrange(t.keys.inFlight(handing))).containsExactly(ids.get(0));
            assertThat(t.redis.lrange(t.keys.pending(handing))).as("placed on it once busy").containsExactly(ids.get(1));
            assertThat(t.record(ids.get(0))).extracting(JobRecord::state, JobRecord::pid, JobRecord::deliveries)
                    .containsExactly("running", handing, 1L);
            assertThat(fleet.workerState(handing)).contains(WorkerState.BUSY);
            assertThat(t.redis.lrange(t.keys.openWorkers())).doesNotContain(Long.toString(handing));
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() >= 3);
            String handOver = heard.stream().filter(m -> m.startsWith(t.keys.signals(handing) + "|")).findFirst().orElseThrow();
            String entry = handOver.substring(handOver.indexOf("|J " + ids.get(0) + " ") + 4 + ids.get(0).length());
            assertThat(fleet.decode(new Fleet.TakenJob(ids.get(0), entry.getBytes(StandardCharsets.UTF_8), 1)))
                    .isEqualTo(first.checked());
            assertThat(heard).contains(t.keys.signals(plain) + "|j");
            assertThat(t.redis.lrange(t.keys.pending(plain))).containsExactly(other);

            // Its finish stores the outcome and takes the next, as for a taken job.
            Fleet.Finish f = fleet.finish(handing, TestFleet.unread(Outcome.success(ids.get(0), handing, Json.tree(1), 1)), 1);
            assertThat(f.codes()).containsExactly(ScriptCode.OK);
            assertThat(f.next().jobs()).extracting(Fleet.TakenJob::id).containsExactly(ids.get(1));
        } finally {
            subscription.close();
            listener.join(10_000);
        }
    }

    @Test
    void anIdleWorkerGivenSeveralJobsInOneCallIsWokenToTakeThemAllInsteadOfAHandOver() {
        long handing = fleet.newPid();
        fleet.register(handing, Map.of("name", "w-" + handing, "types", ",echo,", "handover", "1"));

        List<String> ids = t.placeOn(handing, t.job(), t.job(), t.job());

        assertThat(t.redis.lrange(t.keys.inFlight(handing))).isEmpty();
        assertThat(t.redis.lrange(t.keys.pending(handing))).containsExactlyElementsOf(ids);
        assertThat(fleet.workerState(handing)).contains(WorkerState.BUSY);
        assertThat(fleet.take(handing, 16).jobs()).extracting(Fleet.TakenJob::id).containsExactlyElementsOf(ids);
    }

    @Test
    void openPlacementTakesAnIdleWorkerElseTheBacklogWhichTheFirstFreeWorkerTakesWithItsFinish() {
        long pid = t.register();
        JobPayload a = t.job();
        JobPayload b = t.job();

        assertThat(t.placeOpen(a)).isEqualTo(pid);
        assertThat(t.placeOpen(b)).as("the only worker is busy now").isZero();
        assertThat(t.redis.lrange(t.keys.backlog())).containsExactly(b.id());
        t.takeOne(pid, a.id());

        Fleet.Finish finish = fleet.finish(pid, TestFleet.unread(Outcome.success(a.id(), pid, Json.tree(1), 1)), 1);

        assertThat(finish.codes()).containsExactly(ScriptCode.OK);
        assertThat(finish.next().jobs()).as("one round trip: finished and took the next")
                .extracting(Fleet.TakenJob::id, Fleet.TakenJob::attempt).containsExactly(
                        tuple(b.id(), 1L));
        assertThat(t.redis.lrange(t.keys.inFlight(pid))).containsExactly(b.id());
        assertThat(t.redis.llen(t.keys.backlog())).isZero();
    }

    @Test
    void heartbeatSaysWhichSlotsHaveQueuedJobsAndWhetherTheBacklogHasAny() {
        long quiet = t.register();
        long queued = t.register();
        long running = t.register();
        long closed = t.register();
        List<Long> all = List.of(quiet, queued, running, closed);
        assertThat(fleet.heartbeat(all)).isEqualTo(new Fleet.Beat(List.of(), List.of(), false));

        t.placeOn(queued, t.job());
        t.takeOne(running, t.placeOn(running, t.job()).get(0));
        fleet.rehome(closed, false, "closed", "test");
        t.redis.rpush(t.keys.backlog(), "j-waiting");

        assertThat(fleet.heartbeat(all)).isEqualTo(new Fleet.Beat(List.of(closed), List.of(queued, running), true));
    }

    @Test
    void aTakeOfMoreThanOneRoundMovesTheWorkersOwnJobsThenTheBacklogInOrder() {
        long pid = t.register();
        long busy = t.register();
        List<String> own = t.placeOn(pid, java.util.stream.Stream.generate(t::job).limit(120).toArray(JobPayload[]::new));
        t.placeOn(busy, t.job());
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            JobPayload job = t.job();
            assertThat(t.placeOpen(job)).as("no open worker: the backlog").isZero();
            backlog.add(job.id());
        }

        Fleet.Taken taken = fleet.take(pid, 200);

        List<String> expected = new ArrayList<>(own);
        expected.addAll(backlog.subList(0, 80));
        assertThat(taken.jobs()).extracting(Fleet.TakenJob::id).containsExactlyElementsOf(expected);
        assertThat(taken.jobs()).allSatisfy(j -> assertThat(j.attempt()).isEqualTo(1));
        assertThat(t.redis.lrange(t.keys.inFlight(pid))).containsExactlyElementsOf(expected);
        assertThat(t.redis.lrange(t.keys.backlog())).containsExactlyElementsOf(backlog.subList(80, 90));
        assertThat(t.record(own.get(119)).state()).isEqualTo("running");
    }

    @Test
    void oneFinishStoresManyOutcomesInTheOrderTakenOrAnyOtherAndARepeatChangesNothing() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job(), t.job(), t.job(), t.job());
        assertThat(fleet.take(pid, 5).jobs()).hasSize(5);

        Fleet.Finish inOrder = fleet.finish(pid, TestFleet.unread(Outcome.success(ids.get(0), pid, Json.tree(0), 1),
                Outcome.success(ids.get(1), pid, Json.tree(1), 1), Outcome.success(ids.get(2), pid, Json.tree(2), 1)), 5);
        assertThat(inOrder.codes()).containsExactly(ScriptCode.OK, ScriptCode.OK, ScriptCode.OK);
        assertThat(t.redis.lrange(t.keys.inFlight(pid))).containsExactly(ids.get(3), ids.get(4));

        Fleet.Finish outOfOrder = fleet.finish(pid, TestFleet.unread(Outcome.success(ids.get(4), pid, Json.tree(4), 1),
                Outcome.success(ids.get(3), pid, Json.tree(3), 1)), 0);
        assertThat(outOfOrder.codes()).containsExactly(ScriptCode.OK, ScriptCode.OK);
        assertThat(t.redis.lrange(t.keys.inFlight(pid))).isEmpty();

        Fleet.Finish repeated = fleet.finish(pid, TestFleet.unread(Outcome.success(ids.get(0), pid, Json.tree(0), 1),
                Outcome.success(ids.get(1), pid, Json.tree(1), 1)), 0);
        assertThat(repeated.codes()).containsExactly(ScriptCode.REPEATED, ScriptCode.REPEATED);
        assertThat(ids).allSatisfy(id -> {
            assertThat(t.record(id).state()).isEqualTo("done");
            assertThat(t.redis.hget(t.keys.jobs(), id)).as("the entry leaves with the outcome").isNull();
        });
        assertThat(t.completions()).extracting(o -> o.value().asInt()).containsExactly(0, 1, 2, 4, 3);
    }

    @Test
    void finishTakesAWholeBatchOfQueuedJobsAndDropsTheTombstoneOfAJobCancelledWhileQueued() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job(), t.job(), t.job());
        t.takeOne(pid, ids.get(0));

        assertThat(fleet.cancel(ids.get(1), "test")).isEqualTo(Fleet.Cancel.REMOVED);
        assertThat(t.completions()).as("cancelled at once, not when the id is taken").singleElement()
                .satisfies(o -> {
                    assertThat(o.jobId()).isEqualTo(ids.get(1));
                    assertThat(o.reason()).isEqualTo("CANCELLED");
                });
        assertThat(t.redis.lrange(t.keys.pending(pid))).as("no list is walked: the id stays").contains(ids.get(1));
        Fleet.Finish finish = fleet.finish(pid, TestFleet.unread(Outcome.success(ids.get(0), pid, Json.tree(1), 1)), 2);

        assertThat(finish.next().jobs()).extracting(Fleet.TakenJob::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(t.redis.llen(t.keys.pending(pid))).isZero();
        assertThat(t.record(ids.get(1)).state()).isEqualTo("cancelled");
        assertThat(t.completions()).hasSize(2);
    }

    @Test
    void placementOnAnUnknownWorkerOrTypePlacesNothing() {
        long pid = t.register();
        List<Placement> oneBad = List.of(Placement.onWorker(t.job(), "echo", pid), Placement.onWorker(t.job(), "echo", 999_999));

        assertThatThrownBy(() -> fleet.place(oneBad, null, Duration.ZERO))
                .isInstanceOf(ProcessError.class)
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(Reason.NO_SUCH_WORKER);
        assertThatThrownBy(() -> fleet.place(List.of(Placement.onWorker(t.job(), "resize", pid)), null, Duration.ZERO))
                .isInstanceOf(ProcessError.class).hasMessageContaining("resize")
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(Reason.UNKNOWN_JOB_TYPE);

        assertThat(t.redis.llen(t.keys.pending(pid))).isZero();
        assertThat(t.redis.hgetAll(t.keys.jobs())).isEmpty();
    }

    @Test
    void aChunkOfJobsWithDifferentTargetsTypesAndKeysPlacesEachWhereItsOwnSpecSays() {
        long a = t.register();
        long b = t.register();
        List<Placement> mixed = List.of(Placement.onWorker(t.job(), "echo", a), Placement.onWorker(t.job(), "echo", b),
                Placement.onWorker(t.job(), "", a), new Placement(t.job(), "echo", Placement.OPEN, Placement.BACKLOG),
                Placement.onWorker(t.job().withKey("k"), "echo", b), Placement.onWorker(t.job(), "echo", a));

        assertThat(fleet.place(mixed, null, Duration.ZERO)).as("both workers were given jobs first: the open one goes to the backlog")
                .extracting(Fleet.Placed::pid).containsExactly(a, b, a, 0L, b, a);

        List<String> ids = mixed.stream().map(Placement::jobId).toList();
        assertThat(t.redis.lrange(t.keys.pending(a))).containsExactly(ids.get(0), ids.get(2), ids.get(5));
        assertThat(t.redis.lrange(t.keys.pending(b))).containsExactly(ids.get(1), ids.get(4));
        assertThat(t.redis.lrange(t.keys.backlog())).containsExactly(ids.get(3));
        assertThat(t.redis.hgetAll(t.keys.jobs())).containsOnlyKeys(ids);
        assertThat(t.redis.hget(t.keys.jobKeys(), "k")).isEqualTo(ids.get(4));
    }

    @Test
    void aPlacementSentTwicePlacesOneJob() {
        long pid = t.register();
        List<Placement> placement = List.of(Placement.onWorker(t.job(), "echo", pid));

        assertThat(fleet.place(placement, null, Duration.ZERO)).extracting(Fleet.Placed::pid).containsExactly(pid);
        assertThat(fleet.place(placement, null, Duration.ZERO)).as("-1 from the script: already placed")
                .extracting(Fleet.Placed::pid).containsExactly(0L);

        assertThat(t.redis.hgetAll(t.keys.jobs())).hasSize(1);
        assertThat(t.redis.lrange(t.keys.pending(pid))).containsExactly(placement.get(0).jobId());
    }

    @Test
    void aPlacementSentAgainAfterItsFirstJobFinishedPlacesNoneOfItsJobsAgain() {
        long pid = t.register();
        List<Placement> three = List.of(Placement.onWorker(t.job(), "echo", pid), Placement.onWorker(t.job(), "echo", pid),
                Placement.onWorker(t.job(), "echo", pid));
        fleet.place(three, null, Duration.ZERO);
        String first = three.get(0).jobId();
        t.takeOne(pid, first);
        t.succeed(pid, first, 1);

        assertThat(fleet.place(three, null, Duration.ZERO)).as("finished, then queued twice: each already placed")
                .extracting(Fleet.Placed::pid).containsExactly(0L, 0L, 0L);
        assertThat(t.redis.hgetAll(t.keys.jobs())).as("the finished job's entry is not written again")
                .containsOnlyKeys(three.get(1).jobId(), three.get(2).jobId());
        assertThat(t.redis.lrange(t.keys.pending(pid))).containsExactly(three.get(1).jobId(), three.get(2).jobId());
    }

    @Test
    void aKeyedJobJoinsTheQueuedOrRunningJobOfItsKeyUntilThatOneHasAnOutcome() {
        long pid = t.register();
        JobPayload first = t.keyed("report-7");
        JobPayload same = t.keyed("report-7");
        List<Placement> both = List.of(Placement.onWorker(first, "echo", pid), Placement.onWorker(same, "echo", pid));

        assertThat(fleet.place(both, null, Duration.ZERO)).containsExactly(new Fleet.Placed(pid, null),
                new Fleet.Placed(0, first.id()));
        assertThat(fleet.place(List.of(both.get(0)), null, Duration.ZERO)).as("a repeat is already placed, not joined")
                .containsExactly(new Fleet.Placed(0, null));
        t.takeOne(pid, first.id());
        JobPayload whileRunning = t.keyed("report-7");
        assertThat(fleet.place(List.of(Placement.onWorker(whileRunning, "echo", pid)), null, Duration.ZERO))
                .containsExactly(new Fleet.Placed(0, first.id()));
        t.succeed(pid, first.id(), 1);
        JobPayload after = t.keyed("report-7");

        assertThat(fleet.place(List.of(Placement.onWorker(after, "echo", pid)), null, Duration.ZERO))
                .as("the key is free once its job has an outcome").containsExactly(new Fleet.Placed(pid, null));
        assertThat(t.redis.hgetAll(t.keys.jobs())).containsOnlyKeys(after.id());
    }

    @Test
    void aFullBacklogRefusesPlacementWithQueueFullAfterTheBacklogWait() {
        long pid = t.register();
        fleet.backlogLimit(2);
        assertThat(fleet.backlogLimit()).isEqualTo(2);
        List<Placement> two = List.of(new Placement(t.job(), "echo", Placement.BACKLOG, Placement.BACKLOG),
                new Placement(t.job(), "echo", Placement.BACKLOG, Placement.BACKLOG));
        fleet.place(two, List.of(), Duration.ZERO);
        assertThat(t.redis.llen(t.keys.backlog())).as("the open worker was not a candidate").isEqualTo(2);
        JobPayload third = t.job();

        assertThatThrownBy(() -> fleet.place(List.of(new Placement(third, "echo", Placement.OPEN, Placement.BACKLOG)),
                        List.of(), Duration.ofMillis(200)))
                .isInstanceOf(ProcessError.class)
                .hasMessageContaining("at its limit of 2").hasMessageContaining("200 ms")
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(Reason.QUEUE_FULL);

        assertThat(fleet.job(third.id())).isEmpty();
        assertThat(t.redis.llen(t.keys.backlog())).isEqualTo(2);
        assertThat(fleet.place(List.of(Placement.onWorker(t.job(), "echo", pid)), null, Duration.ZERO))
                .as("a worker's own list does not count").extracting(Fleet.Placed::pid).containsExactly(pid);
    }

    @Test
    void rehomeHandsQueuedJobsToOpenWorkers() {
        long closing = t.register();
        long idle = t.register();
        String id = t.placeOn(closing, t.job()).get(0);

        Fleet.Rehomed r = fleet.rehome(closing, false, "closed", "closed by test");

        assertThat(r.moved()).isEqualTo(1);
        assertThat(t.redis.lrange(t.keys.pending(idle))).containsExactly(id);
        assertThat(fleet.livePids()).containsExactly(idle);
        assertThat(fleet.workerState(closing)).contains(WorkerState.CLOSED);
    }

    @Test
    void rehomingAQueueLongerThanOneChunkHandsItOnInBoundedCallsAndLeavesNoOrphan() {
        long closing = t.register();
        int queued = ProtocolSettings.REHOME_CHUNK * 2 + 7;
        List<Placement> many = new ArrayList<>();
        for (int i = 0; i < queued; i++) {
            many.add(Placement.onWorker(t.job(), "echo", closing));
        }
        fleet.place(many, null, Duration.ZERO);

        Fleet.Rehomed r = fleet.rehome(closing, false, "closed", "closed by test");

        assertThat(r.moved()).isEqualTo(queued);
        assertThat(t.redis.lrange(t.keys.backlog())).containsExactlyElementsOf(many.stream().map(Placement::jobId).toList());
        assertThat(t.redis.llen(t.keys.pending(closing))).isZero();
        assertThat(t.redis.batch(b -> b.exists(t.keys.orphans())).get(0)).as("no orphan left").isIn(false, 0L);
    }

    @Test
    void aLateFinishAfterReHomingIsStaleAndCounted() {
        long pid = t.register();
        String id = t.placeOn(pid, t.job()).get(0);
        t.takeOne(pid, id);
        fleet.rehome(pid, true, "dead", "test");

        assertThat(t.succeed(pid, id, 1)).isEqualTo(ScriptCode.STALE);

        assertThat(fleet.staleFinishes()).isEqualTo(1);
        assertThat(t.completions()).isEmpty();
        assertThat(t.record(id).ended()).isFalse();
        assertThat(t.redis.lrange(t.keys.backlog())).containsExactly(id);
    }

    @Test
    void aRepeatedFinishIsRepeatedNotStale() {
        long pid = t.register();
        String id = t.placeOn(pid, t.job()).get(0);
        t.takeOne(pid, id);
        assertThat(t.succeed(pid, id, 2)).isEqualTo(ScriptCode.OK);

        assertThat(t.succeed(pid, id, 2)).isEqualTo(ScriptCode.REPEATED);

        assertThat(fleet.staleFinishes()).isZero();
        assertThat(t.completions()).hasSize(1);
    }

    @Test
    void anEntryWithAWrongSignatureIsRefusedByDecodeAndRejectDeadLettersIt() {
        long pid = t.register();
        String id = t.ids.next();
        t.smuggle(pid, id, TestFleet.forged(t.body(id)));
        Fleet.TakenJob taken = t.takeOne(pid, id);

        IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class, () -> fleet.decode(taken));
        assertThat(refused).hasMessageContaining("signature");
        Outcome failure = fleet.reject(pid, taken, refused.getMessage());
        Fleet.Finish finish = fleet.finish(pid, TestFleet.unread(failure), 1);

        assertThat(finish.codes()).containsExactly(ScriptCode.OK);
        assertThat(fleet.deadLetters()).singleElement().asString().contains("\"jobId\":\"" + id + "\"")
                .contains("cannot be read");
        assertThat(t.completions()).singleElement().extracting(Outcome::reason).isEqualTo("BAD_PAYLOAD");
        assertThat(t.record(id).state()).isEqualTo("failed");
        assertThat(t.redis.hget(t.keys.jobs(), id)).isNull();
    }

    @Test
    void aForgedOutcomeIsDroppedWhileAnUnsignedScriptFailureIsAccepted() {
        String id = t.ids.next();
        String forgedReturn = TestFleet.forged(Json.write(Outcome.success(id, 1, Json.tree("forged"), 1)));
        String unsignedReturn = SignedForm.VERSION + " - " + Json.write(Outcome.success(id, 1, Json.tree("forged"), 1));
        String unsignedOtherReason = SignedForm.VERSION + " - " + Json.write(Outcome.failure(id, 1, "JOB_FAILED", "x", 1));
        String scriptFailure = SignedForm.VERSION + " - " + Json.write(Outcome.failure(id, 1, "CANCELLED", "cancelled", 0));
        t.redis.rpush(t.keys.completions(t.manager()), forgedReturn, unsignedReturn, unsignedOtherReason, scriptFailure);

        List<Outcome> read = t.redis.lrange(t.keys.completions(t.manager())).stream().map(fleet::readOutcome).toList();

        assertThat(read.subList(0, 3)).containsOnlyNulls();
        assertThat(read.get(3)).extracting(Outcome::jobId, Outcome::reason).containsExactly(id, "CANCELLED");
    }

    @Test
    void anEntryOverTheLimitIsDeadLetteredInsideRedisWithoutBeingReturned() {
        Fleet small = t.withLimits(Fleet.DEFAULT_JOB_TTL, 300);
        long pid = t.register();
        String big = t.ids.next();
        t.smuggle(pid, big, SignedForm.VERSION + " - " + t.body(big).replace("}", ",\"args\":[\"" + "x".repeat(1000) + "\"]}"));
        String fine = t.placeOn(pid, t.job()).get(0);

        Fleet.Taken taken = small.take(pid, 1);

        assertThat(taken.jobs()).extracting(Fleet.TakenJob::id).as("the big entry never left Redis").containsExactly(fine);
        assertThat(t.redis.hget(t.keys.jobs(), big)).isNull();
        JobRecord record = t.record(big);
        assertThat(record.state()).isEqualTo("failed");
        assertThat(fleet.readOutcome(record.outcome()).reason()).isEqualTo("BAD_PAYLOAD");
        assertThat(t.completions()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
            assertThat(o.message()).contains("over the limit of 300");
        });
        assertThat(fleet.deadLetters()).singleElement().satisfies(d -> {
            Map<?, ?> dead = Json.read(d, Map.class);
            assertThat(dead.get("jobId")).isEqualTo(big);
            assertThat(((Number) dead.get("size")).intValue()).isGreaterThan(1000);
            assertThat(dead.get("entry")).as("never copied").isNull();
        });
    }

    @Test
    void anEntryOverTheLimitIsRefusedAtPlacementAndAReturnOverItFailsTheJob() {
        Fleet small = t.withLimits(Fleet.DEFAULT_JOB_TTL, 300);
        long pid = t.register();
        JobPayload big = new JobPayload(JobPayload.VERSION, t.ids.next(), t.manager(), JobPayload.TYPE, "echo", null,
                null, null, null, null, List.of(), List.of(Json.tree("x".repeat(400))), null, null, 0, 3, false);
        assertThatThrownBy(() -> small.place(List.of(Placement.onWorker(big, "echo", pid)), null, Duration.ZERO))
                .isInstanceOf(ProcessError.class)
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(Reason.BAD_PAYLOAD);
        assertThat(small.job(big.id())).isEmpty();

        String id = t.placeOn(pid, t.job()).get(0);
        t.takeOne(pid, id);
        small.finish(pid, TestFleet.unread(Outcome.success(id, pid, Json.tree("y".repeat(400)), 1)), 0);

        assertThat(t.completions()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo("BAD_PAYLOAD");
            assertThat(o.message()).contains("over the limit of 300");
        });
    }

    @Test
    void anEntryRewrittenPastTheLimitAfterItsCheckIsNeverReadByFinishCancelOrATake() {
        Fleet small = t.withLimits(Fleet.DEFAULT_JOB_TTL, 300);
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job());
        Fleet.Taken taken = small.take(pid, 2);
        assertThat(taken.jobs()).hasSize(2);
        String huge = "2 - " + "x".repeat(2_000);
        ids.forEach(id -> t.redis.hset(t.keys.jobs(), Map.of(id, huge)));

        // The in-flight jobs come back without their entries (the worker rejects them), never the 2 KB.
        assertThat(small.take(pid, 2).jobs()).extracting(j -> j.entry().length).containsOnly(0);
        // Finish routes the outcome by the job id.
        assertThat(small.finish(pid, TestFleet.unread(Outcome.success(ids.get(0), pid, Json.tree(1), 1)), 0).codes())
                .containsExactly(ScriptCode.OK);
        assertThat(t.completions()).extracting(Outcome::jobId).containsExactly(ids.get(0));

        String queued = t.placeOn(pid, t.job()).get(0);
        t.redis.hset(t.keys.jobs(), Map.of(queued, huge));
        assertThat(small.cancel(queued, "test")).isEqualTo(Fleet.Cancel.REMOVED);
        assertThat(t.completions()).extracting(Outcome::jobId, Outcome::reason)
                .contains(tuple(queued, "CANCELLED"));
    }

    @Test
    void aFinishWithTheJobsTheWorkerReadTakesRetriesKeyAndManagerFromThemNotFromTheEntry() {
        long pid = t.register();
        JobPayload retried = new JobPayload(JobPayload.VERSION, t.ids.next(), t.manager(), JobPayload.TYPE, "echo", null,
                null, null, null, null, List.of(), List.of(), null, null, 1, JobPayload.DEFAULT_MAX_DELIVERIES, false,
                null, "k-retried");
        // Placed by another manager than the one its id names (a manager that adopted a worker with push).
        JobPayload keyed = new JobPayload(JobPayload.VERSION, t.ids.next(), "adopter", JobPayload.TYPE, "echo", null,
                null, null, null, null, List.of(), List.of(), null, null, 0, JobPayload.DEFAULT_MAX_DELIVERIES, false,
                null, "k-done");
        List<String> ids = t.placeOn(pid, retried, keyed);
        assertThat(fleet.take(pid, 2).jobs()).hasSize(2);
        // Entries no script could read: only what the worker passes can route these outcomes.
        ids.forEach(id -> t.redis.hset(t.keys.jobs(), Map.of(id, "unreadable")));

        Fleet.Finish f = fleet.finish(pid, List.of(
                new Fleet.Ran(Outcome.failure(ids.get(0), pid, "JOB_FAILED", "boom", 1), retried.checked()),
                new Fleet.Ran(Outcome.success(ids.get(1), pid, Json.tree(1), 1), keyed.checked())), 0);

        assertThat(f.codes()).containsExactly(ScriptCode.RETRY, ScriptCode.OK);
        assertThat(t.record(ids.get(0)).state()).isEqualTo("delayed");
        assertThat(t.redis.hget(t.keys.jobKeys(), "k-done")).as("the key of the finished job is free").isNull();
        assertThat(t.completions("adopter")).extracting(Outcome::jobId).containsExactly(ids.get(1));
    }

    @Test
    void aQueuedNoOpLambdaJobCostsAtMost300BytesOfRedisMemory() {
        int jobs = 10_000;
        JobPayload noOp = JobPayloads.lambda((JobPayloadsTest.Call0<Integer>) () -> 0, List.of());
        List<Placement> placements = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            placements.add(new Placement(noOp.placed(t.ids.next(), t.manager()), "", Placement.OPEN, Placement.BACKLOG));
        }
        long before = t.usedMemory();

        fleet.place(placements, null, Duration.ZERO);

        long perJob = (t.usedMemory() - before) / jobs;
        System.out.printf("protocol 2: %d queued no-op lambda jobs use %d bytes of Redis memory each (used_memory delta;"
                + " entry %d bytes)%n", jobs, perJob, t.redis.hget(t.keys.jobs(), placements.get(0).jobId()).length());
        assertThat(t.redis.llen(t.keys.backlog())).isEqualTo(jobs);
        assertThat(perJob).isLessThanOrEqualTo(300);
    }

    @Test
    void aManagerWatchingAJobGetsItsOutcomeOrTheStoredOne() {
        long pid = t.register();
        String id = t.placeOn(pid, t.job()).get(0);

        assertThat(fleet.watch(id, "other")).isEmpty();
        t.takeOne(pid, id);
        t.succeed(pid, id, 7);

        assertThat(t.completions("other")).singleElement().extracting(o -> o.value().asInt()).isEqualTo(7);
        assertThat(t.completions()).hasSize(1);
        assertThat(fleet.watch(id, "late")).get().extracting(o -> o.value().asInt()).isEqualTo(7);
        assertThatThrownBy(() -> fleet.watch(t.ids.next(), "late")).isInstanceOf(ProcessError.class)
                .extracting(e -> ((ProcessError) e).reason()).isEqualTo(Reason.ILLEGAL_STATE);
    }

    @Test
    void progressIsRecordedOnlyWhileTheJobRuns() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job());
        t.takeOne(pid, ids.get(0));

        fleet.progress(ids.get(0), 0.5);
        fleet.progress(ids.get(1), 0.5);

        assertThat(t.record(ids.get(0)).progress()).isEqualTo(0.5);
        assertThat(t.record(ids.get(0)).state()).isEqualTo("running");
        assertThat(fleet.job(ids.get(1))).as("still queued, no record").contains(JobRecord.QUEUED);
    }

    @Test
    void storedOutcomesAndMissingJobsTellFinishedQueuedAndUnknownJobsApart() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job());
        t.takeOne(pid, ids.get(0));
        t.succeed(pid, ids.get(0), 3);
        String unknown = t.ids.next();
        List<String> asked = List.of(ids.get(0), ids.get(1), unknown);

        assertThat(fleet.storedOutcomes(asked)).containsOnlyKeys(ids.get(0))
                .extractingByKey(ids.get(0)).extracting(o -> o.value().asInt()).isEqualTo(3);
        assertThat(fleet.missingJobs(asked)).containsExactly(unknown);
        assertThat(fleet.records(asked)).extracting(r -> r == null ? null : r.state())
                .containsExactly("done", "queued", null);
    }

    private Fleet keepingFinished(int count) {
        System.setProperty("pp.keep.finished", Integer.toString(count));
        try {
            return new Fleet(t.redis, t.keys, fleet.secret(), Fleet.DEFAULT_JOB_TTL);
        } finally {
            System.clearProperty("pp.keep.finished");
        }
    }

    @Test
    void finishedRecordsBeyondTheRetentionCountAreTrimmedOldestFirst() {
        Fleet keepingThree = keepingFinished(3);
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job(), t.job(), t.job(), t.job(), t.job());
        for (String id : ids) {
            assertThat(keepingThree.take(pid, 1).jobs()).extracting(Fleet.TakenJob::id).containsExactly(id);
            keepingThree.finish(pid, TestFleet.unread(Outcome.success(id, pid, Json.tree(1), 1)), 0);
        }

        assertThat(keepingThree.records(ids)).extracting(r -> r == null ? null : r.state())
                .containsExactly(null, null, null, "done", "done", "done");
        assertThat(t.redis.lrange(t.keys.finished())).containsExactlyElementsOf(ids.subList(3, 6));
    }

    @Test
    void theCompletionListAndTheMinuteCountersAnOutcomeMakesExpire() {
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job());
        long minute = System.currentTimeMillis() / 60_000;
        for (String id : ids) {
            t.takeOne(pid, id);
            t.succeed(pid, id, 1);
            assertThat(t.redis.ttl(t.keys.completions(t.manager()))).as("made by the first outcome, kept by the second")
                    .isBetween(1L, ProtocolSettings.COMPLETION_TTL.toSeconds());
        }
        t.redis.del(t.keys.completions(t.manager()));
        t.redis.rpush(t.keys.completions(t.manager()), "a wake-up marker, pushed without an expiry");
        String third = t.placeOn(pid, t.job()).get(0);
        t.takeOne(pid, third);
        t.succeed(pid, third, 1);

        assertThat(t.redis.ttl(t.keys.completions(t.manager()))).as("a list found without an expiry gets one").isPositive();
        long counted = List.of(minute, minute + 1).stream().filter(m -> t.redis.ttl(t.keys.minute(m)) > 0).count();
        assertThat(counted).as("the minute counter of the outcomes expires").isPositive();
    }

    @Test
    void outcomesStoredTogetherTrimTogetherAndAnIdPlacedAgainKeepsItsRecord() {
        Fleet keepingTwo = keepingFinished(2);
        String placedAgain = t.placeOn(t.register(), t.job()).get(0);
        t.redis.rpush(t.keys.finished(), placedAgain);
        long pid = t.register();
        List<String> ids = t.placeOn(pid, t.job(), t.job(), t.job(), t.job());
        assertThat(keepingTwo.take(pid, 4).jobs()).extracting(Fleet.TakenJob::id).containsExactlyElementsOf(ids);

        keepingTwo.finish(pid, TestFleet.unread(ids.stream().map(id -> Outcome.success(id, pid, Json.tree(1), 1))
                .toArray(Outcome[]::new)), 0);

        assertThat(t.redis.lrange(t.keys.finished())).containsExactlyElementsOf(ids.subList(2, 4));
        assertThat(keepingTwo.records(List.of(placedAgain, ids.get(0), ids.get(1), ids.get(2), ids.get(3))))
                .extracting(r -> r == null ? null : r.state()).containsExactly("queued", null, null, "done", "done");
    }

    @Test
    void completionsArePoppedInBatchesOfAtMostMax() {
        String list = fleet.keys().completions("m1");
        t.redis.rpush(list, "a", "b", "c", "d", "e");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("a", "b", "c");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("d", "e");
        // Longer than the client's socket timeout (2 s): a blocking pop must wait, not fail.
        assertThat(fleet.nextCompletions("m1", Duration.ofMillis(2500), 3)).isEmpty();
        fleet.wakeCompletions("m1", "marker");
        assertThat(fleet.nextCompletions("m1", Duration.ofSeconds(1), 3)).containsExactly("marker");
    }
}
