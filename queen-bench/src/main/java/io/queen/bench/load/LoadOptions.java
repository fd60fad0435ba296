package io.queen.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load benchmark's options. {@link #parse} accepts {@code --name value} and
 * {@code --name=value}; flags ({@code --auto-ack}, {@code --wait}, {@code --json}) take no value
 * (or {@code =true/false}). Every bad option is reported at once.
 *
 * @param mode producer, consumer or both
 * @param url base URL of the server, http only (for example {@code http://127.0.0.1:6632})
 * @param durationSeconds how long producers push (and consumer-only runs pop)
 * @param rate messages per second over all producers; 0 = as fast as possible
 * @param batch messages per push request and the pop batch size
 * @param partitions partitions per queue
 * @param queues number of queues
 * @param connections producer connections
 * @param consumerConnections consumer connections per consumer group
 * @param consumerGroups 0 = queue mode; otherwise groups {@code g0..g(N-1)} each get every message
 * @param autoAck pop with {@code autoAck=true}; otherwise each popped batch is acknowledged with one
 *     {@code POST /api/v1/ack/batch}
 * @param waitPop long-poll pops ({@code wait=true})
 * @param waitTimeoutMs long-poll timeout
 * @param payloadBytes approximate size of each message's JSON payload
 * @param queuePrefix queue names are {@code <prefix>-<i>}
 * @param drainTimeoutSeconds in {@code both} mode, how long consumers may keep draining after
 *     the producers stopped
 * @param untilEmpty consumer mode: stop once every consumer found the queue empty
 * @param json print the result as one JSON object on stdout (the human report goes to stderr)
 * @param verify in {@code both} mode, verify delivery (on by default)
 * @param popBatch pop batch size (default: {@code batch})
 * @param groupPrefix consumer groups are {@code <prefix>0..<prefix>(N-1)}
 * @param jwtSecret when set, every request carries {@code Authorization: Bearer} with one HS256
 *     token signed by it (subject {@code queen-load}, role {@code admin}, valid for a day), as a
 *     service with one token would; null for none
 */
public record LoadOptions(
    String mode, String url, int durationSeconds, int rate, int batch, int partitions,
    int queues, int connections, int consumerConnections, int consumerGroups, boolean autoAck,
    boolean waitPop, int waitTimeoutMs, int payloadBytes, String queuePrefix,
    int drainTimeoutSeconds, boolean untilEmpty, boolean json, boolean verify, int popBatch,
    String groupPrefix, String jwtSecret) {

  static final String USAGE = String.join("\n",
      "usage: java -jar queen-load.jar [options]",
      "  --mode producer|consumer|both   (default both)",
      "  --url URL                       server base URL (default http://127.0.0.1:6632)",
      "  --duration S                    seconds of pushing / popping (default 10)",
      "  --rate N                        messages/s over all producers, 0 = max (default 0)",
      "  --batch N                       messages per push and pop batch size (default 1)",
      "  --pop-batch N                   pop batch size when it differs from --batch",
      "  --partitions N                  partitions per queue (default 100)",
      "  --queues N                      queues (default 1)",
      "  --connections N                 producer connections (default 20)",
      "  --consumer-connections N        consumer connections per group (default = --connections)",
      "  --consumer-groups N             0 = queue mode (default 0)",
      "  --auto-ack                      pop with autoAck=true (default: ack each batch)",
      "  --wait                          long-poll pops (wait=true)",
      "  --wait-timeout MS               long-poll timeout (default 2000)",
      "  --payload-bytes N               payload size in bytes (default 60)",
      "  --queue-prefix S                queue names are S-0..S-(N-1) (default bench)",
      "  --group-prefix S                consumer groups are S0..S(N-1) (default g)",
      "  --drain-timeout S               both: time to finish consuming after pushing (default 30)",
      "  --until-empty                   consumer: stop when the queue is drained",
      "  --no-verify                     both: skip the delivery verification",
      "  --jwt-secret S                  send an HS256 bearer token signed with S (JWT_SECRET)",
      "  --json                          print the result as JSON on stdout");

  /** The defaults, as {@link #USAGE} lists them. */
  public static LoadOptions defaults() {
    return new LoadOptions("both", "http://127.0.0.1:6632", 10, 0, 1, 100, 1, 20, 20, 0, false,
        false, 2000, 60, "bench", 30, false, false, true, 1, "g", null);
  }

  public LoadOptions {
    var errors = new ArrayList<String>();
    if (!List.of("producer", "consumer", "both").contains(mode)) {
      errors.add("--mode must be producer, consumer or both, was '" + mode + "'");
    }
    try {
      var u = URI.create(url);
      if (!"http".equals(u.getScheme()) || u.getHost() == null) {
        errors.add("--url must be http://host[:port], was '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      errors.add("--url is not a URL: '" + url + "'");
    }
    range(errors, "--duration", durationSeconds, 1, 3600);
    range(errors, "--rate", rate, 0, 10_000_000);
    range(errors, "--batch", batch, 1, 10_000);
    range(errors, "--partitions", partitions, 1, 1_000_000);
    range(errors, "--queues", queues, 1, 10_000);
    range(errors, "--connections", connections, 1, 10_000);
    range(errors, "--consumer-connections", consumerConnections, 1, 10_000);
    range(errors, "--consumer-groups", consumerGroups, 0, 1_000);
    range(errors, "--wait-timeout", waitTimeoutMs, 1, 3_600_000);
    range(errors, "--payload-bytes", payloadBytes, 2, 10_000_000);
    range(errors, "--drain-timeout", drainTimeoutSeconds, 0, 3600);
    range(errors, "--pop-batch", popBatch, 1, 10_000);
    if (groupPrefix == null || groupPrefix.isEmpty() || !groupPrefix.matches("[A-Za-z0-9._-]+")) {
      errors.add("--group-prefix must be letters, digits, '.', '_' or '-', was '" + groupPrefix + "'");
    }
    if (queuePrefix == null || queuePrefix.isEmpty() || !queuePrefix.matches("[A-Za-z0-9._-]+")) {
      errors.add("--queue-prefix must be letters, digits, '.', '_' or '-', was '" + queuePrefix + "'");
    }
    if (jwtSecret != null && jwtSecret.length() < 32) {
      errors.add("--jwt-secret must be at least 32 characters (HS256), was " + jwtSecret.length());
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  /** The {@code Authorization} header line of every request, or null without a secret. */
  public String authorizationHeader() {
    if (jwtSecret == null) {
      return null;
    }
    try {
      var now = java.time.Instant.now();
      var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("queen-load")
          .claim("role", "admin").issueTime(java.util.Date.from(now))
          .expirationTime(java.util.Date.from(now.plusSeconds(86_400))).build();
      var jwt = new com.nimbusds.jwt.SignedJWT(
          new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
      jwt.sign(new com.nimbusds.jose.crypto.MACSigner(
          jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return "Authorization: Bearer " + jwt.serialize() + "\r\n";
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalArgumentException("--jwt-secret cannot sign: " + e.getMessage(), e);
    }
  }

  private static void range(List<String> errors, String name, long v, long min, long max) {
    if (v < min || v > max) {
      errors.add(name + " must be between " + min + " and " + max + ", was " + v);
    }
  }

  public boolean produces() {
    return !mode.equals("consumer");
  }

  public boolean consumes() {
    return !mode.equals("producer");
  }

  public String host() {
    return URI.create(url).getHost();
  }

  public int port() {
    int p = URI.create(url).getPort();
    return p < 0 ? 80 : p;
  }

  public String queueName(int i) {
    return queuePrefix + "-" + i;
  }

  /** Parses command-line arguments; throws {@link IllegalArgumentException} naming every problem. */
  public static LoadOptions parse(String... args) {
    var d = defaults();
    String mode = d.mode, url = d.url, prefix = d.queuePrefix;
    int duration = d.durationSeconds, rate = d.rate, batch = d.batch, partitions = d.partitions;
    int queues = d.queues, conns = d.connections, groups = d.consumerGroups;
    int waitTimeout = d.waitTimeoutMs, payload = d.payloadBytes, drain = d.drainTimeoutSeconds;
    Integer consumerConns = null;
    Integer popBatch = null;
    String groupPrefix = d.groupPrefix;
    String jwtSecret = null;
    boolean autoAck = false, wait = false, untilEmpty = false, json = false, verify = true;
    var errors = new ArrayList<String>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        errors.add("unexpected argument '" + a + "'");
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      boolean flag = switch (name) {
        case "--auto-ack", "--wait", "--until-empty", "--json", "--no-verify", "--help", "-h" -> true;
        default -> false;
      };
      if (!flag && value == null) {
        if (i + 1 >= args.length) {
          errors.add(name + " needs a value");
          continue;
        }
        value = args[++i];
      }
      try {
        switch (name) {
          case "--mode" -> mode = value.toLowerCase(Locale.ROOT);
          case "--url" -> url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
          case "--duration" -> duration = integer(name, value);
          case "--rate" -> rate = integer(name, value);
          case "--batch" -> batch = integer(name, value);
          case "--partitions" -> partitions = integer(name, value);
          case "--queues" -> queues = integer(name, value);
          case "--connections" -> conns = integer(name, value);
          case "--consumer-connections", "--consumers" -> consumerConns = integer(name, value);
          case "--consumer-groups" -> groups = integer(name, value);
          case "--wait-timeout" -> waitTimeout = integer(name, value);
          case "--payload-bytes" -> payload = integer(name, value);
          case "--queue-prefix" -> prefix = value;
          case "--group-prefix" -> groupPrefix = value;
          case "--pop-batch" -> popBatch = integer(name, value);
          case "--jwt-secret" -> jwtSecret = value;
          case "--drain-timeout" -> drain = integer(name, value);
          case "--auto-ack" -> autoAck = bool(name, value);
          case "--wait" -> wait = bool(name, value);
          case "--until-empty" -> untilEmpty = bool(name, value);
          case "--json" -> json = bool(name, value);
          case "--no-verify" -> verify = !bool(name, value);
          case "--help", "-h" -> throw new IllegalArgumentException("help");
          default -> errors.add("unknown option " + name);
        }
      } catch (NumberFormatException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new LoadOptions(mode, url, duration, rate, batch, partitions, queues, conns,
        consumerConns == null ? conns : consumerConns, groups, autoAck, wait, waitTimeout, payload,
        prefix, drain, untilEmpty, json, verify, popBatch == null ? batch : popBatch, groupPrefix,
        jwtSecret);
  }

  private static int integer(String name, String v) {
    try {
      return Integer.parseInt(v.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new NumberFormatException(name + " must be an integer, was '" + v + "'");
    }
  }

  private static boolean bool(String name, String v) {
    if (v == null || v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    throw new NumberFormatException(name + " must be true or false, was '" + v + "'");
  }
}
