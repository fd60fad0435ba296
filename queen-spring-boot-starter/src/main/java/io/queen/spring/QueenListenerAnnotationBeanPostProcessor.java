package io.queen.spring;

import io.queen.model.Message;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the {@link QueenListener} methods of every bean after it is initialised and records them
 * as {@link QueenListenerEndpoint}s for the {@link QueenListenerRegistry}, which starts them when
 * the context has been refreshed. A method with a signature it cannot call (no parameter, more
 * than two, two payloads or two messages) or bad annotation values fails the context's startup,
 * naming the method.
 *
 * <p>Threads: Spring calls it on the thread that creates the beans (the one refreshing the
 * context, or the one asking for a lazy bean); the endpoints are read by the registry when it
 * starts.
 */
public class QueenListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {
  private final List<QueenListenerEndpoint> endpoints = new ArrayList<>();
  private ConfigurableBeanFactory beanFactory;

  /**
   * Keeps the bean factory that resolves the annotations' {@code ${...}} placeholders. Called by
   * Spring once, when the post-processor is created.
   *
   * @param beanFactory the context's factory; when it is not a {@link ConfigurableBeanFactory},
   *     placeholders are kept as written
   */
  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof ConfigurableBeanFactory cbf) {
      this.beanFactory = cbf;
    }
  }

  /**
   * Records the {@link QueenListener} methods of {@code bean}'s class (its target class when it is
   * a proxy), with their placeholders resolved; they are invoked on {@code bean} itself.
   *
   * @param bean the initialised bean, possibly a proxy
   * @param beanName its name, used in the endpoints' ids and in errors
   * @return {@code bean}, unchanged
   * @throws IllegalStateException naming the method when its signature cannot be called or an
   *     annotation value is bad (a blank queue, a concurrency outside 1 to 1024, a batch below 1)
   */
  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> target = AopUtils.getTargetClass(bean);
    Map<Method, QueenListener> found = MethodIntrospector.selectMethods(target,
        (MethodIntrospector.MetadataLookup<QueenListener>) m ->
            AnnotatedElementUtils.findMergedAnnotation(m, QueenListener.class));
    for (var e : found.entrySet()) {
      var method = AopUtils.selectInvocableMethod(e.getKey(), bean.getClass());
      var a = e.getValue();
      checkSignature(e.getKey(), beanName);
      var queue = resolve(a.queue());
      if (!StringUtils.hasText(queue)) {
        throw new IllegalStateException("@QueenListener on " + beanName + "." + method.getName()
            + " needs a queue");
      }
      if (a.concurrency() < 1 || a.concurrency() > 1024) {
        throw new IllegalStateException("@QueenListener on " + beanName + "." + method.getName()
            + ": concurrency must be between 1 and 1024, was " + a.concurrency());
      }
      if (a.batch() < 1) {
        throw new IllegalStateException("@QueenListener on " + beanName + "." + method.getName()
            + ": batch must be at least 1, was " + a.batch());
      }
      synchronized (endpoints) {
        endpoints.add(new QueenListenerEndpoint(beanName, bean, method, queue,
            emptyToNull(resolve(a.group())), emptyToNull(resolve(a.partition())), a.concurrency(),
            a.batch()));
      }
    }
    return bean;
  }

  /**
   * The endpoints found so far, in the order the beans were initialised. Any thread.
   *
   * @return an unmodifiable copy of the endpoints recorded so far (every one, once the context
   *     has been refreshed, except those of lazy beans not created yet)
   */
  public List<QueenListenerEndpoint> endpoints() {
    synchronized (endpoints) {
      return List.copyOf(endpoints);
    }
  }

  private static void checkSignature(Method m, String beanName) {
    int messages = 0;
    for (var p : m.getParameterTypes()) {
      if (p == Message.class) {
        messages++;
      }
    }
    int n = m.getParameterCount();
    if (n < 1 || n > 2 || messages > 1 || (n == 2 && messages == 0)) {
      throw new IllegalStateException("@QueenListener method " + beanName + "." + m.getName()
          + " must take the payload, the io.queen.model.Message, or both; it takes "
          + List.of(m.getParameterTypes()));
    }
  }

  private String resolve(String value) {
    return beanFactory == null ? value : beanFactory.resolveEmbeddedValue(value);
  }

  private static String emptyToNull(String s) {
    return StringUtils.hasText(s) ? s : null;
  }
}
