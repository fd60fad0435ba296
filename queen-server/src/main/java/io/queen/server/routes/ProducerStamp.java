package io.queen.server.routes;

import io.queen.model.PushItem;
import io.queen.server.http.Principal;
import java.util.ArrayList;
import java.util.List;

/**
 * Who pushed: the authenticated token's subject on every item of a push or transaction. A client
 * cannot name a producer itself: the wire readers never read a body's {@code producerSub}, with
 * authentication on or off, so a stored producer is always one the server vouches for. Stateless;
 * called on the request's IO thread.
 */
final class ProducerStamp {
  private ProducerStamp() {}

  /** {@code items} produced by {@code who}; the same list when nobody authenticated. */
  static List<PushItem> stamp(List<PushItem> items, Principal who) {
    if (who == null || who.subject() == null) {
      return items;
    }
    var out = new ArrayList<PushItem>(items.size());
    for (var item : items) {
      out.add(item == null ? null : item.withProducerSub(who.subject()));
    }
    return out;
  }
}
