package io.queen.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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

  /** In order. A released table script is never edited; changes come as a new version. */
  static final List<String> SCRIPTS = List.of("V001__tables.sql", "V002__functions.sql");

  /**
   * Scripts made only of {@code CREATE OR REPLACE} definitions (the PL/pgSQL functions): applied
   * again whenever their text differs from the text last applied (recorded as a SHA-256), so a
   * database created by an earlier build gets the current functions. A change of a function's
   * arguments or result type must {@code DROP} the old one in the same script.
   */
  static final Set<String> REPEATABLE = Set.of("V002__functions.sql");

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
      s.execute("ALTER TABLE " + schema + ".schema_version ADD COLUMN IF NOT EXISTS checksum text");
    }
    Map<Integer, String> applied = new HashMap<>();
    try (var s = c.createStatement();
        var rs = s.executeQuery("SELECT version, coalesce(checksum, '') FROM " + schema
            + ".schema_version")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getString(2));
      }
    }
    var now = new java.util.ArrayList<Integer>();
    for (String script : SCRIPTS) {
      int version = versionOf(script);
      var text = load(script).replace("{{schema}}", schema);
      var checksum = sha256(text);
      boolean known = applied.containsKey(version);
      if (known && (!REPEATABLE.contains(script) || checksum.equals(applied.get(version)))) {
        continue;
      }
      try (var s = c.createStatement()) {
        s.execute(text);
      }
      try (var ps = c.prepareStatement(known
          ? "UPDATE " + schema + ".schema_version SET checksum = ?, applied_at = now() WHERE version = ?"
          : "INSERT INTO " + schema + ".schema_version (checksum, version, script) VALUES (?, ?, ?)")) {
        ps.setString(1, checksum);
        ps.setInt(2, version);
        if (!known) {
          ps.setString(3, script);
        }
        ps.executeUpdate();
      }
      LOG.info("{} schema migration {} to schema {}", known ? "re-applied (changed)" : "applied",
          script, schema);
      now.add(version);
    }
    return now;
  }

  private static String sha256(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
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
