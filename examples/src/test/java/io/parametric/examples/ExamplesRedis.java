package io.parametric.examples;

import io.parametric.shared.testing.TestRedis;

/** Points the manager of the examples at the tests' Redis, the way a user sets {@code pp.redis.url}. */
final class ExamplesRedis {

    private ExamplesRedis() {}

    /** Sets {@code pp.redis.url} from {@link TestRedis#url()}. */
    static void configure() {
        System.setProperty("pp.redis.url", TestRedis.url());
    }
}
