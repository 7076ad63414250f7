package io.parametric.shared.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parametric.shared.ProcessError;
import org.junit.jupiter.api.Test;

class DurabilityTest {

    @Test
    void durabilityIsMasterUnlessReplicatedIsAskedForAndAnythingElseIsRefused() {
        try {
            System.setProperty(Durability.PROPERTY, "Replicated");
            assertThat(Durability.configured()).isEqualTo(Durability.REPLICATED);
            System.setProperty(Durability.PROPERTY, "always");
            assertThatThrownBy(Durability::configured).isInstanceOf(ProcessError.class)
                    .hasMessageContaining("pp.durability=always").hasMessageContaining("'replicated'");
        } finally {
            System.clearProperty(Durability.PROPERTY);
        }
    }
}
