package io.queen.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddedDatabaseHeapTest {

  @Test
  void a_heap_too_small_to_unpack_postgresql_is_refused_naming_both_sizes_and_the_way_out() {
    assertThatThrownBy(() -> EmbeddedDatabase.checkHeap(64L << 20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 128 MiB")
        .hasMessageContaining("this JVM's is 64 MiB")
        .hasMessageContaining("PG_HOST");
  }

  @Test
  void the_heap_that_minus_xmx128m_gives_is_enough() {
    // -Xmx128m with the serial collector reports about 123.8 MiB
    assertThatCode(() -> EmbeddedDatabase.checkHeap(123L << 20)).doesNotThrowAnyException();
    assertThatCode(() -> EmbeddedDatabase.checkHeap(EmbeddedDatabase.MIN_HEAP_BYTES))
        .doesNotThrowAnyException();
  }
}
