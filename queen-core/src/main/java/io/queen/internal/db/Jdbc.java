package io.queen.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The query helper every room uses instead of prepare / bind / {@code rs.next()}: statements come
 * from {@link SqlStatements}, arguments are bound by their Java type, rows are mapped by a lambda.
 * Stateless; blocks, so only Queen's database threads call it.
 *
 * <p>Binding: {@code null} is an untyped NULL (PostgreSQL infers the type from the statement, so
 * write {@code ?::text IS NULL} where it cannot), {@link String} is text, {@link Integer},
 * {@link Long}, {@link Boolean} are themselves, {@link SqlArray} becomes a typed array, anything
 * else (UUID, OffsetDateTime) goes through {@code setObject}.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Maps the current row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Reads the current row into the caller's structures. */
  @FunctionalInterface
  public interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  /** An array argument: {@code type} is PostgreSQL's element type ({@code uuid}, {@code text}). */
  public record SqlArray(String type, Object[] elements) {}

  public static SqlArray uuids(UUID[] ids) {
    return new SqlArray("uuid", ids);
  }

  public static SqlArray longs(long[] values) {
    var boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return new SqlArray("int8", boxed);
  }

  public static SqlArray ints(int[] values) {
    var boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return new SqlArray("int4", boxed);
  }

  public static SqlArray texts(List<String> values) {
    return new SqlArray("text", values.toArray());
  }

  /** Every row, mapped. */
  public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    var out = new ArrayList<T>();
    query(c, sql, rs -> out.add(mapper.map(rs)), args);
    return out;
  }

  /** Hands every row to {@code handler}, in order. */
  public static void query(Connection c, String sql, RowHandler handler, Object... args)
      throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      bind(c, ps, args);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }

  /** The first row, mapped; a statement that returns no row is a bug here. */
  public static <T> T one(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      bind(c, ps, args);
      try (var rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("expected a row from: " + sql);
        }
        return mapper.map(rs);
      }
    }
  }

  public static long scalarLong(Connection c, String sql, Object... args) throws SQLException {
    return one(c, sql, rs -> rs.getLong(1), args);
  }

  public static int scalarInt(Connection c, String sql, Object... args) throws SQLException {
    return one(c, sql, rs -> rs.getInt(1), args);
  }

  public static boolean scalarBoolean(Connection c, String sql, Object... args)
      throws SQLException {
    return one(c, sql, rs -> rs.getBoolean(1), args);
  }

  /** Runs an INSERT / UPDATE / DELETE; returns the rows it touched. */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      bind(c, ps, args);
      return ps.executeUpdate();
    }
  }

  /** Runs a statement without arguments (DDL, SET, LISTEN). */
  public static void execute(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void bind(Connection c, PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      var a = args[i];
      int at = i + 1;
      if (a == null) {
        ps.setObject(at, null);
      } else if (a instanceof String s) {
        ps.setString(at, s);
      } else if (a instanceof Integer n) {
        ps.setInt(at, n);
      } else if (a instanceof Long n) {
        ps.setLong(at, n);
      } else if (a instanceof Boolean b) {
        ps.setBoolean(at, b);
      } else if (a instanceof SqlArray arr) {
        ps.setArray(at, c.createArrayOf(arr.type(), arr.elements()));
      } else {
        ps.setObject(at, a);
      }
    }
  }
}
