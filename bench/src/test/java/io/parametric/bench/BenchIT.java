package io.parametric.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parametric.shared.testing.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Tiny runs of the benchmark end to end, so the module cannot rot: the standard run with its
 * baselines, and the placement-cost run, which also drives the standalone worker JVMs the
 * {@code million} scenario uses (that one needs three JVMs and a reap: too slow for CI). Times
 * are printed, never asserted.
 */
class BenchIT {

    private record Run(int status, String table, String log) {}

    private static Run bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(log, true, StandardCharsets.UTF_8));
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8));
        System.out.println(run.table());
        return run;
    }

    @Test
    void standardRunWithBaselinesPrintsEveryFigureWithRatios() {
        Run run = bench("--redis", TestRedis.url(), "--baseline", "--jobs", "200", "--warmup", "20", "--samples", "50",
                "--bulk", "200", "--queued", "200", "--monitor-jobs", "50", "--idle-seconds", "1");

        assertThat(run.status()).as(run.log()).isZero();
        assertThat(run.table())
                .contains("200 `submit`s then all results", "one `distribute` of 200", "`submitAll`",
                        "`submit(pid, job).get()`, p50", "p99.9", "placement only", "worker-only drain",
                        "bytes per queued job", "bytes per finished job", "commands per job", "inside scripts",
                        "per idle worker slot")
                .containsPattern("200 `submit`s then all results +\\| [0-9,]+ jobs/s +\\| [0-9,]+ jobs/s +\\| [0-9,]+ jobs/s +\\| [0-9.]+× +\\| [0-9.]+× +\\|")
                .containsPattern("CPU per job of those 200 `submit`s: the 2 worker JVMs +\\| [0-9.]+ µs +\\|")
                .containsPattern("CPU per job of those 200 `submit`s: Redis \\(INFO cpu\\) +\\| [0-9.]+ µs +\\|")
                .containsPattern("CPU per job of those 200 `submit`s: all three +\\| [0-9.]+ µs +\\|");
    }

    @Test
    void workers50CountsEachKindOfPlacementPerFleetSize() {
        Run run = bench("workers50", "--redis", TestRedis.url(), "--workers", "2");

        assertThat(run.status()).as(run.log()).isZero();
        assertThat(run.table()).containsPattern("commands per `submit\\(job\\)`, workers registered: 2 \\(round trips\\) +\\| [0-9.]+ \\([0-9.]+\\)")
                .contains("`distribute(job)`, workers registered: 2", "`assignOpen(job)`, workers registered: 2");
    }
}
