package io.queen.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code --help}: the settings as {@code docs/configuration.md} (bundled into the jar by the
 * build) describes them, so the two cannot drift apart: each table row of a variable becomes
 * its name, default and meaning, under its section's heading.
 */
final class Help {
  private static final int WIDTH = 96;

  private Help() {}

  static String text() {
    var out = new StringBuilder("queen-server ").append(BuildInfo.version())
        .append(" - Queen MQ's HTTP API on PostgreSQL\n\n")
        .append("Usage: java -jar queen-server.jar [--help | --version]\n")
        .append("Settings come from environment variables (PG_HOST unset: an embedded PostgreSQL).\n");
    for (var line : reference().split("\n")) {
      if (line.startsWith("## ")) {
        out.append('\n').append(line.substring(3).trim()).append(":\n");
      } else if (line.startsWith("| `")) {
        var cells = line.split("(?<!\\\\)\\|");
        if (cells.length < 4) {
          continue;
        }
        out.append("  ").append(plain(cells[1])).append("  (default: ").append(plain(cells[2]))
            .append(")\n");
        wrap(out, plain(cells[3]), "      ");
      }
    }
    return out.toString();
  }

  private static String plain(String markdown) {
    return markdown.trim().replace("`", "").replace("**", "").replace("*", "")
        .replace("\\|", "|");
  }

  private static void wrap(StringBuilder out, String text, String indent) {
    var line = new StringBuilder(indent);
    for (var word : text.split(" +")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      out.append(line).append('\n');
    }
  }

  private static String reference() {
    try (InputStream in = Help.class.getResourceAsStream("configuration.md")) {
      if (in == null) {
        throw new IllegalStateException("configuration.md is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
