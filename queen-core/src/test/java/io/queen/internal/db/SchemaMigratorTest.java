package io.queen.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.queen.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
  private TestDatabase database;
  private HikariDataSource pool;

  @BeforeEach
  void setUp() {
    database = TestDatabase.create();
    pool = database.pool(6);
  }

  @AfterEach
  void tearDown() {
    pool.close();
    database.close();
  }

  @Test
  void instances_starting_at_once_apply_each_migration_exactly_once() throws Exception {
    var barrier = new CyclicBarrier(4);
    var runs = new ArrayList<CompletableFuture<List<Integer>>>();
    for (int i = 0; i < 4; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          barrier.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return new SchemaMigrator("queen").migrate(new Database(pool));
      }));
    }
    var applied = new ArrayList<Integer>();
    runs.forEach(r -> applied.addAll(r.join()));
    assertThat(applied).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT version, script FROM queen.schema_version ORDER BY version")) {
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V001__tables.sql");
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V002__functions.sql");
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V003__lifecycle.sql");
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V004__operations.sql");
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V005__tracing.sql");
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("V006__messages_without_partition_fk.sql");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void a_second_start_finds_nothing_to_do() {
    var migrator = new SchemaMigrator("queen");
    assertThat(migrator.migrate(new Database(pool))).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(migrator.migrate(new Database(pool))).isEmpty();
  }

  @Test
  void a_database_migrated_by_an_earlier_build_gets_the_current_functions() throws Exception {
    var migrator = new SchemaMigrator("queen");
    migrator.migrate(new Database(pool));
    // as an earlier build left it: no checksum column, and a function it did not have yet
    try (var c = database.connect(); var s = c.createStatement()) {
      s.execute("ALTER TABLE queen.schema_version DROP COLUMN checksum");
      s.execute("DROP FUNCTION queen.unsettle_v1(text, uuid[])");
    }
    assertThat(migrator.migrate(new Database(pool))).containsExactly(2);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM pg_proc WHERE proname = 'unsettle_v1'"
            + " AND pronamespace = 'queen'::regnamespace")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    assertThat(migrator.migrate(new Database(pool))).as("and only once").isEmpty();
  }

  @Test
  void functions_whose_arguments_or_result_changed_are_replaced_once_on_a_database_of_an_earlier_build()
      throws Exception {
    var migrator = new SchemaMigrator("queen");
    migrator.migrate(new Database(pool));
    // as the build before tracing left them: pop_v1 and _deliver without trace_context, _deliver
    // reading the cursor row itself and _claim returning the status alone
    var oldColumns = "idx int, outcome text, lease_id text, message_id uuid, transaction_id text,"
        + " trace_id uuid, payload text, producer_sub text, created_at timestamptz,"
        + " queue_name text, partition_name text, partition_id uuid, retry_count int";
    var none = "SELECT NULL::int, NULL::text, NULL::text, NULL::uuid, NULL::text, NULL::uuid,"
        + " NULL::text, NULL::text, NULL::timestamptz, NULL::text, NULL::text, NULL::uuid,"
        + " NULL::int WHERE false";
    try (var c = database.connect(); var s = c.createStatement()) {
      s.execute("DROP FUNCTION queen.pop_v1(jsonb, timestamptz)");
      s.execute("CREATE FUNCTION queen.pop_v1(p_requests jsonb, p_now timestamptz) RETURNS TABLE("
          + oldColumns + ") LANGUAGE sql AS $$" + none + "$$");
      s.execute("DROP FUNCTION queen._deliver(int, uuid, text, bigint, boolean, timestamptz, uuid,"
          + " int, boolean, int, int, text, text, timestamptz)");
      s.execute("DROP FUNCTION queen._claim_cursor(uuid, text, timestamptz, boolean, int,"
          + " timestamptz)");
      s.execute("CREATE FUNCTION queen._claim(p_pid uuid, p_group text, p_start timestamptz,"
          + " p_skip_locked boolean, p_retry_limit int, p_now timestamptz) RETURNS text"
          + " LANGUAGE sql AS $$SELECT 'ok'$$");
      s.execute("CREATE FUNCTION queen._deliver(p_idx int, p_pid uuid, p_group text, p_lease uuid,"
          + " p_budget int, p_auto_ack boolean, p_delay int, p_lease_seconds int, p_queue text,"
          + " p_partition text, p_now timestamptz) RETURNS TABLE(" + oldColumns
          + ") LANGUAGE sql AS $$" + none + "$$");
      s.execute("UPDATE queen.schema_version SET checksum = 'the build before' WHERE version = 2");
    }
    assertThat(migrator.migrate(new Database(pool))).containsExactly(2);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM pg_proc WHERE proname IN ('pop_v1', "
            + "'_deliver') AND pronamespace = 'queen'::regnamespace"
            + " AND 'trace_context' = ANY (proargnames)")) {
      rs.next();
      assertThat(rs.getInt(1)).as("both replaced by the ones returning trace_context").isEqualTo(2);
    }
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT string_agg(p.oid::regprocedure::text, '; ' ORDER BY 1)"
            + " FROM pg_proc p WHERE p.proname IN ('_deliver', '_claim', '_claim_cursor')"
            + " AND p.pronamespace = 'queen'::regnamespace")) {
      rs.next();
      assertThat(rs.getString(1)).as("the earlier _claim and _deliver dropped, one of each left")
          .isEqualTo("queen._claim_cursor(uuid,text,timestamp with time zone,boolean,integer,"
              + "timestamp with time zone); queen._deliver(integer,uuid,text,bigint,boolean,"
              + "timestamp with time zone,uuid,integer,boolean,integer,integer,text,text,"
              + "timestamp with time zone)");
    }
    assertThat(migrator.migrate(new Database(pool))).as("and only once").isEmpty();
  }

  @Test
  void a_database_of_the_build_before_loses_the_messages_partition_key_and_keeps_its_messages()
      throws Exception {
    new SchemaMigrator("queen").migrate(new Database(pool));
    try (var c = database.connect(); var s = c.createStatement()) {
      // as the build before left it: the foreign key, V006 not applied, messages stored
      s.execute("ALTER TABLE queen.messages ADD CONSTRAINT messages_partition_id_fkey FOREIGN KEY"
          + " (partition_id) REFERENCES queen.partitions (id) ON DELETE CASCADE");
      s.execute("DELETE FROM queen.schema_version WHERE version = 6");
      s.execute("INSERT INTO queen.queues (id, name) VALUES (gen_random_uuid(), 'old')");
      s.execute("INSERT INTO queen.partitions (id, queue_id, name) SELECT gen_random_uuid(), id,"
          + " 'Default' FROM queen.queues WHERE name = 'old'");
      s.execute("INSERT INTO queen.messages (id, transaction_id, partition_id, seq, payload,"
          + " created_at) SELECT gen_random_uuid(), 't' || n, p.id, n, '{}'::jsonb, now()"
          + " FROM queen.partitions p, generate_series(1, 3) n");
    }
    assertThat(new SchemaMigrator("queen").migrate(new Database(pool))).containsExactly(6);
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT (SELECT count(*) FROM queen.messages),"
            + " (SELECT count(*) FROM pg_constraint WHERE conname = 'messages_partition_id_fkey')")) {
      rs.next();
      assertThat(rs.getLong(1)).as("messages kept").isEqualTo(3);
      assertThat(rs.getLong(2)).as("the key is gone").isZero();
    }
  }

  @Test
  void the_schema_name_is_configurable() throws Exception {
    new SchemaMigrator("other_queen").migrate(new Database(pool));
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables"
            + " WHERE table_schema = 'other_queen' AND table_name = 'messages'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
