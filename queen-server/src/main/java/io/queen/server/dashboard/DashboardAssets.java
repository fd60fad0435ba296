package io.queen.server.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files and uPlot's, read once at start-up and kept in memory as they will be
 * answered: the index with its {@value #ASSETS_TOKEN} and {@value #UPLOT_TOKEN} tokens replaced,
 * every other file under the URL path it is served at. Immutable, so any IO thread may read it.
 *
 * <p>The version hash names the build of the dashboard in its URLs: a file's URL changes when
 * any file does, so a browser may keep each for a year, and a new server is never answered from
 * an old cache (the index, which names the hash, is revalidated on every load).
 */
final class DashboardAssets {
  /** In index.html, replaced by {@code /assets/<version hash>}. */
  static final String ASSETS_TOKEN = "{{ASSETS}}";
  /** In index.html, replaced by {@code /webjars/uplot/<uPlot's version>}. */
  static final String UPLOT_TOKEN = "{{UPLOT}}";
  static final String DIRECTORY = "io/queen/server/dashboard/";
  static final String INDEX = "index.html";
  static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String NO_CACHE = "no-cache";
  /** What a URL path carries unencoded, so a file is found by the path exactly as sent. */
  private static final Pattern SERVABLE_NAME =
      Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*");
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  /** A file as it is answered. */
  record Asset(byte[] body, String contentType, String cacheControl) {}

  private final String version;
  private final String uplotVersion;
  private final Asset index;
  private final String indexEtag;
  private final Map<String, Asset> byPath;

  private DashboardAssets(String version, String uplotVersion, Asset index, String indexEtag,
      Map<String, Asset> byPath) {
    this.version = version;
    this.uplotVersion = uplotVersion;
    this.index = index;
    this.indexEtag = indexEtag;
    this.byPath = byPath;
  }

  /**
   * Start-up: reads the dashboard's directory and uPlot's {@code dist/} from the class path.
   *
   * @throws IllegalStateException when index.html or uPlot is missing (a broken build), or a
   *     file's name could not be requested as it is
   */
  static DashboardAssets load(ClassLoader loader) {
    var dashboard = ClasspathDirectory.read(loader, DIRECTORY + INDEX, DIRECTORY);
    if (dashboard == null) {
      throw new IllegalStateException(DIRECTORY + INDEX + " is missing from the class path; "
          + "build the server with its resources, or set DASHBOARD_ENABLED=false");
    }
    var uplotVersion = webjarVersion(loader);
    var uplot = ClasspathDirectory.read(loader, UPLOT_POM,
        "META-INF/resources/webjars/uplot/" + uplotVersion + "/dist/");
    if (uplot == null || uplot.isEmpty()) {
      throw new IllegalStateException("uPlot " + uplotVersion + " has no dist/ files on the "
          + "class path");
    }
    return of(dashboard, uplotVersion, uplot);
  }

  /**
   * The answers for these files: {@code dashboard} by path relative to its directory (index.html
   * among them; names starting with a dot and {@code .class} files are left out), {@code uplot}
   * relative to its {@code dist/}.
   */
  static DashboardAssets of(Map<String, byte[]> dashboard, String uplotVersion,
      Map<String, byte[]> uplot) {
    var files = new TreeMap<String, byte[]>();
    dashboard.forEach((name, bytes) -> {
      // the directory is also this package's: its classes are on the class path beside the files
      if (!hidden(name) && !name.endsWith(".class")) {
        files.put(name, bytes);
      }
    });
    var rawIndex = files.get(INDEX);
    if (rawIndex == null) {
      throw new IllegalStateException("the dashboard has no " + INDEX);
    }
    var version = versionHash(files);
    var assets = "/assets/" + version;
    var uplotBase = "/webjars/uplot/" + uplotVersion;
    var byPath = new HashMap<String, Asset>();
    files.forEach((name, bytes) -> {
      if (!name.equals(INDEX)) {
        byPath.put(assets + "/" + servable(name), new Asset(bytes, contentType(name), IMMUTABLE));
      }
    });
    uplot.forEach((name, bytes) -> {
      if (!hidden(name)) {
        byPath.put(uplotBase + "/dist/" + servable(name),
            new Asset(bytes, contentType(name), IMMUTABLE));
      }
    });
    var indexBytes = new String(rawIndex, StandardCharsets.UTF_8)
        .replace(ASSETS_TOKEN, assets).replace(UPLOT_TOKEN, uplotBase)
        .getBytes(StandardCharsets.UTF_8);
    // the index names the hash and uPlot's version: its own tag covers both
    var etag = "\"" + hex(sha256(indexBytes)).substring(0, 16) + "\"";
    return new DashboardAssets(version, uplotVersion,
        new Asset(indexBytes, contentType(INDEX), NO_CACHE), etag, Map.copyOf(byPath));
  }

  /**
   * The first 12 hexadecimal digits of SHA-256 over every file's name and bytes, in name order;
   * each name and body is preceded by its length, so no two sets of files hash alike by moving
   * bytes from one file to the next.
   */
  static String versionHash(Map<String, byte[]> files) {
    var digest = digest();
    for (var e : new TreeMap<>(files).entrySet()) {
      var name = e.getKey().getBytes(StandardCharsets.UTF_8);
      digest.update(length(name.length));
      digest.update(name);
      digest.update(length(e.getValue().length));
      digest.update(e.getValue());
    }
    return hex(digest.digest()).substring(0, 12);
  }

  /** The version hash, as in {@code /assets/<hash>/}. */
  String version() {
    return version;
  }

  String uplotVersion() {
    return uplotVersion;
  }

  Asset index() {
    return index;
  }

  /** The index's strong entity tag, quoted. */
  String indexEtag() {
    return indexEtag;
  }

  /** The file served at exactly this raw path, or null. Any thread. */
  Asset file(String rawPath) {
    return byPath.get(rawPath);
  }

  /** How many files it serves, the index included. */
  int size() {
    return byPath.size() + 1;
  }

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    var type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    // with nosniff, a browser neither runs nor renders what it is told is only bytes
    return type != null ? type : "application/octet-stream";
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.contains("/.");
  }

  private static String servable(String name) {
    if (!SERVABLE_NAME.matcher(name).matches()) {
      throw new IllegalStateException("dashboard file '" + name + "' cannot be requested by "
          + "that name unencoded: use letters, digits, '-', '_', '~' and '.' only");
    }
    return name;
  }

  private static String webjarVersion(ClassLoader loader) {
    try (var in = loader.getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        throw new IllegalStateException(UPLOT_POM + " is missing from the class path: the "
            + "uPlot webjar (org.webjars.npm:uplot) is not there");
      }
      var p = new Properties();
      p.load(in);
      var v = p.getProperty("version");
      if (v == null || !SERVABLE_NAME.matcher(v).matches()) {
        throw new IllegalStateException(UPLOT_POM + " names no usable version: " + v);
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] length(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
