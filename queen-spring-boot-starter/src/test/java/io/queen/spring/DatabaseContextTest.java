package io.queen.spring;

import io.queen.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each test gets a fresh database and a context runner on it ({@link Contexts#on}). */
abstract class DatabaseContextTest {
  protected TestDatabase db;
  protected ApplicationContextRunner app;

  @BeforeEach
  void database() {
    db = TestDatabase.create();
    app = Contexts.on(db);
  }

  @AfterEach
  void drop() {
    db.close();
  }
}
