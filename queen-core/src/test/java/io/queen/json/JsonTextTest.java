package io.queen.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "null", "true", "false", "0", "-0", "12", "-12.5e+3", "1E9", "0.001", "\"\"", "\"a\\\"b\"",
      "\"\\u00e9\\n\\t\\/\"", "\"\\ud83d\\ude00\"", "\"😀 é\"", "[]", "{}", " [1, 2 ,3] ",
      "{\"a\":{\"b\":[null,{\"c\":\"d\"}]}}", "\r\n\t{\"k\" : 1}\n"})
  void valid_json_is_accepted(String json) {
    assertThat(JsonText.problem(json)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "nul", "True", "01", "-", "1.", ".5", "1e", "+1", "NaN", "'a'", "\"abc", "\"a\\x\"",
      "\"\\u12\"", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":1,}", "{\"a\":1", "[", "]",
      "1 2", "{} {}", "\"tab\there\"", "// c\n1", "[1]]"})
  void invalid_json_is_refused_with_a_reason(String json) {
    assertThat(JsonText.problem(json)).isNotNull().containsAnyOf("JSON", "single JSON value");
  }

  @Test
  void what_jsonb_cannot_store_is_refused() {
    assertThat(JsonText.problem("\"a\\u0000b\"")).contains("\\u0000");
    assertThat(JsonText.problem("\"\\ud83d\"")).contains("high surrogate");
    assertThat(JsonText.problem("\"\\ud83dx\"")).contains("high surrogate");
    assertThat(JsonText.problem("\"\\ude00\"")).contains("low surrogate");
  }

  @Test
  void nesting_is_limited() {
    var ok = "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH);
    var deep = "[".repeat(JsonText.MAX_DEPTH + 1) + "]".repeat(JsonText.MAX_DEPTH + 1);
    assertThat(JsonText.problem(ok)).isNull();
    assertThat(JsonText.problem(deep)).contains("nested deeper than");
  }

  /**
   * Random token soup: ours agrees with gson's strict reader, except that we also refuse control
   * characters inside strings, which gson lets through but RFC 8259 and PostgreSQL do not.
   */
  @Test
  void agrees_with_gson_strict_on_random_inputs() {
    String[] atoms = {"{", "}", "[", "]", ",", ":", "\"k\"", "\"v\\n\"", "1", "-2.5e3", "0", "01",
        "true", "nul", "null", " ", "\"", "\\", "x", "1.", "e5", "\"\t\""};
    var random = new Random(42);
    int compared = 0;
    for (int n = 0; n < 200_000; n++) {
      var sb = new StringBuilder();
      int len = 1 + random.nextInt(8);
      for (int k = 0; k < len; k++) {
        sb.append(atoms[random.nextInt(atoms.length)]);
      }
      var json = sb.toString();
      var problem = JsonText.problem(json);
      boolean gson = gsonAccepts(json);
      if (problem != null && gson) {
        assertThat(problem).as("why we refuse %s", json).contains("unescaped control character");
      } else {
        assertThat(problem == null).as("verdict on %s", json).isEqualTo(gson);
      }
      compared++;
    }
    assertThat(compared).isEqualTo(200_000);
  }

  private static boolean gsonAccepts(String json) {
    try (var reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.STRICT);
      reader.skipValue();
      return reader.peek() == JsonToken.END_DOCUMENT;
    } catch (Exception e) {
      return false;
    }
  }
}
