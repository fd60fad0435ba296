package io.queen.examples.orders;

/** The event pushed to queue {@code orders} when an order is saved, as JSON. */
public record OrderPlaced(long orderId, String customer, String item, int quantity) {}
