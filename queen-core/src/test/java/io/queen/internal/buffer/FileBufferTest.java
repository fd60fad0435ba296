package io.queen.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.FileBufferSettings;
import io.queen.error.OverloadedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment log on its own: order, restarts, damage, bounds. */
class FileBufferTest {
  @TempDir
  Path dir;

  private static byte[] record(int n) {
    return ("record-" + n + "-" + "x".repeat(n % 50)).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private FileBuffer open(List<String> recovered) throws IOException {
    return FileBuffer.open(new FileBufferSettings(dir, true, 4L << 20),
        b -> recovered.add(text(b)));
  }

  private static List<String> readAll(FileBuffer buffer) throws IOException {
    var out = new ArrayList<String>();
    var reader = buffer.reader();
    for (var f = reader.next(); f != null; f = reader.next()) {
      out.add(text(f.payload()));
    }
    reader.close();
    return out;
  }

  private static void appendAll(FileBuffer buffer, int from, int to) {
    var futures = new ArrayList<CompletableFuture<Void>>();
    for (int n = from; n <= to; n++) {
      futures.add(buffer.append(record(n)));
    }
    futures.forEach(CompletableFuture::join);
  }

  private static List<String> expected(int from, int to) {
    var out = new ArrayList<String>();
    for (int n = from; n <= to; n++) {
      out.add(text(record(n)));
    }
    return out;
  }

  @Test
  void records_read_back_in_the_order_they_were_appended_across_segments() throws IOException {
    try (var buffer = open(new ArrayList<>())) {
      // 4 MiB buffer: segments of 512 KiB, so 40,000 records span several
      appendAll(buffer, 1, 40_000);
      assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".qbuf")).count())
          .isGreaterThan(2);
      assertThat(readAll(buffer)).isEqualTo(expected(1, 40_000));
    }
  }

  @Test
  void a_restart_recovers_what_was_not_drained_and_never_appends_to_an_old_segment()
      throws IOException {
    try (var buffer = open(new ArrayList<>())) {
      appendAll(buffer, 1, 100);
      var reader = buffer.reader();
      for (int i = 0; i < 60; i++) {
        reader.next();
      }
      buffer.drained(reader.position());
      reader.close();
    }
    var recovered = new ArrayList<String>();
    try (var buffer = open(recovered)) {
      assertThat(recovered).isEqualTo(expected(61, 100));
      appendAll(buffer, 101, 110);
      assertThat(readAll(buffer)).isEqualTo(expected(61, 110));
    }
  }

  @Test
  void a_corrupt_record_and_a_torn_tail_are_skipped_and_everything_else_replays()
      throws IOException {
    try (var buffer = open(new ArrayList<>())) {
      appendAll(buffer, 1, 30);
    }
    var segment = Files.list(dir).filter(p -> p.toString().endsWith(".qbuf")).sorted()
        .filter(p -> {
          try {
            return Files.size(p) > 0;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }).findFirst().orElseThrow();
    var bytes = Files.readAllBytes(segment);
    var marker = "record-10-".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, marker);
    try (var f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(at + 3);
      f.write('#'); // record 10's payload no longer matches its checksum
      f.setLength(bytes.length - 5); // record 30 torn in half, as a crash mid-write leaves it
    }
    var recovered = new ArrayList<String>();
    try (var buffer = open(recovered)) {
      var want = expected(1, 29);
      want.remove(text(record(10)));
      assertThat(recovered).isEqualTo(want);
      assertThat(buffer.damagedBytes()).isGreaterThan(0);
      appendAll(buffer, 31, 32);
      want.addAll(expected(31, 32));
      assertThat(readAll(buffer)).isEqualTo(want);
    }
  }

  @Test
  void garbage_that_happens_to_hold_the_magic_is_not_mistaken_for_a_record() throws IOException {
    try (var buffer = open(new ArrayList<>())) {
      appendAll(buffer, 1, 3);
    }
    var segment = Files.list(dir).filter(p -> p.toString().endsWith(".qbuf")).sorted()
        .findFirst().orElseThrow();
    var bytes = Files.readAllBytes(segment);
    int second = indexOf(bytes, "record-2-".getBytes(StandardCharsets.UTF_8)) - Frames.HEADER;
    // overwrite record 2's header: the magic stays, its length now runs into record 3
    try (var f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(second + 4);
      f.writeInt(40);
    }
    var recovered = new ArrayList<String>();
    try (var buffer = open(recovered)) {
      assertThat(recovered).containsExactly(text(record(1)), text(record(3)));
    }
  }

  @Test
  void a_full_buffer_refuses_an_append_with_the_numbers_and_keeps_what_it_has() throws IOException {
    try (var buffer = FileBuffer.open(new FileBufferSettings(dir, false,
        FileBufferSettings.MIN_MAX_BYTES), b -> { })) {
      var big = new byte[300 * 1024];
      buffer.append(big).join();
      buffer.append(big).join();
      buffer.append(big).join();
      assertThatThrownBy(() -> buffer.append(big).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(OverloadedException.class)
          .hasMessageContaining("file buffer full")
          .hasMessageContaining("1,048,576 bytes");
      assertThat(readAll(buffer)).hasSize(3);
    }
  }

  @Test
  void a_directory_another_process_holds_or_that_cannot_be_written_is_refused_clearly()
      throws IOException {
    try (var first = open(new ArrayList<>())) {
      assertThatThrownBy(() -> open(new ArrayList<>()))
          .isInstanceOf(IOException.class).hasMessageContaining("in use by another process");
    }
    var file = Files.writeString(dir.resolve("not-a-directory"), "x");
    assertThatThrownBy(() -> FileBuffer.open(FileBufferSettings.at(file.resolve("buffer")), b -> { }))
        .isInstanceOf(IOException.class);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
