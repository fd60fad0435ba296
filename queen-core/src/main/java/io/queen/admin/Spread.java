package io.queen.admin;

/**
 * Average, median, least and greatest of a set of values (all 0 for an empty set).
 */
public record Spread(double avg, double median, double min, double max) {
  public static final Spread NONE = new Spread(0, 0, 0, 0);
}
