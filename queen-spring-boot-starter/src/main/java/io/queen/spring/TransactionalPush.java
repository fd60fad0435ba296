package io.queen.spring;

import io.queen.QueueManager;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * The part of {@link QueenTemplate} that needs spring-jdbc, loaded only when it is there. Runs on
 * the caller's thread, on the connection its transaction holds.
 */
final class TransactionalPush {
  private static final boolean AVAILABLE = ClassUtils.isPresent(
      "org.springframework.jdbc.datasource.DataSourceUtils", TransactionalPush.class.getClassLoader());

  private TransactionalPush() {}

  static boolean available() {
    return AVAILABLE;
  }

  static boolean inTransaction(DataSource dataSource) {
    return TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.hasResource(dataSource);
  }

  static List<PushResult> push(QueueManager queen, DataSource dataSource, List<PushItem> items) {
    var connection = DataSourceUtils.getConnection(dataSource);
    try {
      return queen.push(connection, items);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }
}
