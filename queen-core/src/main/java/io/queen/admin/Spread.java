package io.queen.admin;

/**
 * Average, median, least and greatest of a set of values (all 0 for an empty set).
 *
 * @param avg the average
 * @param median the median
 * @param min the least value
 * @param max the greatest value
 */
public record Spread(double avg, double median, double min, double max) {
  /** The spread of an empty set: all 0. */
  public static final Spread NONE = new Spread(0, 0, 0, 0);
}
