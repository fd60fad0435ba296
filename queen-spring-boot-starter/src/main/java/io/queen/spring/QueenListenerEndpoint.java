package io.queen.spring;

import java.lang.reflect.Method;

/**
 * One {@link QueenListener} method found on a bean, its annotation's placeholders resolved.
 *
 * @param beanName the bean's name
 * @param bean the bean as the context holds it (its proxy, when it has one)
 * @param method the method to invoke on {@code bean}
 * @param queue the queue
 * @param group the consumer group, or null for queue mode
 * @param partition the partition, or null for any
 * @param concurrency consumer threads
 * @param batch messages per pop
 */
public record QueenListenerEndpoint(
    String beanName, Object bean, Method method, String queue, String group, String partition,
    int concurrency, int batch) {

  /**
   * {@code beanName.method}, as logs and errors name the listener.
   *
   * @return the bean's name and the method's name, joined by a dot
   */
  public String id() {
    return beanName + "." + method.getName();
  }
}
