package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import io.queen.model.QueueOptions;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A {@code POST /api/v1/configure} body: {@code {queue, namespace?, task?, options?}}. Options are
 * typed as in the reference (integers or booleans, {@code retryBackoff} a number; the wrong type
 * is a 400 naming the option);
 * unknown options are ignored. Immutable once read; read on the request's IO thread.
 *
 * @param queue the queue's name (required)
 * @param namespace its namespace, or null
 * @param task its task, or null
 * @param options the options given, the rest at their defaults
 */
public record ConfigureBody(String queue, String namespace, String task, QueueOptions options) {
  /** The longest namespace or task, as the longest name the queue lists' filters take. */
  private static final int MAX_TAG_LENGTH = 255;

  /** Reads and checks the body; an option out of range is a 400 on {@code options}. */
  public static ConfigureBody read(byte[] body) {
    var fields = new Fields();
    JsonIn.body(body, fields);
    if (fields.queue == null) {
      throw JsonIn.required("queue");
    }
    QueueOptions built;
    try {
      built = fields.options.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("options", e.getMessage());
    }
    return new ConfigureBody(fields.queue, tag("namespace", fields.namespace),
        tag("task", fields.task), built);
  }

  /**
   * A namespace or task must be one the {@code namespace=} and {@code task=} filters can ask for
   * (at most 255 characters, no control characters): the core stores any text, so a 100 KB or
   * control-character namespace was configured and then matched by no filter. Empty is none.
   */
  private static String tag(String field, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_TAG_LENGTH) {
      throw new InvalidRequestException(field, field + " must be at most " + MAX_TAG_LENGTH
          + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field, field + " must not contain control characters "
            + "(found U+" + String.format("%04X", (int) value.charAt(i)) + " at " + i + ")");
      }
    }
    return value;
  }

  private static final class Fields implements JsonIn.MemberReader {
    final QueueOptions.Builder options = QueueOptions.builder();
    String queue;
    String namespace;
    String task;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "queue" -> queue = JsonIn.string(r, path);
        case "namespace" -> namespace = JsonIn.string(r, path);
        case "task" -> task = JsonIn.string(r, path);
        case "options" -> JsonIn.objectOrNull(r, path,
            (reader, option, optionPath) -> option(reader, option, optionPath, options));
        default -> JsonIn.skip(r);
      }
    }
  }

  private static void option(JsonReader r, String name, String path, QueueOptions.Builder b)
      throws IOException {
    switch (name) {
      case "leaseTime" -> setInt(r, path, b::leaseTime);
      case "retryLimit" -> setInt(r, path, b::retryLimit);
      case "retryDelay" -> setInt(r, path, b::retryDelay);
      case "retryBackoff" -> {
        var v = JsonIn.number(r, path);
        if (v != null) {
          b.retryBackoff(v);
        }
      }
      case "retryDelayMax" -> setInt(r, path, b::retryDelayMax);
      case "priority" -> setInt(r, path, b::priority);
      case "delayedProcessing" -> setInt(r, path, b::delayedProcessing);
      case "windowBuffer" -> setInt(r, path, b::windowBuffer);
      case "maxSize" -> setInt(r, path, b::maxSize);
      case "ttl" -> setInt(r, path, b::ttl);
      case "retentionSeconds" -> setInt(r, path, b::retentionSeconds);
      case "completedRetentionSeconds" -> setInt(r, path, b::completedRetentionSeconds);
      case "maxWaitTimeSeconds" -> setInt(r, path, b::maxWaitTimeSeconds);
      case "deadLetterQueue" -> setBool(r, path, b::deadLetterQueue);
      case "dlqAfterMaxRetries" -> setBool(r, path, b::dlqAfterMaxRetries);
      case "retentionEnabled" -> setBool(r, path, b::retentionEnabled);
      case "encryptionEnabled" -> setBool(r, path, b::encryptionEnabled);
      default -> JsonIn.skip(r);
    }
  }

  private static void setInt(JsonReader r, String path, IntConsumer set) throws IOException {
    var v = JsonIn.integer(r, path);
    if (v != null) {
      set.accept(v);
    }
  }

  private static void setBool(JsonReader r, String path, Consumer<Boolean> set) throws IOException {
    var v = JsonIn.bool(r, path);
    if (v != null) {
      set.accept(v);
    }
  }
}
