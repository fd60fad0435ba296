package io.queen.internal.json;

import java.io.Writer;

/**
 * A {@link Writer} into a {@link StringBuilder}, without {@link java.io.StringWriter}'s
 * synchronised {@code StringBuffer}: gson's {@code JsonWriter} makes several small writes per
 * name and value, and each one took a lock (measured: the largest self-time frame of the server's
 * profile under load). Confined to one thread, like the builder it wraps.
 */
public final class StringBuilderWriter extends Writer {
  private final StringBuilder sb;

  public StringBuilderWriter(int capacity) {
    this.sb = new StringBuilder(capacity);
  }

  @Override
  public void write(int c) {
    sb.append((char) c);
  }

  @Override
  public void write(char[] cbuf, int off, int len) {
    sb.append(cbuf, off, len);
  }

  @Override
  public void write(String str) {
    sb.append(str);
  }

  @Override
  public void write(String str, int off, int len) {
    sb.append(str, off, off + len);
  }

  @Override
  public Writer append(CharSequence csq) {
    sb.append(csq);
    return this;
  }

  @Override
  public Writer append(CharSequence csq, int start, int end) {
    sb.append(csq, start, end);
    return this;
  }

  @Override
  public Writer append(char c) {
    sb.append(c);
    return this;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return sb.toString();
  }
}
