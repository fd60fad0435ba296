package io.queen.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void values_round_trip_with_exact_numbers_and_escapes() {
    var text = "{\"a\":[1,-2,3.25,1e400,12345678901234567890],\"s\":\"q\\\"\\\\\\n\\u00e9\",\"t\":true,\"n\":null}";
    var v = (Map<?, ?>) Json.parse(text);
    assertThat(v.get("a")).isEqualTo(List.of(1L, -2L, new BigDecimal("3.25"), new BigDecimal("1e400"),
        new BigDecimal("12345678901234567890")));
    assertThat(v.get("s")).isEqualTo("q\"\\\né");
    assertThat(v.get("t")).isEqualTo(true);
    assertThat(v.containsKey("n")).isTrue();
    assertThat(v.get("n")).isNull();
    assertThat(Json.parse(Json.write(v))).isEqualTo(v);
  }

  @Test
  void text_that_is_not_json_is_refused_with_the_offset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":}")).hasMessageContaining("not JSON at offset 5");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("unexpected text after the value");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("ends too early");
  }

  @Test
  void raw_text_is_embedded_as_is_and_control_characters_are_escaped() {
    assertThat(Json.write(Map.of("p", new Json.Raw("{\"x\":1}")))).isEqualTo("{\"p\":{\"x\":1}}");
    assertThat(Json.write("\u0001")).isEqualTo("\"\\u0001\"");
  }
}
