package io.queen.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A queue's options for {@link QueueBuilder#create()}; immutable, built by {@link #builder()}.
 *
 * <p>As the JS client does, the options {@code leaseTime} (300 s), {@code retryLimit} (3),
 * {@code priority}, {@code delayedProcessing}, {@code windowBuffer}, {@code maxSize},
 * {@code retentionSeconds}, {@code completedRetentionSeconds} (0) and {@code encryptionEnabled}
 * (false) are always sent, with those defaults when not set; the others only when set. A configure
 * replaces the queue's whole configuration.
 */
public final class QueueConfig {
  private final Map<String, Object> options;

  private QueueConfig(Map<String, Object> options) {
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * The JS client's defaults.
   *
   * @return a configuration with every default
   */
  public static QueueConfig defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the JS client's defaults.
   *
   * @return a new builder, for one thread
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The options as they are sent.
   *
   * @return option name to value, unmodifiable
   */
  public Map<String, Object> options() {
    return options;
  }

  @Override
  public String toString() {
    return "QueueConfig" + options;
  }

  /** Collects options; not thread-safe. {@link #build()} reports every invalid value at once. */
  public static final class Builder {
    private final Map<String, Object> options = new LinkedHashMap<>();

    private Builder() {
      options.put("leaseTime", 300L);
      options.put("retryLimit", 3L);
      options.put("priority", 0L);
      options.put("delayedProcessing", 0L);
      options.put("windowBuffer", 0L);
      options.put("maxSize", 0L);
      options.put("retentionSeconds", 0L);
      options.put("completedRetentionSeconds", 0L);
      options.put("encryptionEnabled", false);
    }

    /**
     * How long a pop's lease lasts before its messages are redelivered.
     *
     * @param seconds zero or more
     * @return this builder
     */
    public Builder leaseTime(long seconds) {
      options.put("leaseTime", seconds);
      return this;
    }

    /**
     * Failures tolerated before a message goes to the dead-letter queue.
     *
     * @param count zero or more
     * @return this builder
     */
    public Builder retryLimit(long count) {
      options.put("retryLimit", count);
      return this;
    }

    /**
     * Milliseconds before a failed message is delivered again.
     *
     * @param millis zero or more
     * @return this builder
     */
    public Builder retryDelay(long millis) {
      options.put("retryDelay", millis);
      return this;
    }

    /**
     * The queue's priority for namespace/task pops.
     *
     * @param priority any integer
     * @return this builder
     */
    public Builder priority(long priority) {
      options.put("priority", priority);
      return this;
    }

    /**
     * Seconds a message waits after its push before it may be delivered.
     *
     * @param seconds zero or more
     * @return this builder
     */
    public Builder delayedProcessing(long seconds) {
      options.put("delayedProcessing", seconds);
      return this;
    }

    /**
     * Seconds a partition must be quiet before its messages are delivered.
     *
     * @param seconds zero or more
     * @return this builder
     */
    public Builder windowBuffer(long seconds) {
      options.put("windowBuffer", seconds);
      return this;
    }

    /**
     * The most messages the queue holds (0 = no limit).
     *
     * @param messages zero or more
     * @return this builder
     */
    public Builder maxSize(long messages) {
      options.put("maxSize", messages);
      return this;
    }

    /**
     * Seconds messages are kept (0 = forever).
     *
     * @param seconds zero or more
     * @return this builder
     */
    public Builder retentionSeconds(long seconds) {
      options.put("retentionSeconds", seconds);
      return this;
    }

    /**
     * Seconds completed messages are kept (0 = forever).
     *
     * @param seconds zero or more
     * @return this builder
     */
    public Builder completedRetentionSeconds(long seconds) {
      options.put("completedRetentionSeconds", seconds);
      return this;
    }

    /**
     * Whether payloads are stored encrypted (the server needs an encryption key).
     *
     * @param enabled true to encrypt
     * @return this builder
     */
    public Builder encryptionEnabled(boolean enabled) {
      options.put("encryptionEnabled", enabled);
      return this;
    }

    /**
     * Any other option, by its wire name ({@code ttl}, {@code deadLetterQueue}, {@code retryBackoff}, ...).
     *
     * @param name the option's name
     * @param value a {@code String}, {@code Boolean} or {@code Number}
     * @return this builder
     */
    public Builder option(String name, Object value) {
      options.put(name, value);
      return this;
    }

    /**
     * Checks every option and builds.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every invalid option with its value
     */
    public QueueConfig build() {
      var problems = new ArrayList<String>();
      for (var e : options.entrySet()) {
        var v = e.getValue();
        if (e.getKey() == null || e.getKey().isEmpty()) {
          problems.add("an option needs a name");
        } else if (v instanceof Number n && !e.getKey().equals("priority") && n.doubleValue() < 0) {
          problems.add(e.getKey() + " must be zero or positive, was " + v);
        } else if (v != null && !(v instanceof Number || v instanceof Boolean || v instanceof String)) {
          problems.add(e.getKey() + " must be a number, boolean or string, was a " + v.getClass().getName());
        }
      }
      Wire.check("invalid queue configuration", problems);
      return new QueueConfig(options);
    }
  }
}
