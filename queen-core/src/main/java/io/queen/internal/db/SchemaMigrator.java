package io.queen.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings {@code <schema>} up to date, recording what it applied in {@code <schema>.schema_version}.
 * Everything runs in one transaction holding a transaction-scoped advisory lock, so several
 * instances may start at once: the first migrates, the others wait and then find nothing to do.
 *
 * <p>Two kinds of script under {@code io/queen/schema/}: versioned table scripts
 * ({@code V001__tables.sql}), applied once and never edited (changes come as a new version); and
 * the functions, version 2, one file per operation under {@code functions/}, made only of
 * {@code CREATE OR REPLACE} definitions. Their combined text is recorded as a SHA-256 and applied
 * again whenever it differs, so a database created by an earlier build gets the current
 * functions. A change of a function's arguments or result type must {@code DROP} the old one in
 * the same file.
 */
public final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  /** Versioned scripts, in order. */
  static final List<String> VERSIONED = List.of("V001__tables.sql", "V003__lifecycle.sql",
      "V004__operations.sql", "V005__tracing.sql", "V006__messages_without_partition_fk.sql");
  /** The repeatable functions: their version and the name recorded for them. */
  static final int FUNCTIONS_VERSION = 2;
  static final String FUNCTIONS_SCRIPT = "V002__functions.sql";
  /** The function files, in the order they are applied (contract types first). */
  static final List<String> FUNCTION_FILES = List.of("contract.sql", "cursor.sql", "push.sql",
      "pop.sql", "ack.sql", "lease.sql", "dead_letter.sql", "transaction.sql", "retention.sql",
      "admin.sql");

  private final String schema;
  private final SqlStatements sql;

  public SchemaMigrator(String schema) {
    this.schema = schema;
    this.sql = SqlStatements.load(schema);
  }

  /** Brings the schema up to date; returns the versions applied now. */
  public List<Integer> migrate(Database db) {
    return db.inTransaction("schema migration", true, this::migrate);
  }

  /** The same, in the caller's transaction (a job's). */
  public List<Integer> migrate(Connection c) throws SQLException {
    for (var step : List.of("migration_lock", "create_schema", "create_version_table",
        "add_checksum_column")) {
      Jdbc.execute(c, sql.get(step));
    }
    Map<Integer, String> applied = new HashMap<>();
    Jdbc.query(c, sql.get("applied_versions"), rs -> applied.put(rs.getInt(1), rs.getString(2)));
    var now = new ArrayList<Integer>();
    for (String script : VERSIONED) {
      int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
      if (!applied.containsKey(version)) {
        var text = load(script);
        apply(c, version, script, text, sha256(text), false);
        now.add(version);
      }
    }
    var functions = new StringBuilder();
    for (var file : FUNCTION_FILES) {
      functions.append(load("functions/" + file)).append('\n');
    }
    var text = functions.toString();
    var checksum = sha256(text);
    boolean known = applied.containsKey(FUNCTIONS_VERSION);
    if (!known || !checksum.equals(applied.get(FUNCTIONS_VERSION))) {
      apply(c, FUNCTIONS_VERSION, FUNCTIONS_SCRIPT, text, checksum, known);
      now.add(FUNCTIONS_VERSION);
    }
    now.sort(null);
    return now;
  }

  private void apply(Connection c, int version, String script, String text, String checksum,
      boolean known) throws SQLException {
    Jdbc.execute(c, text);
    if (known) {
      Jdbc.update(c, sql.get("record_reapplied"), checksum, version);
    } else {
      Jdbc.update(c, sql.get("record_applied"), checksum, version, script);
    }
    LOG.info("{} schema migration {} to schema {}", known ? "re-applied (changed)" : "applied",
        script, schema);
  }

  private static String sha256(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private String load(String script) {
    var path = "/io/queen/schema/" + script;
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + path + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{schema}}", schema);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + path, e);
    }
  }
}
