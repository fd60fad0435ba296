package io.queen.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every SQL statement the engine runs, by name, from the files under {@code io/queen/sql/}. A file
 * holds blocks that start with a line {@code -- name: <name>}; comment lines right after it are the
 * statement's documentation, the rest up to the next block is the statement. {@code {{schema}}} is
 * replaced by the configured schema. Loaded once per engine; immutable and thread-safe.
 *
 * <p>A room asks for its statements when it is built ({@link #get}), so a missing or misspelt
 * name stops the engine at start, not at the first request.
 */
public final class SqlStatements {
  /** The statement files, one per room. */
  static final List<String> FILES = List.of("engine.sql", "schema.sql", "queues.sql", "push.sql",
      "pop.sql", "ack.sql", "lease.sql", "transaction.sql", "dead_letter.sql", "traces.sql",
      "jobs.sql", "wakeup.sql", "consumer_groups.sql", "resources.sql", "messages.sql",
      "history.sql", "postgres_stats.sql", "system.sql");
  private static final String NAME = "-- name:";

  private final String schema;
  private final Map<String, String> byName;

  private SqlStatements(String schema, Map<String, String> byName) {
    this.schema = schema;
    this.byName = Map.copyOf(byName);
  }

  /** Reads every statement file for {@code schema}. */
  public static SqlStatements load(String schema) {
    var all = new HashMap<String, String>();
    for (var file : FILES) {
      parse(file, read(file).replace("{{schema}}", schema), all);
    }
    return new SqlStatements(schema, all);
  }

  /** One statement of a file that does not depend on the schema ({@code engine.sql}). */
  public static String unscoped(String file, String name) {
    var into = new HashMap<String, String>();
    parse(file, read(file), into);
    var sql = into.get(name);
    if (sql == null) {
      throw new IllegalStateException("no SQL statement named '" + name + "' in " + file);
    }
    return sql;
  }

  /** The statement called {@code name}. */
  public String get(String name) {
    var sql = byName.get(name);
    if (sql == null) {
      throw new IllegalStateException("no SQL statement named '" + name + "' in io/queen/sql/"
          + FILES);
    }
    return sql;
  }

  /** The schema the statements were loaded for. */
  public String schema() {
    return schema;
  }

  /** Every statement's name (for tests). */
  public Set<String> names() {
    return byName.keySet();
  }

  static void parse(String file, String text, Map<String, String> into) {
    String name = null;
    var body = new StringBuilder();
    boolean inDoc = false;
    for (var line : text.split("\n", -1)) {
      var trimmed = line.strip();
      if (trimmed.startsWith(NAME)) {
        put(file, name, body, into);
        name = trimmed.substring(NAME.length()).strip();
        body.setLength(0);
        inDoc = true;
        continue;
      }
      if (name == null || (inDoc && trimmed.startsWith("--"))) {
        continue; // the file's header, or the statement's documentation
      }
      inDoc = false;
      body.append(line).append('\n');
    }
    put(file, name, body, into);
  }

  private static void put(String file, String name, StringBuilder body, Map<String, String> into) {
    if (name == null) {
      return;
    }
    var sql = body.toString().strip();
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    if (name.isEmpty() || sql.isEmpty()) {
      throw new IllegalStateException(file + ": statement '" + name + "' is empty or unnamed");
    }
    if (into.put(name, sql) != null) {
      throw new IllegalStateException(file + ": a second statement named '" + name + "'");
    }
  }

  static String read(String file) {
    var path = "/io/queen/sql/" + file;
    try (InputStream in = SqlStatements.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL file " + path + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read SQL file " + path, e);
    }
  }
}
