package io.parametric.worker;

import io.parametric.shared.protocol.JobPayload;
import io.parametric.shared.protocol.Outcome;
import java.time.Duration;

/** Told when a slot starts and ends a job; the worker's metrics endpoint is one. */
interface JobObserver {

    /** Observes nothing: a worker without {@code PP_METRICS_PORT}. */
    JobObserver NONE = new JobObserver() {
        @Override
        public void started(JobPayload payload) {}

        @Override
        public void ended(JobPayload payload, Outcome outcome, Duration ran) {}
    };

    /** @param payload the job a slot starts running */
    void started(JobPayload payload);

    /**
     * @param payload the job
     * @param outcome how it ended
     * @param ran how long it ran
     */
    void ended(JobPayload payload, Outcome outcome, Duration ran);
}
