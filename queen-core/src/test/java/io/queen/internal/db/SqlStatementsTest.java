package io.queen.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.testing.QueenTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The named statements under io/queen/sql: all valid SQL for the schema, all used, none twice. */
class SqlStatementsTest extends QueenTestSupport {

  @Test
  void every_statement_is_valid_sql_against_a_migrated_schema() throws Exception {
    var sql = SqlStatements.load("queen");
    assertThat(sql.names()).hasSizeGreaterThan(30);
    try (var c = database.connect()) {
      for (var name : sql.names()) {
        var text = sql.get(name).replace("{{table}}", "messages");
        try (var ps = c.prepareStatement(text)) {
          // pgjdbc asks the server to parse and describe the statement here
          assertThat(ps.getParameterMetaData()).as(name).isNotNull();
        } catch (java.sql.SQLException e) {
          throw new AssertionError("statement '" + name + "' does not parse: " + e.getMessage(), e);
        }
      }
    }
  }

  @Test
  void every_statement_is_used_by_the_engine() throws IOException {
    String sources;
    try (var files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
    for (var name : SqlStatements.load("queen").names()) {
      assertThat(sources).as("a use of statement '" + name + "'").contains('"' + name + '"');
    }
  }

  @Test
  void a_missing_name_is_refused_with_the_files_it_looked_in() {
    assertThatThrownBy(() -> SqlStatements.load("queen").get("no_such_statement"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no_such_statement").hasMessageContaining("push.sql");
  }

  @Test
  void documentation_lines_are_not_part_of_the_statement_and_a_name_may_not_repeat() {
    var into = new HashMap<String, String>();
    SqlStatements.parse("t.sql", "-- header\n\n-- name: a\n-- what a does\nSELECT 1;\n\n"
        + "-- name: b\nSELECT 2\n  FROM x\n", into);
    assertThat(into).containsEntry("a", "SELECT 1").containsEntry("b", "SELECT 2\n  FROM x");
    assertThatThrownBy(() -> SqlStatements.parse("t.sql", "-- name: a\nSELECT 3\n", into))
        .hasMessageContaining("a second statement named 'a'");
  }
}
