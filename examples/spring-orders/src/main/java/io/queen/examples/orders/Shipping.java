package io.queen.examples.orders;

import io.queen.model.Message;
import io.queen.spring.QueenListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ships placed orders. Returning acks the event; throwing would have it redelivered (the queue's
 * retry options) and finally dead-lettered.
 */
@Component
public class Shipping {
  private static final Logger LOG = LoggerFactory.getLogger(Shipping.class);
  private final JdbcTemplate jdbc;
  private final List<Long> shipped = new CopyOnWriteArrayList<>();

  public Shipping(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Called on Queen's consumer threads ({@code queen-consumer-orders-N}). */
  @QueenListener(queue = OrderService.QUEUE, group = "shipping", concurrency = 2, batch = 10)
  public void ship(OrderPlaced order, Message message) {
    jdbc.update("UPDATE orders SET status = 'shipped' WHERE id = ?", order.orderId());
    shipped.add(order.orderId());
    LOG.info("shipped order {} ({} x {} for {}), partition {}", order.orderId(), order.quantity(),
        order.item(), order.customer(), message.partition());
  }

  /** The ids of the orders shipped since the start, in the order they were shipped. */
  public List<Long> shipped() {
    return List.copyOf(shipped);
  }
}
