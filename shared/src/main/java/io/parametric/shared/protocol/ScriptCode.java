package io.parametric.shared.protocol;

/**
 * Every return code of the protocol's Lua scripts: the first element of each script's reply.
 * Mirrors the {@code CODE} table of {@code lib.lua} (a test fails when they disagree); which
 * script returns which code is in {@code docs/protocol.md}.
 */
public enum ScriptCode {
    /** Done as asked (placed, registered, started, finished, reaped ...). */
    OK(1),
    /** finish: the job failed and waits in the delayed-jobs set for a retry. */
    RETRY(2),
    /** cancel: the job runs; its worker will interrupt it. */
    INTERRUPTING(3),
    /** cancel: the job was waiting; it was removed and failed with CANCELLED. */
    REMOVED(4),
    /** cancel, watch: the job already has an outcome. */
    FINISHED(5),
    /** watch: the outcome will be pushed to the watching manager. */
    WATCHING(6),
    /** reap: another reaper ran within the lock period. */
    SKIPPED(7),
    /** reap: Redis restarted; live workers were given a lease of grace. */
    GRACE(8),
    /** finish: the job is no longer in the worker's in-flight list (re-homed); nothing written. */
    STALE(-1),
    /** place: no such live worker. */
    NO_SUCH_WORKER(-2),
    /** place: the worker does not list the job type. */
    UNKNOWN_TYPE(-3),
    /** cancel, watch, progress: the fleet holds no entry and no record of the job. */
    NO_JOB(-4),
    /** take: the worker is not live (closed, closing or reaped). */
    GONE(-5),
    /** register: the fleet holds workers or entries of another protocol version. */
    VERSION(-6),
    /** finish: this worker's outcome is already stored (a repeated call). */
    REPEATED(-7),
    /** place: the fleet backlog is at its limit; nothing placed. */
    QUEUE_FULL(-8);

    private final int code;

    ScriptCode(int code) {
        this.code = code;
    }

    /** @return the number the scripts return */
    public int code() {
        return code;
    }

    /**
     * @param reply a script's reply: a list whose first element is the code
     * @return the code
     * @throws IllegalStateException for a reply that holds no known code (a script and this enum disagree)
     */
    public static ScriptCode of(Object reply) {
        Object first = reply instanceof java.util.List<?> list && !list.isEmpty() ? list.get(0) : reply;
        long n = first instanceof Long l ? l : Long.MIN_VALUE;
        for (ScriptCode c : values()) {
            if (c.code == n) {
                return c;
            }
        }
        throw new IllegalStateException("a protocol script replied " + reply
                + " without a known return code; the scripts and ScriptCode disagree (a build of mixed versions?)");
    }
}
