package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    @Test
    void prefixAdmitsItsPackageAndNestedClassesButNotLookAlikes() {
        Allowlist a = Allowlist.of(List.of("com.acme", "org.example.Job."));
        assertThat(a.admits("com.acme.Resize")).isTrue();
        assertThat(a.admits("com.acme.deep.Resize$Inner")).isTrue();
        assertThat(a.admits("com.acmex.Evil")).isFalse();
        assertThat(a.admits("org.example.Job$Inner")).isTrue();
        assertThat(a.admits("java.lang.Runtime")).isFalse();
        assertThat(a.admits(null)).isFalse();
    }

    @Test
    void starAdmitsEverythingAndEmptyAdmitsNothing() {
        assertThat(Allowlist.of(List.of("*")).admits("java.lang.Runtime")).isTrue();
        assertThat(Allowlist.everything().admits("x.Y")).isTrue();
        assertThat(Allowlist.of(List.of(" ", "")).admits("x.Y")).isFalse();
        assertThat(Allowlist.nothing().prefixes()).isEmpty();
    }
}
