package io.parametric.manager;

import io.parametric.shared.protocol.Fleet;
import io.parametric.shared.protocol.FleetKeys;
import io.parametric.shared.redis.LocalRedisServer;
import io.parametric.shared.redis.Redis;
import io.parametric.shared.testing.TestSecret;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private Redis for tests that count what a manager sends ({@code INFO commandstats} then
 * counts that manager alone), with fleets whose workers are only registered ({@link Fleet#register}):
 * no process runs their jobs, so placed jobs stay where placement put them.
 */
final class RegisteredFleet implements AutoCloseable {

    private final LocalRedisServer server = LocalRedisServer.start(false);
    final Redis redis = new Redis(server.url(), 2);

    /** @return the private Redis's URL */
    String url() {
        return server.url();
    }

    /**
     * Drops every subscribed connection of the private Redis (their owners listen again), with redis-cli.
     *
     * @return how many were dropped
     */
    int dropSubscriptions() {
        // redis-cli 7 reads no password from redis://:secret@ (an empty user name): name the default user.
        try {
            Process p = new ProcessBuilder("redis-cli", "-u", url().replace("redis://:", "redis://default:"),
                    "--no-auth-warning", "CLIENT", "KILL", "TYPE", "pubsub").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return Integer.parseInt(out.replaceAll("\\D", ""));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("redis-cli did not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redis-cli ran", e);
        }
    }

    /** @param test a name for the fleet @return a new fleet of this Redis, without workers */
    Fleet fleet(String test) {
        return new Fleet(redis, new FleetKeys(test + "-" + UUID.randomUUID().toString().substring(0, 6)), TestSecret.secret(),
                Fleet.DEFAULT_JOB_TTL);
    }

    /** Registers a worker slot that never heartbeats, with a lease long enough that no reaper takes it. @return its pid */
    static long register(Fleet fleet) {
        long pid = fleet.newPid();
        fleet.register(pid, Map.of("name", "w-" + pid, "kind", "Threaded", "types", ",", "lease", "3600000"));
        return pid;
    }

    /** @param command a command name, or null for all @return how many times Redis ran it so far (INFO itself not counted) */
    long calls(String command) {
        long total = 0;
        Matcher m = Pattern.compile("cmdstat_([a-z|_-]+):calls=(\\d+)").matcher(redis.info("commandstats"));
        while (m.find()) {
            if (command == null ? !m.group(1).equals("info") : m.group(1).equals(command)) {
                total += Long.parseLong(m.group(2));
            }
        }
        return total;
    }

    @Override
    public void close() {
        redis.close();
        server.close();
    }
}
