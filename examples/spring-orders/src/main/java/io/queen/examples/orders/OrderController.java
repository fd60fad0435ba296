package io.queen.examples.orders;

import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders} and {@code GET /orders/{id}}. */
@RestController
public class OrderController {
  /** The body of {@code POST /orders}. */
  public record NewOrder(String customer, String item, int quantity) {}

  private final OrderService orders;

  public OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping("/orders")
  public ResponseEntity<Map<String, Object>> place(@RequestBody NewOrder order) {
    long id = orders.place(order.customer(), order.item(), order.quantity());
    return ResponseEntity.created(URI.create("/orders/" + id)).body(Map.of("id", id));
  }

  @GetMapping("/orders/{id}")
  public ResponseEntity<Map<String, Object>> get(@PathVariable long id) {
    var status = orders.status(id);
    return status == null ? ResponseEntity.notFound().build()
        : ResponseEntity.ok(Map.of("id", id, "status", status));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, Object>> refused(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
