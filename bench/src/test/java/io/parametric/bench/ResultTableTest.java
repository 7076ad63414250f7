package io.parametric.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.bench.ResultTable.Unit;
import io.parametric.bench.ResultTable.Value;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void ratioIsTheProjectsValueDividedByTheBaselines() {
        assertThat(ResultTable.ratio(Value.of(5_000, Unit.JOBS_PER_S), Value.of(2_000, Unit.JOBS_PER_S))).isEqualTo("2.50×");
        assertThat(ResultTable.ratio(Value.of(0.33, Unit.MS), Value.of(0.66, Unit.MS))).isEqualTo("0.50×");
        assertThat(ResultTable.ratio(Value.of(500, Unit.JOBS_PER_S), Value.of(26_600, Unit.JOBS_PER_S))).isEqualTo("0.019×");
    }

    @Test
    void noRatioWithoutTwoNumbersOfOneUnitAndANonZeroBaseline() {
        assertThat(ResultTable.ratio(Value.of(1, Unit.MS), Value.none())).isEmpty();
        assertThat(ResultTable.ratio(Value.text("n/a"), Value.of(1, Unit.MS))).isEmpty();
        assertThat(ResultTable.ratio(Value.of(1, Unit.MS), Value.of(1, Unit.JOBS_PER_S))).isEmpty();
        assertThat(ResultTable.ratio(Value.of(1, Unit.MS), Value.of(0, Unit.MS))).isEmpty();
    }

    @Test
    void rendersAlignedMarkdownWithBaselinesRatiosAndNotes() {
        ResultTable t = new ResultTable();
        t.add("throughput", Value.of(5_432.1, Unit.JOBS_PER_S));
        t.add("bytes", Value.of(1_356, Unit.BYTES));
        t.add("commands", Value.of(3, Unit.COUNT, "(+7.00 inside scripts)"));
        t.add("submitAll", Value.text("n/a"));
        t.compare("throughput", Value.of(2_000, Unit.JOBS_PER_S), Value.of(27_000, Unit.JOBS_PER_S));
        t.note("a note");

        String out = t.render(true);

        assertThat(out.lines().limit(6)).containsExactly(
                "| figure     | parametric                  | Redisson executor | Jedis lists   | ÷ Redisson | ÷ lists |",
                "| ---------- | --------------------------- | ----------------- | ------------- | ---------- | ------- |",
                "| throughput | 5,432 jobs/s                | 2,000 jobs/s      | 27,000 jobs/s | 2.72×      | 0.20×   |",
                "| bytes      | 1,356 B                     |                   |               |            |         |",
                "| commands   | 3.00 (+7.00 inside scripts) |                   |               |            |         |",
                "| submitAll  | n/a                         |                   |               |            |         |");
        assertThat(out).contains("÷ = parametric's value divided by the baseline's").endsWith("\na note\n");
    }

    @Test
    void withoutBaselinesOnlyTheProjectsColumnIsShown() {
        ResultTable t = new ResultTable();
        t.add("latency p50", Value.of(0.3304, Unit.MS));

        assertThat(t.render(false)).isEqualTo("""
                | figure      | parametric |
                | ----------- | ---------- |
                | latency p50 | 0.330 ms   |
                """);
    }

    @Test
    void comparingAFigureThatWasNeverAddedNamesIt() {
        assertThatThrownBy(() -> new ResultTable().compare("p99", Value.none(), Value.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'p99'");
    }
}
