package dev.mlpipeline.dataset.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalRecognizerTest {

    @ParameterizedTest
    @ValueSource(
            strings = { "0", "7", "-7", "+7", "007", "12345678901234567890123", "1.5", "-1.5", ".5", "-.5", "+.5", "5.", "-5.", "1e3", "1E3", "1e+3", "1e-3", "-1.5e3", ".5e-7", "5.e2", "0.000", "1e0001"
            })
    void accepts(String s) {
        assertTrue(DecimalRecognizer.isDecimal(s), s);
        Double.parseDouble(s); // and every accepted value is one Java can parse
    }

    @ParameterizedTest
    @ValueSource(
            strings = { "", " ", "-", "+", ".", "-.", "+-1", "--1", "e3", ".e3", "1e", "1e+", "1e-", "1e3.5", "1.2.3", "1..2", " 1", "1 ", "1 000", "1,5", "1_000", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x1F", "0x1p3", "1d", "1f", "1L", "1.5D", "١٢", "１", "1e3e3", "abc", "1a", "a1"
            })
    void rejects(String s) {
        assertFalse(DecimalRecognizer.isDecimal(s), s);
    }

    @Test
    void rejectsNull() {
        assertFalse(DecimalRecognizer.isDecimal(null));
    }
}
