package io.queen.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

class TraceContextTest {
  static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void a_w3c_traceparent_is_parsed_into_its_trace_and_span_ids() {
    var c = TraceContext.parse("items[0]", PARENT, "congo=t61rcWkgMzE");
    assertThat(c.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(c.sampled()).isTrue();
    assertThat(c.tracestate()).isEqualTo("congo=t61rcWkgMzE");
  }

  @Test
  void the_stored_form_decodes_to_the_same_context_with_and_without_a_tracestate() {
    var withState = new TraceContext(PARENT, "a=1, b=two words");
    var without = new TraceContext(PARENT, null);
    assertThat(TraceContext.decode(withState.encoded())).isEqualTo(withState);
    assertThat(TraceContext.decode(without.encoded())).isEqualTo(without);
    assertThat(without.encoded()).isEqualTo(PARENT);
    assertThat(TraceContext.decode(null)).isNull();
  }

  @Test
  void no_traceparent_is_no_context_and_an_empty_tracestate_is_none() {
    assertThat(TraceContext.parse("headers", null, null)).isNull();
    assertThat(TraceContext.parse("headers", "", "")).isNull();
    assertThat(TraceContext.parse("headers", PARENT, "").tracestate()).isNull();
  }

  @Test
  void a_malformed_traceparent_is_refused_naming_the_field() {
    for (var bad : new String[] {"garbage", PARENT.toUpperCase(), PARENT + "-00",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}) {
      assertThatThrownBy(() -> TraceContext.parse("items[3]", bad, null))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("items[3].traceparent '" + bad + "' is not a W3C traceparent")
          .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("items[3].traceparent");
    }
  }

  @Test
  void the_forbidden_version_and_all_zero_ids_are_refused() {
    assertThatThrownBy(() -> TraceContext.parse("h", "ff" + PARENT.substring(2), null))
        .hasMessage("h.traceparent has the forbidden version ff");
    assertThatThrownBy(() -> TraceContext.parse("h",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", null))
        .hasMessage("h.traceparent has the invalid all-zero trace id");
    assertThatThrownBy(() -> TraceContext.parse("h",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null))
        .hasMessage("h.traceparent has the invalid all-zero parent id");
  }

  @Test
  void a_tracestate_too_long_or_not_printable_or_without_a_traceparent_is_refused() {
    assertThatThrownBy(() -> TraceContext.parse("h", PARENT, "k=" + "v".repeat(511)))
        .hasMessage("h.tracestate is 513 characters, more than the 512 allowed")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("h.tracestate");
    assertThatThrownBy(() -> TraceContext.parse("h", PARENT, "k=\u00e9"))
        .hasMessage("h.tracestate has a character that is not printable ASCII at index 2");
    assertThatThrownBy(() -> TraceContext.parse("h", null, "k=v"))
        .hasMessage("h.tracestate is given without a traceparent");
  }

  @Test
  void the_constructor_checks_the_same_rules() {
    assertThatThrownBy(() -> new TraceContext("nope", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("traceparent 'nope' is not a W3C traceparent");
    assertThatThrownBy(() -> new TraceContext(null, null)).hasMessage("traceparent is required");
  }
}
