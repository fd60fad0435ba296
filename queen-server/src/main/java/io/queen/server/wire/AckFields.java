package io.queen.server.wire;

import com.google.gson.stream.JsonReader;
import io.queen.error.InvalidRequestException;
import io.queen.model.AckItem;
import io.queen.model.AckStatus;
import java.io.IOException;

/**
 * One acknowledgement as the client sent it: {@code {transactionId, partitionId, status?,
 * consumerGroup?, leaseId?, error?}}. Unknown members are skipped, so a transaction's {@code type}
 * may sit among them. A builder: filled while reading, checked by {@link #toItem}. One per ack,
 * used by the thread parsing the request.
 */
final class AckFields implements JsonIn.MemberReader {
  String transactionId;
  String partitionId;
  String status;
  String consumerGroup;
  String leaseId;
  String error;

  @Override
  public void read(JsonReader r, String name, String path) throws IOException {
    switch (name) {
      case "transactionId" -> transactionId = JsonIn.string(r, path);
      case "partitionId" -> partitionId = JsonIn.string(r, path);
      case "status" -> status = JsonIn.string(r, path);
      case "consumerGroup" -> consumerGroup = JsonIn.string(r, path);
      case "leaseId" -> leaseId = JsonIn.string(r, path);
      case "error" -> error = JsonIn.string(r, path);
      default -> JsonIn.skip(r);
    }
  }

  /**
   * The ack; a missing status is {@code completed}, an empty lease id is none.
   *
   * @param path the object's path; "" for a request body that is itself the ack
   */
  AckItem toItem(String path) {
    var prefix = path.isEmpty() ? "" : path + ".";
    if (transactionId == null) {
      throw JsonIn.required(prefix + "transactionId");
    }
    if (partitionId == null) {
      throw JsonIn.required(prefix + "partitionId");
    }
    AckStatus parsed;
    try {
      // the core's message echoes the value: a long one is no status anyway, so it gets it cut
      parsed = status == null ? AckStatus.COMPLETED
          : AckStatus.parse(WireNames.abbreviate(status));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(prefix + "status", prefix + e.getMessage());
    }
    var lease = leaseId == null || leaseId.isEmpty() ? null : leaseId;
    return new AckItem(transactionId, partitionId, parsed, WireNames.group(consumerGroup), lease,
        error);
  }
}
