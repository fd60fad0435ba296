package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.PushItem;
import io.queen.model.TransactionRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /api/v1/transaction} body, {@code {operations: [op, ...], requiredLeases?}}, where
 * an operation is {@code {type: "ack", <ack fields>}} or {@code {type: "push", items: [...]}}. The
 * core takes acks and pushes as two lists; this keeps the way back to the wire's operations, for
 * the reply's order and for error messages. Immutable once read; read on the request's IO thread.
 *
 * @param request the acks and pushes as the core takes them
 * @param operations the wire operations in order, each pointing into {@code request}'s lists
 * @param ackPaths the wire path of each of {@code request}'s acks ({@code operations[2]})
 * @param pushPaths the wire path of each of {@code request}'s pushes ({@code operations[0].items[1]})
 */
public record TransactionBody(TransactionRequest request, List<Operation> operations,
    List<String> ackPaths, List<String> pushPaths) {

  /**
   * Where one wire operation went: the ack at index {@code first} of the core's acks, or the
   * {@code count} pushes from index {@code first} of the core's pushes.
   */
  public record Operation(boolean ack, int first, int count) {}

  /** Reads and checks the body; a bad operation is a 400 naming it ({@code operations[0].type}). */
  public static TransactionBody read(byte[] body) {
    var members = new Members();
    JsonIn.body(body, members);
    if (!members.operationsSeen) {
      throw JsonIn.required("operations");
    }
    if (members.operations.isEmpty()) {
      throw new InvalidRequestException("operations", "operations array cannot be empty");
    }
    return new TransactionBody(
        new TransactionRequest(members.acks, members.pushes, members.requiredLeases),
        members.operations, members.ackPaths, members.pushPaths);
  }

  /** The core's complaint about {@code acks[i]} or {@code pushes[j]}, renamed to the wire's path. */
  public InvalidRequestException renameCoreField(InvalidRequestException e) {
    var field = e.field();
    for (int i = 0; i < ackPaths.size(); i++) {
      var from = "acks[" + i + "]";
      if (field.equals(from) || field.startsWith(from + ".")) {
        return WireNames.rename(e, from, ackPaths.get(i));
      }
    }
    for (int i = 0; i < pushPaths.size(); i++) {
      var from = "pushes[" + i + "]";
      if (field.equals(from) || field.startsWith(from + ".")) {
        return WireNames.rename(e, from, pushPaths.get(i));
      }
    }
    return e;
  }

  private static final class Members implements JsonIn.MemberReader {
    final ArrayList<AckItem> acks = new ArrayList<>();
    final ArrayList<PushItem> pushes = new ArrayList<>();
    final ArrayList<Operation> operations = new ArrayList<>();
    final ArrayList<String> requiredLeases = new ArrayList<>();
    final ArrayList<String> ackPaths = new ArrayList<>();
    final ArrayList<String> pushPaths = new ArrayList<>();
    boolean operationsSeen;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      switch (name) {
        case "operations" -> operationsSeen = JsonIn.arrayOrNull(r, path, this::operation);
        case "requiredLeases" -> {
          var leases = JsonIn.strings(r, path);
          if (leases != null) {
            requiredLeases.addAll(leases);
          }
        }
        default -> JsonIn.skip(r);
      }
    }

    private void operation(JsonReader r, int index, String path) throws IOException {
      var op = new OperationFields();
      if (!JsonIn.objectOrNull(r, path, op)) {
        throw JsonIn.required(path);
      }
      if ("ack".equals(op.type)) {
        operations.add(new Operation(true, acks.size(), 1));
        ackPaths.add(path);
        acks.add(op.ack.toItem(path));
      } else if ("push".equals(op.type)) {
        if (op.items.isEmpty()) {
          throw new InvalidRequestException(path + ".items", path + ".items must be a non-empty array");
        }
        operations.add(new Operation(false, pushes.size(), op.items.size()));
        for (int j = 0; j < op.items.size(); j++) {
          pushPaths.add(path + ".items[" + j + "]");
        }
        pushes.addAll(op.items);
      } else {
        throw new InvalidRequestException(path + ".type", path + ".type must be 'ack' or 'push', was "
            + (op.type == null ? "missing" : "'" + WireNames.abbreviate(op.type) + "'"));
      }
    }
  }

  /** One operation as sent: its type, the ack fields among its members, and any push items. */
  private static final class OperationFields implements JsonIn.MemberReader {
    final AckFields ack = new AckFields();
    final ArrayList<PushItem> items = new ArrayList<>();
    String type;

    @Override
    public void read(JsonReader r, String name, String path) throws IOException {
      if (name.equals("type")) {
        type = JsonIn.string(r, path);
      } else if (name.equals("items")) {
        JsonIn.arrayOrNull(r, path,
            (reader, j, itemPath) -> items.add(PushItemFields.readItem(reader, itemPath)));
      } else {
        ack.read(r, name, path);
      }
    }
  }
}
