package io.queen.bench.load;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Queen's public HTTP wire format, as the load benchmark writes and reads it. */
final class Wire {
  private Wire() {}

  /** One popped message: what the ack and the verification need. */
  record Popped(String transactionId, String partitionId, String partition, String leaseId) {}

  /** A payload of about {@code bytes} bytes: {@code {"c":1,"s":42,"p":"xxxx"}}. */
  static String payload(int connection, long seq, int bytes) {
    var sb = new StringBuilder(bytes + 8).append("{\"c\":").append(connection)
        .append(",\"s\":").append(seq).append(",\"p\":\"");
    int pad = bytes - sb.length() - 2;
    for (int i = 0; i < pad; i++) {
      sb.append('x');
    }
    return sb.append("\"}").toString();
  }

  static byte[] pushBody(String queue, String partition, int connection, long firstSeq, int n,
      int payloadBytes) {
    var sb = new StringBuilder(n * (payloadBytes + 90) + 16).append("{\"items\":[");
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"queue\":\"").append(queue).append("\",\"partition\":\"").append(partition)
          .append("\",\"transactionId\":\"").append(Ledger.transactionId(connection, seq))
          .append("\",\"payload\":").append(payload(connection, seq, payloadBytes)).append('}');
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The per-item statuses of a push reply, in item order: an array of objects with
   * {@code status} ({@code queued}, {@code duplicate}, {@code failed}).
   */
  static List<String> pushStatuses(byte[] body) throws IOException {
    var out = new ArrayList<String>();
    try (var r = reader(body)) {
      if (r.peek() != JsonToken.BEGIN_ARRAY) {
        return out;
      }
      r.beginArray();
      while (r.hasNext()) {
        String status = null;
        r.beginObject();
        while (r.hasNext()) {
          if (r.nextName().equals("status") && r.peek() == JsonToken.STRING) {
            status = r.nextString();
          } else {
            r.skipValue();
          }
        }
        r.endObject();
        out.add(status);
      }
      r.endArray();
    }
    return out;
  }

  static String popTarget(String queue, LoadOptions o, String group) {
    var sb = new StringBuilder(96).append("/api/v1/pop/queue/").append(encode(queue))
        .append("?batch=").append(o.popBatch());
    if (o.waitPop()) {
      sb.append("&wait=true&timeout=").append(o.waitTimeoutMs());
    } else {
      sb.append("&wait=false");
    }
    if (o.autoAck()) {
      sb.append("&autoAck=true");
    }
    if (group != null) {
      sb.append("&consumerGroup=").append(encode(group));
    }
    return sb.toString();
  }

  /** Messages of a pop reply (empty for 204, or for a body without messages). */
  static List<Popped> popMessages(byte[] body) throws IOException {
    var out = new ArrayList<Popped>();
    if (body.length == 0) {
      return out;
    }
    try (var r = reader(body)) {
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        return out;
      }
      String topLease = null;
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        if (name.equals("leaseId") && r.peek() == JsonToken.STRING) {
          topLease = r.nextString();
        } else if (name.equals("messages") && r.peek() == JsonToken.BEGIN_ARRAY) {
          r.beginArray();
          while (r.hasNext()) {
            String tx = null, pid = null, part = null, lease = null;
            r.beginObject();
            while (r.hasNext()) {
              String f = r.nextName();
              if (r.peek() != JsonToken.STRING) {
                r.skipValue();
                continue;
              }
              switch (f) {
                case "transactionId" -> tx = r.nextString();
                case "partitionId" -> pid = r.nextString();
                case "partition" -> part = r.nextString();
                case "leaseId" -> lease = r.nextString();
                default -> r.skipValue();
              }
            }
            r.endObject();
            out.add(new Popped(tx, pid, part, lease));
          }
          r.endArray();
        } else {
          r.skipValue();
        }
      }
      r.endObject();
      if (topLease != null) {
        for (int i = 0; i < out.size(); i++) {
          var m = out.get(i);
          if (m.leaseId() == null) {
            out.set(i, new Popped(m.transactionId(), m.partitionId(), m.partition(), topLease));
          }
        }
      }
    }
    return out;
  }

  static byte[] ackBatchBody(List<Popped> messages, String group) {
    var sb = new StringBuilder(messages.size() * 140 + 64).append('{');
    if (group != null) {
      sb.append("\"consumerGroup\":\"").append(group).append("\",");
    }
    sb.append("\"acknowledgments\":[");
    for (int i = 0; i < messages.size(); i++) {
      var m = messages.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"transactionId\":\"").append(m.transactionId()).append("\",\"partitionId\":\"")
          .append(m.partitionId()).append('"');
      if (m.leaseId() != null && !m.leaseId().isEmpty()) {
        sb.append(",\"leaseId\":\"").append(m.leaseId()).append('"');
      }
      sb.append(",\"status\":\"completed\"}");
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** How many entries of an ack reply (an array of {@code {success: bool}}) did not succeed. */
  static int ackFailures(byte[] body, int expected) throws IOException {
    int ok = 0;
    try (var r = reader(body)) {
      if (r.peek() != JsonToken.BEGIN_ARRAY) {
        return expected;
      }
      r.beginArray();
      while (r.hasNext()) {
        r.beginObject();
        while (r.hasNext()) {
          if (r.nextName().equals("success") && r.peek() == JsonToken.BOOLEAN) {
            if (r.nextBoolean()) {
              ok++;
            }
          } else {
            r.skipValue();
          }
        }
        r.endObject();
      }
      r.endArray();
    }
    return Math.max(0, expected - ok);
  }

  private static JsonReader reader(byte[] body) {
    return new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
