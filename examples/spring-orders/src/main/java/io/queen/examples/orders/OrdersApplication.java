package io.queen.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample: {@code POST /orders} saves an order and pushes its {@link OrderPlaced} event in one
 * transaction ({@link OrderService}); {@link Shipping} consumes the event and marks the order
 * shipped. Queen runs inside the application, on its DataSource.
 */
@SpringBootApplication
public class OrdersApplication {
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}
