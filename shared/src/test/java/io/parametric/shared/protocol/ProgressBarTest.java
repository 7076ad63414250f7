package io.parametric.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersTheBarTheCountsTheRateAndTheTimeLeft() {
        assertThat(ProgressBar.render(15, 30, 5))
                .isEqualTo("[###############...............] 15/30  50%  5.0 jobs/s  3.0s left");
        assertThat(ProgressBar.render(0, 0, 0)).startsWith("[" + "#".repeat(30) + "] 0/0 100%").endsWith("? left");
    }

    @Test
    void outsideATerminalItPrintsALineWhenTheBarGrowsAndEndsAtTheTotal() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
        assertThat(bar.show(0, 30, 0)).isFalse();
        bar.show(0, 30, 0);
        bar.show(1, 30, 1);
        bar.show(1, 30, 2);
        assertThat(bar.show(30, 30, 10)).isTrue();
        assertThat(bar.show(31, 30, 10)).as("an ended line stays ended").isTrue();
        assertThat(text.toString().lines()).containsExactly(
                ProgressBar.render(0, 30, 0), ProgressBar.render(1, 30, 1), ProgressBar.render(30, 30, 10));
    }

    @Test
    void inATerminalItRedrawsOneLineAndEndsIt() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true);
        bar.show(3, 4, 1);
        bar.show(4, 4, 1);
        bar.show(4, 4, 1);
        assertThat(text.toString()).isEqualTo("\r" + ProgressBar.render(3, 4, 1) + "\r" + ProgressBar.render(4, 4, 1) + "\n");
    }
}
