package io.queen.server.worker;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;

/**
 * Notices a client that closes its connection while its long poll is parked.
 *
 * <p>Undertow suspends reads on a connection while a request runs, so such a client would go
 * unnoticed until the response is written. For the parked poll we read the raw connection: end of
 * stream closes it (firing the close listener, which drops the waiter at once); bytes of a
 * pipelined next request are pushed back for Undertow to parse after this exchange. Writing the
 * response stops the probe, and the exchange's completion gives the connection's read listener
 * back to Undertow.
 *
 * <p>Owning IO thread only: the read listener runs there and checks it ({@link OwnerThreadGuard}).
 */
final class DisconnectProbe {
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;

  DisconnectProbe(XnioIoThread io, OwnerThreadGuard guard) {
    this.io = io;
    this.guard = guard;
  }

  /** IO thread: starts probing the connection of a parked long poll. */
  void watch(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof HttpServerConnection) || !exchange.isRequestComplete()) {
      return;
    }
    var connection = (HttpServerConnection) exchange.getConnection();
    if (connection.getExtraBytes() != null) {
      return; // a pipelined request is already buffered; do not read past it
    }
    var source = connection.getChannel().getSourceChannel();
    source.setReadListener(channel -> probe(connection, channel));
    source.resumeReads();
  }

  /** IO thread, before a response is written: stops any probe (Undertow resumes its own reads). */
  void stop(HttpServerExchange exchange) {
    var source = exchange.getConnection() instanceof HttpServerConnection
        ? ((HttpServerConnection) exchange.getConnection()).getChannel().getSourceChannel() : null;
    if (source != null && exchange.isRequestComplete()) {
      source.suspendReads();
    }
  }

  private void probe(HttpServerConnection connection, StreamSourceChannel channel) {
    guard.check(io, "probing a parked connection");
    var pooled = connection.getByteBufferPool().allocate();
    boolean keep = false;
    try {
      var buffer = pooled.getBuffer();
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        channel.suspendReads();
        IoUtils.safeClose(connection);
      } else if (n > 0) {
        buffer.flip();
        connection.ungetRequestBytes(pooled);
        keep = true;
        channel.suspendReads();
      }
    } catch (IOException e) {
      channel.suspendReads();
      IoUtils.safeClose(connection);
    } finally {
      if (!keep) {
        pooled.close();
      }
    }
  }
}
