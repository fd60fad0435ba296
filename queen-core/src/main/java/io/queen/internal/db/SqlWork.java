package io.queen.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection (inside a transaction when run by {@link Database#inTransaction}). */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
