package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * queen-server builds on queen-core's public API only, so the core's internals can change freely:
 * no main source file may import {@code io.queen.internal} (nor name it fully qualified in code).
 */
class ModuleBoundaryTest {
  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?io\\.queen\\.internal\\b");
  private static final Pattern INTERNAL_NAME = Pattern.compile("(?<![\\w.])io\\.queen\\.internal\\.");

  @Test
  void no_main_source_file_of_the_server_uses_the_core_internals() throws IOException {
    var root = Path.of(System.getProperty("basedir", ""), "src", "main", "java");
    assertThat(root).isDirectory();
    List<Path> sources;
    try (var files = Files.walk(root)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).as("server main sources under " + root).hasSizeGreaterThan(20);
    var offenders = new ArrayList<String>();
    for (var file : sources) {
      var lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        var line = lines.get(i);
        var code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue;
        }
        int comment = code.indexOf("//");
        if (comment >= 0) {
          code = code.substring(0, comment);
        }
        if (INTERNAL_IMPORT.matcher(code).find() || INTERNAL_NAME.matcher(code).find()) {
          offenders.add(root.relativize(file) + ":" + (i + 1) + ": " + line.strip());
        }
      }
    }
    assertThat(offenders).as("main sources using io.queen.internal").isEmpty();
  }
}
