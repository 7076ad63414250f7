package io.parametric.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table a benchmark run prints, in Markdown: a row per figure with the project's value
 * and, for the scenarios that have them, the baselines' values and the ratios
 * (project ÷ baseline). Lines of notes (breakdowns, how a figure was taken) follow the table.
 *
 * <pre>{@code
 * ResultTable t = new ResultTable();
 * t.add("end to end, submit loop", Value.of(5_000, Unit.JOBS_PER_S));
 * t.compare("end to end, submit loop", Value.of(2_300, Unit.JOBS_PER_S), Value.of(27_000, Unit.JOBS_PER_S));
 * System.out.print(t.render(true));
 * }</pre>
 */
final class ResultTable {

    /** How a number is shown. */
    enum Unit {
        /** throughput, higher is better */
        JOBS_PER_S("%,.0f jobs/s"),
        /** a latency, lower is better */
        MS("%.3f ms"),
        /** Redis memory */
        BYTES("%,.0f B"),
        /** a count per job, placement or second */
        COUNT("%.2f"),
        /** CPU time per job */
        MICROS("%.1f µs");

        private final String format;

        Unit(String format) {
            this.format = format;
        }
    }

    /**
     * A cell: a number in a unit, or a text when there is no number (why a figure is missing).
     *
     * @param number the number (NaN for a text cell)
     * @param unit its unit, null for a text cell
     * @param text the text of a text cell, or a suffix of a number (e.g. {@code (+7 inside scripts)})
     */
    record Value(double number, Unit unit, String text) {

        /** @return a number cell */
        static Value of(double number, Unit unit) {
            return new Value(number, unit, "");
        }

        /** @return a number cell with a remark after it */
        static Value of(double number, Unit unit, String remark) {
            return new Value(number, unit, remark);
        }

        /** @return a cell saying why there is no number */
        static Value text(String text) {
            return new Value(Double.NaN, null, text);
        }

        /** @return an empty cell (no such figure for this system) */
        static Value none() {
            return text("");
        }

        boolean isNumber() {
            return unit != null && !Double.isNaN(number);
        }

        String render() {
            if (!isNumber()) {
                return text;
            }
            String n = String.format(Locale.ROOT, unit.format, number);
            return text.isEmpty() ? n : n + " " + text;
        }
    }

    private record Row(String figure, Value ours, Value redisson, Value lists) {}

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds a figure that only the project has. */
    void add(String figure, Value ours) {
        add(figure, ours, Value.none(), Value.none());
    }

    /** Adds a figure measured on the project and on the baselines. */
    void add(String figure, Value ours, Value redisson, Value lists) {
        rows.put(figure, new Row(figure, ours, redisson, lists));
    }

    /**
     * Sets the baselines' values of a figure added before.
     *
     * @throws IllegalArgumentException when there is no such figure
     */
    void compare(String figure, Value redisson, Value lists) {
        Row row = rows.get(figure);
        if (row == null) {
            throw new IllegalArgumentException("no figure '" + figure + "' in the table to compare with");
        }
        rows.put(figure, new Row(figure, row.ours(), redisson, lists));
    }

    /** Adds a line printed under the table. */
    void note(String line) {
        notes.add(line);
    }

    /**
     * @param ours the project's value
     * @param baseline a baseline's value in the same unit
     * @return {@code ours ÷ baseline} as {@code 0.21×} (three decimals below 0.1), or empty when either is not a number or the
     *     baseline is zero
     */
    static String ratio(Value ours, Value baseline) {
        if (!ours.isNumber() || !baseline.isNumber() || ours.unit() != baseline.unit() || baseline.number() == 0) {
            return "";
        }
        double r = ours.number() / baseline.number();
        return String.format(Locale.ROOT, r < 0.1 ? "%.3f×" : "%.2f×", r);
    }

    /**
     * @param withBaselines whether to show the baseline and ratio columns
     * @return the table and its notes, lines ending in {@code \n}
     */
    String render(boolean withBaselines) {
        List<String[]> cells = new ArrayList<>();
        cells.add(withBaselines
                ? new String[] {"figure", "parametric", "Redisson executor", "Jedis lists", "÷ Redisson", "÷ lists"}
                : new String[] {"figure", "parametric"});
        for (Row r : rows.values()) {
            cells.add(withBaselines
                    ? new String[] {r.figure(), r.ours().render(), r.redisson().render(), r.lists().render(),
                            ratio(r.ours(), r.redisson()), ratio(r.ours(), r.lists())}
                    : new String[] {r.figure(), r.ours().render()});
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, cells.get(0), width);
        String[] rule = new String[width.length];
        for (int i = 0; i < width.length; i++) {
            rule[i] = "-".repeat(Math.max(3, width[i]));
        }
        line(out, rule, width);
        cells.stream().skip(1).forEach(row -> line(out, row, width));
        if (withBaselines) {
            out.append("\n÷ = parametric's value divided by the baseline's (jobs/s: above 1 is faster; ms: below 1 is faster).\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] row, int[] width) {
        out.append('|');
        for (int i = 0; i < row.length; i++) {
            out.append(' ').append(row[i]).append(" ".repeat(width[i] - row[i].length())).append(" |");
        }
        out.append('\n');
    }
}
