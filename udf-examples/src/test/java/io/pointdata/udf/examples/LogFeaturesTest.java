package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogFeaturesTest {
  private final LogFeatures features =
      new LogFeatures(List.of("Message.Log.a", "Message.Log.b", "top"));

  @Test
  void readsTheAssetAndTheFeaturesByPathIgnoringOtherKeys() throws Exception {
    LogFeatures.Message m =
        features.read(
            "{\"NameOFLog\":\"R1\",\"top\":3,\"Message\":{\"Log\":{\"b\":2.5,\"a\":-1,\"C1\":[1,2,3]}},\"FC1\":null}");
    assertEquals("R1", m.assetId());
    assertArrayEquals(new double[] {-1, 2.5, 3}, m.features());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"NameOFLog\":\"R\",\"top\":1,\"Message\":{\"Log\":{\"a\":1}}}        | has no feature"
            + " 'Message.Log.b'",
        "{\"NameOFLog\":\"R\",\"top\":1,\"Message\":{\"Log\":{\"a\":1,\"b\":\"2\"}}} | has a"
            + " non-numeric feature 'Message.Log.b': \"2\"",
        "{\"top\":1,\"Message\":{\"Log\":{\"a\":1,\"b\":2}}}                      | has no"
            + " 'NameOFLog'",
        "{\"NameOFLog\":[1],\"top\":1,\"Message\":{\"Log\":{\"a\":1,\"b\":2}}}      | has a"
            + " non-string 'NameOFLog': [1]",
        "[1,2]                                                              | is not a JSON object",
        "''                                                                 | is not a JSON object"
      })
  void namesWhatIsWrongWithAMessage(String json, String problem) {
    LogFeatures.BadMessage e =
        assertThrows(LogFeatures.BadMessage.class, () -> features.read(json.strip()));
    assertEquals(problem.strip(), e.getMessage());
  }

  @Test
  void refusesTextThatIsNotJson() {
    LogFeatures.BadMessage e =
        assertThrows(LogFeatures.BadMessage.class, () -> features.read("{\"NameOFLog\":"));
    assertEquals(true, e.getMessage().startsWith("is not JSON: "), e.getMessage());
  }
}
