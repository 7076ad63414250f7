package io.parametric.shared.protocol;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short ids: a manager id is 8 random base-36 characters, a job id is its manager's id, a dot and
 * a base-36 counter ({@code k3x9q2ab.1z}). Short ids keep a queued job small in Redis, and a script
 * can name the manager waiting for a job whose entry it cannot read.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MANAGER_ID_LENGTH = 8;

    private final String managerId;
    private final AtomicLong next = new AtomicLong();

    /** A fresh manager id and counter. */
    public JobIds() {
        StringBuilder id = new StringBuilder(MANAGER_ID_LENGTH);
        for (int i = 0; i < MANAGER_ID_LENGTH; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        this.managerId = id.toString();
    }

    /** @return the manager's id */
    public String managerId() {
        return managerId;
    }

    /** @return a job id never returned before by this manager */
    public String next() {
        return managerId + "." + Long.toString(next.incrementAndGet(), 36);
    }
}
