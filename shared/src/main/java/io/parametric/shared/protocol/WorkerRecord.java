package io.parametric.shared.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A worker slot's hash ({@code w:<pid>}), typed. Read from Redis, so every field is checked:
 * a field that is missing or unreadable reads as empty (text) or 0 (numbers).
 *
 * @param pid the worker's pid
 * @param name its name
 * @param kind its kind (e.g. Threaded)
 * @param host the host it runs on
 * @param state its state; empty when the field is missing or unknown
 * @param types the job types it lists
 * @param job the id of the job it runs, or null
 * @param latestReturn its latest outcome (JSON), or null
 * @param done jobs it finished with a return
 * @param failed jobs it finished with a failure
 */
public record WorkerRecord(long pid, String name, String kind, String host, Optional<WorkerState> state,
                           Set<String> types, String job, String latestReturn, long done, long failed) {

    /**
     * @param pid the worker
     * @param hash its hash as read (empty when the worker is unknown)
     * @return the record, empty when there is no hash
     */
    public static Optional<WorkerRecord> from(long pid, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerRecord(pid, hash.getOrDefault("name", ""), hash.getOrDefault("kind", ""),
                hash.getOrDefault("host", ""), WorkerState.parse(hash.get("state")), types(hash.get("types")),
                hash.get("job"), hash.get("ret"), number(hash.get("done")), number(hash.get("failed"))));
    }

    /** @return true when the worker may be given jobs: its state is idle or busy */
    public boolean takesJobs() {
        return state.map(WorkerState::takesJobs).orElse(false);
    }

    private static Set<String> types(String field) {
        return field == null ? Set.of()
                : Arrays.stream(field.split(",")).filter(t -> !t.isBlank()).collect(Collectors.toUnmodifiableSet());
    }

    private static long number(String field) {
        try {
            return field == null ? 0 : Long.parseLong(field);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
