package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.UdfException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BooleansTest {
  @ParameterizedTest
  @ValueSource(strings = {"y", "yes", "t", "true", "on", "1", "TRUE", "Yes", " on "})
  void acceptsPythonsTrueSpellings(String text) {
    assertTrue(Booleans.parse(text, "x"), () -> "'" + text + "' read as false");
  }

  @ParameterizedTest
  @ValueSource(strings = {"n", "no", "f", "false", "off", "0", "FALSE", "No"})
  void acceptsPythonsFalseSpellings(String text) {
    assertFalse(Booleans.parse(text, "x"), () -> "'" + text + "' read as true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2", "maybe", "enabled"})
  void refusesOtherTextNamingTheValue(String text) {
    UdfException e = assertThrows(UdfException.class, () -> Booleans.parse(text, "setting S"));
    assertEquals(
        "setting S is '"
            + text
            + "'; expected one of y, yes, t, true, on, 1, n, no, f, false, off, 0",
        e.getMessage());
  }
}
