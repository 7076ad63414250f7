package io.parametric.worker;

import io.parametric.shared.JobContext;
import io.parametric.shared.protocol.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory JobContext for runner unit tests (no Redis involved). */
final class MemoryContext implements JobContext {
    final Map<String, Object> values = new ConcurrentHashMap<>();
    volatile double progress;

    @Override
    public <T> T fetch(String name, Class<T> type) {
        return Json.convert(values.get(name), type);
    }

    @Override
    public void put(String name, Object value) {
        values.put(name, value);
    }

    @Override
    public long increment(String name, long delta) {
        return (Long) values.merge(name, delta, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
    }

    @Override
    public long pid() {
        return 7;
    }

    @Override
    public String workerName() {
        return "test-7";
    }

    @Override
    public String jobId() {
        return "j";
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public void progress(double fraction) {
        progress = fraction;
    }
}
