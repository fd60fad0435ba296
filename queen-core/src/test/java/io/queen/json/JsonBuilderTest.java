package io.queen.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBuilderTest {

  @Test
  void writes_nested_documents_with_commas_where_they_belong() {
    var w = new JsonBuilder(16);
    w.beginObject();
    w.name("a").value(1);
    w.name("b").beginArray().value("x").nullValue().value(true).value(2.5).endArray();
    w.name("c").beginObject().endObject();
    w.name("d").jsonValue("{\"raw\":[1,2]}");
    w.name("e").value((String) null);
    w.name("f").value((Integer) null);
    w.name("g").beginArray().beginObject().name("h").value(false).endObject().beginObject().endObject().endArray();
    w.endObject();
    assertThat(w.toString()).isEqualTo("{\"a\":1,\"b\":[\"x\",null,true,2.5],\"c\":{},"
        + "\"d\":{\"raw\":[1,2]},\"e\":null,\"f\":null,\"g\":[{\"h\":false},{}]}");
  }

  @Test
  void strings_round_trip_through_a_json_parser_whatever_they_contain() {
    var random = new Random(7);
    for (int n = 0; n < 20_000; n++) {
      var sb = new StringBuilder();
      int len = random.nextInt(12);
      for (int k = 0; k < len; k++) {
        sb.append(switch (random.nextInt(6)) {
          case 0 -> (char) (1 + random.nextInt(0x1f)); // U+0000 aside: jsonb refuses it
          case 1 -> '"';
          case 2 -> '\\';
          case 3 -> (char) (0x80 + random.nextInt(0x700));
          default -> (char) (0x20 + random.nextInt(0x5f));
        });
      }
      var s = sb.toString();
      var w = new JsonBuilder(16).beginArray().value(s).endArray();
      assertThat(JsonText.problem(w.toString())).as("valid: %s", w).isNull();
      assertThat(JsonParser.parseString(w.toString()).getAsJsonArray().get(0).getAsString())
          .isEqualTo(s);
    }
  }

  @Test
  void non_finite_numbers_are_refused() {
    assertThatThrownBy(() -> new JsonBuilder(8).value(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }
}
