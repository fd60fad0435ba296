package io.queen.examples.orders;

import io.queen.spring.QueenTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders: the row and its event commit together, or neither does. */
@Service
public class OrderService {
  /** The queue the events go to. */
  public static final String QUEUE = "orders";

  private final JdbcTemplate jdbc;
  private final QueenTemplate queen;

  public OrderService(JdbcTemplate jdbc, QueenTemplate queen) {
    this.jdbc = jdbc;
    this.queen = queen;
  }

  /**
   * Saves the order and pushes {@link OrderPlaced} in the same transaction: the push runs on the
   * transaction's connection, so the event exists exactly when the order does. Events of one
   * customer go to one partition and are delivered in order; the transaction id makes a retried
   * push a duplicate, not a second event.
   *
   * @throws IllegalArgumentException for a quantity below 1, after the insert and the push: the
   *     whole transaction rolls back, event included
   */
  @Transactional
  public long place(String customer, String item, int quantity) {
    Long id = jdbc.queryForObject(
        "INSERT INTO orders (customer, item, quantity, status) VALUES (?, ?, ?, 'placed') RETURNING id",
        Long.class, customer, item, quantity);
    queen.send(QUEUE, customer, new OrderPlaced(id, customer, item, quantity), "order-" + id);
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
    }
    return id;
  }

  /** The order's status ({@code placed}, {@code shipped}), or null when there is no such order. */
  public String status(long id) {
    return jdbc.query("SELECT status FROM orders WHERE id = ?",
        rs -> rs.next() ? rs.getString(1) : null, id);
  }
}
