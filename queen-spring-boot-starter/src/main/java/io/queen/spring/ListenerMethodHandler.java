package io.queen.spring;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queen.consumer.MessageHandler;
import io.queen.model.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.springframework.util.ReflectionUtils;

/**
 * Calls one {@link QueenListener} method for a message: converts the payload with the
 * ObjectMapper to the payload parameter's (generic) type, passes the message where asked, and
 * rethrows what the method throws so that {@link io.queen.consumer.QueenConsumer} acks it failed.
 * Called on the consumer threads; thread-safe (ObjectMapper is).
 */
final class ListenerMethodHandler implements MessageHandler {
  private final Object bean;
  private final Method method;
  private final ObjectMapper mapper;
  private final int payloadIndex;
  private final int messageIndex;
  private final JavaType payloadType;

  ListenerMethodHandler(QueenListenerEndpoint endpoint, ObjectMapper mapper) {
    this.bean = endpoint.bean();
    this.method = endpoint.method();
    this.mapper = mapper;
    ReflectionUtils.makeAccessible(method);
    int payload = -1;
    int message = -1;
    var types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (types[i] == Message.class) {
        message = i;
      } else {
        payload = i;
      }
    }
    this.payloadIndex = payload;
    this.messageIndex = message;
    this.payloadType = payload < 0 ? null
        : mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[payload]);
  }

  @Override
  public void handle(Message message) throws Exception {
    var args = new Object[method.getParameterCount()];
    if (messageIndex >= 0) {
      args[messageIndex] = message;
    }
    if (payloadIndex >= 0) {
      // A conversion failure is thrown from here: the message is acked failed with Jackson's error.
      args[payloadIndex] = mapper.readValue(
          message.payloadJson() == null ? "null" : message.payloadJson(), payloadType);
    }
    try {
      method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      var cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
