package org.lottery4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NativeMemoryCheckTest {

    private static final String LOWER = NativeMemoryCheck.PROPERTY.toLowerCase(Locale.ROOT);
    private String saved;
    private String savedLower;

    @BeforeEach
    void save() {
        saved = System.clearProperty(NativeMemoryCheck.PROPERTY);
        savedLower = System.clearProperty(LOWER);
    }

    @AfterEach
    void restore() {
        restore(NativeMemoryCheck.PROPERTY, saved);
        restore(LOWER, savedLower);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void setsTheCheckOffWhenTheUserDidNotChoose() {
        assertThat(NativeMemoryCheck.disableUnlessSet()).isTrue();
        assertThat(System.getProperty(NativeMemoryCheck.PROPERTY)).isEqualTo("0");
    }

    @Test
    void keepsAValueTheUserSetInEitherSpelling() {
        System.setProperty(NativeMemoryCheck.PROPERTY, "8g");
        assertThat(NativeMemoryCheck.disableUnlessSet()).isFalse();
        assertThat(System.getProperty(NativeMemoryCheck.PROPERTY)).isEqualTo("8g");

        System.clearProperty(NativeMemoryCheck.PROPERTY);
        System.setProperty(LOWER, "4g");
        assertThat(NativeMemoryCheck.disableUnlessSet()).isFalse();
        assertThat(System.getProperty(NativeMemoryCheck.PROPERTY)).isNull();
    }
}
