package io.queen.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL scripts under {@code io/queen/schema/} that the database has not seen,
 * each recorded in {@code <schema>.schema_version}. Everything runs in one transaction holding a
 * transaction-scoped advisory lock, so several instances may start at once: the first migrates,
 * the others wait and then find nothing to do.
 */
public final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  /** In order. A released script is never edited; changes come as a new version. */
  static final List<String> SCRIPTS = List.of("V001__tables.sql", "V002__functions.sql");

  private final String schema;

  public SchemaMigrator(String schema) {
    this.schema = schema;
  }

  /** Brings the schema up to date; returns the versions applied now. */
  public List<Integer> migrate(Database db) {
    return db.inTransaction("schema migration", true, this::migrate);
  }

  private List<Integer> migrate(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(hashtext('queen.migrate." + schema + "'))");
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      s.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version ("
          + "version integer PRIMARY KEY, script text NOT NULL, "
          + "applied_at timestamptz NOT NULL DEFAULT now())");
    }
    Set<Integer> applied = new HashSet<>();
    try (var s = c.createStatement();
        var rs = s.executeQuery("SELECT version FROM " + schema + ".schema_version")) {
      while (rs.next()) {
        applied.add(rs.getInt(1));
      }
    }
    var now = new java.util.ArrayList<Integer>();
    for (String script : SCRIPTS) {
      int version = versionOf(script);
      if (applied.contains(version)) {
        continue;
      }
      try (var s = c.createStatement()) {
        s.execute(load(script).replace("{{schema}}", schema));
      }
      try (var ps = c.prepareStatement(
          "INSERT INTO " + schema + ".schema_version (version, script) VALUES (?, ?)")) {
        ps.setInt(1, version);
        ps.setString(2, script);
        ps.executeUpdate();
      }
      LOG.info("applied schema migration {} to schema {}", script, schema);
      now.add(version);
    }
    return now;
  }

  static int versionOf(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  private static String load(String script) {
    var path = "/io/queen/schema/" + script;
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + path + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + path, e);
    }
  }
}
