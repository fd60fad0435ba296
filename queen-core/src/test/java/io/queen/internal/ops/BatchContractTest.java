package io.queen.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.queen.internal.db.BatchContract;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.QueenTestSupport;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JSON contract between the engine and PL/pgSQL, checked from both ends: the member names
 * Java declares ({@link BatchContract}) are exactly the attributes of the SQL composite types, and
 * every member the Java writers emit is one of them (jsonb_populate_recordset silently ignores a
 * member it does not know, so a renamed key would otherwise read as NULL).
 */
class BatchContractTest extends QueenTestSupport {

  @Test
  void the_push_item_members_are_the_same_on_both_sides() {
    assertSameMembers(BatchContract.PushItem.class);
  }

  @Test
  void the_pop_request_members_are_the_same_on_both_sides() {
    assertSameMembers(BatchContract.PopRequest.class);
  }

  @Test
  void the_ack_item_members_are_the_same_on_both_sides() {
    assertSameMembers(BatchContract.AckItem.class);
  }

  @Test
  void the_push_writer_emits_only_members_of_push_item() {
    var item = new PushItem("q", "p", "{\"a\":1}", "tx-1", UUID.randomUUID().toString());
    var push = new PreparedPush(List.of(item), new UUID[] {UUID.randomUUID()},
        new String[] {"tx-1"}, new String[] {"{\"sealed\":1}"}, new boolean[] {true});
    assertThat(keysOf(PushOperation.itemsJson(List.of(push))))
        .isSubsetOf(sqlMembers("push_item"))
        .containsAll(Set.of("i", "q", "p", "mid", "tx", "tr", "pl", "en"));
  }

  @Test
  void the_pop_writer_emits_only_members_of_pop_request() {
    var request = PopRequest.fromQueue("q").partition("p").consumerGroup("g").autoAck(true).build();
    var call = new PopOperation.Call(request, UUID.randomUUID(), "new", Instant.now());
    assertThat(keysOf(PopOperation.requestsJson(List.of(call))))
        .isEqualTo(sqlMembers("pop_request"));
  }

  @Test
  void the_ack_writer_emits_only_members_of_ack_item() {
    var ack = new AckItem("tx-1", UUID.randomUUID().toString(), AckStatus.FAILED, "g",
        UUID.randomUUID().toString(), "boom");
    assertThat(keysOf(AckOperation.acksJson(List.of(ack)))).isEqualTo(sqlMembers("ack_item"));
  }

  private void assertSameMembers(Class<?> contract) {
    var javaMembers = Arrays.stream(contract.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
            && !f.getName().equals("TYPE"))
        .map(f -> {
          try {
            return (String) f.get(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        })
        .collect(Collectors.toCollection(TreeSet::new));
    String type;
    try {
      type = (String) contract.getField("TYPE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    assertThat(javaMembers).as(contract.getSimpleName()).isNotEmpty().isEqualTo(sqlMembers(type));
  }

  private Set<String> sqlMembers(String type) {
    var members = new TreeSet<String>();
    io.queen.testing.Fixtures.rows(database, "SELECT a.attname FROM pg_attribute a"
        + " WHERE a.attrelid = ('queen.' || ?)::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        type).forEach(r -> members.add((String) r.get("attname")));
    return members;
  }

  private static Set<String> keysOf(String jsonArray) {
    var keys = new TreeSet<String>();
    JsonParser.parseString(jsonArray).getAsJsonArray()
        .forEach(e -> keys.addAll(e.getAsJsonObject().keySet()));
    return keys;
  }
}
