package io.queen.client;

import io.queen.client.internal.Json;
import java.util.Map;

/**
 * The administrative calls of the JS client's {@code queen.admin} that this client covers. Reads
 * return the server's JSON answer as text (parse it with your JSON library; the shapes are in
 * {@code docs/http-api.md}); the maintenance switches are typed. All calls block the calling
 * thread; any thread. Queue configuration and deletion are on {@link QueueBuilder#create()} and
 * {@link QueueBuilder#delete()}.
 */
public final class Admin {
  private final QueenClient client;

  Admin(QueenClient client) {
    this.client = client;
  }

  private String get(String path) {
    client.ensureOpen();
    return Wire.await(client.transport().send("GET", path, null, Transport.Safety.IDEMPOTENT,
        client.settings().requestTimeout())).body();
  }

  private Object post(String path, String body) {
    client.ensureOpen();
    return Wire.await(client.transport().send("POST", path, body, Transport.Safety.IDEMPOTENT,
        client.settings().requestTimeout())).json();
  }

  /**
   * {@code GET /health}.
   *
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String health() {
    return get("/health");
  }

  /**
   * {@code GET /api/v1/resources/overview}: counts of queues, partitions and messages.
   *
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String overview() {
    return get("/api/v1/resources/overview");
  }

  /**
   * {@code GET /api/v1/resources/queues}: every queue with its counts.
   *
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String listQueues() {
    return get("/api/v1/resources/queues");
  }

  /**
   * {@code GET /api/v1/resources/queues/:queue}: one queue with its partitions.
   *
   * @param name the queue's name
   * @return the answer's JSON text
   * @throws QueenClientException with status 404 for an unknown queue
   */
  public String getQueue(String name) {
    return get("/api/v1/resources/queues/" + Wire.encode(name));
  }

  /**
   * {@code DELETE /api/v1/queues/:queue/clear}: deletes every message of the queue, keeping its
   * configuration (our server; the original has no such route).
   *
   * @param name the queue's name
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String clearQueue(String name) {
    client.ensureOpen();
    return Wire.await(client.transport().send("DELETE", "/api/v1/queues/" + Wire.encode(name) + "/clear", null,
        Transport.Safety.IDEMPOTENT, client.settings().requestTimeout())).body();
  }

  /**
   * {@code GET /api/v1/consumer-groups}: every group with its lag.
   *
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String listConsumerGroups() {
    return get("/api/v1/consumer-groups");
  }

  /**
   * {@code DELETE /api/v1/consumer-groups/:group?deleteMetadata=}: deletes the group's cursors.
   *
   * @param group the group
   * @param deleteMetadata whether its subscription records go too
   * @return the answer's JSON text
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public String deleteConsumerGroup(String group, boolean deleteMetadata) {
    client.ensureOpen();
    return Wire.await(client.transport().send("DELETE", "/api/v1/consumer-groups/" + Wire.encode(group)
        + "?deleteMetadata=" + deleteMetadata, null, Transport.Safety.IDEMPOTENT,
        client.settings().requestTimeout())).body();
  }

  /**
   * {@code GET /api/v1/system/maintenance}: whether push maintenance is on.
   *
   * @return true while pushes go to the file buffer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public boolean maintenanceMode() {
    return Json.parse(get("/api/v1/system/maintenance")) instanceof Map<?, ?> m && Wire.bool(m, "maintenanceMode");
  }

  /**
   * {@code POST /api/v1/system/maintenance}: switches push maintenance for every instance.
   *
   * @param enabled true to divert pushes to the file buffer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public void setMaintenanceMode(boolean enabled) {
    post("/api/v1/system/maintenance", "{\"enabled\":" + enabled + "}");
  }

  /**
   * {@code GET /api/v1/system/maintenance/pop}: whether pop maintenance is on.
   *
   * @return true while pops deliver nothing
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public boolean popMaintenanceMode() {
    return Json.parse(get("/api/v1/system/maintenance/pop")) instanceof Map<?, ?> m
        && Wire.bool(m, "popMaintenanceMode");
  }

  /**
   * {@code POST /api/v1/system/maintenance/pop}: switches pop maintenance for every instance.
   *
   * @param enabled true to make every pop answer at once with nothing
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public void setPopMaintenanceMode(boolean enabled) {
    post("/api/v1/system/maintenance/pop", "{\"enabled\":" + enabled + "}");
  }
}
