package io.parametric.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void starAndJdkPackagesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Allowlist.of(List.of("com.acme", "*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'*' is refused")
                .hasMessageContaining("--allow com.acme.jobs");
        assertThatThrownBy(() -> Allowlist.of(List.of("com.acme.*"))).isInstanceOf(IllegalArgumentException.class);
        for (String jdk : List.of("java", "java.lang", "javax.script", "jdk.internal", "sun.misc", "com.sun")) {
            assertThatThrownBy(() -> Allowlist.of(List.of(jdk))).as(jdk)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JDK classes are never admitted");
        }
    }

    @Test
    void inProcessAdmitsApplicationClassesButNoJdkClassAndEmptyAdmitsNothing() {
        assertThat(Allowlist.inProcess().admits("x.Y")).isTrue();
        assertThat(Allowlist.inProcess().admits("java.lang.Runtime")).isFalse();
        assertThat(Allowlist.inProcess().admits("com.sun.jndi.X")).isFalse();
        assertThat(Allowlist.of(List.of(" ", "")).admits("x.Y")).isFalse();
        assertThat(Allowlist.nothing().prefixes()).isEmpty();
    }
}
