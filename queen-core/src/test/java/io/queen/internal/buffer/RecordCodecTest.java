package io.queen.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.internal.ops.PreparedPush;
import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  static final TraceContext CONTEXT =
      new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "a=b");

  @Test
  void a_buffered_push_decodes_to_the_same_items_ids_payloads_trace_contexts_and_producers()
      throws IOException {
    var items = List.of(new PushItem("q", "p", "{\"x\":1}", "tx-1", null, CONTEXT, "alice"),
        new PushItem("q", null, "2", "tx-2", UUID.randomUUID().toString(), null));
    var push = new PreparedPush(items, new UUID[] {UUID.randomUUID(), UUID.randomUUID()},
        new String[] {"tx-1", "tx-2"}, new String[] {"{\"x\":1}", "2"}, new boolean[] {false, true});
    var back = RecordCodec.decode(RecordCodec.encode(push));
    assertThat(back.items()).isEqualTo(items);
    assertThat(back.messageIds()).isEqualTo(push.messageIds());
    assertThat(back.payloads()).isEqualTo(push.payloads());
    assertThat(back.sealed()).isEqualTo(push.sealed());
  }

  @Test
  void a_record_written_before_trace_contexts_still_decodes_without_one() throws IOException {
    var id = UUID.randomUUID();
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(1); // version 1: no trace context member
      out.writeInt(1);
      out.writeUTF("q");
      out.writeBoolean(false);
      out.writeUTF("tx");
      out.writeLong(id.getMostSignificantBits());
      out.writeLong(id.getLeastSignificantBits());
      out.writeBoolean(false);
      out.writeBoolean(false);
      var payload = "42".getBytes(StandardCharsets.UTF_8);
      out.writeInt(payload.length);
      out.write(payload);
    }
    var back = RecordCodec.decode(bytes.toByteArray());
    assertThat(back.items()).containsExactly(new PushItem("q", null, "42", "tx", null, null));
    assertThat(back.messageIds()).containsExactly(id);
  }

  @Test
  void a_record_written_before_producer_identities_still_decodes_without_one() throws IOException {
    var id = UUID.randomUUID();
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(2); // version 2: a trace context, no producer member
      out.writeInt(1);
      out.writeUTF("q");
      out.writeBoolean(false);
      out.writeUTF("tx");
      out.writeLong(id.getMostSignificantBits());
      out.writeLong(id.getLeastSignificantBits());
      out.writeBoolean(false);
      out.writeBoolean(true);
      out.writeUTF(CONTEXT.encoded());
      out.writeBoolean(false);
      var payload = "42".getBytes(StandardCharsets.UTF_8);
      out.writeInt(payload.length);
      out.write(payload);
    }
    var back = RecordCodec.decode(bytes.toByteArray());
    assertThat(back.items()).containsExactly(new PushItem("q", null, "42", "tx", null, CONTEXT));
  }

  @Test
  void a_record_of_an_unknown_version_is_refused() {
    assertThatThrownBy(() -> RecordCodec.decode(new byte[] {9, 0, 0, 0, 0}))
        .isInstanceOf(IOException.class).hasMessage("unknown buffer record version 9");
  }
}
