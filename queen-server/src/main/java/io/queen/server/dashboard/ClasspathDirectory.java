package io.queen.server.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads every file under one classpath directory into memory, from a {@code file:} directory (the
 * build's {@code target/classes}, an IDE) or from inside a {@code jar:} (the shaded
 * {@code queen-server.jar}, a webjar). A class loader cannot list a directory, and a jar need
 * not hold entries for its directories, so the container is found through one file known to be
 * in it (the anchor) and then listed itself. Start-up only: it blocks on the file system.
 */
final class ClasspathDirectory {
  private ClasspathDirectory() {}

  /**
   * The files under {@code directory}, by their path relative to it, sorted.
   *
   * @param anchor the resource name of a file in the same container (a directory or jar) as
   *     {@code directory}, not necessarily inside it
   * @param directory a resource name ending in {@code /}
   * @return null when the anchor is not on the class path
   * @throws IllegalStateException when the container is neither a directory nor a jar
   */
  static Map<String, byte[]> read(ClassLoader loader, String anchor, String directory) {
    URL url = loader.getResource(anchor);
    if (url == null) {
      return null;
    }
    try {
      return switch (url.getProtocol()) {
        case "file" -> fromDirectory(root(Path.of(url.toURI()), anchor).resolve(directory));
        case "jar" -> fromJar((JarURLConnection) url.openConnection(), directory);
        default -> throw new IllegalStateException("cannot list " + directory + ": " + anchor
            + " is at " + url + ", neither a file nor inside a jar");
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + directory + " next to " + url, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot read " + directory + " next to " + url, e);
    }
  }

  /** The class-path root that holds {@code file} as {@code resource}. */
  private static Path root(Path file, String resource) {
    var root = file;
    for (int i = 0; i < resource.split("/").length; i++) {
      root = root.getParent();
    }
    return root;
  }

  private static Map<String, byte[]> fromDirectory(Path directory) throws IOException {
    var files = new TreeMap<String, byte[]>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (var walk = Files.walk(directory)) {
      for (var file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        var relative = directory.relativize(file).toString().replace(file.getFileSystem()
            .getSeparator(), "/");
        files.put(relative, Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static Map<String, byte[]> fromJar(JarURLConnection connection, String directory)
      throws IOException {
    // uncached: a cached JarFile is shared with the class loader and must not be closed
    connection.setUseCaches(false);
    var files = new TreeMap<String, byte[]>();
    try (var jar = connection.getJarFile()) {
      for (var entries = jar.entries(); entries.hasMoreElements(); ) {
        var entry = entries.nextElement();
        var name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(directory) || name.equals(directory)) {
          continue;
        }
        try (var in = jar.getInputStream(entry)) {
          files.put(name.substring(directory.length()), in.readAllBytes());
        }
      }
    }
    return files;
  }
}
