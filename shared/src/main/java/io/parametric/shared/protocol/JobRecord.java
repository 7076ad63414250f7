package io.parametric.shared.protocol;

/**
 * A job's record in the fleet's {@code rec} hash (protocol 2), written by scripts:
 * {@code state|pid|deliveries|attempts|ms|progress|outcome}. A queued job has no record (see
 * {@link #QUEUED}): the record appears when a worker takes it.
 *
 * @param state {@code queued}, {@code running}, {@code cancelling}, {@code delayed}, {@code done},
 *     {@code failed} or {@code cancelled}
 * @param pid the worker that runs or ran it, 0 when none
 * @param deliveries how many times it was delivered
 * @param attempts how many retries it used
 * @param ms the Redis time (ms) of its last change: when it started, ended, or (delayed) is due
 * @param progress the fraction its job reported, 0 when none
 * @param outcome its outcome as stored (a signed text; {@link Fleet#readOutcome}), null until it ends
 */
public record JobRecord(String state, long pid, long deliveries, long attempts, long ms, double progress, String outcome) {

    /** What a job with an entry and no record is: queued, waiting for a worker. */
    public static final JobRecord QUEUED = new JobRecord("queued", 0, 0, 0, 0, 0, null);

    /**
     * @param text a record as stored, or null
     * @return the record, or null when there is none or it is not a record
     */
    public static JobRecord parse(String text) {
        if (text == null) {
            return null;
        }
        String[] f = text.split("\\|", 7);
        if (f.length < 7) {
            return null;
        }
        return new JobRecord(f[0], number(f[1]), number(f[2]), number(f[3]), number(f[4]), fraction(f[5]),
                f[6].isEmpty() ? null : f[6]);
    }

    /** @return true when the job has its outcome (done, failed or cancelled) */
    public boolean ended() {
        return state.equals("done") || state.equals("failed") || state.equals("cancelled");
    }

    private static long number(String s) {
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double fraction(String s) {
        try {
            return s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
