package io.queen.server.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.routes.PartitionPage.NaturalName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionPageTest {
  @Test
  void namesSortWithTheirNumbersByValue() {
    var names = new ArrayList<>(List.of("p10", "p9", "p007", "p7", "a", "a1", "x10y", "x9z",
        "p100000000000000000000", "p99999999999999999999", "b2c10", "b2c9", "0", "00"));
    names.sort((x, y) -> new NaturalName(x).compareTo(new NaturalName(y)));
    assertThat(names).containsExactly("0", "00", "a", "a1", "b2c9", "b2c10", "p007", "p7", "p9",
        "p10", "p99999999999999999999", "p100000000000000000000", "x9z", "x10y");
  }

  @Test
  void theOrderIsTotalAndSymmetric() {
    var names = List.of("p1", "p01", "p001", "p1a", "p", "1", "");
    for (var a : names) {
      for (var b : names) {
        int ab = Integer.signum(new NaturalName(a).compareTo(new NaturalName(b)));
        int ba = Integer.signum(new NaturalName(b).compareTo(new NaturalName(a)));
        assertThat(ab).as("%s vs %s", a, b).isEqualTo(-ba);
        assertThat(ab == 0).as("%s vs %s", a, b).isEqualTo(a.equals(b));
      }
    }
  }
}
