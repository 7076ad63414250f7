package io.parametric.manager.testjobs;

import static io.parametric.manager.ParametricProcesses.newJob;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ParametricProcesses;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A manager JVM for the TLS and ACL tests (its trust store and Redis user are its own): connects
 * to the fleet of {@code PP_REDIS_URL}, shares a value, runs jobs that read it and count, reads the
 * fleet's stats, then prints {@code OK <results>} and exits 0, or {@code FAILED <error>} and exits 1.
 */
public final class SecureManagerMain {

    private SecureManagerMain() {}

    /**
     * @param args the fleet name
     */
    public static void main(String[] args) {
        int status = 1;
        try (ProcessManager procs = ParametricProcesses.connect(System.getenv("PP_REDIS_URL"), args[0])) {
            procs.put("base", 40);
            List<JobFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(procs.submit(newJob(() -> JobContext.current().fetch("base", Integer.class) + 2)));
                futures.add(procs.submit(newJob(() -> JobContext.current().increment("count", 1))));
            }
            List<Object> results = new ArrayList<>();
            for (JobFuture<Object> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            procs.waitFor(Duration.ofSeconds(60));
            System.out.println("OK " + results + " workers=" + procs.stats().workers().size());
            status = 0;
        } catch (Exception e) {
            System.out.println("FAILED " + e);
        }
        System.out.flush();
        System.exit(status);
    }
}
