package io.queen.internal.buffer;

import io.queen.internal.ops.PreparedPush;
import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.UUID;

/**
 * One buffered push as bytes: every item with the ids the engine gave it and the payload it will
 * be stored with (the encrypted form for a sealed item: a payload of an encrypted queue is never
 * written to disk in plain text when the engine knows the queue is encrypted). Stateless.
 */
public final class RecordCodec {
  /**
   * Version 2 added each item's trace context, version 3 its producer identity; records of the
   * earlier versions (without them) still decode.
   */
  private static final int VERSION = 3;

  private RecordCodec() {}

  public static byte[] encode(PreparedPush push) {
    var bytes = new ByteArrayOutputStream(128 + push.items().size() * 160);
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(push.items().size());
      for (int i = 0; i < push.items().size(); i++) {
        var item = push.items().get(i);
        out.writeUTF(item.queue());
        optional(out, item.partition());
        out.writeUTF(push.transactionIds()[i]);
        out.writeLong(push.messageIds()[i].getMostSignificantBits());
        out.writeLong(push.messageIds()[i].getLeastSignificantBits());
        optional(out, item.traceId());
        optional(out, item.traceContext() == null ? null : item.traceContext().encoded());
        optional(out, item.producerSub());
        out.writeBoolean(push.sealed()[i]);
        var payload = push.payloads()[i].getBytes(StandardCharsets.UTF_8);
        out.writeInt(payload.length);
        out.write(payload);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** @throws IOException when the bytes are not a record this version wrote */
  public static PreparedPush decode(byte[] record) throws IOException {
    var in = new DataInputStream(new ByteArrayInputStream(record));
    int version = in.readUnsignedByte();
    if (version < 1 || version > VERSION) {
      throw new IOException("unknown buffer record version " + version);
    }
    int n = in.readInt();
    if (n < 0 || n > record.length) {
      throw new IOException("buffer record claims " + n + " items in " + record.length + " bytes");
    }
    var items = new ArrayList<PushItem>(n);
    var ids = new UUID[n];
    var txs = new String[n];
    var payloads = new String[n];
    var sealed = new boolean[n];
    for (int i = 0; i < n; i++) {
      var queue = in.readUTF();
      var partition = optional(in);
      txs[i] = in.readUTF();
      ids[i] = new UUID(in.readLong(), in.readLong());
      var trace = optional(in);
      TraceContext traceContext;
      try {
        traceContext = version == 1 ? null : TraceContext.decode(optional(in));
      } catch (RuntimeException e) {
        throw new IOException("buffer record item " + i + " has an invalid trace context", e);
      }
      var producerSub = version < 3 ? null : optional(in);
      sealed[i] = in.readBoolean();
      int length = in.readInt();
      if (length < 0 || length > record.length) {
        throw new IOException("buffer record item " + i + " claims a " + length + "-byte payload");
      }
      var payload = new byte[length];
      in.readFully(payload);
      payloads[i] = new String(payload, StandardCharsets.UTF_8);
      // the item's own payload is the stored form: the record never held the plain text of a
      // sealed item, and nothing after the buffer reads it
      items.add(new PushItem(queue, partition, payloads[i], txs[i], trace, traceContext,
          producerSub));
    }
    if (in.available() != 0) {
      throw new IOException("buffer record has " + in.available() + " bytes after its items");
    }
    return new PreparedPush(items, ids, txs, payloads, sealed);
  }

  private static void optional(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String optional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
